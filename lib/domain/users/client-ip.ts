// The client address a sign-in is counted against: the first hop of X-Forwarded-For (the client as
// the first proxy saw it), else X-Real-IP, else "unknown". Next.js fills X-Forwarded-For from the
// socket when no proxy sent one. A client talking to Dwell without a proxy can write this header
// itself, so the per-address limit is a second line: the per-account limit does not depend on it.
import ipaddr from "ipaddr.js";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A canonical address (IPv4-mapped IPv6 as IPv4), or the raw value cut to 64 characters. */
export function normalizeIp(raw: string): string {
  const value = raw.trim().replace(/^\[|\]$/g, "");
  try {
    const address = ipaddr.parse(value);
    if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
      return (address as ipaddr.IPv6).toIPv4Address().toString();
    }
    return address.toString();
  } catch {
    return value.slice(0, 64) || "unknown";
  }
}

export function clientIp(headers: HeaderSource): string {
  const forwarded = header(headers, "x-forwarded-for")?.split(",")[0]?.trim();
  if (forwarded) return normalizeIp(forwarded);
  const real = header(headers, "x-real-ip")?.trim();
  if (real) return normalizeIp(real);
  return "unknown";
}

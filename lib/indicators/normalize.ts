// Validate one indicator of a known type and compute its canonical form, the key the product uses
// to tell whether two entries are the same indicator.
//
// Decisions (each is a choice between reasonable options, recorded here so callers can rely on it):
// - IPv4 is strict dotted decimal. A leading zero ("010.1.1.1") is refused: inet_aton and some
//   parsers read it as octal (8), others as decimal (10), so the value is ambiguous.
// - CIDR with host bits set ("10.1.2.3/8") is accepted and normalized to its network
//   ("10.0.0.0/8"): advisories often write the observed address with the block size. /32 and /128
//   stay CIDR ranges; they are not turned into addresses.
// - IPv6 follows RFC 5952; IPv4-mapped addresses keep the dotted tail (::ffff:192.0.2.1) per its
//   section 5. Zone indexes (%eth0) are refused: they only mean something on one host.
// - Email is lowercased whole. RFC 5321 lets the local part be case-sensitive, but no mainstream
//   provider treats it so and feeds disagree on case, so matching wins.
// - Filenames are lowercased: most indicator filenames are Windows names, where case does not
//   matter. Filenames and "other" may hold invisible and bidi characters, because a right-to-left
//   override in a filename ("invoice\u202Efdp.exe") is itself an attacker technique worth recording.
// - URL hosts follow WHATWG (browser) parsing, so an obfuscated host is normalized to what a
//   browser would contact; the query is kept byte for byte and the fragment dropped.
// - A domain must end in a public suffix; internal names (corp.local) belong in "other".
import ipaddr from "ipaddr.js";
import { domainToASCII } from "node:url";
import { parse as parseHost } from "tldts";
import {
  codePointName,
  describeChar,
  firstControl,
  firstInvisible,
  hasLoneSurrogate,
  snippet,
} from "./chars.ts";
import { refang } from "./refang.ts";
import type { IndicatorTypeWord } from "./types.ts";

export type NormalizeResult =
  { ok: true; value: string; normalized: string } | { ok: false; message: string };

type Check = { ok: true; normalized: string } | { ok: false; message: string };

const pass = (normalized: string): Check => ({ ok: true, normalized });
const fail = (message: string): Check => ({ ok: false, message });

/** How messages name a value of each type. */
const NOUN: Record<IndicatorTypeWord, string> = {
  ipv4: "an IPv4 address",
  ipv6: "an IPv6 address",
  cidr: "a CIDR range",
  domain: "a domain name",
  url: "a URL",
  email: "an email address",
  md5: "an MD5 hash",
  sha1: "a SHA-1 hash",
  sha256: "a SHA-256 hash",
  sha512: "a SHA-512 hash",
  jarm: "a JARM fingerprint",
  ja3: "a JA3 fingerprint",
  "user-agent": "a user agent",
  "cert-thumbprint": "a certificate thumbprint",
  "jwt-kid": "a JWT key ID",
  "uri-path": "a URI path",
  filename: "a file name",
  asn: "an AS number",
  other: "an indicator of type other",
};

// Longest accepted input after trimming. Hash types are refused by their exact-length check long
// before this bound, which only keeps a pasted megabyte from being scanned.
const MAX_LENGTH: Record<IndicatorTypeWord, number> = {
  md5: 512,
  sha1: 512,
  sha256: 512,
  sha512: 512,
  jarm: 512,
  ja3: 512,
  "cert-thumbprint": 512,
  ipv4: 15,
  ipv6: 47,
  cidr: 53,
  domain: 254,
  url: 8192,
  email: 254,
  "user-agent": 1024,
  "jwt-kid": 256,
  "uri-path": 2048,
  filename: 255,
  asn: 24,
  other: 2048,
};

const MAY_HAVE_WHITESPACE: ReadonlySet<IndicatorTypeWord> = new Set([
  "user-agent",
  "filename",
  "asn",
  "other",
]);
const MAY_HAVE_INVISIBLE: ReadonlySet<IndicatorTypeWord> = new Set(["filename", "other"]);

const HEX_LENGTH = { md5: 32, sha1: 40, sha256: 64, sha512: 128, jarm: 62, ja3: 32 } as const;
type FixedHexType = keyof typeof HEX_LENGTH;

// ---------------------------------------------------------------------------------------------
// IP addresses

const DIGITS = /^\d+$/;

function checkIPv4(value: string): Check {
  if (value.includes("/")) return fail("a '/' prefix length makes this a CIDR range, not an IPv4 address");
  if (value.includes(":")) {
    return /^[\d.]+:\d+$/.test(value)
      ? fail("an IPv4 address has no port; remove ':' and what follows")
      : fail("an IPv4 address cannot contain ':'");
  }
  const parts = value.split(".");
  if (parts.length !== 4) {
    return fail(`an IPv4 address has four numbers separated by dots; this one has ${parts.length}`);
  }
  for (const part of parts) {
    if (part === "") return fail("an IPv4 address cannot have an empty number between dots");
    if (!DIGITS.test(part)) return fail(`'${snippet(part, 12)}' is not a decimal number`);
    if (part.length > 1 && part.startsWith("0")) {
      return fail(`'${part}' has a leading zero, which some tools read as octal`);
    }
    if (Number(part) > 255)
      return fail(`${part} is out of range; each number in an IPv4 address is 0 to 255`);
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(value)) return fail("not a valid IPv4 address");
  return pass(ipaddr.IPv4.parse(value).toString());
}

function formatIPv6(address: ipaddr.IPv6): string {
  return address.isIPv4MappedAddress()
    ? `::ffff:${address.toIPv4Address().toString()}`
    : address.toRFC5952String();
}

type IPv6Parse = { ok: true; address: ipaddr.IPv6 } | { ok: false; message: string };

function parseIPv6(value: string): IPv6Parse {
  const bare = value.startsWith("[") && value.endsWith("]") ? value.slice(1, -1) : value;
  const no = (message: string): IPv6Parse => ({ ok: false, message });
  if (bare.includes("%")) return no("a zone index ('%…') only means something on one host; remove it");
  if (bare.includes("/")) return no("a '/' prefix length makes this a CIDR range, not an IPv6 address");
  if (!bare.includes(":")) return no("an IPv6 address is groups of hexadecimal digits separated by colons");
  const bad = /[^0-9a-f:.]/iu.exec(bare);
  if (bad) return no(`an IPv6 address cannot contain ${describeChar(bad[0])}`);
  if (bare.indexOf("::") !== bare.lastIndexOf("::"))
    return no("'::' may appear only once in an IPv6 address");
  for (const group of bare.split(":")) {
    if (group.length > 4 && !group.includes(".")) {
      return no(`the group '${snippet(group, 12)}' has more than four hexadecimal digits`);
    }
  }
  if (!ipaddr.IPv6.isValid(bare)) {
    return no("not a valid IPv6 address; it needs eight groups, or '::' standing for the missing ones");
  }
  return { ok: true, address: ipaddr.IPv6.parse(bare) };
}

function checkIPv6(value: string): Check {
  const parsed = parseIPv6(value);
  return parsed.ok ? pass(formatIPv6(parsed.address)) : fail(parsed.message);
}

/** Clear the bits after the prefix: the network the range names. */
function networkBytes(bytes: number[], prefix: number): number[] {
  return bytes.map((byte, index) => {
    const keep = Math.min(8, Math.max(0, prefix - index * 8));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
}

function checkCidr(value: string): Check {
  const slash = value.indexOf("/");
  if (slash < 0) return fail("a CIDR range needs a '/prefix', like 10.0.0.0/8 or 2001:db8::/32");
  if (value.indexOf("/", slash + 1) >= 0) return fail("a CIDR range has only one '/'");
  const addressPart = value.slice(0, slash);
  const prefixPart = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixPart)) return fail("the prefix length after '/' must be a number");
  if (prefixPart.length > 1 && prefixPart.startsWith("0"))
    return fail("the prefix length has a leading zero");
  const prefix = Number(prefixPart);

  if (addressPart.includes(":")) {
    const parsed = parseIPv6(addressPart);
    if (!parsed.ok) return fail(parsed.message);
    if (prefix > 128) return fail(`/${prefix} is too long; an IPv6 prefix length is 0 to 128`);
    const network = ipaddr.fromByteArray(networkBytes(parsed.address.toByteArray(), prefix));
    return pass(`${network instanceof ipaddr.IPv6 ? formatIPv6(network) : network.toString()}/${prefix}`);
  }
  const address = checkIPv4(addressPart);
  if (!address.ok) return address;
  if (prefix > 32) return fail(`/${prefix} is too long; an IPv4 prefix length is 0 to 32`);
  const network = ipaddr.fromByteArray(
    networkBytes(ipaddr.IPv4.parse(address.normalized).toByteArray(), prefix),
  );
  return pass(`${network.toString()}/${prefix}`);
}

// ---------------------------------------------------------------------------------------------
// Names

const LABEL = /^[a-z0-9_-]+$/;
const IPV4_SHAPE = /^\d+\.\d+\.\d+\.\d+$/;

/** Validate a host name and return it lowercase, in punycode. */
export function checkDomain(value: string): Check {
  const name = value.endsWith(".") ? value.slice(0, -1) : value;
  if (name === "") return fail("the value is empty");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name))
    return fail("this is a URL; enter only the host name, or use type url");
  if (name.includes("@")) return fail("a domain name cannot contain '@'; this looks like an email address");
  if (name.includes("/") || name.includes("\\"))
    return fail("a domain name has no path; remove '/' and what follows");
  if (/\s/.test(name)) return fail("a domain name cannot contain whitespace");
  if (name.startsWith("*")) return fail("wildcards are not supported; enter the domain without '*.'");
  if (IPV4_SHAPE.test(name) || (name.includes(":") && ipaddr.IPv6.isValid(name))) {
    return fail("this is an IP address, not a domain name");
  }
  if (name.includes(":")) return fail("a domain name has no port; remove ':' and what follows");
  if (name.startsWith(".") || name.includes(".."))
    return fail("a domain name cannot have an empty label (two dots in a row, or a leading dot)");

  // Checked before punycode: WHATWG reads a numeric last label as an IPv4 address and fails.
  if (/\.\d+$/.test(name)) return fail("a domain name cannot end in a number");
  const ascii = domainToASCII(name);
  if (ascii === "") return fail("not a valid internationalized domain name");
  if (ascii.length > 253)
    return fail(`a domain name can have at most 253 characters; this one has ${ascii.length}`);
  const labels = ascii.split(".");
  if (labels.length < 2) return fail("a domain name needs at least two labels, like example.com");
  for (const label of labels) {
    if (label.length > 63) return fail(`the label '${snippet(label, 20)}' is longer than 63 characters`);
    if (!LABEL.test(label)) {
      return fail(`the label '${snippet(label, 20)}' has characters other than letters, digits, '-' and '_'`);
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      return fail(`the label '${snippet(label, 20)}' starts or ends with '-'`);
    }
  }
  const tld = labels[labels.length - 1] ?? "";
  const info = parseHost(ascii, { allowPrivateDomains: true, extractHostname: false });
  if (!info.isIcann && !info.isPrivate) {
    return fail(`'.${snippet(tld, 20)}' is not a public top-level domain; record internal names as other`);
  }
  if (info.isIcann && info.domain === null)
    return fail(`'${ascii}' is a public suffix, not a registered domain`);
  return pass(ascii);
}

function checkUrl(value: string): Check {
  const scheme = /^([a-z][a-z0-9+.-]{0,15}):/i.exec(value);
  if (!scheme) {
    if (/^(?:https?|ftp)\/\//i.test(value))
      return fail("missing ':' after the scheme; write http:// or https://");
    return fail("a URL needs a scheme: http://, https:// or ftp://");
  }
  const name = (scheme[1] ?? "").toLowerCase();
  if (name !== "http" && name !== "https" && name !== "ftp") {
    return fail(`the scheme '${snippet(name, 16)}' is not supported; use http, https or ftp`);
  }
  if (!value.startsWith("//", scheme[0].length)) return fail(`missing '//' after '${name}:'`);
  if (value.includes("\\"))
    return fail("a URL cannot contain a backslash (browsers read it as '/'); write '/' instead");

  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail("not a valid URL; its host or port cannot be read");
  }
  const host = url.hostname;
  if (host === "") return fail("the URL has no host");
  if (!host.startsWith("[") && !IPV4_SHAPE.test(host)) {
    const domain = checkDomain(host);
    if (!domain.ok) return fail(`the host is not valid: ${domain.message}`);
  }

  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ""}@` : "";
  // The query as typed: its parameter order and encoding can matter to whoever matches it.
  const hash = value.indexOf("#");
  const question = value.indexOf("?");
  const query =
    question >= 0 && (hash < 0 || question < hash) ? value.slice(question, hash < 0 ? undefined : hash) : "";
  return pass(`${url.protocol}//${auth}${url.host}${url.pathname}${query === "?" ? "" : query}`);
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;

function checkEmail(value: string): Check {
  const at = value.lastIndexOf("@");
  if (at < 0) return fail("an email address needs an '@'");
  if (value.indexOf("@") !== at) return fail("an email address has exactly one '@'");
  const local = value.slice(0, at);
  const domainPart = value.slice(at + 1);
  if (local === "") return fail("nothing before '@'");
  if (domainPart === "") return fail("nothing after '@'");
  if (local.length > 64) return fail("the part before '@' can have at most 64 characters");
  if (!LOCAL_PART.test(local))
    return fail("the part before '@' has characters an address cannot have unquoted");
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return fail("the part before '@' has a misplaced dot");
  }
  const domain = checkDomain(domainPart);
  if (!domain.ok) return fail(`the domain is not valid: ${domain.message}`);
  const normalized = `${local.toLowerCase()}@${domain.normalized}`;
  if (normalized.length > 254)
    return fail(`an email address can have at most 254 characters; this one has ${normalized.length}`);
  return pass(normalized);
}

// ---------------------------------------------------------------------------------------------
// Hashes and fingerprints

function isHexType(type: IndicatorTypeWord): type is FixedHexType | "cert-thumbprint" {
  return type === "cert-thumbprint" || type in HEX_LENGTH;
}

function hexLengthMessage(type: FixedHexType | "cert-thumbprint", length: number): string {
  return type === "cert-thumbprint"
    ? `a certificate thumbprint has 40 (SHA-1) or 64 (SHA-256) hexadecimal characters; this one has ${length}`
    : `${NOUN[type]} has ${HEX_LENGTH[type]} hexadecimal characters; this one has ${length}`;
}

function checkHex(type: FixedHexType | "cert-thumbprint", value: string): Check {
  let hex = value;
  if (type === "cert-thumbprint" && hex.includes(":")) {
    // Certificate viewers print AB:CD:EF…; the colons carry no information.
    if (!/^[0-9a-f]{2}(?::[0-9a-f]{2})+$/i.test(hex))
      return fail("colons must separate pairs of hexadecimal digits, like AB:CD:EF");
    hex = hex.replaceAll(":", "");
  }
  if (type === "ja3" && /^\d+,/.test(hex))
    return fail("this is a raw JA3 string; enter its MD5 hash instead");
  const bad = /[^0-9a-f]/iu.exec(hex);
  if (bad) return fail(`${describeChar(bad[0])} is not a hexadecimal digit`);
  const lengthOk =
    type === "cert-thumbprint" ? hex.length === 40 || hex.length === 64 : hex.length === HEX_LENGTH[type];
  if (!lengthOk) return fail(hexLengthMessage(type, hex.length));
  if (type === "jarm" && /^0+$/.test(hex)) {
    return fail("an all-zero JARM means the server did not answer the TLS probes, so it identifies nothing");
  }
  return pass(hex.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Free-form types

function checkAsn(value: string): Check {
  const match = /^(?:asn?\s?)?(\d+)$/i.exec(value);
  if (!match) {
    if (/^(?:asn?\s?)?\d+\.\d+$/i.test(value)) {
      return fail("asdot notation is not supported; write the AS number as one integer, like AS65546");
    }
    return fail("not an AS number; write it like AS13335 or 13335");
  }
  const digits = (match[1] ?? "").replace(/^0+(?=\d)/, "");
  if (digits.length > 10 || Number(digits) > 4294967295) {
    return fail("an AS number is at most 4294967295");
  }
  return pass(`AS${digits}`);
}

function checkUriPath(value: string): Check {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return fail("this is a full URL; use type url, or keep only the part from the first '/'");
  }
  if (!value.startsWith("/")) return fail("a URI path must start with '/'");
  if (value.startsWith("//"))
    return fail("a path starting with '//' is read by browsers as a link to another host");
  return pass(value);
}

function checkFilename(value: string): Check {
  if (value.includes("/") || value.includes("\\")) {
    return fail("a file name cannot contain '/' or '\\'; enter only the name");
  }
  if (value === "." || value === "..") return fail("'.' and '..' are not file names");
  return pass(value.toLowerCase());
}

function checkType(type: IndicatorTypeWord, value: string): Check {
  switch (type) {
    case "ipv4":
      return checkIPv4(value);
    case "ipv6":
      return checkIPv6(value);
    case "cidr":
      return checkCidr(value);
    case "domain":
      return checkDomain(value);
    case "url":
      return checkUrl(value);
    case "email":
      return checkEmail(value);
    case "md5":
    case "sha1":
    case "sha256":
    case "sha512":
    case "jarm":
    case "ja3":
    case "cert-thumbprint":
      return checkHex(type, value);
    case "user-agent":
      return pass(value.replace(/\s+/g, " "));
    case "jwt-kid":
      return pass(value);
    case "uri-path":
      return checkUriPath(value);
    case "filename":
      return checkFilename(value);
    case "asn":
      return checkAsn(value);
    case "other":
      return pass(value);
  }
}

function tooLong(type: IndicatorTypeWord, length: number): NormalizeResult {
  const message = isHexType(type)
    ? hexLengthMessage(type, length)
    : `${NOUN[type]} can have at most ${MAX_LENGTH[type]} characters; this one has ${length}`;
  return { ok: false, message };
}

/** Normalize a value that has already been refanged (the extractor refangs whole lines). */
export function normalizeRefanged(type: IndicatorTypeWord, input: string): NormalizeResult {
  const value = input.trim();
  if (value === "") return { ok: false, message: "the value is empty" };
  const control = firstControl(value);
  if (control !== null)
    return { ok: false, message: `control character ${codePointName(control)} is not allowed` };
  if (hasLoneSurrogate(value))
    return { ok: false, message: "broken Unicode (an unpaired surrogate) is not allowed" };
  if (!MAY_HAVE_INVISIBLE.has(type)) {
    const invisible = firstInvisible(value);
    if (invisible !== null) {
      return {
        ok: false,
        message: `invisible or text-direction character ${codePointName(invisible)} is not allowed; it can disguise the value`,
      };
    }
  }
  if (value.length > MAX_LENGTH[type]) return tooLong(type, value.length);
  if (!MAY_HAVE_WHITESPACE.has(type) && /\s/.test(value)) {
    return { ok: false, message: `${NOUN[type]} cannot contain whitespace` };
  }
  const checked = checkType(type, value);
  return checked.ok ? { ok: true, value, normalized: checked.normalized } : checked;
}

/** Refang, trim, validate and canonicalize one value of a known type. */
export function normalizeIndicator(type: IndicatorTypeWord, raw: string): NormalizeResult {
  const trimmed = raw.trim();
  // Refanging shortens text by at most nine characters to one (" [ dot ] " becomes "."), so
  // anything longer than this cannot fit; refuse it before scanning a pasted megabyte.
  if (trimmed.length > MAX_LENGTH[type] * 9 + 64) return tooLong(type, trimmed.length);
  return normalizeRefanged(type, refang(trimmed));
}

// The indicator type words the product uses, the aliases feeds and CSV headers use for them, and
// the labels people read.

export const INDICATOR_TYPES = [
  "ipv4",
  "ipv6",
  "cidr",
  "domain",
  "url",
  "email",
  "md5",
  "sha1",
  "sha256",
  "sha512",
  "jarm",
  "ja3",
  "user-agent",
  "cert-thumbprint",
  "jwt-kid",
  "uri-path",
  "filename",
  "asn",
  "other",
] as const;

export type IndicatorTypeWord = (typeof INDICATOR_TYPES)[number];

const LABELS: Record<IndicatorTypeWord, string> = {
  ipv4: "IPv4 address",
  ipv6: "IPv6 address",
  cidr: "IP range (CIDR)",
  domain: "Domain name",
  url: "URL",
  email: "Email address",
  md5: "MD5 hash",
  sha1: "SHA-1 hash",
  sha256: "SHA-256 hash",
  sha512: "SHA-512 hash",
  jarm: "JARM fingerprint",
  ja3: "JA3 fingerprint",
  "user-agent": "User agent",
  "cert-thumbprint": "Certificate thumbprint",
  "jwt-kid": "JWT key ID (kid)",
  "uri-path": "URI path",
  filename: "File name",
  asn: "Autonomous system number (ASN)",
  other: "Other",
};

// Keys are compared after lowercasing and turning runs of spaces and underscores into "-", so
// "user_agent", "User Agent" and "user-agent" are one entry. Names come from MISP attribute types,
// STIX cyber-observable types and the headers seen in vendor CSV exports.
const ALIASES: ReadonlyMap<string, IndicatorTypeWord> = new Map<string, IndicatorTypeWord>([
  ["ip", "ipv4"],
  ["ips", "ipv4"],
  ["ip-address", "ipv4"],
  ["ipv4-address", "ipv4"],
  ["ipv4-addr", "ipv4"],
  ["ip-dst", "ipv4"],
  ["ip-src", "ipv4"],
  ["ipv6-address", "ipv6"],
  ["ipv6-addr", "ipv6"],
  ["cidr-range", "cidr"],
  ["ip-range", "cidr"],
  ["subnet", "cidr"],
  ["netblock", "cidr"],
  ["domain-name", "domain"],
  ["domains", "domain"],
  ["hostname", "domain"],
  ["host", "domain"],
  ["fqdn", "domain"],
  ["uri", "url"],
  ["link", "url"],
  ["urls", "url"],
  ["e-mail", "email"],
  ["email-address", "email"],
  ["email-addr", "email"],
  ["email-src", "email"],
  ["email-dst", "email"],
  ["md5-hash", "md5"],
  ["sha-1", "sha1"],
  ["sha-256", "sha256"],
  ["sha-512", "sha512"],
  ["jarm-fingerprint", "jarm"],
  ["ja3-fingerprint", "ja3"],
  ["ja3-fingerprint-md5", "ja3"],
  ["ja3-hash", "ja3"],
  ["useragent", "user-agent"],
  ["ua", "user-agent"],
  ["http-user-agent", "user-agent"],
  ["thumbprint", "cert-thumbprint"],
  ["certificate-thumbprint", "cert-thumbprint"],
  ["x509-fingerprint-sha1", "cert-thumbprint"],
  ["x509-fingerprint-sha256", "cert-thumbprint"],
  ["kid", "jwt-kid"],
  ["path", "uri-path"],
  ["url-path", "uri-path"],
  ["file", "filename"],
  ["file-name", "filename"],
  ["as", "asn"],
  ["asnumber", "asn"],
  ["as-number", "asn"],
  ["autonomous-system", "asn"],
]);

const WORDS: ReadonlySet<string> = new Set(INDICATOR_TYPES);

function isTypeWord(key: string): key is IndicatorTypeWord {
  return WORDS.has(key);
}

/** The type word for a word, alias or header (any case), or null when it names no type. */
export function parseIndicatorType(input: string): IndicatorTypeWord | null {
  if (input.length > 64) return null;
  const key = input
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
  if (isTypeWord(key)) return key;
  return ALIASES.get(key) ?? null;
}

export function typeLabel(type: IndicatorTypeWord): string {
  return LABELS[type];
}

// Guess the type of one refanged token. A type is returned when the token is, or clearly tries to
// be, that kind of indicator (10.0.0.300 is a broken IPv4 address, not nothing), so the caller can
// report a broken indicator instead of dropping it; ordinary words, numbers, versions and dates
// give null.
import ipaddr from "ipaddr.js";
import { domainToASCII } from "node:url";
import { parse as parseHost } from "tldts";
import { withoutInvisible } from "./chars.ts";
import type { IndicatorTypeWord } from "./types.ts";

/** What the surrounding line says, computed once per line by the extractor. */
export interface ContextHints {
  ja3: boolean;
  /** The line talks about certificates, so a SHA-1 or SHA-256 length hex is a thumbprint. */
  certificate: boolean;
  /** The line talks about hosts or DNS, so name.zip is a domain rather than a file. */
  domain: boolean;
  /** Hash kinds the line names, to recognize a hash of the wrong length as a broken one. */
  hashes: IndicatorTypeWord[];
}

const NOT_LETTER_BEFORE = "(?<![a-z])";
const NOT_LETTER_AFTER = "(?![a-z])";
const word = (pattern: string) => new RegExp(`${NOT_LETTER_BEFORE}(?:${pattern})${NOT_LETTER_AFTER}`, "i");

const CERTIFICATE_WORDS = word("thumbprints?|certificates?|certs?|x\\.?509");
const DOMAIN_WORDS = word("domains?|hosts?|hostnames?|fqdns?|dns|resolv(?:es|ed|ing)?");
const HASH_WORDS: [RegExp, IndicatorTypeWord[]][] = [
  [/md5/i, ["md5"]],
  [/sha-?1(?!\d)/i, ["sha1"]],
  [/sha-?256/i, ["sha256"]],
  [/sha-?512/i, ["sha512"]],
  [/ja3/i, ["ja3"]],
  [/jarm/i, ["jarm"]],
  [word("hash(?:es)?|digests?|checksums?"), ["md5", "sha1", "sha256", "sha512"]],
];

export function contextHints(context: string): ContextHints {
  const hashes = new Set<IndicatorTypeWord>();
  for (const [pattern, types] of HASH_WORDS) {
    if (pattern.test(context)) for (const type of types) hashes.add(type);
  }
  const certificate = CERTIFICATE_WORDS.test(context);
  if (certificate) hashes.add("cert-thumbprint");
  return { ja3: /ja3/i.test(context), certificate, domain: DOMAIN_WORDS.test(context), hashes: [...hashes] };
}

const NO_HINTS: ContextHints = { ja3: false, certificate: false, domain: false, hashes: [] };

// Extensions that make a dotted token a file name even where they are also real TLDs (.zip,
// .py, .sh, .md, .one): in an advisory "update.zip" is far more often a file than a host.
// Real TLDs common as hosts (.pl, .so, .app, .io, .rs) are deliberately absent.
export const FILE_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    "7z apk asp aspx ashx asmx bat bin bmp bz2 cab cfg chm class cmd conf cpl csv dat deb dll " +
    "dmg dmp doc docm docx drv elf eml exe gif gz hta htm html img inf ini iso jar jpeg jpg js " +
    "jse json jsp jspx ko lnk log md msc msg msi msp ocx one pdf php phtml pif png ppt pptm " +
    "pptx ps1 psd1 psm1 py pyc rar reg rpm rtf scr sh svg sys tar tgz tmp txt url vbe vbs vhd " +
    "vhdx war wsf wsh xll xls xlsb xlsm xlsx xml xz yaml yml zip"
  ).split(" "),
);

// Technology names that look like file or host names in prose.
const NOT_INDICATORS: ReadonlySet<string> = new Set(
  (
    "node.js next.js nuxt.js vue.js react.js express.js angular.js ember.js backbone.js d3.js " +
    "three.js chart.js asp.net vb.net ado.net"
  ).split(" "),
);

const PROTOCOL_NAMES: ReadonlySet<string> = new Set(
  "http https tcp udp tls ssl smb rdp sip rtsp ftp icmp quic ipv4 ipv6".split(" "),
);

const URL_START = /^(?:https?|ftp)(?::|\/\/)/i;
// Product/version, the token a user agent starts with: Mozilla/5.0, curl/7.68.0, python-requests/2.31.0.
const USER_AGENT_START = /^([A-Za-z][A-Za-z0-9._-]{0,40})\/\d+\.\d+[A-Za-z0-9.+_-]*(?=\s|$)/;
const IPV4_ATTEMPT = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV4_CIDR_ATTEMPT = /^\d{1,3}(?:\.\d{1,3}){3}\/\d{1,3}$/;
const IPV6_CIDR_ATTEMPT = /^[0-9a-f:.]{2,45}\/\d{1,3}$/i;
const IPV6_CHARS = /^[0-9a-f:.]{2,45}$/i;
const HEX = /^[0-9a-f]+$/i;
const COLON_HEX_PAIRS = /^[0-9a-f]{2}(?::[0-9a-f]{2})+$/i;
const ASN = /^ASN?\d{1,20}$/i;
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const NAME = /^[\p{L}\p{N}\p{M}_-]+(?:\.[\p{L}\p{N}\p{M}_-]+)+\.?$/u;

const HEX_TYPES: [IndicatorTypeWord, number][] = [
  ["md5", 32],
  ["ja3", 32],
  ["sha1", 40],
  ["cert-thumbprint", 40],
  ["jarm", 62],
  ["sha256", 64],
  ["cert-thumbprint", 64],
  ["sha512", 128],
];

/** Product/version at the start of a token or string, excluding protocol names like HTTP/1.1. */
export function startsLikeUserAgent(text: string): boolean {
  const match = USER_AGENT_START.exec(text);
  if (!match) return false;
  const product = match[1] ?? "";
  return (product.match(/[A-Za-z]/g)?.length ?? 0) >= 2 && !PROTOCOL_NAMES.has(product.toLowerCase());
}

function hexType(hex: string, hints: ContextHints): IndicatorTypeWord | null {
  switch (hex.length) {
    case 32:
      return hints.ja3 ? "ja3" : "md5";
    case 40:
      return hints.certificate ? "cert-thumbprint" : "sha1";
    case 62:
      return "jarm";
    case 64:
      return hints.certificate ? "cert-thumbprint" : "sha256";
    case 128:
      return "sha512";
  }
  // A near miss next to a hash name is a broken (truncated, mis-copied) hash; elsewhere it is
  // some other identifier. Real hashes mix letters and digits; long numbers do not.
  if (hex.length < 24 || !/\d/.test(hex) || !/[a-f]/i.test(hex)) return null;
  let best: IndicatorTypeWord | null = null;
  let bestDistance = 5;
  for (const [type, length] of HEX_TYPES) {
    const distance = Math.abs(hex.length - length);
    if (hints.hashes.includes(type) && distance < bestDistance) {
      best = type;
      bestDistance = distance;
    }
  }
  return best;
}

function isPublicSuffix(tld: string): boolean {
  return parseHost(`x.${tld}`, { extractHostname: false }).isIcann === true;
}

/** A dotted name ending in a public suffix (the check the normalizer makes, minus the messages). */
function looksLikeDomain(name: string): boolean {
  if (!NAME.test(name)) return false;
  const ascii = domainToASCII(name.endsWith(".") ? name.slice(0, -1) : name);
  if (ascii === "" || /\.\d+$/.test(ascii)) return false;
  const info = parseHost(ascii, { allowPrivateDomains: true, extractHostname: false });
  return (info.isIcann === true && info.domain !== null) || info.isPrivate === true;
}

function dottedType(input: string, hints: ContextHints): IndicatorTypeWord | null {
  const token = input.endsWith(".") ? input.slice(0, -1) : input;
  const dot = token.lastIndexOf(".");
  if (dot <= 0 || dot === token.length - 1 || token.includes("\\")) return null;
  const lower = token.toLowerCase();
  if (NOT_INDICATORS.has(lower)) return null;
  const extension = lower.slice(dot + 1);
  if (FILE_EXTENSIONS.has(extension)) {
    if (hints.domain && isPublicSuffix(extension) && looksLikeDomain(token)) return "domain";
    return "filename";
  }
  return looksLikeDomain(token) ? "domain" : null;
}

/** The type for a token when hints have already been computed from its line. */
export function detectWithHints(token: string, hints: ContextHints): IndicatorTypeWord | null {
  const trimmed = token.trim();
  if (trimmed === "" || trimmed.length > 8192) return null;
  // Hidden characters do not change what the token tries to be; the normalizer refuses them.
  const probe = withoutInvisible(trimmed);
  if (probe === "") return null;

  if (URL_START.test(probe)) return "url";
  if (startsLikeUserAgent(probe)) return "user-agent";
  if (/\s/.test(probe)) return null;

  const at = probe.indexOf("@");
  if (at >= 0) {
    const local = probe.slice(0, at);
    const domain = probe.slice(at + 1);
    return EMAIL_LOCAL.test(local) && !domain.includes("@") && looksLikeDomain(domain) ? "email" : null;
  }

  if (probe.includes("/")) {
    if (IPV4_CIDR_ATTEMPT.test(probe)) return "cidr";
    if (IPV6_CIDR_ATTEMPT.test(probe) && probe.includes(":")) {
      return ipaddr.IPv6.isValid(probe.slice(0, probe.indexOf("/"))) ? "cidr" : null;
    }
    if (probe.startsWith("/") && !probe.startsWith("//") && /[a-z]/i.test(probe)) return "uri-path";
    return null;
  }

  if (IPV4_ATTEMPT.test(probe)) return "ipv4";

  if (probe.includes(":")) {
    const pairs = COLON_HEX_PAIRS.test(probe) ? (probe.length + 1) / 3 : 0;
    if (pairs === 20 || pairs === 32) return "cert-thumbprint";
    const bare = probe.startsWith("[") && probe.endsWith("]") ? probe.slice(1, -1) : probe;
    if (IPV6_CHARS.test(bare) && /[0-9a-f]/i.test(bare) && ipaddr.IPv6.isValid(bare)) return "ipv6";
    return null;
  }

  if (HEX.test(probe)) return hexType(probe, hints);
  if (ASN.test(probe)) return "asn";
  return dottedType(probe, hints);
}

/**
 * The most likely type of one refanged token, or null when it looks like no indicator.
 * `context` is the line it came from; it tells a JA3 from an MD5 and a thumbprint from a SHA-1.
 */
export function detectIndicatorType(token: string, context?: string): IndicatorTypeWord | null {
  return detectWithHints(token, context ? contextHints(context) : NO_HINTS);
}

// The type vocabulary: every word parses to itself, feed and CSV aliases map to the right word,
// and nothing else (including prototype keys) is mistaken for a type.
import { describe, expect, it } from "vitest";
import { INDICATOR_TYPES, parseIndicatorType, typeLabel, type IndicatorTypeWord } from "./types.ts";

describe("parseIndicatorType", () => {
  it.each(INDICATOR_TYPES.map((type) => [type]))("accepts the word %s in any case", (type) => {
    expect(parseIndicatorType(type)).toBe(type);
    expect(parseIndicatorType(type.toUpperCase())).toBe(type);
    expect(parseIndicatorType(`  ${type}  `)).toBe(type);
  });

  const aliases: [string, IndicatorTypeWord][] = [
    ["ip", "ipv4"],
    ["IP", "ipv4"],
    ["ipv4-addr", "ipv4"],
    ["ip-dst", "ipv4"],
    ["ip-src", "ipv4"],
    ["IP Address", "ipv4"],
    ["ipv6-addr", "ipv6"],
    ["domain-name", "domain"],
    ["hostname", "domain"],
    ["FQDN", "domain"],
    ["uri", "url"],
    ["link", "url"],
    ["email-addr", "email"],
    ["email-src", "email"],
    ["E-mail", "email"],
    ["sha-1", "sha1"],
    ["SHA-256", "sha256"],
    ["SHA256", "sha256"],
    ["sha-512", "sha512"],
    ["MD5", "md5"],
    ["user_agent", "user-agent"],
    ["User Agent", "user-agent"],
    ["useragent", "user-agent"],
    ["ua", "user-agent"],
    ["cert_thumbprint", "cert-thumbprint"],
    ["thumbprint", "cert-thumbprint"],
    ["x509-fingerprint-sha1", "cert-thumbprint"],
    ["jwt_kid", "jwt-kid"],
    ["kid", "jwt-kid"],
    ["uri_path", "uri-path"],
    ["path", "uri-path"],
    ["file", "filename"],
    ["file-name", "filename"],
    ["File Name", "filename"],
    ["as", "asn"],
    ["ASNumber", "asn"],
    ["ja3-fingerprint-md5", "ja3"],
    ["jarm-fingerprint", "jarm"],
  ];
  it.each(aliases)("maps the alias %j to %s", (alias, type) => {
    expect(parseIndicatorType(alias)).toBe(type);
  });

  const unknown = [
    "",
    "   ",
    "ipv5",
    "hash",
    "sha",
    "sha3",
    "domains and urls",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "<script>",
    "ip\u200b",
    "x".repeat(10_000),
  ];
  it.each(unknown.map((input) => [input]))("returns null for %j", (input) => {
    expect(parseIndicatorType(input)).toBeNull();
  });
});

describe("typeLabel", () => {
  it.each([
    ["ipv4", "IPv4 address"],
    ["sha256", "SHA-256 hash"],
    ["jarm", "JARM fingerprint"],
    ["cert-thumbprint", "Certificate thumbprint"],
  ] as const)("labels %s as %j", (type, label) => {
    expect(typeLabel(type)).toBe(label);
  });

  it("gives every type its own non-empty label", () => {
    const labels = INDICATOR_TYPES.map(typeLabel);
    expect(labels.every((label) => label.length > 0)).toBe(true);
    expect(new Set(labels).size).toBe(INDICATOR_TYPES.length);
  });
});

import { describe, expect, it } from "vitest";
import {
  indicatorToPattern,
  parseStixPattern,
  patternToIndicators,
  StixPatternError,
  type PatternIndicator,
} from "./stix-pattern.ts";

const ind = (type: string, value: string): PatternIndicator => ({ type, value });

describe("patternToIndicators: patterns that name indicators", () => {
  const cases: [string, PatternIndicator[]][] = [
    ["[ipv4-addr:value = '203.0.113.7']", [ind("ipv4", "203.0.113.7")]],
    ["[ipv4-addr:value = '198.51.100.0/24']", [ind("cidr", "198.51.100.0/24")]],
    ["[ipv6-addr:value = '2001:db8::1']", [ind("ipv6", "2001:db8::1")]],
    ["[ipv6-addr:value = '2001:db8::/32']", [ind("cidr", "2001:db8::/32")]],
    ["[domain-name:value = 'evil.example']", [ind("domain", "evil.example")]],
    ["[url:value = 'https://evil.example/a?b=c']", [ind("url", "https://evil.example/a?b=c")]],
    ["[email-addr:value = 'ops@evil.example']", [ind("email", "ops@evil.example")]],
    ["[file:hashes.MD5 = 'aa']", [ind("md5", "aa")]],
    ["[file:hashes.'MD5' = 'aa']", [ind("md5", "aa")]],
    ["[file:hashes.'SHA-1' = 'bb']", [ind("sha1", "bb")]],
    ["[file:hashes.SHA1 = 'bb']", [ind("sha1", "bb")]],
    ["[file:hashes.'SHA-256' = 'cc']", [ind("sha256", "cc")]],
    ["[file:hashes.SHA256 = 'cc']", [ind("sha256", "cc")]],
    ["[file:hashes.'SHA-512' = 'dd']", [ind("sha512", "dd")]],
    ["[file:name = 'invoice.exe']", [ind("filename", "invoice.exe")]],
    ["[x509-certificate:hashes.'SHA-1' = 'ee']", [ind("cert-thumbprint", "ee")]],
    ["[x509-certificate:hashes.'SHA-256' = 'ff']", [ind("cert-thumbprint", "ff")]],
    [
      "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Mozilla/5.0']",
      [ind("user-agent", "Mozilla/5.0")],
    ],
    ["[autonomous-system:number = 64500]", [ind("asn", "AS64500")]],
    ["[x-dwell-indicator:value = 'abc' AND x-dwell-indicator:type = 'jarm']", [ind("jarm", "abc")]],
    [
      "[x-dwell-indicator:type = 'ja3' AND x-dwell-indicator:value IN ('a', 'b')]",
      [ind("ja3", "a"), ind("ja3", "b")],
    ],
    // escapes: \' and \\ only
    ["[file:name = 'it\\'s \\\\ here']", [ind("filename", "it's \\ here")]],
    ["[domain-name:value = '']", [ind("domain", "")]],
    // OR and IN give several indicators, in order
    [
      "[ipv4-addr:value = '1.1.1.1' OR ipv4-addr:value = '2.2.2.2'] OR [domain-name:value IN ('a.example', 'b.example')]",
      [
        ind("ipv4", "1.1.1.1"),
        ind("ipv4", "2.2.2.2"),
        ind("domain", "a.example"),
        ind("domain", "b.example"),
      ],
    ],
    [
      "[file:hashes.MD5 = 'aa' AND (file:name = 'x.exe' OR file:hashes.'SHA-256' = 'cc')]",
      [ind("md5", "aa"), ind("filename", "x.exe"), ind("sha256", "cc")],
    ],
    [
      "([url:value = 'http://a.example/'] AND [email-addr:value = 'a@b.example']) FOLLOWEDBY [domain-name:value = 'c.example']",
      [ind("url", "http://a.example/"), ind("email", "a@b.example"), ind("domain", "c.example")],
    ],
    // qualifiers are read and ignored; keywords are case-insensitive; whitespace is free
    [
      "[ipv4-addr:value = '1.1.1.1'] REPEATS 5 TIMES WITHIN 600 SECONDS START t'2024-01-01T00:00:00Z' STOP t'2024-02-01T00:00:00Z'",
      [ind("ipv4", "1.1.1.1")],
    ],
    [
      "  [ domain-name:value='a.example' ]  or [domain-name:value in ('b.example')]",
      [ind("domain", "a.example"), ind("domain", "b.example")],
    ],
  ];
  it.each(cases)("%s", (pattern, expected) => {
    expect(patternToIndicators(pattern)).toEqual(expected);
  });
});

describe("patternToIndicators: broken or unusable patterns", () => {
  const cases: [string, string][] = [
    ["[ipv4-addr:value = '1.2.3.4'", "pattern: expected ']' at position 29 (found the end of the pattern)"],
    [
      "[ipv4-addr:value = '1.2.3.4'] OR",
      "pattern: expected '[' or '(' at position 33 (found the end of the pattern)",
    ],
    ["ipv4-addr:value = '1.2.3.4'", "pattern: expected '[' or '(' at position 1 (found 'ipv4-addr')"],
    ["[ipv4-addr:value = '1.2.3.4]", "pattern: unterminated string opened at position 20"],
    [
      "[file:name = 'a\\nb']",
      "pattern: invalid escape \\n in a string: only \\' and \\\\ are allowed at position 16",
    ],
    [
      "[ipv4-addr:value '1.2.3.4']",
      "pattern: expected a comparison operator at position 18 (found '1.2.3.4')",
    ],
    ["[ipv4-addr = '1.2.3.4']", "pattern: expected ':' at position 12 (found '=')"],
    ["[ipv4-addr:value = ]", "pattern: expected a value at position 20 (found ']')"],
    ["[domain-name:value IN ('a' 'b')]", "pattern: expected ')' at position 28 (found 'b')"],
    [
      "[a:b = 'x'] [c:d = 'y']",
      "pattern: expected AND, OR, FOLLOWEDBY or the end at position 13 (found '[')",
    ],
    [
      "[file:name = 'x'] WITHIN SECONDS",
      "pattern: expected integer or float literal at position 26 (found 'SECONDS')",
    ],
    ["[file:name = 'x' % 2]", "pattern: unexpected character '%' at position 18"],
    ["", "pattern: the pattern is empty"],
    [
      "[file:name LIKE '%.exe']",
      "pattern: operator LIKE is not supported: only = and IN can become indicators",
    ],
    [
      "[file:name MATCHES '^a']",
      "pattern: operator MATCHES is not supported: only = and IN can become indicators",
    ],
    ["[file:size > 5]", "pattern: operator > is not supported: only = and IN can become indicators"],
    ["[file:size <= 5]", "pattern: operator <= is not supported: only = and IN can become indicators"],
    ["[file:name != 'x']", "pattern: operator != is not supported: only = and IN can become indicators"],
    [
      "[file:name NOT = 'x']",
      "pattern: operator NOT = is not supported: only = and IN can become indicators",
    ],
    ["[EXISTS file:name]", "pattern: operator EXISTS is not supported: only = and IN can become indicators"],
    ["[foo:bar = 'x']", "pattern: object path foo:bar cannot become an indicator"],
    [
      "[file:hashes.'SHA3-256' = 'x']",
      "pattern: object path file:hashes.'SHA3-256' cannot become an indicator",
    ],
    [
      "[network-traffic:dst_ref.value = '1.2.3.4']",
      "pattern: object path network-traffic:dst_ref.value cannot become an indicator",
    ],
    [
      "[process:extensions[*].x = 'a']",
      "pattern: object path process:extensions[*].x cannot become an indicator",
    ],
    [
      "[ipv4-addr:value = 1234]",
      "pattern: ipv4-addr:value must be compared with a string at position 2 (found 1234)",
    ],
    [
      "[autonomous-system:number = '64500']",
      "pattern: autonomous-system:number must be compared with a whole number at position 2 (found '64500')",
    ],
    [
      "[x-dwell-indicator:value = 'abc']",
      "pattern: x-dwell-indicator:value needs exactly one x-dwell-indicator:type = '<type word>' in the same [ ] observation",
    ],
    [
      "[x-dwell-indicator:value = 'abc'] AND [x-dwell-indicator:type = 'jarm']",
      "pattern: x-dwell-indicator:value needs exactly one x-dwell-indicator:type = '<type word>' in the same [ ] observation",
    ],
    [
      "[x-dwell-indicator:type = 'jarm']",
      "pattern: x-dwell-indicator:type needs an x-dwell-indicator:value in the same [ ] observation",
    ],
  ];
  it.each(cases)("%s", (pattern, message) => {
    let error: unknown;
    try {
      patternToIndicators(pattern);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StixPatternError);
    expect((error as StixPatternError).message).toBe(message);
  });
});

describe("parseStixPattern", () => {
  it("gives canonical object paths, literal kinds and observation numbers", () => {
    const eqs = parseStixPattern(
      "[file:hashes.'SHA-256' = 'a' AND file:hashes.MD5 = 'b'] OR [autonomous-system:number = 13335]",
    );
    expect(
      eqs.map(({ objectPath, value, literal, observation }) => ({ objectPath, value, literal, observation })),
    ).toEqual([
      { objectPath: "file:hashes.'SHA-256'", value: "a", literal: "string", observation: 0 },
      { objectPath: "file:hashes.MD5", value: "b", literal: "string", observation: 0 },
      { objectPath: "autonomous-system:number", value: "13335", literal: "integer", observation: 1 },
    ]);
  });

  it("keeps list indexes in the path", () => {
    expect(parseStixPattern("[email-message:to_refs[0].value = 'a@b.example']")[0]?.objectPath).toBe(
      "email-message:to_refs[0].value",
    );
  });
});

describe("indicatorToPattern", () => {
  const cases: [string, string, string][] = [
    ["ipv4", "203.0.113.7", "[ipv4-addr:value = '203.0.113.7']"],
    ["ipv6", "2001:db8::1", "[ipv6-addr:value = '2001:db8::1']"],
    ["cidr", "198.51.100.0/24", "[ipv4-addr:value = '198.51.100.0/24']"],
    ["cidr", "2001:db8::/32", "[ipv6-addr:value = '2001:db8::/32']"],
    ["domain", "evil.example", "[domain-name:value = 'evil.example']"],
    ["url", "http://x.example/it's", "[url:value = 'http://x.example/it\\'s']"],
    ["email", "a@b.example", "[email-addr:value = 'a@b.example']"],
    ["md5", "aa", "[file:hashes.MD5 = 'aa']"],
    ["sha1", "bb", "[file:hashes.'SHA-1' = 'bb']"],
    ["sha256", "cc", "[file:hashes.'SHA-256' = 'cc']"],
    ["sha512", "dd", "[file:hashes.'SHA-512' = 'dd']"],
    ["filename", "C:\\x.exe", "[file:name = 'C:\\\\x.exe']"],
    [
      "user-agent",
      "Mozilla/5.0",
      "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Mozilla/5.0']",
    ],
    ["cert-thumbprint", "a".repeat(40), `[x509-certificate:hashes.'SHA-1' = '${"a".repeat(40)}']`],
    ["cert-thumbprint", "b".repeat(64), `[x509-certificate:hashes.'SHA-256' = '${"b".repeat(64)}']`],
    ["asn", "AS64500", "[autonomous-system:number = 64500]"],
    ["jarm", "abc", "[x-dwell-indicator:value = 'abc' AND x-dwell-indicator:type = 'jarm']"],
    ["ja3", "abc", "[x-dwell-indicator:value = 'abc' AND x-dwell-indicator:type = 'ja3']"],
    ["jwt-kid", "k'1", "[x-dwell-indicator:value = 'k\\'1' AND x-dwell-indicator:type = 'jwt-kid']"],
    ["uri-path", "/a/b", "[x-dwell-indicator:value = '/a/b' AND x-dwell-indicator:type = 'uri-path']"],
    ["other", "x", "[x-dwell-indicator:value = 'x' AND x-dwell-indicator:type = 'other']"],
    // values a standard object would not carry back unchanged
    ["ipv4", "10.0.0.1/32", "[x-dwell-indicator:value = '10.0.0.1/32' AND x-dwell-indicator:type = 'ipv4']"],
    ["cidr", "10.0.0.1", "[x-dwell-indicator:value = '10.0.0.1' AND x-dwell-indicator:type = 'cidr']"],
    ["asn", "64500", "[x-dwell-indicator:value = '64500' AND x-dwell-indicator:type = 'asn']"],
    [
      "cert-thumbprint",
      "AB:CD",
      "[x-dwell-indicator:value = 'AB:CD' AND x-dwell-indicator:type = 'cert-thumbprint']",
    ],
  ];
  it.each(cases)("%s %s", (type, value, pattern) => {
    expect(indicatorToPattern(type, value)).toBe(pattern);
    expect(patternToIndicators(pattern)).toEqual([{ type, value }]);
  });

  it("round-trips awkward strings", () => {
    for (const value of ["'", "\\", "\\'", "a'b\\c", "line\nbreak", "] OR [x:y = 'z", "ünïcødé 🚨"]) {
      expect(patternToIndicators(indicatorToPattern("other", value))).toEqual([{ type: "other", value }]);
      expect(patternToIndicators(indicatorToPattern("filename", value))).toEqual([
        { type: "filename", value },
      ]);
    }
  });
});

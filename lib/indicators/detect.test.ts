// Type detection for one refanged token: shapes, hex lengths decided by the line's words, and the
// ordinary words, numbers, versions and dates that must stay null.
import { describe, expect, it } from "vitest";
import { detectIndicatorType } from "./detect.ts";
import type { IndicatorTypeWord } from "./types.ts";

const hex = (length: number) => "0123456789abcdef".repeat(8).slice(0, length);
const THUMB_PAIRS = hex(40).match(/../g)!.join(":");

describe("detectIndicatorType", () => {
  const cases: [string, string | undefined, IndicatorTypeWord | null][] = [
    ["1.2.3.4", undefined, "ipv4"],
    ["10.0.0.300", undefined, "ipv4"],
    ["999.1.1.1", undefined, "ipv4"],
    ["010.1.1.1", undefined, "ipv4"],
    ["1.2.3.4/24", undefined, "cidr"],
    ["10.0.0.0/33", undefined, "cidr"],
    ["2001:db8::/32", undefined, "cidr"],
    ["2001:db8::1", undefined, "ipv6"],
    ["2001:DB8:0:0:0:0:0:1", undefined, "ipv6"],
    ["::1", undefined, "ipv6"],
    ["[2001:db8::1]", undefined, "ipv6"],
    ["https://example.com/a", undefined, "url"],
    ["ftp://files.example.org", undefined, "url"],
    ["http//x", undefined, "url"],
    ["admin@evil-domain.com", undefined, "email"],
    ["ops@example.org", undefined, "email"],
    ["@handle", undefined, null],
    ["user@localhost", undefined, null],
    ["logo@2x.png", undefined, null],
    [hex(32), undefined, "md5"],
    [hex(32), "JA3 hash of the client", "ja3"],
    [hex(32), "ja3s: server fingerprint", "ja3"],
    [hex(40), undefined, "sha1"],
    [hex(40), "Key thumbprint", "cert-thumbprint"],
    [hex(40), "x509 fingerprint", "cert-thumbprint"],
    [hex(40), "run certutil -hashfile", "sha1"],
    [hex(62), undefined, "jarm"],
    [hex(64), undefined, "sha256"],
    [hex(64), "Certificate SHA-256", "cert-thumbprint"],
    [hex(128), undefined, "sha512"],
    [hex(39), "a sha1 of the dropper", "sha1"],
    [hex(39), undefined, null],
    [hex(31), "MD5:", "md5"],
    [hex(66), "hashes below", "sha256"],
    [hex(50), "sha1 and sha256", null],
    ["1234567890123456789012345678901", "md5", null],
    [THUMB_PAIRS, undefined, "cert-thumbprint"],
    ["AS13335", undefined, "asn"],
    ["as13335", undefined, "asn"],
    ["13335", undefined, null],
    ["example.com", undefined, "domain"],
    ["login.micros0ft-online.com", undefined, "domain"],
    ["bücher.de", undefined, "domain"],
    ["example.com.", undefined, "domain"],
    ["exa\u200dmple.com", undefined, "domain"],
    ["evil.exe", undefined, "filename"],
    ["config.php", undefined, "filename"],
    ["report.pdf", undefined, "filename"],
    ["Invoice.PDF.exe", undefined, "filename"],
    ["update.zip", undefined, "filename"],
    ["update.zip", "the domain update.zip resolves to", "domain"],
    ["readme.md", undefined, "filename"],
    ["install.sh", undefined, "filename"],
    ["loader.py", undefined, "filename"],
    ["evil.local", undefined, null],
    ["localhost", undefined, null],
    ["/common/oauth2", undefined, "uri-path"],
    ["/24", undefined, null],
    ["Mozilla/5.0", undefined, "user-agent"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64)", undefined, "user-agent"],
    ["curl/7.68.0", undefined, "user-agent"],
    ["python-requests/2.31.0", undefined, "user-agent"],
    ["HTTP/1.1", undefined, null],
    ["TCP/443", undefined, null],
    ["and/or", undefined, null],
    ["evil.com/path", undefined, null],
    ["the", undefined, null],
    ["2023", undefined, null],
    ["5.0", undefined, null],
    ["v1.2.3", undefined, null],
    ["15.06.2023", undefined, null],
    ["2023-05-15", undefined, null],
    ["e.g", undefined, null],
    ["Node.js", undefined, null],
    ["10:30", undefined, null],
    ["00:1a:2b:3c:4d:5e", undefined, null],
    ["dead", undefined, null],
    ["::", undefined, null],
    ["__proto__", undefined, null],
    ["constructor", undefined, null],
    ["<script>alert(1)</script>", undefined, null],
    ["", undefined, null],
    ["   ", undefined, null],
    ["\u200b\u200d", undefined, null],
  ];

  it.each(cases)("%j (context %j) is %s", (token, context, expected) => {
    expect(detectIndicatorType(token, context)).toBe(expected);
  });

  it("returns null for a megabyte of letters or dots without scanning it as a name", () => {
    expect(detectIndicatorType("a".repeat(1_000_000))).toBeNull();
    expect(detectIndicatorType(".".repeat(1_000_000))).toBeNull();
    expect(detectIndicatorType(hex(40), "sha1 ".repeat(200_000))).toBe("sha1");
  });
});

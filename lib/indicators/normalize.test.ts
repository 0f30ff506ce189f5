// Per-type validation and canonical forms: valid inputs reach their normalized form, invalid ones
// are refused with a message that names the reason, and hostile input never throws.
import { describe, expect, it } from "vitest";
import { normalizeIndicator } from "./normalize.ts";
import { INDICATOR_TYPES, type IndicatorTypeWord } from "./types.ts";

const MD5 = "d41d8cd98f00b204e9800998ecf8427e";
const SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
const SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SHA512 =
  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
const JARM = "2ad2ad0002ad2ad22c2ad2ad2ad2ad2eac92ec34bcc0cf7520e97547f83e81";
const JA3 = "e7d705a3286e19ea42f587b344ee6865";
const SHA1_COLONS = SHA1.toUpperCase().match(/../g)!.join(":");

function normalized(type: IndicatorTypeWord, raw: string): string {
  const result = normalizeIndicator(type, raw);
  if (!result.ok) throw new Error(`${type} ${JSON.stringify(raw)} was refused: ${result.message}`);
  return result.normalized;
}

function refusal(type: IndicatorTypeWord, raw: string): string {
  const result = normalizeIndicator(type, raw);
  if (result.ok) throw new Error(`${type} ${JSON.stringify(raw)} was accepted as ${result.normalized}`);
  return result.message;
}

describe("normalizeIndicator accepts", () => {
  const valid: [IndicatorTypeWord, string, string][] = [
    ["ipv4", "1.2.3.4", "1.2.3.4"],
    ["ipv4", "  8.8.8.8  ", "8.8.8.8"],
    ["ipv4", "0.0.0.0", "0.0.0.0"],
    ["ipv4", "255.255.255.255", "255.255.255.255"],
    ["ipv4", "51.89.156[.]153", "51.89.156.153"],
    ["ipv6", "2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["ipv6", "2001:0db8::0001", "2001:db8::1"],
    ["ipv6", "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["ipv6", "::1", "::1"],
    ["ipv6", "fe80:0:0:0:0:0:0:1", "fe80::1"],
    ["ipv6", "[2001:db8::1]", "2001:db8::1"],
    ["ipv6", "::ffff:192.0.2.1", "::ffff:192.0.2.1"],
    ["ipv6", "::FFFF:C000:0201", "::ffff:192.0.2.1"],
    ["cidr", "10.1.2.3/8", "10.0.0.0/8"],
    ["cidr", "172.16.5.4/12", "172.16.0.0/12"],
    ["cidr", "192.168.1.0/24", "192.168.1.0/24"],
    ["cidr", "1.2.3.4/32", "1.2.3.4/32"],
    ["cidr", "0.0.0.0/0", "0.0.0.0/0"],
    ["cidr", "2001:DB8::1/32", "2001:db8::/32"],
    ["cidr", "2001:db8::1/128", "2001:db8::1/128"],
    ["cidr", "::ffff:10.1.2.3/120", "::ffff:10.1.2.0/120"],
    ["domain", "Example.COM", "example.com"],
    ["domain", "example.com.", "example.com"],
    ["domain", "evil-domain[.]com", "evil-domain.com"],
    ["domain", "login.micros0ft-online.com", "login.micros0ft-online.com"],
    ["domain", "sub.example.co.uk", "sub.example.co.uk"],
    ["domain", "bücher.de", "xn--bcher-kva.de"],
    ["domain", "xn--bcher-kva.de", "xn--bcher-kva.de"],
    ["domain", "_dmarc.example.com", "_dmarc.example.com"],
    ["domain", "attacker.github.io", "attacker.github.io"],
    ["domain", "update.zip", "update.zip"],
    // Fullwidth letters are what a browser maps them to (UTS #46), so they are the same host.
    ["domain", "\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.com", "example.com"],
    ["url", "HTTP://Example.COM", "http://example.com/"],
    ["url", "https://example.com:443/a?b=1#frag", "https://example.com/a?b=1"],
    ["url", "http://example.com:8080/x", "http://example.com:8080/x"],
    ["url", "http://example.com?x", "http://example.com/?x"],
    ["url", "http://example.com/?", "http://example.com/"],
    [
      "url",
      "hxxps://login.micros0ft-online[.]com/common/oauth2",
      "https://login.micros0ft-online.com/common/oauth2",
    ],
    ["url", "http://bücher.de/Path", "http://xn--bcher-kva.de/Path"],
    ["url", "ftp://files.example.org/a.zip", "ftp://files.example.org/a.zip"],
    ["url", "http://1.2.3.4/x", "http://1.2.3.4/x"],
    ["url", "http://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/"],
    ["url", "https://example.com/?b=2&a=1&c=%7e", "https://example.com/?b=2&a=1&c=%7e"],
    ["url", "https://example.com/?q=a'b", "https://example.com/?q=a'b"],
    ["url", "http://user:pass@evil.com/", "http://user:pass@evil.com/"],
    ["url", "https://example.com/a/../b", "https://example.com/b"],
    ["url", "https://example.com/Case/Kept", "https://example.com/Case/Kept"],
    ["email", "Admin@Evil-Domain.COM", "admin@evil-domain.com"],
    ["email", "admin[@]evil-domain[.]com", "admin@evil-domain.com"],
    ["email", "ops(at)example.org", "ops@example.org"],
    ["email", "first.last+tag@example.co.uk", "first.last+tag@example.co.uk"],
    ["email", "user@bücher.de", "user@xn--bcher-kva.de"],
    ["md5", MD5.toUpperCase(), MD5],
    ["sha1", SHA1, SHA1],
    ["sha256", ` ${SHA256.toUpperCase()} `, SHA256],
    ["sha512", SHA512, SHA512],
    ["jarm", JARM, JARM],
    ["ja3", JA3, JA3],
    ["cert-thumbprint", SHA1.toUpperCase(), SHA1],
    ["cert-thumbprint", SHA256, SHA256],
    ["cert-thumbprint", SHA1_COLONS, SHA1],
    ["user-agent", "Mozilla/5.0   (X11;  Linux x86_64)", "Mozilla/5.0 (X11; Linux x86_64)"],
    ["user-agent", "curl/7.68.0", "curl/7.68.0"],
    ["jwt-kid", "abc-123_XYZ", "abc-123_XYZ"],
    ["jwt-kid", "2011-04-29", "2011-04-29"],
    ["uri-path", "/common/oauth2", "/common/oauth2"],
    ["uri-path", "/Admin/Login.php?x=1", "/Admin/Login.php?x=1"],
    ["filename", "Invoice.PDF.exe", "invoice.pdf.exe"],
    ["filename", "setup (1).exe", "setup (1).exe"],
    // A right-to-left override in a file name is the attack, so it is kept.
    ["filename", "invoice\u202efdp.exe", "invoice\u202efdp.exe"],
    ["asn", "AS13335", "AS13335"],
    ["asn", "13335", "AS13335"],
    ["asn", "as 64512", "AS64512"],
    ["asn", "ASN15169", "AS15169"],
    ["asn", "AS007", "AS7"],
    ["asn", "AS0", "AS0"],
    ["asn", "4294967295", "AS4294967295"],
    ["other", "  anything goes here  ", "anything goes here"],
    ["other", "__proto__", "__proto__"],
    ["other", "<script>alert(1)</script>", "<script>alert(1)</script>"],
  ];

  it.each(valid)("%s %j as %j", (type, raw, expected) => {
    expect(normalized(type, raw)).toBe(expected);
  });

  it("keeps the refanged, trimmed value as entered", () => {
    expect(normalizeIndicator("domain", "  Evil[.]COM ")).toEqual({
      ok: true,
      value: "Evil.COM",
      normalized: "evil.com",
    });
  });
});

describe("normalizeIndicator refuses", () => {
  const invalid: [IndicatorTypeWord, string, string][] = [
    ["ipv4", "10.0.0.300", "300 is out of range"],
    ["ipv4", "999.1.1.1", "999 is out of range"],
    ["ipv4", "010.1.1.1", "leading zero"],
    ["ipv4", "1.2.3", "this one has 3"],
    ["ipv4", "1.2.3.4.5", "this one has 5"],
    ["ipv4", "1..2.3", "empty number"],
    ["ipv4", "0x7f.0.0.1", "not a decimal number"],
    ["ipv4", "\uff11.\uff12.\uff13.\uff14", "not a decimal number"],
    ["ipv4", "1.2.3.4/24", "CIDR range"],
    ["ipv4", "1.2.3.4:80", "no port"],
    ["ipv4", "1.2.3. 4", "whitespace"],
    ["ipv4", "1.2.3.4.5.6.7.8.9", "at most 15 characters"],
    ["ipv4", "1.2.3.4\u200b", "invisible"],
    ["ipv4", "1.2.3.4\u0000", "control character U+0000"],
    ["ipv4", "", "empty"],
    ["ipv4", "   ", "empty"],
    ["ipv6", "2001:db8::1::2", "only once"],
    ["ipv6", "2001:db8:12345::1", "more than four"],
    ["ipv6", "2001:db8::g", "cannot contain 'g'"],
    ["ipv6", "fe80::1%eth0", "zone index"],
    ["ipv6", "1:2:3:4:5:6:7", "eight groups"],
    ["ipv6", "2001:db8::/32", "CIDR range"],
    ["ipv6", "1.2.3.4", "colons"],
    ["cidr", "10.0.0.0", "needs a '/prefix'"],
    ["cidr", "10.0.0.0/33", "/33 is too long"],
    ["cidr", "2001:db8::/129", "/129 is too long"],
    ["cidr", "10.0.0.0/a", "must be a number"],
    ["cidr", "10.0.0.0/08", "leading zero"],
    ["cidr", "10.0.0.300/8", "300 is out of range"],
    ["cidr", "10.0.0.0/8/8", "only one '/'"],
    ["domain", "http//x", "no path"],
    ["domain", "localhost", "at least two labels"],
    ["domain", "evil", "at least two labels"],
    ["domain", "1.2.3.4", "IP address"],
    ["domain", "2001:db8::1", "IP address"],
    ["domain", "evil.local", "'.local' is not a public top-level domain"],
    ["domain", "dc01.corp.internal", "not a public top-level domain"],
    ["domain", "config.php", "'.php' is not a public top-level domain"],
    ["domain", "exa\u200dmple.com", "invisible or text-direction character U+200D"],
    ["domain", "evil\u202ecom.exe", "invisible or text-direction character U+202E"],
    ["domain", "a..b.com", "empty label"],
    ["domain", "-evil.com", "starts or ends with '-'"],
    ["domain", `${"a".repeat(64)}.com`, "longer than 63 characters"],
    ["domain", `${"abcdefghi.".repeat(24)}abcdefghij.com`, "at most 253 characters"],
    ["domain", `${"abcdefghi.".repeat(30)}com`, "at most 254 characters"],
    ["domain", "*.evil.com", "wildcards"],
    ["domain", "evil.com:443", "no port"],
    ["domain", "co.uk", "public suffix"],
    ["domain", "ex!ample.com", "characters other than letters"],
    ["domain", "http://evil.com", "this is a URL"],
    ["domain", "user@evil.com", "'@'"],
    ["domain", "evil.123", "cannot end in a number"],
    ["domain", "xn--zz.com", "not a valid internationalized domain name"],
    ["domain", "evil\ud800.com", "unpaired surrogate"],
    ["url", "hxxp//x", "missing ':' after the scheme"],
    ["url", "http//evil.com/x", "missing ':' after the scheme"],
    ["url", "evil.com/path", "needs a scheme"],
    ["url", "javascript:alert(1)", "the scheme 'javascript' is not supported"],
    ["url", "file:///etc/passwd", "the scheme 'file' is not supported"],
    ["url", "http:/evil.com", "missing '//' after 'http:'"],
    ["url", "http:\\\\evil.com", "missing '//' after 'http:'"],
    ["url", "http://evil.com\\x", "backslash"],
    ["url", "http://", "not a valid URL"],
    ["url", "http://evil.com:99999/", "not a valid URL"],
    ["url", "http://evil.local/x", "the host is not valid: '.local' is not a public top-level domain"],
    ["url", "http://intranet/", "the host is not valid"],
    ["url", "http://a b.com", "whitespace"],
    ["url", "http://exa\u200bmple.com/", "invisible"],
    ["url", `https://example.com/${"a".repeat(9000)}`, "at most 8192 characters"],
    ["email", "admin", "needs an '@'"],
    ["email", "a@b@c.com", "exactly one '@'"],
    ["email", "@evil.com", "nothing before '@'"],
    ["email", "admin@", "nothing after '@'"],
    ["email", "ad min@evil.com", "whitespace"],
    ["email", "a..b@evil.com", "misplaced dot"],
    ["email", "admin@evil", "the domain is not valid"],
    ["email", '"quoted"@evil.com', "unquoted"],
    ["email", `${"a".repeat(65)}@evil.com`, "at most 64 characters"],
    [
      "sha1",
      "d4b4cccda9228624656bff33d8110955779632a",
      "a SHA-1 hash has 40 hexadecimal characters; this one has 39",
    ],
    ["md5", MD5.slice(1), "an MD5 hash has 32 hexadecimal characters; this one has 31"],
    ["sha256", `${SHA256.slice(1)}g`, "'g' is not a hexadecimal digit"],
    ["sha512", SHA256, "this one has 64"],
    ["jarm", `${JARM}0`, "a JARM fingerprint has 62 hexadecimal characters"],
    ["jarm", "0".repeat(62), "all-zero JARM"],
    ["ja3", "771,4865-4866-4867,0-23-65281,29-23-24,0", "raw JA3 string"],
    ["ja3", SHA1, "this one has 40"],
    ["cert-thumbprint", MD5, "40 (SHA-1) or 64 (SHA-256)"],
    ["cert-thumbprint", "AB:CD:E", "colons must separate pairs"],
    ["md5", `0x${MD5}`, "'x' is not a hexadecimal digit"],
    ["md5", `${MD5.slice(1)}\u00e9`, "U+00E9 is not a hexadecimal digit"],
    ["sha1", `${SHA1.slice(0, 20)} ${SHA1.slice(20)}`, "whitespace"],
    ["user-agent", "x".repeat(1025), "at most 1024 characters"],
    ["user-agent", "Mozilla/5.0\t(X11)", "control character U+0009"],
    ["user-agent", "Mozilla/5.0 \u202e(X11)", "invisible"],
    ["jwt-kid", "a b", "whitespace"],
    ["jwt-kid", "k".repeat(257), "at most 256 characters"],
    ["uri-path", "common/oauth2", "must start with '/'"],
    ["uri-path", "//evil.com/x", "'//'"],
    ["uri-path", "https://evil.com/x", "full URL"],
    ["uri-path", "/a b", "whitespace"],
    ["filename", "C:\\Users\\evil.exe", "cannot contain '/' or '\\'"],
    ["filename", "../evil.exe", "cannot contain '/'"],
    ["filename", "..", "not file names"],
    ["filename", `${"f".repeat(252)}.exe`, "at most 255 characters"],
    ["filename", "evil\u0001.exe", "control character U+0001"],
    ["asn", "AS4294967296", "at most 4294967295"],
    ["asn", "AS99999999999999999999", "at most 4294967295"],
    ["asn", "ASX", "not an AS number"],
    ["asn", "-5", "not an AS number"],
    ["asn", "AS1.10", "asdot"],
    ["other", "a\u0000b", "control character U+0000"],
    ["other", "o".repeat(2049), "at most 2048 characters"],
    ["other", "", "empty"],
  ];

  it.each(invalid)("%s %j because of %j", (type, raw, reason) => {
    expect(refusal(type, raw)).toContain(reason);
  });
});

describe("normalizeIndicator with hostile input", { timeout: 30_000 }, () => {
  const hostile = [
    "__proto__",
    "constructor",
    "<script>alert(document.cookie)</script>",
    "\u202e\u2066evil.com\u2069",
    "e\u200dv\u200ci\u200bl.com",
    "\ud800\udc00\udfff",
    "\u0000\u0001\u007f\u0085",
    "a".repeat(1_000_000),
    ".".repeat(1_000_000),
    ":".repeat(100_000),
    "[.]".repeat(100_000),
    Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919 + 13) % 256)).join(""),
  ];

  it("refuses a pasted megabyte by its length without scanning it", () => {
    expect(refusal("md5", "a".repeat(1_000_000))).toBe(
      "an MD5 hash has 32 hexadecimal characters; this one has 1000000",
    );
    expect(refusal("domain", "[.]".repeat(1_000_000))).toContain("at most 254 characters");
    expect(refusal("other", `  ${"x".repeat(2049)}  `)).toContain("this one has 2049");
  });

  it("never throws and answers with one short line", () => {
    for (const type of INDICATOR_TYPES) {
      for (const raw of hostile) {
        const result = normalizeIndicator(type, raw);
        if (!result.ok) {
          expect(result.message).not.toMatch(/\n|Error|\bat .*:\d+/);
          expect(result.message.length).toBeLessThan(200);
        }
      }
    }
  });
});

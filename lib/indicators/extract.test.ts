// Extraction from pasted advisories: realistic samples, line numbering, deduplication, broken
// indicators reported as problems, ordinary prose ignored, and hostile input that must not throw.
import { describe, expect, it } from "vitest";
import { extractIndicators } from "./extract.ts";
import { normalizeIndicator } from "./normalize.ts";
import { INDICATOR_TYPES } from "./types.ts";

const SHA1_39 = "d4b4cccda9228624656bff33d8110955779632a";
const UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36";

const ADVISORY = [
  "| IP address | First seen |",
  "|---|---|",
  "| 51.89.156[.]153 | 2023-05-15 |",
  "* hxxps://login.micros0ft-online[.]com/common/oauth2",
  `- "${UA}"`,
  "JARM: 2ad2ad0002ad2ad22c2ad2ad2ad2ad2eac92ec34bcc0cf7520e97547f83e81",
  "Key thumbprint d4b4cccda9228624656bff33d8110955779632aa",
  `Also 10.0.0.300 and 999.1.1.1 and a sha1 ${SHA1_39} (39 chars)`,
  "Contacts: admin[@]evil-domain[.]com, ops(at)example.org; 2001:DB8:0:0:0:0:0:1",
  "The phishing page login.micros0ft-online[.]com was also seen at hxxp//x in the dot com era.",
].join("\n");

/** [line, type, normalized] triples: the shape most assertions care about. */
function found(text: string, options?: { maxLineLength?: number }) {
  return extractIndicators(text, options).indicators.map((i) => [i.line, i.type, i.normalized]);
}

describe("extractIndicators on an advisory", () => {
  const result = extractIndicators(ADVISORY);

  it("finds every indicator once, in order, with its line", () => {
    expect(result.indicators.map((i) => [i.line, i.type, i.normalized])).toEqual([
      [3, "ipv4", "51.89.156.153"],
      [4, "url", "https://login.micros0ft-online.com/common/oauth2"],
      [5, "user-agent", UA],
      [6, "jarm", "2ad2ad0002ad2ad22c2ad2ad2ad2ad2eac92ec34bcc0cf7520e97547f83e81"],
      [7, "cert-thumbprint", "d4b4cccda9228624656bff33d8110955779632aa"],
      [9, "email", "admin@evil-domain.com"],
      [9, "email", "ops@example.org"],
      [9, "ipv6", "2001:db8::1"],
      [10, "domain", "login.micros0ft-online.com"],
    ]);
  });

  it("keeps what was pasted as raw and the refanged text as value", () => {
    const byType = new Map(result.indicators.map((i) => [i.normalized, i]));
    expect(byType.get("51.89.156.153")).toMatchObject({ raw: "51.89.156[.]153", value: "51.89.156.153" });
    expect(byType.get("admin@evil-domain.com")).toMatchObject({ raw: "admin[@]evil-domain[.]com" });
    expect(byType.get("2001:db8::1")).toMatchObject({
      raw: "2001:DB8:0:0:0:0:0:1",
      value: "2001:DB8:0:0:0:0:0:1",
    });
    expect(byType.get(UA)).toMatchObject({ raw: UA, value: UA });
  });

  it("reports the broken indicators with their reason and ignores the prose", () => {
    expect(result.problems).toEqual([
      { line: 8, value: "10.0.0.300", message: expect.stringContaining("300 is out of range") },
      { line: 8, value: "999.1.1.1", message: expect.stringContaining("999 is out of range") },
      { line: 8, value: SHA1_39, message: "a SHA-1 hash has 40 hexadecimal characters; this one has 39" },
      { line: 10, value: "hxxp//x", message: expect.stringContaining("missing ':' after the scheme") },
    ]);
  });

  it("normalizes exactly as normalizeIndicator does", () => {
    for (const indicator of result.indicators) {
      expect(normalizeIndicator(indicator.type, indicator.value)).toMatchObject({
        ok: true,
        normalized: indicator.normalized,
      });
    }
  });
});

describe("extractIndicators on pasted shapes", () => {
  const cases: [string, string, [number, string, string][]][] = [
    [
      "one per line",
      "1.2.3.4\nevil[.]com\n\nAS13335",
      [
        [1, "ipv4", "1.2.3.4"],
        [2, "domain", "evil.com"],
        [4, "asn", "AS13335"],
      ],
    ],
    [
      "CRLF and lone CR line breaks",
      "x\r\n1.2.3.4\r5.6.7.8\n9.9.9.9",
      [
        [2, "ipv4", "1.2.3.4"],
        [3, "ipv4", "5.6.7.8"],
        [4, "ipv4", "9.9.9.9"],
      ],
    ],
    [
      "a quoted CSV line",
      '"1.2.3.4","evil.com",2023-01-01,"ok"',
      [
        [1, "ipv4", "1.2.3.4"],
        [1, "domain", "evil.com"],
      ],
    ],
    [
      "comma and semicolon lists without spaces",
      "1.2.3.4,5.6.7.8;9.9.9.9",
      [
        [1, "ipv4", "1.2.3.4"],
        [1, "ipv4", "5.6.7.8"],
        [1, "ipv4", "9.9.9.9"],
      ],
    ],
    [
      "numbered and bulleted lists",
      "1. evil[.]com\n2) `8.8.8.8`\n  - **bad.example.net**",
      [
        [1, "domain", "evil.com"],
        [2, "ipv4", "8.8.8.8"],
        [3, "domain", "bad.example.net"],
      ],
    ],
    [
      "sentence punctuation",
      "Traffic went to evil.com. Then (via 1.2.3.4), to “x.example.org”!",
      [
        [1, "domain", "evil.com"],
        [1, "ipv4", "1.2.3.4"],
        [1, "domain", "x.example.org"],
      ],
    ],
    [
      "a URL whose host is also written alone",
      "evil.com served hxxp://evil[.]com/a.exe",
      [[1, "url", "http://evil.com/a.exe"]],
    ],
    [
      "the same host on another line is kept",
      "hxxp://evil[.]com/a\nevil.com",
      [
        [1, "url", "http://evil.com/a"],
        [2, "domain", "evil.com"],
      ],
    ],
    [
      "duplicates keep the first",
      "1.2.3[.]4\n1.2.3.4\nEVIL.com evil.com.",
      [
        [1, "ipv4", "1.2.3.4"],
        [3, "domain", "evil.com"],
      ],
    ],
    [
      "markdown links",
      "[evil.com](hxxps://evil[.]com/login) and [docs](https://docs.example.org/a_(b))",
      [
        [1, "url", "https://evil.com/login"],
        [1, "url", "https://docs.example.org/a_(b)"],
      ],
    ],
    [
      "host:port, bracketed IPv6 and scheme-less paths",
      "51.89.156.153:443 [2001:db8::2]:8443 evil.org/x.php c2.example.net:8080",
      [
        [1, "ipv4", "51.89.156.153"],
        [1, "ipv6", "2001:db8::2"],
        [1, "domain", "evil.org"],
        [1, "domain", "c2.example.net"],
      ],
    ],
    [
      "labels glued to values",
      "ip=1.2.3.4 md5:d41d8cd98f00b204e9800998ecf8427e url=hxxp://a.example.com/",
      [
        [1, "ipv4", "1.2.3.4"],
        [1, "md5", "d41d8cd98f00b204e9800998ecf8427e"],
        [1, "url", "http://a.example.com/"],
      ],
    ],
    [
      "a Windows path gives its file name",
      "Dropped C:\\Users\\Public\\Update.EXE and config.php",
      [
        [1, "filename", "update.exe"],
        [1, "filename", "config.php"],
      ],
    ],
    [
      "JA3 and thumbprint decided by the line",
      "JA3: e7d705a3286e19ea42f587b344ee6865\nCertificate SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      [
        [1, "ja3", "e7d705a3286e19ea42f587b344ee6865"],
        [2, "cert-thumbprint", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      ],
    ],
    [
      "an unquoted user agent stops where its grammar does",
      "The actor used curl/7.68.0 to fetch it, then Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/115.0 was seen.",
      [
        [1, "user-agent", "curl/7.68.0"],
        [1, "user-agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/115.0"],
      ],
    ],
    [
      "a user agent in a table cell",
      "| Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0 Mobile Safari/537.36 | 2023 |",
      [
        [
          1,
          "user-agent",
          "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0 Mobile Safari/537.36",
        ],
      ],
    ],
    [
      "a single-quoted user agent",
      "ua='python-requests/2.31.0 (custom; build 7)'",
      [[1, "user-agent", "python-requests/2.31.0 (custom; build 7)"]],
    ],
    [
      "CIDR and paths",
      "Block 10.1.2.3/8 and watch /wp-admin/admin-ajax.php",
      [
        [1, "cidr", "10.0.0.0/8"],
        [1, "uri-path", "/wp-admin/admin-ajax.php"],
      ],
    ],
  ];

  it.each(cases)("%s", (_name, text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});

describe("extractIndicators ignores ordinary text", () => {
  const quiet = [
    "The 2023 report, version 5.0, dated 15.06.2023, see [1] and the dot com era.",
    "Chrome 114 on Windows 10; HTTP/1.1 over TCP/443 and/or UDP/53 at 10:30 UTC.",
    "Built with Node.js and ASP.NET, e.g. v1.2.3, i.e. nothing; at (at) least 3 hosts.",
    "|---|:---:|---|",
    "MAC 00:1a:2b:3c:4d:5e, ticket #12345, cost $1,234.56, 50% (n=7).",
    "constructor __proto__ toString hasOwnProperty valueOf prototype",
  ];
  it.each(quiet.map((line) => [line]))("%j", (line) => {
    expect(extractIndicators(line)).toEqual({ indicators: [], problems: [] });
  });
});

describe("extractIndicators problems", () => {
  it.each([
    ["broken URL", "see hxxp//x", "hxxp//x", "missing ':'"],
    ["CIDR prefix too long", "block 10.0.0.0/33", "10.0.0.0/33", "/33 is too long"],
    ["leading zero", "host 010.1.1.1", "010.1.1.1", "leading zero"],
    ["zero-width joiner in a domain", "c2 exa\u200dmple.com", "exa\u200dmple.com", "U+200D"],
    ["AS number too large", "AS99999999999", "AS99999999999", "at most 4294967295"],
    [
      "truncated MD5",
      "MD5 d41d8cd98f00b204e9800998ecf8427",
      "d41d8cd98f00b204e9800998ecf8427",
      "this one has 31",
    ],
  ])("reports a %s", (_name, text, value, reason) => {
    const { indicators, problems } = extractIndicators(text);
    expect(indicators).toEqual([]);
    expect(problems).toEqual([{ line: 1, value, message: expect.stringContaining(reason) }]);
  });

  it("skips a line longer than the limit with one problem", () => {
    const text = `1.2.3.4\n${"a".repeat(100_001)}\n5.6.7.8`;
    const { indicators, problems } = extractIndicators(text);
    expect(indicators.map((i) => i.line)).toEqual([1, 3]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      line: 2,
      message: "line is longer than 100000 characters, so it was skipped",
    });
    expect(problems[0]?.value.length).toBeLessThanOrEqual(40);
    expect(extractIndicators("evil.com 1.2.3.4", { maxLineLength: 10 }).problems).toHaveLength(1);
  });
});

// A generous timeout for megabyte inputs on a busy machine; nothing asserts on elapsed time.
describe("extractIndicators with hostile input", { timeout: 30_000 }, () => {
  /** Deterministic bytes, decoded as Latin-1 the way a mis-pasted binary arrives. */
  function garbage(length: number, seed: number): string {
    let state = seed;
    let out = "";
    for (let i = 0; i < length; i++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      out += String.fromCharCode(state % 256);
    }
    return out;
  }

  const big = { maxLineLength: 2_000_000 };
  const hostile: [string, string][] = [
    ["a megabyte of letters", "a".repeat(1_000_000)],
    ["a megabyte of dots", ".".repeat(1_000_000)],
    ["a megabyte of defanged dots", "[.]".repeat(350_000)],
    ["many short dotted tokens", "ab.c ".repeat(40_000)],
    ["unclosed quotes and user agents", '"Mozilla/5.0 ('.repeat(70_000)],
    ["unclosed parentheses after user agents", "curl/7.1 (".repeat(100_000)],
    ["many markdown joints", "](".repeat(4000)],
    ["binary garbage", garbage(200_000, 42)],
    ["binary garbage lines", Array.from({ length: 200 }, (_, i) => garbage(500, i)).join("\n")],
    ["right-to-left overrides", "\u202e1.2.3.4\u202c evil\u202e.com \u2066hxxp://x[.]com\u2069"],
    ["script tags", "<script>alert('1.2.3.4')</script><img src=x onerror=alert(1)>"],
    ["prototype keys", "__proto__ constructor __proto__.com __proto__@evil.com"],
    ["lone surrogates", "\ud800 evil.com \udfff 1.2.3.4\ud800"],
  ];

  it.each(hostile)("survives %s", (_name, text) => {
    const { indicators, problems } = extractIndicators(text, big);
    const lines = text.split(/\r\n|\r|\n/).length;
    for (const indicator of indicators) {
      expect(INDICATOR_TYPES).toContain(indicator.type);
      expect(indicator.line).toBeGreaterThanOrEqual(1);
      expect(indicator.line).toBeLessThanOrEqual(lines);
    }
    for (const problem of problems) {
      expect(problem.value.length).toBeLessThanOrEqual(200);
      expect(problem.message).not.toMatch(/\n|Error|\bat .*:\d+/);
    }
  });

  it("keeps a right-to-left override inside a file name, where it is the attack", () => {
    expect(found("attachment invoice\u202efdp.exe")).toEqual([[1, "filename", "invoice\u202efdp.exe"]]);
  });

  it("does not turn prototype keys into indicators", () => {
    const { indicators } = extractIndicators("__proto__ constructor toString\n__proto__@evil.com");
    expect(indicators.map((i) => i.normalized)).toEqual(["__proto__@evil.com"]);
  });
});

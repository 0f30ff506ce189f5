// Hostile input for the property test of every mutating endpoint (e2e/hostile-input.spec.ts and
// test/hostile-input.int.test.ts): strings that attack renderers, parsers and databases, and bodies
// that attack the JSON layer itself (depth, prototype keys, wrong types, huge arrays, invalid UTF-8,
// non-JSON, wrong content types). Pure: fast-check arbitraries and a few fixed values.
import fc from "fast-check";

/** The classic polyglot: breaks out of attributes, comments, style, title, textarea and script. */
export const XSS_POLYGLOT =
  "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e";

/** Markup and markdown that executes script if any renderer lets it through. */
export const XSS_STRINGS: readonly string[] = [
  XSS_POLYGLOT,
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "<svg/onload=alert(1)>",
  "<iframe src=javascript:alert(1)></iframe>",
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](javascript&#58;alert(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "![x](javascript:alert(1))",
  '<a href="javascript:alert(1)">x</a>',
  "<details open ontoggle=alert(1)>",
  '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
  "<style>*{background:url(javascript:alert(1))}</style>",
  "{{constructor.constructor('alert(1)')()}}",
  "${alert(1)}",
  "javascript:alert(1)",
  "<!--<img src=x onerror=alert(1)>-->",
  "<base href=javascript:alert(1)//>",
  '<form action="javascript:alert(1)"><button>x</button></form>',
];

/** Direction overrides, zero-width and other invisible characters that spoof or hide text. */
export const UNICODE_STRINGS: readonly string[] = [
  "\u202Egnp.exe",
  "admin\u202E\u2066evil\u2069",
  "a\u200Bb\u200Cc\u200Dd\u2060e",
  "\uFEFFleading bom",
  "trailing bom\uFEFF",
  "\u200B",
  "\u00A0\u2003\u3000",
  "Zalgo Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357",
  "emoji 😀👩‍👩‍👧‍👦🏳️‍🌈 🇺🇸",
  "\uD83D\uDE00 pair",
  "ＦＵＬＬＷＩＤＴＨ ｓｃｒｉｐｔ",
  "ı İ ß ﬁ",
  "مرحبا بالعالم",
  "\u0000",
  "nul\u0000byte",
  "bell\u0007 and escape\u001b[31m",
  "c1\u0085control",
  "lone high \uD800 surrogate",
  "lone low \uDC00 surrogate",
  "\uDBFF",
  "\r\nwindows\r\nlines\r\n",
  "tab\tand\nnewline",
  "%00",
  "%0d%0aSet-Cookie: x=1",
  "\uFFFE\uFFFF",
];

/** Database and interpreter metacharacters. */
export const INJECTION_STRINGS: readonly string[] = [
  "'; DROP TABLE timeline_event;--",
  "' OR '1'='1",
  '" OR "1"="1',
  "1; SELECT pg_sleep(10)--",
  "%' OR 1=1 --",
  "\\'; --",
  "$$; DROP TABLE incident; $$",
  "E'\\x00'",
  "\\x00\\u0000",
  "%s%s%s%n",
  "../../../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "=cmd|' /C calc'!A0",
  "+SUM(1+1)",
  "@SUM(1+1)",
  "-2+3",
  '{"$ne": null}',
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "null",
  "undefined",
  "NaN",
  "true",
  "[]",
  "{}",
];

export const HOSTILE_STRINGS: readonly string[] = [...XSS_STRINGS, ...UNICODE_STRINGS, ...INJECTION_STRINGS];

/** A megabyte of text (above every field's limit; the whole JSON body then passes the 1 MB cap). */
export const ONE_MB = "A".repeat(1_048_576);

/** A string field's hostile value: a fixed attack, random text with attacks inside, or a huge string. */
export const hostileString = (options: { allowHuge?: boolean } = {}): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.string({ maxLength: 12 }),
          fc.constantFrom(...HOSTILE_STRINGS),
          fc.string({ maxLength: 12 }),
        )
        .map(([a, b, c]) => `${a}${b}${c}`),
    },
    {
      weight: 3,
      arbitrary: fc
        .array(fc.constantFrom(...HOSTILE_STRINGS), { minLength: 2, maxLength: 4 })
        .map((parts) => parts.join(" ")),
    },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    {
      weight: options.allowHuge === false ? 0 : 1,
      arbitrary: fc.constantFrom(ONE_MB, "x".repeat(20_001), "é".repeat(5001), "😀".repeat(600)),
    },
  );

/** A hostile value that is usually a string but sometimes the wrong type altogether. */
export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 8, arbitrary: hostileString() },
    {
      weight: 2,
      arbitrary: fc.constantFrom<unknown>(
        null,
        true,
        0,
        -1,
        1e308,
        -0,
        2 ** 53 + 1,
        [],
        {},
        ["<script>alert(1)</script>"],
        { __proto__: null, polluted: 1 },
        { toString: "x" },
      ),
    },
  );

/** `depth` levels of nested arrays or objects, as JSON text (too deep for any recursive walker). */
export function deepJson(depth: number, kind: "array" | "object"): string {
  return kind === "array"
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** JSON text of `template` with `key` set (as an own key of the parsed object) to `value`. */
export function withRawKey(template: Record<string, unknown>, key: string, value: unknown): string {
  const base = JSON.stringify(template);
  const inner = base === "{}" ? "" : `,${base.slice(1, -1)}`;
  return `{${JSON.stringify(key)}:${JSON.stringify(value)}${inner}}`;
}

/** Keys that pollute prototypes when a server merges a parsed body into an object. */
export const PROTOTYPE_BODIES = (template: Record<string, unknown>): string[] => [
  withRawKey(template, "__proto__", { polluted: "yes", isAdmin: true }),
  withRawKey(template, "constructor", { prototype: { polluted: "yes" } }),
  withRawKey(template, "prototype", { polluted: "yes" }),
  withRawKey({}, "__proto__", { ...template, polluted: "yes" }),
  `{"a":{"__proto__":{"polluted":"yes"}},"b":[{"constructor":{"prototype":{"polluted":"yes"}}}]}`,
  JSON.stringify(template).replace(/^\{/, '{"__proto__":{"toString":1,"valueOf":1,"hasOwnProperty":1},'),
];

/** Bytes that are not UTF-8, each embedded in a JSON string (or the body itself). */
export const INVALID_UTF8: readonly number[][] = [
  [0xc3, 0x28], // a two-byte lead followed by ASCII
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0xaf], // overlong "/"
  [0xe0, 0x80, 0xaf], // overlong, three bytes
  [0xed, 0xa0, 0x80], // an encoded surrogate (U+D800)
  [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  [0xe2, 0x82], // truncated
  [0x80, 0x80],
];

/** A JSON body whose string `field` carries raw invalid bytes. */
export function invalidUtf8Body(
  template: Record<string, unknown>,
  field: string,
  bytes: readonly number[],
): Uint8Array {
  const marker = "\u0001INVALID\u0001";
  const text = JSON.stringify({ ...template, [field]: `x${marker}y` });
  const [before, after] = text.split(JSON.stringify(marker).slice(1, -1));
  return Buffer.concat([Buffer.from(before ?? ""), Buffer.from(bytes), Buffer.from(after ?? "")]);
}

/** Bodies that are not JSON, or JSON of the wrong shape altogether. */
export const NOT_JSON: readonly string[] = [
  "hello",
  "{",
  "[1,2",
  '{"a":1}garbage',
  "{'single':'quotes'}",
  '{"a":01}',
  '{"a":1,}',
  "\u0000",
  "\uFEFF{}",
  "null",
  "[]",
  "true",
  "0",
  "1e999",
  '"just a string"',
  "[{}]",
  '{"":""}',
  " ",
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  "a=1&b=2",
  '--boundary\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--boundary--',
];

export const WRONG_CONTENT_TYPES: readonly (string | null)[] = [
  null,
  "text/plain",
  "text/html",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=boundary",
  "application/xml",
  "application/octet-stream",
  "application/json; charset=utf-16",
  "application/jsonx",
  "APPLICATION/JSON",
  "*/*",
];

/** Path segments that stand in for a record id. */
export const HOSTILE_IDS: readonly string[] = [
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "not-a-uuid",
  "1",
  "-1",
  "' OR 1=1 --",
  "..",
  "%2e%2e%2f%2e%2e%2f",
  "%00",
  "<script>alert(1)</script>",
  "x".repeat(5000),
  "\u202E\u200B",
  "__proto__",
  "constructor",
  "9223372036854775808",
  "00000000-0000-4000-8000-00000000000G",
];

// Export records covering every indicator type and the awkward text a file format must carry
// (quotes, commas, line breaks, backslashes, unicode, spreadsheet formulas). Shared by the tests.
import type { ExportIndicator, TlpKey } from "./records.ts";

export const INCIDENT_ID = "0b7c8f8e-3f0a-4c59-9d3e-2d7e0f1c2a11";

const TLPS: TlpKey[] = ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"];

const rows: [type: string, value: string, extra?: Partial<ExportIndicator>][] = [
  ["ipv4", "203.0.113.7", { description: 'C2, seen "twice"', techniqueIds: ["T1071.001"] }],
  ["ipv6", "2001:db8::1"],
  ["cidr", "198.51.100.0/24", { source: "https://www.cisa.gov/advisories/aa24-038a?x=1&y='2'" }],
  ["cidr", "2001:db8:abcd::/48"],
  ["domain", "evil.example", { description: "line one\nline two\r\nline three", confidence: 0 }],
  ["domain", "bücher.example", { description: "攻撃 🚨 naïve — “quotes”", confidence: 100 }],
  ["url", "https://evil.example/a,b?q='x'&y=\"z\"", { source: "vendor report, page 4" }],
  ["email", "ops@evil.example", { techniqueIds: ["T1566", "T1566.001", "T1059.001"] }],
  ["md5", "44d88612fea8a8f36de82e1278abb02f"],
  ["sha1", "3395856ce81f2b7382dee72602f798b642f14140"],
  ["sha256", "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"],
  [
    "sha512",
    "cc805d5fab1fd71a4ab352a9c533e65fb2d5b885518f4e565e68847223b8e6b85cb48f3afad842726d99239c9e36505c64b0dc9a061d9e507d833277ada336ab",
  ],
  ["jarm", "27d40d40d29d40d1dc42d43d00041d4689ee210389f4f6b4b5b1b93f92252d"],
  ["ja3", "e7d705a3286e19ea42f587b344ee6865", { confidence: 55 }],
  ["user-agent", 'Mozilla/5.0 (Windows NT 10.0; "quoted"; back\\slash) it\'s'],
  ["cert-thumbprint", "a9993e364706816aba3e25717850c26c9cd0d89d"],
  ["cert-thumbprint", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ["jwt-kid", "kid-'quoted'\\x"],
  ["uri-path", "/wp-admin/admin-ajax.php?action=x"],
  ["filename", 'invoice, final "v2".exe', { description: '=HYPERLINK("http://x")' }],
  ["asn", "AS64500", { source: "+1 555 0100" }],
  ["other", "=cmd|' /C calc'!A0", { description: "@SUM(1+1)", source: "-internal" }],
  ["other", "'=already quoted", { description: "'plain apostrophe" }],
  ["other", "-starts with a dash", { description: "\t tab first" }],
  ["other", "trailing comma,", { description: " spaces around " }],
];

export function exportFixtures(): ExportIndicator[] {
  return rows.map(([type, value, extra], i) => {
    const createdAt = new Date(Date.UTC(2024, 0, 1 + i, 8, 30, 0, 123));
    const withDates = i % 3 !== 2;
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      type,
      value,
      normalized: value.toLowerCase(),
      firstSeen: withDates ? new Date(Date.UTC(2023, 11, 1 + i, 1, 2, 3, 456)) : null,
      lastSeen: withDates && i % 2 === 0 ? new Date(Date.UTC(2024, 1, 1 + i, 23, 59, 59, 999)) : null,
      confidence: i % 4 === 0 ? null : 10 + i,
      tlp: TLPS[i % TLPS.length] ?? "AMBER",
      description: null,
      source: i % 5 === 1 ? "Mandiant" : null,
      createdAt,
      updatedAt: new Date(createdAt.getTime() + 3_600_000),
      techniqueIds: [],
      ...extra,
    };
  });
}

import { describe, expect, it } from "vitest";
import { InterchangeFileError, type ImportItem } from "./records.ts";
import { readStixBundle } from "./stix-import.ts";

const BUNDLE_ID = "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d";

const indicator = (extra: Record<string, unknown> = {}) => ({
  type: "indicator",
  spec_version: "2.1",
  id: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
  created: "2024-01-01T00:00:00.000Z",
  modified: "2024-01-01T00:00:00.000Z",
  pattern: "[domain-name:value = 'evil.example']",
  pattern_type: "stix",
  valid_from: "2024-01-02T03:04:05.678Z",
  ...extra,
});

/** A pretty-printed bundle, as most tools write it. */
const bundle = (objects: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "bundle", id: BUNDLE_ID, ...extra, objects }, null, 2);

function fileError(text: string): InterchangeFileError {
  try {
    readStixBundle(text);
  } catch (err) {
    expect(err).toBeInstanceOf(InterchangeFileError);
    return err as InterchangeFileError;
  }
  throw new Error("expected an InterchangeFileError");
}

const summary = (items: ImportItem[]) =>
  items.map((i) =>
    i.ok
      ? { line: i.candidate.line, type: i.candidate.type, value: i.candidate.value, tlp: i.candidate.tlp }
      : i.problem,
  );

describe("readStixBundle: the file", () => {
  it.each([
    [
      "an array",
      "[]",
      'This is not a STIX bundle: the file holds an array, not an object with "type": "bundle"',
    ],
    [
      "a string",
      '"bundle"',
      'This is not a STIX bundle: the file holds a string, not an object with "type": "bundle"',
    ],
    [
      "a lone indicator",
      JSON.stringify(indicator()),
      'This is not a STIX bundle: "type" is indicator (expected "bundle")',
    ],
    [
      "no type",
      JSON.stringify({ id: BUNDLE_ID, objects: [] }),
      'This is not a STIX bundle: "type" is none (expected "bundle")',
    ],
    [
      "a bad bundle id",
      JSON.stringify({ type: "bundle", id: "bundle--nope", objects: [] }),
      'The bundle id must be "bundle--" followed by a UUID (found bundle--nope)',
    ],
    [
      "a STIX 2.0 bundle",
      bundle([], { spec_version: "2.0" }),
      "The bundle is STIX 2.0: only STIX 2.1 bundles can be imported",
    ],
    ["no objects", JSON.stringify({ type: "bundle", id: BUNDLE_ID }), 'The bundle has no "objects" array'],
    ["an empty file", "  \n", 'The file is empty: a STIX 2.1 bundle is a JSON object with type "bundle"'],
  ])("refuses %s", (_, text, message) => {
    expect(fileError(text).message).toBe(message);
  });

  it("names the field of a bundle fault", () => {
    expect(fileError(bundle([], { spec_version: "2.0" })).field).toBe("spec_version");
    expect(fileError("[]").field).toBe("type");
  });

  it.each([
    [
      "a trailing comma",
      '{\n  "type": "bundle",\n  "objects": [\n    {"a": 1,}\n  ]\n}',
      4,
      "expected a property name in double quotes, found '}'",
    ],
    ["a missing value (V8 gives no position)", '{\n  "type": "bundle",\n  "id": \n}', 4, "unexpected '}'"],
    ["a bare word", '{\n  "type": bundle\n}', 2, "unexpected 'b'"],
    [
      "a cut-off file",
      '{\n  "type": "bundle",\n  "objects": [\n',
      4,
      "the file ends before the JSON is complete",
    ],
    ["an unclosed string", '{\n  "type": "bun', 2, "a string is not closed"],
    [
      "a raw line break in a string",
      '{\r\n"a": "x\r\ny"}',
      2,
      "a line break or control character inside a string",
    ],
    ["text after the object", '{"type": "bundle"}\n}', 2, "unexpected '}' after the end of the JSON value"],
  ])("refuses invalid JSON (%s) naming the line", (_, text, line, reason) => {
    expect(fileError(text).message).toBe(`The file is not valid JSON: ${reason} on line ${line}`);
  });

  it("reads a bundle with a BOM", () => {
    expect(summary(readStixBundle(`\uFEFF${bundle([indicator()])}`))).toEqual([
      { line: 5, type: "domain", value: "evil.example", tlp: undefined },
    ]);
  });
});

describe("readStixBundle: indicators", () => {
  it("reads every property it knows", () => {
    const text = bundle([
      indicator({
        name: "Phishing domain",
        description: "Sent the lure",
        confidence: 85,
        x_dwell_last_seen: "2024-02-03T04:05:06+01:00",
        object_marking_refs: ["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"],
        external_references: [
          {
            source_name: "mitre-attack",
            external_id: "T1566.002",
            url: "https://attack.mitre.org/techniques/T1566/002/",
          },
          { source_name: "mitre-attack", external_id: "TA0001" },
          { source_name: "ACME CERT", url: "https://cert.acme.example/advisory/1" },
          { source_name: "mitre-attack", external_id: "t1204" },
          { source_name: "ignored, not first" },
        ],
        kill_chain_phases: [{ kill_chain_name: "mitre-attack", phase_name: "initial-access" }],
      }),
    ]);
    expect(readStixBundle(text)).toEqual([
      {
        ok: true,
        candidate: {
          line: 5,
          value: "evil.example",
          type: "domain",
          firstSeen: new Date("2024-01-02T03:04:05.678Z"),
          lastSeen: new Date("2024-02-03T03:05:06Z"),
          description: "Sent the lure",
          tlp: "AMBER",
          confidence: 85,
          source: "https://cert.acme.example/advisory/1",
          techniqueIds: ["T1566.002", "T1204"],
        },
      },
    ]);
  });

  it("uses the name as description unless it is the value, and source_name without a url", () => {
    const text = bundle([
      indicator({ name: "Lure domain", external_references: [{ source_name: "Mandiant" }] }),
      indicator({ name: "evil.example" }),
    ]);
    const [a, b] = readStixBundle(text);
    expect(a?.ok && a.candidate.description).toBe("Lure domain");
    expect(a?.ok && a.candidate.source).toBe("Mandiant");
    expect(b?.ok && b.candidate.description).toBeUndefined();
  });

  it("gives one candidate per OR / IN member, all on the object's line", () => {
    const text = bundle([
      {
        type: "identity",
        spec_version: "2.1",
        id: "identity--1",
        name: 'tricky } ] " { [ text',
        identity_class: "organization",
      },
      indicator({
        pattern:
          "[ipv4-addr:value = '203.0.113.7' OR ipv4-addr:value = '198.51.100.0/24'] OR [file:hashes.'SHA-256' IN ('aa', 'bb')]",
      }),
    ]);
    expect(summary(readStixBundle(text))).toEqual([
      { line: 12, type: "ipv4", value: "203.0.113.7", tlp: undefined },
      { line: 12, type: "cidr", value: "198.51.100.0/24", tlp: undefined },
      { line: 12, type: "sha256", value: "aa", tlp: undefined },
      { line: 12, type: "sha256", value: "bb", tlp: undefined },
    ]);
  });

  it("reports per-object problems on the line where the object starts", () => {
    const text = bundle([
      indicator({ spec_version: "2.0" }),
      indicator({ spec_version: undefined, pattern: undefined }),
      indicator({ pattern_type: "sigma", pattern: "title: x" }),
      indicator({ pattern: "[domain-name:value = 'a.example'" }),
      indicator({ pattern: "[file:name LIKE '%.exe']" }),
      indicator({ confidence: 101 }),
      indicator({ valid_from: "yesterday" }),
      indicator({ revoked: true }),
      "not an object",
      indicator({ pattern: undefined }),
    ]);
    const items = readStixBundle(text);
    expect(items.every((i) => !i.ok)).toBe(true);
    expect(items.map((i) => (i.ok ? null : i.problem))).toEqual([
      {
        line: 5,
        value: "[domain-name:value = 'evil.example']",
        message: "spec_version must be 2.1 (found 2.0)",
      },
      {
        line: 15,
        value: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        message: "spec_version must be 2.1 (found none)",
      },
      {
        line: 23,
        value: "title: x",
        message: "pattern_type sigma is not supported: only stix patterns can be read",
      },
      {
        line: 33,
        value: "[domain-name:value = 'a.example'",
        message: "pattern: expected ']' at position 33 (found the end of the pattern)",
      },
      {
        line: 43,
        value: "[file:name LIKE '%.exe']",
        message: "pattern: operator LIKE is not supported: only = and IN can become indicators",
      },
      {
        line: 53,
        value: "[domain-name:value = 'evil.example']",
        message: "confidence 101 must be a whole number from 0 to 100",
      },
      {
        line: 64,
        value: "[domain-name:value = 'evil.example']",
        message: "valid_from yesterday is not a timestamp",
      },
      { line: 74, value: "[domain-name:value = 'evil.example']", message: "the indicator is revoked" },
      { line: 85, value: "", message: "objects[8] is a string, not a STIX object" },
      {
        line: 86,
        value: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        message: "the indicator has no pattern",
      },
    ]);
  });

  it("skips other object types and counts lines in compact and mixed layouts", () => {
    const text =
      `{"type":"bundle","id":"${BUNDLE_ID}","objects":[{"type":"malware","id":"malware--1","name":"x\\"}]"},\r\n` +
      `${JSON.stringify(indicator())},\r\n\r\n  ${JSON.stringify(indicator({ pattern: "[url:value = 'http://a.example/']" }))}]}`;
    expect(summary(readStixBundle(text))).toEqual([
      { line: 2, type: "domain", value: "evil.example", tlp: undefined },
      { line: 4, type: "url", value: "http://a.example/", tlp: undefined },
    ]);
  });

  it("uses the last objects property, like JSON.parse", () => {
    const text = `{"type":"bundle","objects":[1,2,3],"id":"${BUNDLE_ID}",\n"objects":[\n${JSON.stringify(indicator())}]}`;
    expect(summary(readStixBundle(text))).toEqual([
      { line: 3, type: "domain", value: "evil.example", tlp: undefined },
    ]);
  });
});

describe("readStixBundle: TLP", () => {
  const marked = (...refs: string[]) => indicator({ object_marking_refs: refs });

  it.each([
    ["TLP 2.0 clear", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "CLEAR"],
    ["TLP 2.0 green", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "GREEN"],
    ["TLP 2.0 amber", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "AMBER"],
    ["TLP 2.0 amber+strict", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "AMBER_STRICT"],
    ["TLP 2.0 red", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "RED"],
    ["TLP 1.0 white", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "CLEAR"],
    ["TLP 1.0 green", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "GREEN"],
    ["TLP 1.0 amber", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "AMBER"],
    ["TLP 1.0 red", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "RED"],
    ["an unknown marking", "marking-definition--00000000-0000-4000-8000-000000000000", undefined],
  ])("reads %s", (_, ref, tlp) => {
    const [item] = readStixBundle(bundle([marked(ref)]));
    expect(item?.ok && item.candidate.tlp).toBe(tlp);
  });

  it("reads marking definitions of the bundle (TLP 2.0 extension or TLP 1.0 form), wherever they sit", () => {
    const custom2 = "marking-definition--11111111-1111-4111-8111-111111111111";
    const custom1 = "marking-definition--22222222-2222-4222-8222-222222222222";
    const statement = "marking-definition--33333333-3333-4333-8333-333333333333";
    const text = bundle([
      marked(custom2),
      marked(custom1),
      marked(statement),
      {
        type: "marking-definition",
        spec_version: "2.1",
        id: custom2,
        created: "2022-10-01T00:00:00.000Z",
        name: "our amber+strict",
        extensions: {
          "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            extension_type: "property-extension",
            tlp_2_0: "amber+strict",
          },
        },
      },
      {
        type: "marking-definition",
        spec_version: "2.1",
        id: custom1,
        created: "2017-01-20T00:00:00.000Z",
        definition_type: "tlp",
        definition: { tlp: "white" },
      },
      {
        type: "marking-definition",
        spec_version: "2.1",
        id: statement,
        created: "2017-01-20T00:00:00.000Z",
        definition_type: "statement",
        definition: { statement: "Copyright ACME" },
      },
    ]);
    expect(readStixBundle(text).map((i) => i.ok && i.candidate.tlp)).toEqual([
      "AMBER_STRICT",
      "CLEAR",
      undefined,
    ]);
  });

  it("takes the most restrictive of several TLP markings", () => {
    const [item] = readStixBundle(
      bundle([
        marked(
          "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
          "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        ),
      ]),
    );
    expect(item?.ok && item.candidate.tlp).toBe("RED");
  });
});

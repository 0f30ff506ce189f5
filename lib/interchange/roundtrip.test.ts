import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, writeCsvIndicators } from "./csv-export.ts";
import { readCsvIndicators } from "./csv-import.ts";
import type { ExportIndicator, ImportCandidate, ImportItem } from "./records.ts";
import { stixIndicatorId, writeStixBundle } from "./stix-export.ts";
import { readStixBundle } from "./stix-import.ts";
import { TLP2_MARKING_IDS } from "./stix-tlp.ts";
import { exportFixtures, INCIDENT_ID } from "./test-fixtures.ts";

/** The fields a round trip must keep. */
const comparable = (c: ImportCandidate) => ({
  type: c.type,
  value: c.value,
  firstSeen: c.firstSeen?.toISOString() ?? null,
  lastSeen: c.lastSeen?.toISOString() ?? null,
  confidence: c.confidence ?? null,
  tlp: c.tlp ?? null,
  description: c.description ?? null,
  source: c.source ?? null,
  techniqueIds: c.techniqueIds ?? [],
});

const expected = (i: ExportIndicator) => ({
  type: i.type,
  value: i.value,
  firstSeen: i.firstSeen?.toISOString() ?? null,
  lastSeen: i.lastSeen?.toISOString() ?? null,
  confidence: i.confidence,
  tlp: i.tlp,
  description: i.description,
  source: i.source,
  techniqueIds: i.techniqueIds,
});

function okCandidates(items: ImportItem[]): ImportCandidate[] {
  return items.map((item) => {
    if (!item.ok) throw new Error(`line ${item.problem.line}: ${item.problem.message}`);
    return item.candidate;
  });
}

async function readCsv(text: string): Promise<ImportItem[]> {
  const items: ImportItem[] = [];
  for await (const item of readCsvIndicators(text)) items.push(item);
  return items;
}

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe("CSV round trip", () => {
  const indicators = exportFixtures();

  it("reads back every type and field exactly", async () => {
    const text = [...writeCsvIndicators(indicators)].join("");
    const candidates = okCandidates(await readCsv(text));
    expect(candidates.map(comparable)).toEqual(indicators.map((i) => expected(i)));
  });

  it("gives each row the physical line it starts on", async () => {
    const text = [...writeCsvIndicators(indicators)].join("");
    const candidates = okCandidates(await readCsv(text));
    let line = 2;
    indicators.forEach((indicator, k) => {
      expect(candidates[k]?.line).toBe(line);
      const breaks = (indicator.description ?? "").match(/\r\n|\r|\n/g)?.length ?? 0;
      line += 1 + breaks;
    });
  });

  it("writes the documented header, CRLF rows, TLP words and guarded formulas", () => {
    const text = [...writeCsvIndicators(indicators)].join("");
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines[0]).toBe("value,type,first_seen,last_seen,confidence,tlp,description,source,techniques");
    expect(text).toContain("AMBER+STRICT");
    expect(text).toContain("\r\n'=cmd|' /C calc'!A0,other,");
    expect(text).toContain("'@SUM(1+1)");
    expect(text).toContain("''=already quoted");
    expect(text).toContain("T1566 T1566.001 T1059.001");
    expect(text).toContain("2023-12-01T01:02:03.456Z");
    // no cell starts with a formula character
    for (const cell of text.split(/,|\r\n/)) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it("writes the header alone for no indicators, and chunks large exports", () => {
    expect([...writeCsvIndicators([])]).toEqual([`${CSV_COLUMNS.join(",")}\r\n`]);
    const many = Array.from({ length: 1200 }, (_, i) => ({
      ...indicators[0]!,
      value: `10.0.${i >> 8}.${i & 255}`,
    }));
    expect([...writeCsvIndicators(many)].length).toBe(4); // header + 500 + 500 + 200
  });

  it("accepts an async iterable and gives the same text", async () => {
    const syncText = [...writeCsvIndicators(indicators)].join("");
    expect(await collect(writeCsvIndicators(asAsync(indicators)))).toBe(syncText);
  });
});

describe("STIX round trip", () => {
  const indicators = exportFixtures();
  const options = { incidentId: INCIDENT_ID, generatedAt: new Date("2024-06-01T12:00:00.000Z") };

  it("reads back every type and field exactly (an unknown first seen stays unknown)", () => {
    const text = [...writeStixBundle(indicators, options)].join("");
    const candidates = okCandidates(readStixBundle(text));
    expect(candidates.map(comparable)).toEqual(indicators.map((i) => expected(i)));
    // one object per line after the bundle's first line
    expect(candidates.map((c) => c.line)).toEqual(indicators.map((_, k) => k + 2));
  });

  it("writes a valid STIX 2.1 bundle", () => {
    const text = [...writeStixBundle(indicators, options)].join("");
    const bundle = JSON.parse(text) as { type: string; id: string; objects: Record<string, unknown>[] };
    expect(bundle.type).toBe("bundle");
    expect(bundle.id).toMatch(
      /^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    const objects = bundle.objects.filter((o) => o.type === "indicator");
    expect(objects).toHaveLength(indicators.length);
    objects.forEach((o, k) => {
      const indicator = indicators[k]!;
      expect(o.spec_version).toBe("2.1");
      expect(o.id).toBe(stixIndicatorId(INCIDENT_ID, indicator.type, indicator.normalized));
      expect(o.id).toMatch(
        /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      for (const key of ["created", "modified", "valid_from"]) expect(o[key]).toMatch(stamp);
      expect(o.pattern_type).toBe("stix");
      expect(typeof o.pattern).toBe("string");
      expect(o.name).toBe(indicator.value);
      expect(o.object_marking_refs).toEqual([TLP2_MARKING_IDS[indicator.tlp]]);
      expect("confidence" in o).toBe(indicator.confidence !== null);
    });
    expect(new Set(objects.map((o) => o.id)).size).toBe(objects.length);
    const techniques = objects[7]?.external_references;
    expect(techniques).toEqual([
      {
        source_name: "mitre-attack",
        external_id: "T1566",
        url: "https://attack.mitre.org/techniques/T1566/",
      },
      {
        source_name: "mitre-attack",
        external_id: "T1566.001",
        url: "https://attack.mitre.org/techniques/T1566/001/",
      },
      {
        source_name: "mitre-attack",
        external_id: "T1059.001",
        url: "https://attack.mitre.org/techniques/T1059/001/",
      },
    ]);
  });

  it("includes each used TLP 2.0 marking definition once, exactly as OASIS publishes it", () => {
    const onlyAmber = indicators.map((i) => ({
      ...i,
      tlp: i.tlp === "RED" ? ("RED" as const) : ("AMBER" as const),
    }));
    const bundle = JSON.parse([...writeStixBundle(onlyAmber, options)].join("")) as {
      objects: Record<string, unknown>[];
    };
    const markings = bundle.objects.filter((o) => o.type === "marking-definition");
    expect(markings).toEqual([
      {
        type: "marking-definition",
        spec_version: "2.1",
        id: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        created: "2022-10-01T00:00:00.000Z",
        name: "TLP:AMBER",
        extensions: {
          "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            extension_type: "property-extension",
            tlp_2_0: "amber",
          },
        },
      },
      {
        type: "marking-definition",
        spec_version: "2.1",
        id: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        created: "2022-10-01T00:00:00.000Z",
        name: "TLP:RED",
        extensions: {
          "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            extension_type: "property-extension",
            tlp_2_0: "red",
          },
        },
      },
    ]);
    const all = JSON.parse([...writeStixBundle(indicators, options)].join("")) as {
      objects: { id: string; name?: string }[];
    };
    expect(
      all.objects.filter((o) => o.id.startsWith("marking-definition--")).map((o) => [o.id, o.name]),
    ).toEqual([
      ["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR"],
      ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN"],
      ["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER"],
      ["marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "TLP:AMBER+STRICT"],
      ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED"],
    ]);
  });

  it("keeps indicator ids across exports; the bundle id follows incident and time", () => {
    const ids = (generatedAt: Date) => {
      const bundle = JSON.parse([...writeStixBundle(indicators, { ...options, generatedAt })].join("")) as {
        id: string;
        objects: { id: string }[];
      };
      return { bundle: bundle.id, objects: bundle.objects.map((o) => o.id) };
    };
    const a = ids(options.generatedAt);
    const b = ids(options.generatedAt);
    const c = ids(new Date("2024-06-02T00:00:00.000Z"));
    expect(b).toEqual(a);
    expect(c.objects).toEqual(a.objects);
    expect(c.bundle).not.toBe(a.bundle);
  });

  it("writes an empty bundle for no indicators", () => {
    const text = [...writeStixBundle([], options)].join("");
    expect(JSON.parse(text)).toEqual({ type: "bundle", id: expect.stringMatching(/^bundle--/), objects: [] });
    expect(readStixBundle(text)).toEqual([]);
  });

  it("streams one chunk per object and accepts an async iterable", async () => {
    const chunks = [...writeStixBundle(indicators, options)];
    expect(chunks.length).toBe(indicators.length + 2);
    expect(await collect(writeStixBundle(asAsync(indicators), options))).toBe(chunks.join(""));
  });
});

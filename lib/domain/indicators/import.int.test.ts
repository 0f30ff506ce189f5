// Import and export against a real Postgres: pasted text, CSV and STIX with per-line problems, dry
// runs that write nothing, merging, one audit entry per import, file-level refusals that store
// nothing, and export → import round trips (whole incident and one organization's view).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { verifyAuditChain } from "../audit/verify.ts";
import { CreateIndicatorSchema, type CreateIndicatorInput } from "../../validation/indicators.ts";
import { createIndicator } from "./commands.ts";
import type { ImportResultDto } from "./dto.ts";
import { exportIndicators } from "./export.ts";
import { importIndicators, type ImportOptions } from "./import.ts";

const run = randomUUID().slice(0, 8);
let responder: Actor;
let executive: Actor;
let agencyUser: Actor;

async function newIncident(label: string) {
  return db().incident.create({
    data: { slug: `import-${label}-${run}`, name: `Import ${label}`, publicSummary: "Test." },
  });
}

async function createUser(role: Actor["role"], organizationId: string | null = null): Promise<Actor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@import-test.example`;
  const user = await db().user.create({
    data: { email, name: `${role} ${run}`, role, organizationId, passwordHash: "unused" },
  });
  return { userId: user.id, email, name: user.name, role, organizationId, readOnly: false };
}

async function* chunksOf(text: string, size = 7): AsyncGenerator<Uint8Array> {
  // Small chunks so multi-byte characters and lines straddle chunk boundaries.
  const bytes = Buffer.from(text, "utf8");
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function importText(
  incidentId: string,
  format: ImportOptions["format"],
  text: string,
  options: Partial<ImportOptions> = {},
  actor = responder,
) {
  return importIndicators(actor, incidentId, chunksOf(text), {
    format,
    dryRun: false,
    requestId: null,
    ...options,
  });
}

async function captureError(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected an AppError, but the call succeeded.");
}

async function readAll(chunks: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  return text;
}

async function storedSet(incidentId: string) {
  const rows = await db().indicator.findMany({
    where: { incidentId },
    include: { techniques: true },
    orderBy: [{ type: "asc" }, { normalizedValue: "asc" }],
  });
  return rows.map((r) => ({
    type: r.type,
    normalizedValue: r.normalizedValue,
    value: r.value,
    firstSeenAt: r.firstSeenAt?.toISOString() ?? null,
    lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
    confidence: r.confidence,
    tlp: r.tlp,
    description: r.description,
    source: r.source,
    techniques: r.techniques.map((t) => t.techniqueId).sort(),
  }));
}

const PASTE = [
  "| IP address | First seen |",
  "|---|---|",
  "| 51.89.156[.]153 | 2023-05-15 |",
  "* hxxps://login.micros0ft-online[.]com/common/oauth2",
  "JARM: 2ad2ad0002ad2ad22c2ad2ad2ad2ad2eac92ec34bcc0cf7520e97547f83e81",
  "Also 10.0.0.300 was listed, and 51.89.156.153 again.",
  "Contact: admin[@]evil-domain[.]com",
].join("\n");

beforeAll(async () => {
  responder = await createUser("responder");
  executive = await createUser("executive");
});

afterAll(async () => {
  await db().$disconnect();
});

describe("importing pasted text", () => {
  it("a dry run lists what it recognized and the problems with their lines, and stores nothing", async () => {
    const incident = await newIncident("dry");
    const result = await importText(incident.id, "text", PASTE, { dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.items?.map((i) => [i.type, i.normalizedValue])).toEqual(
      expect.arrayContaining([
        ["ipv4", "51.89.156.153"],
        ["url", "https://login.micros0ft-online.com/common/oauth2"],
        ["jarm", "2ad2ad0002ad2ad22c2ad2ad2ad2ad2eac92ec34bcc0cf7520e97547f83e81"],
        ["email", "admin@evil-domain.com"],
      ]),
    );
    expect(result.items?.every((i) => !i.exists)).toBe(true);
    expect(result.errors).toEqual([expect.objectContaining({ line: 6, value: "10.0.0.300" })]);
    expect(await db().indicator.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(await db().auditEntry.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("commits: creates each indicator once, counts repeats, applies the defaults, and writes one audit entry", async () => {
    const incident = await newIncident("commit");
    const result = await importText(incident.id, "text", PASTE, {
      tlp: "AMBER",
      confidence: 70,
      source: "https://example.org/advisory",
    });
    expect(result.created).toBe(4);
    expect(result.errorCount).toBe(1);
    const stored = await storedSet(incident.id);
    expect(stored).toHaveLength(4);
    expect(
      stored.every(
        (i) => i.tlp === "AMBER" && i.confidence === 70 && i.source === "https://example.org/advisory",
      ),
    ).toBe(true);
    const audits = await db().auditEntry.findMany({ where: { incidentId: incident.id } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: "indicator.import", entityType: "import" });
    // The import writes its entry on a connection of its own: the chain must still hold.
    expect((await verifyAuditChain()).broken).toBeNull();

    const again = await importText(incident.id, "text", PASTE);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
  });

  it("only responders and admins import", async () => {
    const incident = await newIncident("roles");
    expect(
      (await captureError(() => importText(incident.id, "text", "192.0.2.1", {}, executive))).status,
    ).toBe(403);
  });
});

describe("importing CSV", () => {
  it("stores good lines, reports bad ones with their line numbers, merges dates of repeats", async () => {
    const incident = await newIncident("csv");
    const csv = [
      "\uFEFFvalue;type;first_seen;last_seen;tlp;confidence;description",
      '192.0.2.50;ipv4;5/15/2023;2023-06-16;GREEN;90;"Proxy; used ""daily"""',
      "999.1.1.1;ipv4;;;;;",
      "evil.example.com;domain;2023-06-01;;;;",
      "192.0.2.50;ipv4;2023-05-01;2023-07-01;;;",
      "abc;mutex;;;;;",
      "d41d8cd98f00b204e9800998ecf8427e;;;;;;",
    ].join("\r\n");
    const result = await importText(incident.id, "csv", csv);
    expect(result).toMatchObject({ created: 3, duplicates: 1, errorCount: 2 });
    expect(result.errors.map((e) => e.line)).toEqual([3, 6]);
    expect(result.errors[0]?.message).toMatch(/255|octet|part/i);
    expect(result.errors[1]?.message).toMatch(/unknown type/);
    const stored = await storedSet(incident.id);
    const ip = stored.find((i) => i.normalizedValue === "192.0.2.50");
    expect(ip).toMatchObject({
      firstSeenAt: "2023-05-01T00:00:00.000Z",
      lastSeenAt: "2023-07-01T00:00:00.000Z",
      tlp: "GREEN",
      confidence: 90,
    });
    expect(ip?.description).toBe('Proxy; used "daily"');
    expect(stored.find((i) => i.type === "md5")).toBeDefined();

    const widened = await importText(
      incident.id,
      "csv",
      "value,last_seen\n192.0.2.50,2023-08-01\nevil.example.com,\n",
    );
    expect(widened).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
  });

  it("merges repeats across the chunks of a long file: each created once, a known one updated once", async () => {
    const incident = await newIncident("long");
    await createIndicator(
      responder,
      incident.id,
      CreateIndicatorSchema.parse({
        type: "ipv4",
        value: "8.8.8.8",
        tlp: "CLEAR",
        firstSeenAt: "2023-03-01",
      }),
      { requestId: null },
    );
    // 12,000 distinct addresses: more than two chunks of the import. Line 2 and line 11,002 name the
    // same new address; lines 102 and 9,002 the known one, each widening its dates.
    const lines = ["value,first_seen,last_seen"];
    for (let i = 0; i < 12_000; i++) lines.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255},,`);
    lines[1] = "192.0.2.7,2023-01-05,";
    lines[11_001] = "192.0.2.7,2023-01-01,2023-02-01";
    lines[101] = "8.8.8.8,2023-02-01,";
    lines[9_001] = "8.8.8.8,,2023-04-01";
    const result = await importText(incident.id, "csv", lines.join("\n"));
    expect(result).toMatchObject({ read: 12_000, created: 11_997, updated: 1, duplicates: 2, errorCount: 0 });

    const rows = await db().indicator.findMany({
      where: { incidentId: incident.id },
      select: { id: true, normalizedValue: true, firstSeenAt: true, lastSeenAt: true, version: true },
    });
    expect(rows).toHaveLength(11_998);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const byValue = new Map(rows.map((r) => [r.normalizedValue, r]));
    expect(byValue.get("192.0.2.7")).toMatchObject({
      firstSeenAt: new Date("2023-01-01T00:00:00Z"),
      lastSeenAt: new Date("2023-02-01T00:00:00Z"),
      version: 1,
    });
    expect(byValue.get("8.8.8.8")).toMatchObject({
      firstSeenAt: new Date("2023-02-01T00:00:00Z"),
      lastSeenAt: new Date("2023-04-01T00:00:00Z"),
      version: 2,
    });
    // Created ids are UUIDv7 (version nibble 7, RFC 9562 variant).
    expect(byValue.get("10.0.0.5")?.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(
      await db().auditEntry.count({ where: { incidentId: incident.id, action: "indicator.import" } }),
    ).toBe(1);
  });

  it("gives each of several indicators on one pasted line its own id", async () => {
    const incident = await newIncident("one-line");
    const result = await importText(
      incident.id,
      "text",
      "Seen: 192.0.2.8, 192.0.2.9 and evil-one-line[.]com",
    );
    expect(result).toMatchObject({ created: 3, errorCount: 0 });
    expect(await db().indicator.count({ where: { incidentId: incident.id } })).toBe(3);
  });

  it("refuses a CSV without a value column, or a binary file, and stores nothing", async () => {
    const incident = await newIncident("csv-bad");
    const noValue = await captureError(() =>
      importText(incident.id, "csv", "type,first_seen\nipv4,2023-01-01\n"),
    );
    expect(noValue.status).toBe(422);
    expect(noValue.userMessage).toMatch(/value column/);
    const binary = await captureError(() =>
      importIndicators(
        responder,
        incident.id,
        (async function* () {
          yield Buffer.from("value\n192.0.2.1\n");
          yield Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x9f]);
        })(),
        { format: "csv", dryRun: false, requestId: null },
      ),
    );
    expect(binary.status).toBe(422);
    expect(await db().indicator.count({ where: { incidentId: incident.id } })).toBe(0);
  });
});

describe("importing STIX 2.1", () => {
  it("refuses a bundle whose indicators have the wrong spec_version, per object", async () => {
    const incident = await newIncident("stix-bad");
    const bundle = {
      type: "bundle",
      id: `bundle--${randomUUID()}`,
      objects: [
        {
          type: "indicator",
          spec_version: "2.0",
          id: `indicator--${randomUUID()}`,
          created: "2023-07-01T00:00:00.000Z",
          modified: "2023-07-01T00:00:00.000Z",
          pattern: "[ipv4-addr:value = '192.0.2.9']",
          pattern_type: "stix",
          valid_from: "2023-07-01T00:00:00Z",
        },
        {
          type: "indicator",
          spec_version: "2.1",
          id: `indicator--${randomUUID()}`,
          created: "2023-07-01T00:00:00.000Z",
          modified: "2023-07-01T00:00:00.000Z",
          pattern: "[ipv4-addr:value = '192.0.2.10' OR domain-name:value = 'c2.example.net']",
          pattern_type: "stix",
          valid_from: "2023-06-15T00:00:00Z",
        },
      ],
    };
    const result = await importText(incident.id, "stix", JSON.stringify(bundle, null, 2));
    expect(result.created).toBe(2);
    expect(result.errorCount).toBe(1);
    expect(result.errors[0]?.message).toMatch(/spec_version/);
    expect((await storedSet(incident.id)).map((i) => i.firstSeenAt)).toEqual([
      "2023-06-15T00:00:00.000Z",
      "2023-06-15T00:00:00.000Z",
    ]);
    const notBundle = await captureError(() => importText(incident.id, "stix", '{"type": "indicator"}'));
    expect(notBundle.status).toBe(422);
  });
});

describe("export → import round trip", () => {
  let sourceId: string;
  let sourceSlug: string;
  let ownOrgId: string;

  beforeAll(async () => {
    const incident = await newIncident("source");
    sourceId = incident.id;
    sourceSlug = incident.slug;
    const [own, other] = await Promise.all(
      ["Own", "Other"].map((name) =>
        db().affectedOrganization.create({
          data: {
            incidentId: sourceId,
            name: `${name} ${run}`,
            kind: "government",
            determinedAffectedAt: new Date("2023-06-16T00:00:00Z"),
          },
        }),
      ),
    );
    ownOrgId = own!.id;
    agencyUser = await createUser("agency", ownOrgId);
    const inputs: CreateIndicatorInput[] = [
      {
        type: "ipv4",
        value: "51.89.156.153",
        tlp: "CLEAR",
        firstSeenAt: "2023-05-15",
        lastSeenAt: "2023-06-16",
        confidence: 90,
        techniqueIds: ["T1606.002"],
      },
      { type: "ipv6", value: "2001:db8::1", tlp: "GREEN", description: 'Says "hi", then, commas' },
      { type: "url", value: "https://evil.example.com/a?b=c", tlp: "AMBER", organizationIds: [ownOrgId] },
      { type: "domain", value: "other-victim-only.example.com", tlp: "AMBER", organizationIds: [other!.id] },
      { type: "sha256", value: "b".repeat(64), tlp: "RED" },
      {
        type: "user-agent",
        value: "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/115.0",
        tlp: "CLEAR",
        source: "https://example.org/blog",
      },
      {
        type: "jarm",
        value: "2ad2ad0002ad2ad22c2ad2ad2ad2ad2eac92ec34bcc0cf7520e97547f83e81",
        tlp: "AMBER+STRICT",
      },
      {
        type: "cert-thumbprint",
        value: "d4b4cccda9228624656bff33d8110955779632aa",
        tlp: "CLEAR",
        description: "Ünïcödé ✓\nsecond line",
      },
      { type: "email", value: "admin@evil-domain.com", tlp: "GREEN" },
      { type: "filename", value: "=cmd.exe", tlp: "CLEAR" },
    ];
    for (const input of inputs)
      await createIndicator(responder, sourceId, CreateIndicatorSchema.parse(input), { requestId: null });
  });

  it.each(["stix", "csv"] as const)(
    "%s: importing the export into an empty incident reproduces the same set",
    async (format) => {
      const file = await exportIndicators(responder, { id: sourceId, slug: sourceSlug }, { format });
      const text = await readAll(file.chunks);
      const target = await newIncident(`target-${format}`);
      const result: ImportResultDto = await importText(target.id, format, text);
      expect(result.errors).toEqual([]);
      expect(result.created).toBe(10);
      expect(await storedSet(target.id)).toEqual(await storedSet(sourceId));
    },
  );

  it("an organization's package holds only what it may see; an agency user gets its own", async () => {
    const staff = await readAll(
      (
        await exportIndicators(
          responder,
          { id: sourceId, slug: sourceSlug },
          { format: "csv", organization: ownOrgId },
        )
      ).chunks,
    );
    const agency = await readAll(
      (await exportIndicators(agencyUser, { id: sourceId, slug: sourceSlug }, { format: "csv" })).chunks,
    );
    expect(agency).toBe(staff);
    expect(staff).toContain("51.89.156.153");
    expect(staff).toContain("https://evil.example.com/a?b=c");
    expect(staff).not.toContain("other-victim-only.example.com");
    expect(staff).not.toContain("b".repeat(64));
    const stix = await readAll(
      (await exportIndicators(agencyUser, { id: sourceId, slug: sourceSlug }, { format: "stix" })).chunks,
    );
    expect(stix).not.toContain("other-victim-only");
    expect(JSON.parse(stix)).toMatchObject({ type: "bundle" });
    const otherOrg = await captureError(() =>
      exportIndicators(
        agencyUser,
        { id: sourceId, slug: sourceSlug },
        { format: "csv", organization: randomUUID() },
      ),
    );
    expect(otherOrg.status).toBe(404);
  });
});

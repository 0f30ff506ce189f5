// Findings against a real Postgres: write, change with versions, links refused across incidents, one
// audit entry per mutation, the history read from them, the list's filters and paging, and who may
// do what.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import {
  CreateFindingSchema,
  FindingListQuerySchema,
  UpdateFindingSchema,
  type CreateFindingInput,
  type FindingListQueryInput,
  type UpdateFindingInput,
} from "../../validation/findings.ts";
import { createFinding, updateFinding } from "./commands.ts";
import type { FindingDto } from "./dto.ts";
import { findFindingIncident, getFinding, getFindingHistory, listFindings } from "./queries.ts";

const run = randomUUID().slice(0, 8);
let incidentId: string;
let incidentSlug: string;
let otherIncidentId: string;
let eventId: string;
let indicatorId: string;
let organizationId: string;
let otherEventId: string;
let otherIndicatorId: string;
let responder: Actor;
let executive: Actor;
let agencyUser: Actor;

async function captureError(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected an AppError, but the call succeeded.");
}

async function createUser(role: Actor["role"], organization: string | null = null): Promise<Actor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@findings-test.example`;
  const user = await db().user.create({
    data: { email, name: `${role} ${run}`, role, organizationId: organization, passwordHash: "unused" },
  });
  return { userId: user.id, email, name: user.name, role, organizationId: organization, readOnly: false };
}

const base = (extra: Partial<CreateFindingInput> = {}): CreateFindingInput => ({
  title: `Forged tokens ${run}`,
  body: "The actor **forged** tokens with the acquired MSA key.",
  severity: "high",
  confidence: "medium",
  ...extra,
});

async function write(input: CreateFindingInput, actor = responder, incident = incidentId) {
  const result = await createFinding(actor, incident, CreateFindingSchema.parse(input), { requestId: null });
  return result.body as FindingDto;
}

async function change(id: string, input: UpdateFindingInput, actor = responder) {
  const result = await updateFinding(actor, incidentId, id, UpdateFindingSchema.parse(input), {
    requestId: null,
  });
  return result.body as FindingDto;
}

const list = (query: FindingListQueryInput, actor = responder) =>
  listFindings(actor, incidentId, FindingListQuerySchema.parse(query));

const auditCount = (entityId: string) =>
  db().auditEntry.count({ where: { entityId, entityType: "finding" } });

beforeAll(async () => {
  const [incident, other] = await Promise.all([
    db().incident.create({
      data: { slug: `findings-${run}`, name: "Findings test", publicSummary: "Test." },
    }),
    db().incident.create({ data: { slug: `findings-other-${run}`, name: "Other", publicSummary: "Test." } }),
  ]);
  incidentId = incident.id;
  incidentSlug = incident.slug;
  otherIncidentId = other.id;
  const eventData = (incident: string, title: string) => ({
    incidentId: incident,
    occurredAt: new Date("2023-06-16T00:00:00Z"),
    precision: "day" as const,
    lane: "response" as const,
    phase: "detection" as const,
    title,
    source: "https://example.org/source",
    verification: "primary" as const,
  });
  const [event, otherEvent, indicator, otherIndicator, organization] = await Promise.all([
    db().timelineEvent.create({ data: eventData(incidentId, "Detection by State") }),
    db().timelineEvent.create({ data: eventData(otherIncidentId, "Elsewhere") }),
    db().indicator.create({
      data: { incidentId, type: "ipv4", value: "51.89.156.153", normalizedValue: "51.89.156.153" },
    }),
    db().indicator.create({
      data: { incidentId: otherIncidentId, type: "ipv4", value: "192.0.2.1", normalizedValue: "192.0.2.1" },
    }),
    db().affectedOrganization.create({
      data: { incidentId, name: `State ${run}`, kind: "government", determinedAffectedAt: new Date() },
    }),
  ]);
  eventId = event.id;
  otherEventId = otherEvent.id;
  indicatorId = indicator.id;
  otherIndicatorId = otherIndicator.id;
  organizationId = organization.id;
  responder = await createUser("responder");
  executive = await createUser("executive");
  agencyUser = await createUser("agency", organizationId);
});

afterAll(async () => {
  await db().$disconnect();
});

describe("createFinding", () => {
  it("stores a finding with its links and evidence, renders the body, and writes one audit entry", async () => {
    const sha = "a".repeat(64);
    const finding = await write(
      base({
        body: "Tokens **forged**.\n\n<script>alert(1)</script>",
        eventIds: [eventId],
        indicatorIds: [indicatorId],
        organizationIds: [organizationId],
        techniqueIds: ["t1606"],
        evidence: [
          { description: "Sign-in logs", location: "s3://evidence/logs.zip", sha256: sha.toUpperCase() },
        ],
      }),
    );
    expect(finding).toMatchObject({ status: "draft", severity: "high", confidence: "medium", version: 1 });
    expect(finding.bodyHtml).toContain("<strong>forged</strong>");
    expect(finding.bodyHtml).not.toContain("<script>");
    expect(finding.events).toEqual([{ id: eventId, title: "Detection by State" }]);
    expect(finding.indicators).toEqual([{ id: indicatorId, type: "ipv4", value: "51.89.156.153" }]);
    expect(finding.organizations).toEqual([{ id: organizationId, name: `State ${run}` }]);
    expect(finding.techniques[0]?.id).toBe("T1606");
    expect(finding.evidence).toMatchObject([{ description: "Sign-in logs", sha256: sha }]);
    expect(finding.createdBy).toBe(responder.name);
    expect(await auditCount(finding.id)).toBe(1);
    expect(await getFinding(executive, incidentId, finding.id)).toEqual(finding);
  });

  it("names the field of every refusal", () => {
    const parsed = CreateFindingSchema.safeParse({
      title: " ",
      body: "",
      severity: "severe",
      confidence: "sure",
      techniqueIds: ["T9999"],
      evidence: [{ description: "x", location: "y", sha256: "abc" }],
      extra: 1,
    });
    expect(parsed.success).toBe(false);
    const messages = parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(messages.join("\n")).toMatch(/extra/);
    const strictless = CreateFindingSchema.safeParse({
      title: " ",
      body: "",
      severity: "severe",
      confidence: "sure",
      techniqueIds: ["T9999"],
      evidence: [{ description: "x", location: "y", sha256: "abc" }],
    });
    const fields = strictless.error?.issues.map((i) => i.path.join(".")) ?? [];
    expect(fields).toEqual(
      expect.arrayContaining([
        "title",
        "body",
        "severity",
        "confidence",
        "techniqueIds.0",
        "evidence.0.sha256",
      ]),
    );
    const sha = strictless.error?.issues.find((i) => i.path.join(".") === "evidence.0.sha256");
    expect(sha?.message).toMatch(/64 hexadecimal/);
  });

  it("refuses links to records of another incident, naming each entry, and stores nothing", async () => {
    const before = await db().finding.count({ where: { incidentId } });
    const error = await captureError(() =>
      write(base({ eventIds: [eventId, otherEventId], indicatorIds: [otherIndicatorId] })),
    );
    expect(error.status).toBe(422);
    expect(error.details?.map((d) => d.field)).toEqual(["eventIds.1", "indicatorIds.0"]);
    expect(await db().finding.count({ where: { incidentId } })).toBe(before);
  });

  it("refuses executives and agency users", async () => {
    expect((await captureError(() => write(base(), executive))).status).toBe(403);
    expect((await captureError(() => write(base(), agencyUser))).status).toBe(403);
  });
});

describe("updateFinding", () => {
  it("applies a change with the version read, bumps it, and writes one audit entry", async () => {
    const finding = await write(base({ eventIds: [eventId] }));
    const changed = await change(finding.id, {
      status: "confirmed",
      severity: "critical",
      indicatorIds: [indicatorId],
      version: 1,
    });
    expect(changed).toMatchObject({ status: "confirmed", severity: "critical", version: 2 });
    expect(changed.events).toHaveLength(1); // left out: kept
    expect(changed.indicators.map((i) => i.id)).toEqual([indicatorId]);
    expect(await auditCount(finding.id)).toBe(2);
  });

  it("answers a stale version with 409 naming who changed it and when", async () => {
    const finding = await write(base());
    await change(finding.id, { title: `Renamed ${run}`, version: 1 });
    const error = await captureError(() => change(finding.id, { title: "Too late", version: 1 }));
    expect(error.status).toBe(409);
    expect(error.userMessage).toContain(`changed by ${responder.email}`);
    expect(error.userMessage).toMatch(/at \d{4}-\d\d-\d\dT/);
    expect(error.details?.[0]?.field).toBe("version");
    expect(await auditCount(finding.id)).toBe(2);
  });

  it("refuses a link to another incident's record and keeps the finding as it was", async () => {
    const finding = await write(base());
    const error = await captureError(() => change(finding.id, { eventIds: [otherEventId], version: 1 }));
    expect(error.status).toBe(422);
    expect(error.details?.[0]?.field).toBe("eventIds.0");
    expect((await getFinding(responder, incidentId, finding.id)).version).toBe(1);
  });

  it("answers 404 for a finding of another incident and refuses executives", async () => {
    const elsewhere = await write(base(), responder, otherIncidentId);
    expect((await captureError(() => change(elsewhere.id, { title: "x", version: 1 }))).status).toBe(404);
    expect((await captureError(() => change("not-a-finding-id", { title: "x", version: 1 }))).status).toBe(
      404,
    );
    expect((await captureError(() => getFindingHistory(responder, incidentId, "storm-0558"))).status).toBe(
      404,
    );
    const finding = await write(base());
    expect((await captureError(() => change(finding.id, { title: "x", version: 1 }, executive))).status).toBe(
      403,
    );
  });
});

describe("getFindingHistory", () => {
  it("lists creation and every change, newest first, with before and after per changed field", async () => {
    const finding = await write(base({ title: `History ${run}` }));
    await change(finding.id, { status: "confirmed", organizationIds: [organizationId], version: 1 });
    await change(finding.id, { body: "Rewritten.", version: 2 });
    const history = await getFindingHistory(executive, incidentId, finding.id);
    expect(history.map((h) => h.action)).toEqual(["updated", "updated", "created"]);
    expect(history[0]?.changes).toEqual([{ field: "body", before: base().body, after: "Rewritten." }]);
    expect(history[1]?.changes).toEqual([
      { field: "status", before: "draft", after: "confirmed" },
      { field: "organizations", before: [], after: [`State ${run}`] },
    ]);
    expect(history[1]?.actor).toContain(responder.email);
    expect(history[2]?.changes.map((c) => c.field)).toEqual([
      "title",
      "body",
      "severity",
      "status",
      "confidence",
    ]);
  });

  it("refuses agency users", async () => {
    const finding = await write(base());
    expect((await captureError(() => getFindingHistory(agencyUser, incidentId, finding.id))).status).toBe(
      403,
    );
  });
});

describe("listFindings", () => {
  it("filters by status, severity and full text, and pages with a keyset cursor", async () => {
    const marker = `zebra${run}`;
    const made: FindingDto[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(
        await write(
          base({
            title: `Paged ${i} ${run}`,
            body: i % 2 === 0 ? `Mentions ${marker} here.` : "Nothing special.",
            severity: i < 2 ? "low" : "medium",
            status: i === 4 ? "dismissed" : "draft",
          }),
        ),
      );
    }
    const found = await list({ q: marker });
    expect(found.items.map((f) => f.title).sort()).toEqual([
      `Paged 0 ${run}`,
      `Paged 2 ${run}`,
      `Paged 4 ${run}`,
    ]);
    const low = await list({ severity: "low", q: run });
    expect(low.items.map((f) => f.title).sort()).toEqual([`Paged 0 ${run}`, `Paged 1 ${run}`]);
    const dismissed = await list({ status: "dismissed", q: `Paged ${run}` });
    expect(dismissed.items.map((f) => f.id)).toEqual([made[4]?.id]);

    // Paging two at a time reaches every finding once, newest first.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ limit: 2, cursor });
      seen.push(...page.items.map((f) => f.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const all = await list({ limit: 200 });
    expect(seen).toEqual(all.items.map((f) => f.id));
    expect(new Set(seen).size).toBe(seen.length);
    for (const finding of made) expect(seen).toContain(finding.id);
  });

  it("refuses a cursor it did not issue and bad filters", async () => {
    expect((await captureError(() => list({ cursor: "nope" }))).status).toBe(400);
    expect(FindingListQuerySchema.safeParse({ status: "open" }).error?.issues[0]?.message).toMatch(
      /^status must be/,
    );
  });

  it("lets executives read, refuses agency users (403), and finds the incident by slug", async () => {
    await write(base());
    expect((await list({}, executive)).items.length).toBeGreaterThan(0);
    expect((await captureError(() => list({}, agencyUser))).status).toBe(403);
    expect((await findFindingIncident(responder, incidentSlug)).id).toBe(incidentId);
    expect((await captureError(() => findFindingIncident(agencyUser, incidentSlug))).status).toBe(403);
  });
});

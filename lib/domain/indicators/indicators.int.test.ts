// Indicators against a real Postgres: add (and re-add merging), change with versions, delete, the
// list's filters and keyset paging under every sort, sightings, and who may do what.
import { randomUUID } from "node:crypto";
import stableStringify from "safe-stable-stringify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import {
  CreateIndicatorSchema,
  CreateSightingSchema,
  INDICATOR_SORTS,
  IndicatorListQuerySchema,
  UpdateIndicatorSchema,
  type CreateIndicatorInput,
  type IndicatorListQueryInput,
} from "../../validation/indicators.ts";
import { createIndicator, deleteIndicator, reportSighting, updateIndicator } from "./commands.ts";
import type { IndicatorDto, SightingDto } from "./dto.ts";
import { listTimelineEvents } from "../timeline/queries.ts";
import { findIndicatorIncident, getIndicator, listIndicators, listSightings } from "./queries.ts";

const run = randomUUID().slice(0, 8);
let incidentId: string;
let incidentSlug: string;
let otherIncidentId: string;
let ownOrgId: string;
let otherOrgId: string;
let responder: Actor;
let executive: Actor;
let agencyUser: Actor;
let otherAgencyUser: Actor;

async function captureError(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected an AppError, but the call succeeded.");
}

async function createUser(role: Actor["role"], organizationId: string | null = null): Promise<Actor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@indicators-test.example`;
  const user = await db().user.create({
    data: { email, name: `${role} ${run}`, role, organizationId, passwordHash: "unused" },
  });
  return { userId: user.id, email, name: user.name, role, organizationId, readOnly: false };
}

async function add(input: CreateIndicatorInput, actor = responder, incident = incidentId) {
  return createIndicator(actor, incident, CreateIndicatorSchema.parse(input), { requestId: null });
}

const auditCount = (entityId: string) => db().auditEntry.count({ where: { entityId } });

beforeAll(async () => {
  const [incident, other] = await Promise.all([
    db().incident.create({
      data: { slug: `indicators-${run}`, name: "Indicators test", publicSummary: "Test." },
    }),
    db().incident.create({
      data: { slug: `indicators-other-${run}`, name: "Other", publicSummary: "Test." },
    }),
  ]);
  incidentId = incident.id;
  incidentSlug = incident.slug;
  otherIncidentId = other.id;
  const determinedAffectedAt = new Date("2023-06-16T00:00:00Z");
  const [own, otherOrg] = await Promise.all([
    db().affectedOrganization.create({
      data: { incidentId, name: `Own ${run}`, kind: "government", determinedAffectedAt },
    }),
    db().affectedOrganization.create({
      data: { incidentId, name: `Other ${run}`, kind: "government", determinedAffectedAt },
    }),
  ]);
  ownOrgId = own.id;
  otherOrgId = otherOrg.id;
  responder = await createUser("responder");
  executive = await createUser("executive");
  agencyUser = await createUser("agency", ownOrgId);
  otherAgencyUser = await createUser("agency", otherOrgId);
});

afterAll(async () => {
  await db().$disconnect();
});

describe("createIndicator", () => {
  it("stores the normalized value, answers 201, and writes one audit entry", async () => {
    const result = await add({
      type: "ipv6",
      value: "2001:DB8:0:0:0:0:0:AB",
      tlp: "GREEN",
      confidence: 80,
      firstSeenAt: "2023-05-15",
    });
    expect(result.status).toBe(201);
    const body = result.body as IndicatorDto;
    expect(body).toMatchObject({
      type: "ipv6",
      normalizedValue: "2001:db8::ab",
      tlp: "GREEN",
      confidence: 80,
      version: 1,
    });
    expect(body.firstSeenAt).toBe("2023-05-15T00:00:00.000Z");
    expect(await auditCount(body.id)).toBe(1);
  });

  it("re-adding the same indicator (defanged, other case) widens first/last seen instead of duplicating", async () => {
    const first = (
      await add({
        type: "domain",
        value: `merge-${run}.example.com`,
        firstSeenAt: "2023-06-01",
        lastSeenAt: "2023-06-10",
      })
    ).body as IndicatorDto;
    const again = await add({
      type: "domain",
      value: `MERGE-${run}[.]example[.]com`,
      firstSeenAt: "2023-05-20",
      lastSeenAt: "2023-06-05",
    });
    expect(again.status).toBe(200);
    const merged = again.body as IndicatorDto;
    expect(merged.id).toBe(first.id);
    expect(merged.firstSeenAt).toBe("2023-05-20T00:00:00.000Z");
    expect(merged.lastSeenAt).toBe("2023-06-10T00:00:00.000Z");
    expect(merged.version).toBe(2);
    expect(
      await db().indicator.count({ where: { incidentId, normalizedValue: `merge-${run}.example.com` } }),
    ).toBe(1);
    // Re-adding with nothing new changes nothing and writes no audit entry.
    const audits = await auditCount(first.id);
    const same = await add({ type: "domain", value: `merge-${run}.example.com`, firstSeenAt: "2023-06-01" });
    expect((same.body as IndicatorDto).version).toBe(2);
    expect(await auditCount(first.id)).toBe(audits);
  });

  it("two concurrent adds of one value end as one indicator", async () => {
    const value = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
    const results = await Promise.all([
      add({ type: "ipv4", value, lastSeenAt: "2023-06-01" }),
      add({ type: "ipv4", value, lastSeenAt: "2023-06-02" }),
    ]);
    const ids = new Set(results.map((r) => (r.body as IndicatorDto).id));
    expect(ids.size).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
  });

  it("refuses invalid values naming the field, and stores nothing", () => {
    for (const [type, value] of [
      ["ipv4", "10.0.0.300"],
      ["ipv4", "999.1.1.1"],
      ["sha1", "d4b4cccda9228624656bff33d811095577963"],
      ["url", "http//x"],
    ] as const) {
      const parsed = CreateIndicatorSchema.safeParse({ type, value });
      expect(parsed.success, `${type} ${value}`).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["value"]);
    }
    const unknown = CreateIndicatorSchema.safeParse({ type: "mutex", value: "x" });
    expect(unknown.error?.issues[0]?.path).toEqual(["type"]);
    expect(unknown.error?.issues[0]?.message).toMatch(/type must be one of ipv4/);
  });

  it("refuses links to another incident's organization or an unknown event", async () => {
    const error = await captureError(() =>
      add(
        {
          type: "md5",
          value: "d41d8cd98f00b204e9800998ecf8427e",
          organizationIds: [ownOrgId],
          eventIds: [randomUUID()],
        },
        responder,
        otherIncidentId,
      ),
    );
    expect(error.status).toBe(422);
    expect(error.details?.map((d) => d.field)).toEqual(["organizationIds.0", "eventIds.0"]);
  });

  it("the same POST with one Idempotency-Key sent 100 times at once has one effect and identical answers", async () => {
    const body = JSON.stringify({ type: "domain", value: `idem-${run}.example.org` });
    const idempotency = {
      principalId: responder.userId,
      key: `key-${run}`,
      method: "POST",
      path: `/api/v1/incidents/${incidentId}/indicators`,
      body,
    };
    const input = CreateIndicatorSchema.parse(JSON.parse(body));
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        createIndicator(responder, incidentId, input, { idempotency, requestId: null }),
      ),
    );
    // Same content (a replay comes back from jsonb, whose key order differs from the first answer's).
    expect([...new Set(results.map((r) => stableStringify([r.status, r.body])))]).toHaveLength(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const id = (results[0]?.body as IndicatorDto).id;
    expect(
      await db().indicator.count({ where: { incidentId, normalizedValue: `idem-${run}.example.org` } }),
    ).toBe(1);
    expect(await auditCount(id)).toBe(1);
    const reused = await captureError(() =>
      createIndicator(
        responder,
        incidentId,
        CreateIndicatorSchema.parse({ type: "domain", value: `other-${run}.example.org` }),
        {
          idempotency: {
            ...idempotency,
            body: JSON.stringify({ type: "domain", value: `other-${run}.example.org` }),
          },
          requestId: null,
        },
      ),
    );
    expect(reused.status).toBe(422);
    expect(reused.code).toBe("idempotency_key_reused");
  });

  it("executives and agency users may not add", async () => {
    for (const actor of [executive, agencyUser]) {
      const error = await captureError(() => add({ type: "ipv4", value: "192.0.2.200" }, actor));
      expect(error.status).toBe(403);
    }
  });
});

describe("updateIndicator and deleteIndicator", () => {
  it("applies a change with the version read; a stale version gets 409 naming who changed it", async () => {
    const created = (await add({ type: "sha256", value: "a".repeat(64) })).body as IndicatorDto;
    const changed = await updateIndicator(
      responder,
      incidentId,
      created.id,
      UpdateIndicatorSchema.parse({ version: 1, tlp: "AMBER", description: "Page hash" }),
      {
        requestId: null,
      },
    );
    expect(changed.body).toMatchObject({ tlp: "AMBER", description: "Page hash", version: 2 });
    const stale = await captureError(() =>
      updateIndicator(
        responder,
        incidentId,
        created.id,
        UpdateIndicatorSchema.parse({ version: 1, tlp: "RED" }),
        { requestId: null },
      ),
    );
    expect(stale.status).toBe(409);
    expect(stale.userMessage).toContain(`by ${responder.email}`);
    expect(await auditCount(created.id)).toBe(2);
  });

  it("refuses a new value that another indicator already has", async () => {
    const one = (await add({ type: "md5", value: "0".repeat(32) })).body as IndicatorDto;
    const two = (await add({ type: "md5", value: "1".repeat(32) })).body as IndicatorDto;
    const error = await captureError(() =>
      updateIndicator(
        responder,
        incidentId,
        two.id,
        UpdateIndicatorSchema.parse({ version: 1, type: "md5", value: "0".repeat(32).toUpperCase() }),
        {
          requestId: null,
        },
      ),
    );
    expect(error.status).toBe(409);
    expect(error.userMessage).toContain(one.id);
  });

  it("deletes with the version, and the indicator is gone", async () => {
    const created = (await add({ type: "filename", value: `dropper-${run}.exe` })).body as IndicatorDto;
    const stale = await captureError(() =>
      deleteIndicator(responder, incidentId, created.id, { version: 9, requestId: null }),
    );
    expect(stale.status).toBe(409);
    const result = await deleteIndicator(responder, incidentId, created.id, { version: 1, requestId: null });
    expect(result.body).toEqual({ id: created.id, deleted: true });
    expect((await captureError(() => getIndicator(responder, incidentId, created.id))).status).toBe(404);
  });
});

describe("listIndicators", () => {
  let listIncidentId: string;
  const all: IndicatorDto[] = [];

  beforeAll(async () => {
    const incident = await db().incident.create({
      data: { slug: `indicators-list-${run}`, name: "List", publicSummary: "Test." },
    });
    listIncidentId = incident.id;
    const inputs: CreateIndicatorInput[] = [];
    for (let i = 0; i < 12; i += 1) {
      inputs.push({
        type: "ipv4",
        value: `203.0.113.${i + 1}`,
        tlp: i % 3 === 0 ? "RED" : "CLEAR",
        // Some without dates, some sharing one, so the keyset must break ties on id and place nulls last.
        ...(i % 4 === 0
          ? {}
          : { lastSeenAt: `2023-06-${String(10 + (i % 3)).padStart(2, "0")}`, firstSeenAt: "2023-05-15" }),
        description: i === 5 ? "Proxy used for token replay" : null,
      });
      inputs.push({ type: "sha1", value: (i + 1).toString(16).padStart(40, "0") });
    }
    inputs.push({ type: "user-agent", value: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" });
    for (const input of inputs) {
      const result = await add(input, responder, listIncidentId);
      if (result.status === 201) all.push(result.body as IndicatorDto);
    }
  });

  async function pageThrough(query: IndicatorListQueryInput, actor = responder): Promise<IndicatorDto[]> {
    const seen: IndicatorDto[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 50; guard += 1) {
      const page = await listIndicators(
        actor,
        listIncidentId,
        IndicatorListQuerySchema.parse({ ...query, limit: 4, cursor }),
      );
      seen.push(...page.items);
      if (!page.nextCursor) return seen;
      cursor = page.nextCursor;
    }
    throw new Error("paging did not end");
  }

  it.each(INDICATOR_SORTS)("pages by keyset under sort %s: every indicator once, in order", async (sort) => {
    const paged = await pageThrough({ sort });
    expect(paged.map((i) => i.id).sort()).toEqual(all.map((i) => i.id).sort());
    const whole = await listIndicators(
      responder,
      listIncidentId,
      IndicatorListQuerySchema.parse({ sort, limit: 200 }),
    );
    expect(paged.map((i) => i.id)).toEqual(whole.items.map((i) => i.id));
    expect(whole.total).toBe(all.length);
  });

  it("filters by type, TLP and text, and counts the matches", async () => {
    const red = await listIndicators(
      responder,
      listIncidentId,
      IndicatorListQuerySchema.parse({ tlp: "RED" }),
    );
    expect(red.total).toBe(4);
    const ua = await listIndicators(
      responder,
      listIncidentId,
      IndicatorListQuerySchema.parse({ type: "user-agent" }),
    );
    expect(ua.items.map((i) => i.type)).toEqual(["user-agent"]);
    const text = await listIndicators(
      responder,
      listIncidentId,
      IndicatorListQuerySchema.parse({ q: "token replay" }),
    );
    expect(text.items.map((i) => i.value)).toEqual(["203.0.113.6"]);
  });

  it("refuses a cursor issued for another sort", async () => {
    const page = await listIndicators(
      responder,
      listIncidentId,
      IndicatorListQuerySchema.parse({ sort: "value", limit: 2 }),
    );
    const error = await captureError(() =>
      listIndicators(
        responder,
        listIncidentId,
        IndicatorListQuerySchema.parse({ sort: "type", cursor: page.nextCursor ?? "" }),
      ),
    );
    expect(error.status).toBe(400);
  });
});

describe("agency users", () => {
  let clear: IndicatorDto;
  let red: IndicatorDto;
  let amberOwn: IndicatorDto;
  let amberOther: IndicatorDto;

  beforeAll(async () => {
    clear = (await add({ type: "ipv4", value: "192.0.2.10", tlp: "CLEAR", internalNote: "from a partner" }))
      .body as IndicatorDto;
    red = (await add({ type: "ipv4", value: "192.0.2.11", tlp: "RED" })).body as IndicatorDto;
    amberOwn = (await add({ type: "ipv4", value: "192.0.2.12", tlp: "AMBER", organizationIds: [ownOrgId] }))
      .body as IndicatorDto;
    amberOther = (
      await add({ type: "ipv4", value: "192.0.2.13", tlp: "AMBER", organizationIds: [otherOrgId] })
    ).body as IndicatorDto;
  });

  it("see CLEAR/GREEN and AMBER linked to their own organization, never RED or another's, and no internal notes", async () => {
    const incident = await findIndicatorIncident(agencyUser, incidentSlug);
    expect(incident.id).toBe(incidentId);
    const page = await listIndicators(agencyUser, incidentId, IndicatorListQuerySchema.parse({ limit: 200 }));
    const ids = page.items.map((i) => i.id);
    expect(ids).toContain(clear.id);
    expect(ids).toContain(amberOwn.id);
    expect(ids).not.toContain(red.id);
    expect(ids).not.toContain(amberOther.id);
    expect(page.items.every((i) => !("internalNote" in i))).toBe(true);
    for (const id of [red.id, amberOther.id, randomUUID()]) {
      const error = await captureError(() => getIndicator(agencyUser, incidentId, id));
      expect(error.status).toBe(404);
    }
  });

  it("an event they may see does not show the linked indicators they may not", async () => {
    await db().timelineEvent.create({
      data: {
        incidentId,
        occurredAt: new Date("2023-06-16T00:00:00Z"),
        precision: "day",
        lane: "response",
        phase: "detection",
        title: `Linked to four indicators ${run}`,
        source: "test",
        verification: "primary",
        tlp: "CLEAR",
        indicators: { create: [clear, red, amberOwn, amberOther].map((i) => ({ indicatorId: i.id })) },
      },
    });
    const seen = await listTimelineEvents(agencyUser, incidentId, {
      q: `Linked to four indicators ${run}`,
      limit: 10,
    });
    expect(seen.items).toHaveLength(1);
    expect(seen.items[0]?.indicators.map((i) => i.id).sort()).toEqual([clear.id, amberOwn.id].sort());
    const staff = await listTimelineEvents(responder, incidentId, {
      q: `Linked to four indicators ${run}`,
      limit: 10,
    });
    expect(staff.items[0]?.indicators).toHaveLength(4);
  });

  it("cannot address another incident (404, like a missing one)", async () => {
    const otherSlug = (await db().incident.findUniqueOrThrow({ where: { id: otherIncidentId } })).slug;
    expect((await captureError(() => findIndicatorIncident(agencyUser, otherSlug))).status).toBe(404);
  });

  it("report sightings for their own organization only, and read only their own", async () => {
    const input = CreateSightingSchema.parse({
      seenAt: "2023-06-20T08:00:00Z",
      location: "mail gateway",
      note: "blocked",
    });
    const mine = (await reportSighting(agencyUser, incidentId, clear.id, input, { requestId: null }))
      .body as SightingDto;
    expect(mine.organization.id).toBe(ownOrgId);
    await reportSighting(otherAgencyUser, incidentId, clear.id, input, { requestId: null });
    const forMe = await listSightings(agencyUser, incidentId, clear.id);
    expect(forMe.map((s) => s.organization.id)).toEqual([ownOrgId]);
    const forStaff = await listSightings(responder, incidentId, clear.id);
    expect(new Set(forStaff.map((s) => s.organization.id))).toEqual(new Set([ownOrgId, otherOrgId]));
    // Counts follow the same rule.
    expect((await getIndicator(agencyUser, incidentId, clear.id)).sightingsCount).toBe(1);
    expect((await getIndicator(responder, incidentId, clear.id)).sightingsCount).toBe(2);
    expect(await auditCount(mine.id)).toBe(1);

    const hidden = await captureError(() =>
      reportSighting(agencyUser, incidentId, red.id, input, { requestId: null }),
    );
    expect(hidden.status).toBe(404);
    const otherOrg = await captureError(() =>
      reportSighting(
        agencyUser,
        incidentId,
        clear.id,
        { ...input, organizationId: otherOrgId },
        { requestId: null },
      ),
    );
    expect(otherOrg.status).toBe(404);
  });

  it("staff name the organization of a sighting; a future time is refused", async () => {
    const missing = await captureError(() =>
      reportSighting(responder, incidentId, clear.id, CreateSightingSchema.parse({ seenAt: "2023-06-21" }), {
        requestId: null,
      }),
    );
    expect(missing.status).toBe(422);
    expect(missing.details?.[0]?.field).toBe("organizationId");
    const future = CreateSightingSchema.safeParse({ seenAt: "2999-01-01" });
    expect(future.error?.issues[0]?.path).toEqual(["seenAt"]);
    expect(
      (
        await captureError(() =>
          reportSighting(
            executive,
            incidentId,
            clear.id,
            CreateSightingSchema.parse({ seenAt: "2023-06-21" }),
            { requestId: null },
          ),
        )
      ).status,
    ).toBe(403);
  });
});

// Timeline reads against a real Postgres: keyset paging, each list filter, and what each role may see.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { EventListQuerySchema } from "../../validation/timeline.ts";
import type { LaneKey, PhaseKey, TlpKey } from "../vocabulary.ts";
import {
  getTimelineEvent,
  listTimelineEvents,
  toTimelineEventDto,
  type TimelineEventDto,
} from "./queries.ts";

const run = randomUUID().slice(0, 8);
const SOURCE = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a";

/** Actors are never loaded from the database by the queries, so they need no user rows. */
function actor(role: Actor["role"], organizationId: string | null = null): Actor {
  return {
    userId: randomUUID(),
    email: `${role}-${run}@queries-test.example`,
    name: `${role} ${run}`,
    role,
    organizationId,
    readOnly: false,
  };
}

const responder = actor("responder");
const admin = actor("admin");
const executive = actor("executive");

interface EventSpec {
  occurredAt: string;
  occurredUntil?: string;
  precision?: "day" | "range" | "minute";
  lane?: LaneKey;
  phase?: PhaseKey;
  title?: string;
  description?: string;
  source?: string;
  tlp?: TlpKey;
  internalNote?: string;
  organizationIds?: string[];
  indicatorIds?: string[];
  techniqueIds?: string[];
}

async function insertEvent(incidentId: string, key: string, spec: EventSpec): Promise<string> {
  const row = await db().timelineEvent.create({
    data: {
      incidentId,
      occurredAt: new Date(spec.occurredAt),
      occurredUntil: spec.occurredUntil ? new Date(spec.occurredUntil) : null,
      precision: spec.precision ?? (spec.occurredUntil ? "range" : "day"),
      lane: spec.lane ?? "response",
      phase: spec.phase ?? "investigation",
      // The key leads the title so a listed event can be mapped back to its key.
      title: spec.title ?? `${key}: event ${run}`,
      description: spec.description ?? null,
      source: spec.source ?? SOURCE,
      verification: "primary",
      tlp: spec.tlp ?? "CLEAR",
      internalNote: spec.internalNote ?? null,
      organizations: { create: (spec.organizationIds ?? []).map((organizationId) => ({ organizationId })) },
      indicators: { create: (spec.indicatorIds ?? []).map((indicatorId) => ({ indicatorId })) },
      techniques: { create: (spec.techniqueIds ?? []).map((techniqueId) => ({ techniqueId })) },
    },
    select: { id: true },
  });
  return row.id;
}

async function createIncident(label: string): Promise<string> {
  const incident = await db().incident.create({
    data: { slug: `queries-${label}-${run}`, name: `Queries test (${label})`, publicSummary: "Test." },
  });
  return incident.id;
}

async function createOrganization(incidentId: string, name: string): Promise<string> {
  const organization = await db().affectedOrganization.create({
    data: { incidentId, name, kind: "government", determinedAffectedAt: new Date("2023-06-16T00:00:00Z") },
  });
  return organization.id;
}

/** A list query exactly as the API route would build it from query parameters. */
const query = (raw: Record<string, string> = {}) => EventListQuerySchema.parse(raw);

/** Every event the actor gets for the query, following nextCursor to the end. */
async function listAll(
  who: Actor,
  incidentId: string,
  raw: Record<string, string> = {},
  limit = 500,
): Promise<{ items: TimelineEventDto[]; pages: number }> {
  const items: TimelineEventDto[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await listTimelineEvents(
      who,
      incidentId,
      query({ ...raw, limit: String(limit), ...(cursor ? { cursor } : {}) }),
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
    // A broken cursor could loop forever; no test here needs more pages than this.
    if (pages > 200) throw new Error("paging did not end");
  } while (cursor);
  return { items, pages };
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

const incidentIds: string[] = [];

afterAll(async () => {
  // Events, organizations and indicators go with their incident (ON DELETE CASCADE).
  await db().incident.deleteMany({ where: { id: { in: incidentIds } } });
  await db().$disconnect();
});

describe("keyset paging", () => {
  let incidentId: string;
  /** Every event of the incident in (occurredAt, id) order, computed here rather than by the query. */
  let expected: { id: string; occurredAt: Date; lane: LaneKey }[];
  const shared = "2023-06-16T00:00:00.000Z";
  const sharedLater = "2023-06-20T12:00:00.000Z";

  beforeAll(async () => {
    incidentId = await createIncident("paging");
    incidentIds.push(incidentId);
    const rows: { occurredAt: Date; lane: LaneKey; title: string }[] = [];
    // Most rows share one instant, so only the id breaks ties: a cursor holding the time alone would
    // skip or repeat them at every page boundary.
    for (let i = 0; i < 30; i += 1)
      rows.push({
        occurredAt: new Date(shared),
        lane: i % 3 === 0 ? "adversary" : "response",
        title: `tie ${i}`,
      });
    for (let i = 0; i < 6; i += 1)
      rows.push({
        occurredAt: new Date(sharedLater),
        lane: i % 2 === 0 ? "adversary" : "response",
        title: `later tie ${i}`,
      });
    for (let i = 0; i < 19; i += 1) {
      // Spread before, between and after the shared instants, inserted out of order.
      const day = ((i * 7) % 19) + 1;
      rows.push({
        occurredAt: new Date(Date.UTC(2023, 5, day, i % 24, 0, 0, i)),
        lane: i % 2 === 0 ? "adversary" : "response",
        title: `spread ${i}`,
      });
    }
    await db().timelineEvent.createMany({
      data: rows.map((row) => ({
        incidentId,
        occurredAt: row.occurredAt,
        precision: "minute" as const,
        lane: row.lane,
        phase: "activity" as const,
        title: `${row.title} ${run}`,
        source: SOURCE,
        verification: "primary" as const,
      })),
    });
    const stored = await db().timelineEvent.findMany({
      where: { incidentId },
      select: { id: true, occurredAt: true, lane: true },
    });
    expected = stored.sort(
      (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    expect(expected).toHaveLength(55);
    expect(expected.filter((e) => e.occurredAt.toISOString() === shared)).toHaveLength(30);
  });

  it.each([1, 7, 11, 30, 54, 55, 100])(
    "walks every event exactly once in (occurredAt, id) order with limit %i",
    async (limit) => {
      const { items, pages } = await listAll(responder, incidentId, {}, limit);
      expect(items.map((e) => e.id)).toEqual(expected.map((e) => e.id));
      expect(new Set(items.map((e) => e.id)).size).toBe(expected.length);
      // A page is only announced when there is something on it: no empty trailing page.
      expect(pages).toBe(Math.ceil(expected.length / limit));
    },
  );

  it("keeps a filter across pages", async () => {
    const { items } = await listAll(responder, incidentId, { lane: "adversary" }, 4);
    const adversary = expected.filter((e) => e.lane === "adversary");
    expect(adversary.length).toBeGreaterThan(8);
    expect(items.map((e) => e.id)).toEqual(adversary.map((e) => e.id));
  });

  it("answers nextCursor null on the last page", async () => {
    const page = await listTimelineEvents(responder, incidentId, query({ limit: "55" }));
    expect(page.items).toHaveLength(55);
    expect(page.nextCursor).toBeNull();
    const first = await listTimelineEvents(responder, incidentId, query({ limit: "54" }));
    expect(first.nextCursor).toEqual(expect.any(String));
  });

  it("refuses a tampered or foreign cursor with 400 invalid_cursor", async () => {
    const page = await listTimelineEvents(responder, incidentId, query({ limit: "5" }));
    const real = page.nextCursor;
    expect(real).toEqual(expect.any(String));
    const decoded = JSON.parse(Buffer.from(real ?? "", "base64url").toString("utf8")) as [string, string];
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const tampered = [
      "not-a-cursor",
      // A real cursor with its tail replaced (bytes that no longer close the JSON).
      `${(real ?? "").slice(0, -4)}AAAA`,
      encode([decoded[0], "1' OR '1'='1"]),
      encode([decoded[0]]),
      encode(["yesterday", decoded[1]]),
      encode({ at: decoded[0], id: decoded[1] }),
      encode([decoded[0], decoded[1], "extra"]),
    ];
    for (const cursor of tampered) {
      const error = await captureError(() => listTimelineEvents(responder, incidentId, query({ cursor })));
      expect(error.status, cursor).toBe(400);
      expect(error.code, cursor).toBe("invalid_cursor");
      expect(error.details?.[0]?.field).toBe("cursor");
    }
  });
});

describe("filters", () => {
  let incidentId: string;
  let stateId: string;
  let commerceId: string;
  let tokenIndicatorId: string;
  let proxyIndicatorId: string;
  const ids = new Map<string, string>();

  /** The keys of the listed events, in list order. */
  async function keysFor(raw: Record<string, string>, who: Actor = responder): Promise<string[]> {
    const { items } = await listAll(who, incidentId, raw);
    const byId = new Map([...ids].map(([key, id]) => [id, key]));
    return items.map((item) => byId.get(item.id) ?? `unknown ${item.title}`);
  }

  beforeAll(async () => {
    incidentId = await createIncident("filters");
    incidentIds.push(incidentId);
    stateId = await createOrganization(incidentId, "U.S. Department of State");
    commerceId = await createOrganization(incidentId, "U.S. Department of Commerce");
    const [token, proxy] = await Promise.all([
      db().indicator.create({
        data: { incidentId, type: "domain", value: "token.example", normalizedValue: "token.example" },
      }),
      db().indicator.create({
        data: { incidentId, type: "ipv4", value: "51.89.156.153", normalizedValue: "51.89.156.153" },
      }),
    ]);
    tokenIndicatorId = token.id;
    proxyIndicatorId = proxy.id;

    // In time order; each key is what the expectations below name.
    const specs: [string, EventSpec][] = [
      [
        "earlyAdversary",
        {
          occurredAt: "2023-05-15",
          lane: "adversary",
          phase: "initial_access",
          organizationIds: [stateId],
          techniqueIds: ["T1606"],
        },
      ],
      [
        "spanBefore",
        {
          occurredAt: "2023-06-01",
          occurredUntil: "2023-06-05",
          lane: "adversary",
          phase: "activity",
          indicatorIds: [proxyIndicatorId],
        },
      ],
      [
        "commerceAccess",
        {
          occurredAt: "2023-06-06",
          lane: "adversary",
          phase: "activity",
          title: `commerceAccess: Commerce mailboxes read (QUOKKA) ${run}`,
          organizationIds: [commerceId],
          indicatorIds: [tokenIndicatorId],
          techniqueIds: ["T1550.001"],
        },
      ],
      [
        "spanOverlappingFrom",
        {
          occurredAt: "2023-06-10",
          occurredUntil: "2023-06-20",
          lane: "adversary",
          phase: "activity",
          description: "Window of access reported by State; the quokka memo has more.",
          indicatorIds: [proxyIndicatorId, tokenIndicatorId],
        },
      ],
      [
        "detection",
        {
          occurredAt: "2023-06-16",
          phase: "detection",
          description: "The SOC saw **MailItemsAccessed** anomalies.",
          organizationIds: [stateId],
        },
      ],
      ["investigation", { occurredAt: "2023-06-21", phase: "investigation", source: "Quokka-Memo p. 3" }],
      [
        "containment",
        {
          occurredAt: "2023-06-24T15:30:00Z",
          precision: "minute",
          phase: "containment",
          organizationIds: [stateId, commerceId],
          techniqueIds: ["T1606"],
        },
      ],
      ["notification", { occurredAt: "2023-07-11", phase: "notification" }],
      ["report", { occurredAt: "2024-04-02", phase: "post_incident" }],
    ];
    for (const [key, spec] of specs) ids.set(key, await insertEvent(incidentId, key, spec));
  });

  it("lists everything in time order without filters", async () => {
    expect(await keysFor({})).toEqual([
      "earlyAdversary",
      "spanBefore",
      "commerceAccess",
      "spanOverlappingFrom",
      "detection",
      "investigation",
      "containment",
      "notification",
      "report",
    ]);
  });

  it("filters by lane and by phase (spec word or key)", async () => {
    expect(await keysFor({ lane: "adversary" })).toEqual([
      "earlyAdversary",
      "spanBefore",
      "commerceAccess",
      "spanOverlappingFrom",
    ]);
    expect(await keysFor({ lane: "response" })).toEqual([
      "detection",
      "investigation",
      "containment",
      "notification",
      "report",
    ]);
    expect(await keysFor({ phase: "initial access" })).toEqual(["earlyAdversary"]);
    expect(await keysFor({ phase: "post-incident" })).toEqual(["report"]);
    expect(await keysFor({ phase: "activity" })).toEqual([
      "spanBefore",
      "commerceAccess",
      "spanOverlappingFrom",
    ]);
  });

  it("filters by from and to, keeping a range that overlaps from", async () => {
    expect(await keysFor({ from: "2023-06-15T00:00:00.000Z", to: "2023-06-30T23:59:59.999Z" })).toEqual([
      "spanOverlappingFrom",
      "detection",
      "investigation",
      "containment",
    ]);
    // An event exactly at `from` is inside; a range that ended before it is not.
    expect(await keysFor({ from: "2023-06-16T00:00:00.000Z" })).toEqual([
      "spanOverlappingFrom",
      "detection",
      "investigation",
      "containment",
      "notification",
      "report",
    ]);
    expect(await keysFor({ to: "2023-06-06T00:00:00.000Z" })).toEqual([
      "earlyAdversary",
      "spanBefore",
      "commerceAccess",
    ]);
    // An instant is compared to the millisecond.
    expect(await keysFor({ from: "2023-06-24T15:30:00.001Z", to: "2023-07-01T00:00:00.000Z" })).toEqual([]);
    expect(await keysFor({ from: "2023-06-24T15:30:00.000Z", to: "2023-06-24T15:30:00.000Z" })).toEqual([
      "containment",
    ]);
  });

  it("searches title, description and source case-insensitively", async () => {
    expect(await keysFor({ q: "qUoKkA" })).toEqual([
      "commerceAccess",
      "spanOverlappingFrom",
      "investigation",
    ]);
    expect(await keysFor({ q: "mailitemsaccessed" })).toEqual(["detection"]);
    expect(await keysFor({ q: "no such words anywhere" })).toEqual([]);
  });

  it("filters by organization, indicator and technique", async () => {
    expect(await keysFor({ org: stateId })).toEqual(["earlyAdversary", "detection", "containment"]);
    expect(await keysFor({ org: commerceId })).toEqual(["commerceAccess", "containment"]);
    expect(await keysFor({ org: randomUUID() })).toEqual([]);
    expect(await keysFor({ indicator: tokenIndicatorId })).toEqual(["commerceAccess", "spanOverlappingFrom"]);
    expect(await keysFor({ indicator: proxyIndicatorId })).toEqual(["spanBefore", "spanOverlappingFrom"]);
    expect(await keysFor({ technique: "T1606" })).toEqual(["earlyAdversary", "containment"]);
    expect(await keysFor({ technique: "t1550.001" })).toEqual(["commerceAccess"]);
  });

  it("combines filters", async () => {
    expect(
      await keysFor({ lane: "adversary", from: "2023-06-15T00:00:00.000Z", to: "2023-06-30T23:59:59.999Z" }),
    ).toEqual(["spanOverlappingFrom"]);
    expect(await keysFor({ org: stateId, lane: "response", q: "mailitems" })).toEqual(["detection"]);
  });

  it("lists an event with its description rendered only; the full record adds the source text and audit fields", async () => {
    const id = ids.get("detection") ?? "";
    const { items } = await listAll(responder, incidentId);
    const listed = items.find((item) => item.id === id);
    expect(listed?.descriptionHtml).toContain("<strong>MailItemsAccessed</strong>");
    expect(listed?.organizations).toEqual([{ id: stateId, name: "U.S. Department of State" }]);
    for (const field of ["description", "incidentId", "updatedBy", "createdAt", "updatedAt"]) {
      expect(listed).not.toHaveProperty(field);
    }
    const full = await getTimelineEvent(responder, incidentId, id);
    expect(full).toEqual({
      ...listed,
      incidentId,
      description: "The SOC saw **MailItemsAccessed** anomalies.",
      updatedBy: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });
});

describe("who sees what", () => {
  let incidentId: string;
  let stateId: string;
  let commerceId: string;
  const ids = new Map<string, string>();
  const NOTE = "Staff only: ask State for the audit export.";

  async function keysFor(who: Actor, raw: Record<string, string> = {}, limit = 500): Promise<string[]> {
    const { items } = await listAll(who, incidentId, raw, limit);
    const byId = new Map([...ids].map(([key, id]) => [id, key]));
    return items.map((item) => byId.get(item.id) ?? `unknown ${item.title}`);
  }

  beforeAll(async () => {
    incidentId = await createIncident("scope");
    incidentIds.push(incidentId);
    stateId = await createOrganization(incidentId, "U.S. Department of State");
    commerceId = await createOrganization(incidentId, "U.S. Department of Commerce");
    const specs: [string, TlpKey, string[]][] = [
      ["clear", "CLEAR", []],
      ["green", "GREEN", []],
      ["greenOwn", "GREEN", ["state"]],
      ["amber", "AMBER", []],
      ["amberOwn", "AMBER", ["state"]],
      ["amberStrict", "AMBER_STRICT", []],
      ["amberStrictOwn", "AMBER_STRICT", ["state"]],
      ["red", "RED", []],
      ["redOwn", "RED", ["state"]],
      ["clearOther", "CLEAR", ["commerce"]],
      ["greenOwnAndOther", "GREEN", ["state", "commerce"]],
      ["amberOther", "AMBER", ["commerce"]],
    ];
    let day = 1;
    for (const [key, tlp, links] of specs) {
      ids.set(
        key,
        await insertEvent(incidentId, key, {
          occurredAt: `2023-06-${String(day).padStart(2, "0")}`,
          tlp,
          internalNote: NOTE,
          organizationIds: links.map((link) => (link === "state" ? stateId : commerceId)),
        }),
      );
      day += 1;
    }
  });

  it("shows staff every event with its internal note and all its links", async () => {
    for (const who of [responder, admin, executive]) {
      const { items } = await listAll(who, incidentId);
      expect(items).toHaveLength(12);
      for (const item of items) expect(item.internalNote).toBe(NOTE);
      const both = items.find((item) => item.id === ids.get("greenOwnAndOther"));
      expect(both?.organizations.map((o) => o.id).sort()).toEqual([stateId, commerceId].sort());
    }
  });

  it("shows an agency user CLEAR and GREEN, AMBER only when linked to its own organization, never RED or another organization's", async () => {
    const state = actor("agency", stateId);
    expect(await keysFor(state)).toEqual(["clear", "green", "greenOwn", "amberOwn", "amberStrictOwn"]);
    // Paging applies after scoping: small pages neither skip nor leak.
    expect(await keysFor(state, {}, 2)).toEqual(["clear", "green", "greenOwn", "amberOwn", "amberStrictOwn"]);

    // The organization comes from the actor: the other agency sees its own AMBER and none of State's.
    const commerce = actor("agency", commerceId);
    expect(await keysFor(commerce)).toEqual(["clear", "green", "clearOther", "amberOther"]);
  });

  it("strips internal notes, editors and links to other organizations for an agency user", async () => {
    const state = actor("agency", stateId);
    const { items } = await listAll(state, incidentId);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item).not.toHaveProperty("internalNote");
      expect(item).not.toHaveProperty("updatedBy");
      for (const organization of item.organizations) expect(organization.id).toBe(stateId);
    }
    expect(items.find((item) => item.id === ids.get("amberOwn"))?.organizations).toEqual([
      { id: stateId, name: "U.S. Department of State" },
    ]);
    expect(JSON.stringify(items)).not.toContain("Commerce");
  });

  it("strips links to other organizations in the mapping itself, not only through the scope", async () => {
    // The scope never hands an agency user such a row; the mapping must not rely on that.
    const row = await db().timelineEvent.findUniqueOrThrow({
      where: { id: ids.get("greenOwnAndOther") },
      include: {
        alternatives: true,
        organizations: { include: { organization: { select: { id: true, name: true } } } },
        indicators: { include: { indicator: { select: { id: true, type: true, value: true } } } },
        techniques: true,
        updatedBy: { select: { id: true, name: true } },
      },
    });
    expect(row.organizations).toHaveLength(2);
    const dto = toTimelineEventDto(row, actor("agency", stateId));
    expect(dto.organizations).toEqual([{ id: stateId, name: "U.S. Department of State" }]);
    expect(dto).not.toHaveProperty("internalNote");
    expect(toTimelineEventDto(row, responder).organizations).toHaveLength(2);
  });

  it("gives an agency user nothing when it filters by another organization or searches for a hidden event", async () => {
    const state = actor("agency", stateId);
    expect(await keysFor(state, { org: commerceId })).toEqual([]);
    expect(await keysFor(state, { q: "redOwn" })).toEqual([]);
    expect(await keysFor(state, { q: "greenOwnAndOther" })).toEqual([]);
    // The same search finds the visible event whose title it is part of, and only that one.
    expect(await keysFor(state, { q: "greenown" })).toEqual(["greenOwn"]);
    expect(await keysFor(state, { org: stateId })).toEqual(["greenOwn", "amberOwn", "amberStrictOwn"]);
  });

  it("refuses an agency user bound to no organization with 403", async () => {
    const error = await captureError(() => listTimelineEvents(actor("agency", null), incidentId, query()));
    expect(error.status).toBe(403);
  });
});

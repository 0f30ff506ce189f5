// Organization queries against a real Postgres: the list's filters, sorts, deadline statuses and keyset
// pages; one organization with its history; the executives' notification overview; who may read them.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import {
  CreateOrganizationSchema,
  NotificationMoveSchema,
  OrganizationListQuerySchema,
} from "../../validation/organizations.ts";
import { createOrganization, recordNotificationMove } from "./commands.ts";
import {
  getNotificationOverview,
  getOrganization,
  listOrganizations,
  type OrganizationDto,
} from "./queries.ts";

const run = randomUUID().slice(0, 8);
const HOUR = 3_600_000;
const NOW = new Date("2023-07-20T12:00:00Z");
const hoursBeforeNow = (hours: number) => new Date(NOW.getTime() - hours * HOUR).toISOString();

let incidentId: string;
let otherIncidentId: string;
let responder: Actor;
let executive: Actor;
let agencyUser: Actor;
const orgs: Record<string, OrganizationDto> = {};

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
  const email = `${role}-${randomUUID().slice(0, 8)}@organization-queries.example`;
  const user = await db().user.create({
    data: { email, name: `${role} ${run}`, role, organizationId, passwordHash: "unused" },
  });
  return { userId: user.id, email, name: user.name, role, organizationId, readOnly: false };
}

async function addOrganization(key: string, input: Record<string, unknown>, moves: [string, number][] = []) {
  const created = await createOrganization(
    responder,
    incidentId,
    CreateOrganizationSchema.parse({ name: key, kind: "government", ...input }),
    { requestId: null, now: NOW },
  );
  let organization = created.body as OrganizationDto;
  for (const [to, hoursAgo] of moves) {
    const result = await recordNotificationMove(
      responder,
      incidentId,
      organization.id,
      NotificationMoveSchema.parse({
        to,
        at: hoursBeforeNow(hoursAgo),
        version: organization.version,
        channel: "email",
      }),
      { requestId: null, now: NOW },
    );
    organization = (result.body as { organization: OrganizationDto }).organization;
  }
  orgs[key] = organization;
}

const list = (query: Record<string, string> = {}, actor = responder) =>
  listOrganizations(actor, incidentId, OrganizationListQuerySchema.parse(query), NOW);
const names = async (query: Record<string, string> = {}) => (await list(query)).items.map((org) => org.name);

/** Every name, walking the pages `limit` at a time. */
async function walk(query: Record<string, string>, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page += 1) {
    const result = await list({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    seen.push(...result.items.map((org) => org.name));
    if (!result.nextCursor) return seen;
    cursor = result.nextCursor;
  }
  throw new Error("paging did not end");
}

beforeAll(async () => {
  const [incident, other] = await Promise.all([
    db().incident.create({
      data: { slug: `organization-queries-${run}`, name: "Queries", publicSummary: "Test." },
    }),
    db().incident.create({
      data: { slug: `organization-queries-other-${run}`, name: "Other", publicSummary: "Test." },
    }),
  ]);
  incidentId = incident.id;
  otherIncidentId = other.id;
  await db().timelineEvent.create({
    data: {
      incidentId,
      occurredAt: new Date("2023-05-15T00:00:00Z"),
      precision: "day",
      lane: "adversary",
      phase: "initial_access",
      title: "First access",
      source: "test",
      verification: "primary",
    },
  });
  await db().timelineEvent.create({
    data: {
      incidentId,
      occurredAt: new Date("2023-06-16T00:00:00Z"),
      precision: "day",
      lane: "response",
      phase: "detection",
      title: "Detection",
      source: "test",
      verification: "primary",
    },
  });
  responder = await createUser("responder");
  executive = await createUser("executive");

  // 72 h regime, judged at NOW. Names sort: Alpha … Foxtrot.
  await addOrganization("Alpha", { determinedAffectedAt: hoursBeforeNow(10), kind: "education" }); // on time
  await addOrganization("Bravo", { determinedAffectedAt: hoursBeforeNow(60), sector: "Energy" }); // at risk
  await addOrganization("Charlie", { determinedAffectedAt: hoursBeforeNow(100), kind: "think tank" }); // overdue
  await addOrganization(
    "Delta",
    { determinedAffectedAt: hoursBeforeNow(200), country: "GB", kind: "think tank" },
    [["notified", 190]],
  ); // met
  await addOrganization("Echo", { determinedAffectedAt: hoursBeforeNow(300) }, [
    ["notified", 200],
    ["acknowledged", 150],
  ]); // missed
  await addOrganization("Foxtrot", { determinedAffectedAt: hoursBeforeNow(50), kind: "private sector" }, [
    ["notified", 40],
    ["failed", 39],
  ]); // met
  await db().affectedOrganization.create({
    data: { incidentId: otherIncidentId, name: "Alpha", kind: "government", determinedAffectedAt: NOW },
  });
  agencyUser = await createUser("agency", orgs.Alpha?.id ?? null);
});

afterAll(async () => {
  await db().$disconnect();
});

describe("listOrganizations", () => {
  it("computes each deadline status as of now", async () => {
    const byName = Object.fromEntries((await list()).items.map((org) => [org.name, org.deadline.status]));
    expect(byName).toEqual({
      Alpha: "on time",
      Bravo: "at risk",
      Charlie: "overdue",
      Delta: "met",
      Echo: "missed",
      Foxtrot: "met",
    });
  });

  it("answers each item with its fields, deadline, last move and version", async () => {
    const echo = (await list({ q: "Echo" })).items[0];
    expect(echo).toMatchObject({
      name: "Echo",
      kind: "government",
      notificationState: "acknowledged",
      version: 3,
      deadline: { hours: 72, status: "missed", marginMs: -28 * HOUR },
      lastMove: {
        from: "notified",
        to: "acknowledged",
        at: hoursBeforeNow(150),
        channel: "email",
        by: { id: responder.userId },
      },
    });
  });

  it("filters by state, kind, deadline and q (name, sector, country code or name)", async () => {
    expect(await names({ state: "pending" })).toEqual(["Alpha", "Bravo", "Charlie"]);
    expect(await names({ state: "failed,acknowledged" })).toEqual(["Echo", "Foxtrot"]);
    expect(await names({ kind: "think tank" })).toEqual(["Charlie", "Delta"]);
    expect(await names({ kind: "private_sector,education" })).toEqual(["Alpha", "Foxtrot"]);
    expect(await names({ deadline: "at risk,overdue" })).toEqual(["Bravo", "Charlie"]);
    expect(await names({ deadline: "met" })).toEqual(["Delta", "Foxtrot"]);
    expect(await names({ q: "ech" })).toEqual(["Echo"]);
    expect(await names({ q: "energy" })).toEqual(["Bravo"]);
    expect(await names({ q: "united kingdom" })).toEqual(["Delta"]);
    expect(await names({ q: "gb" })).toEqual(["Delta"]);
    expect(await names({ state: "pending", kind: "think tank", deadline: "overdue" })).toEqual(["Charlie"]);
  });

  it("sorts by name, state, deadline and last move, ascending or descending", async () => {
    expect(await names({ sort: "-name" })).toEqual(["Foxtrot", "Echo", "Delta", "Charlie", "Bravo", "Alpha"]);
    // Workflow order: pending, notified, failed, delivered, acknowledged, remediated, closed.
    expect(await names({ sort: "state" })).toEqual(["Alpha", "Bravo", "Charlie", "Delta", "Foxtrot", "Echo"]);
    // Due: Echo (−300+72), Delta, Charlie, Foxtrot (−50+72 = +22), Bravo (+12)… by dueAt.
    expect(await names({ sort: "deadline" })).toEqual([
      "Echo",
      "Delta",
      "Charlie",
      "Bravo",
      "Foxtrot",
      "Alpha",
    ]);
    expect(await names({ sort: "-deadline" })).toEqual([
      "Alpha",
      "Foxtrot",
      "Bravo",
      "Charlie",
      "Delta",
      "Echo",
    ]);
    // Organizations without a move come last either way.
    expect(await names({ sort: "lastMove" })).toEqual([
      "Delta",
      "Echo",
      "Foxtrot",
      "Alpha",
      "Bravo",
      "Charlie",
    ]);
    expect(await names({ sort: "-lastMove" })).toEqual([
      "Foxtrot",
      "Echo",
      "Delta",
      "Alpha",
      "Bravo",
      "Charlie",
    ]);
  });

  it("pages with a keyset cursor: every organization once, in order, for every sort", async () => {
    for (const sort of [
      "name",
      "-name",
      "state",
      "-state",
      "deadline",
      "-deadline",
      "lastMove",
      "-lastMove",
    ]) {
      const all = await names({ sort });
      expect(all).toHaveLength(6);
      for (const limit of [1, 2, 4]) expect(await walk({ sort }, limit)).toEqual(all);
    }
    const first = await list({ limit: "6" });
    expect(first.nextCursor).toBeNull();
  });

  it("refuses a cursor of another sort or one it did not issue with 400 naming cursor", async () => {
    const page = await list({ limit: "2", sort: "deadline" });
    const other = await captureError(() =>
      list({ limit: "2", sort: "name", cursor: page.nextCursor as string }),
    );
    expect(other.status).toBe(400);
    expect(other.details?.[0]?.field).toBe("cursor");
    const garbage = await captureError(() => list({ cursor: "bm90IGEgY3Vyc29y" }));
    expect(garbage.status).toBe(400);
  });

  it("is for staff: executives read it, agency users get 403", async () => {
    expect((await list({}, executive)).items).toHaveLength(6);
    const error = await captureError(() => list({}, agencyUser));
    expect(error.status).toBe(403);
  });
});

describe("getOrganization", () => {
  it("answers one organization with its moves in order", async () => {
    const echo = await getOrganization(responder, incidentId, orgs.Echo?.id as string, NOW);
    expect(echo.moves.map((m) => `${m.from}→${m.to}`)).toEqual(["pending→notified", "notified→acknowledged"]);
    expect(echo.moves[0]).toMatchObject({ channel: "email", by: { id: responder.userId }, evidence: null });
    expect(echo.moves[0]?.timelineEventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 404 for an unknown id, a non-uuid and another incident's organization; 403 to agency users", async () => {
    const elsewhere = await db().affectedOrganization.findFirstOrThrow({
      where: { incidentId: otherIncidentId },
    });
    for (const id of [randomUUID(), "nope", elsewhere.id]) {
      const error = await captureError(() => getOrganization(responder, incidentId, id));
      expect(error.status).toBe(404);
    }
    const agency = await captureError(() =>
      getOrganization(agencyUser, incidentId, orgs.Alpha?.id as string),
    );
    expect(agency.status).toBe(403);
  });
});

describe("getNotificationOverview", () => {
  it("counts every state, lists overdue and at-risk organizations, and each time to notify", async () => {
    const overview = await getNotificationOverview(executive, incidentId, NOW);
    expect(overview).toMatchObject({
      incidentId,
      computedAt: NOW.toISOString(),
      deadlineHours: 72,
      total: 6,
      byState: {
        pending: 3,
        notified: 1,
        delivered: 0,
        acknowledged: 1,
        remediated: 0,
        closed: 0,
        failed: 1,
      },
      byDeadlineStatus: { "on time": 1, "at risk": 1, overdue: 1, met: 2, missed: 1 },
    });
    expect(Object.keys(overview.byState)).toHaveLength(7);
    expect(overview.overdue).toEqual([
      { id: orgs.Charlie?.id, name: "Charlie", dueAt: hoursBeforeNow(28), marginMs: -28 * HOUR },
    ]);
    expect(overview.atRisk).toEqual([
      { id: orgs.Bravo?.id, name: "Bravo", dueAt: hoursBeforeNow(-12), marginMs: 12 * HOUR },
    ]);
    const delta = overview.timeToNotify.find((row) => row.name === "Delta");
    expect(delta).toMatchObject({
      notifiedAt: hoursBeforeNow(190),
      fromDeterminationMs: 10 * HOUR,
      deadlineStatus: "met",
    });
    // Detection was 16 June 00:00Z.
    expect(delta?.fromDetectionMs).toBe(
      new Date(hoursBeforeNow(190)).getTime() - Date.parse("2023-06-16T00:00:00Z"),
    );
    expect(overview.timeToNotify.find((row) => row.name === "Alpha")).toMatchObject({
      notifiedAt: null,
      fromDeterminationMs: null,
    });
    expect(overview.timeToNotifyStats.fromDetermination).toMatchObject({
      known: 3,
      minMs: 10 * HOUR,
      maxMs: 100 * HOUR,
    });
  });

  it("is refused to agency users", async () => {
    const error = await captureError(() => getNotificationOverview(agencyUser, incidentId, NOW));
    expect(error.status).toBe(403);
  });
});

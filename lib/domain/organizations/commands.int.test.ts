// Organization commands against a real Postgres: create and change with versions and unique names,
// notification moves (the move, its timeline event, the one audit entry, the notices), the state
// machine and time rules, concurrency, bulk moves, the deadline regime and who may do what.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { requireDatabaseUrl } from "../../env.ts";
import { AppError } from "../../errors.ts";
import {
  BulkNotificationSchema,
  CreateOrganizationSchema,
  NotificationMoveSchema,
  NotificationRegimeSchema,
  UpdateOrganizationSchema,
  type CreateOrganizationInput,
  type NotificationMoveInput,
} from "../../validation/organizations.ts";
import { CHANGES_CHANNEL, type ChangeNotice } from "../changes.ts";
import { listTimelineEvents } from "../timeline/queries.ts";
import {
  NOTIFICATION_EVENT_SOURCE,
  createOrganization,
  recordNotificationMove,
  recordNotificationMoves,
  updateNotificationRegime,
  updateOrganization,
  type BulkMoveResult,
  type NotificationMoveResponse,
  type NotificationRegimeResponse,
} from "./commands.ts";
import type { OrganizationDto } from "./queries.ts";

const run = randomUUID().slice(0, 8);
const NOW = new Date("2023-07-20T12:00:00Z");
const INCIDENT_START = new Date("2023-05-15T00:00:00Z");

let incidentId: string;
let otherIncidentId: string;
let responder: Actor;
let colleague: Actor;
let executive: Actor;
let agencyUser: Actor;

let listener: pg.Client;
const notices: ChangeNotice[] = [];

const requestId = () => `req-${randomUUID()}`;
const uniqueName = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

async function captureError(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected an AppError, but the call succeeded.");
}

async function createUser(
  role: Actor["role"],
  name: string,
  organizationId: string | null = null,
): Promise<Actor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@organizations-test.example`;
  const user = await db().user.create({
    data: { email, name, role, organizationId, passwordHash: "unused" },
  });
  return { userId: user.id, email, name, role, organizationId, readOnly: false };
}

async function create(
  input: Partial<CreateOrganizationInput> = {},
  actor = responder,
  incident = incidentId,
) {
  const result = await createOrganization(
    actor,
    incident,
    CreateOrganizationSchema.parse({
      name: uniqueName("Agency"),
      kind: "government",
      determinedAffectedAt: "2023-06-16T00:00:00Z",
      ...input,
    }),
    { requestId: requestId(), now: NOW },
  );
  return result.body as OrganizationDto;
}

async function move(
  organization: { id: string },
  input: Partial<NotificationMoveInput> & { version: number },
  actor = responder,
) {
  const result = await recordNotificationMove(
    actor,
    incidentId,
    organization.id,
    NotificationMoveSchema.parse({ to: "notified", at: "2023-06-17T09:00:00Z", ...input }),
    { requestId: requestId(), now: NOW },
  );
  return result.body as NotificationMoveResponse;
}

const auditFor = (entityId: string) =>
  db().auditEntry.findMany({ where: { entityId }, orderBy: { id: "asc" } });

async function waitForNotice(
  match: (notice: ChangeNotice) => boolean,
  ms = 2000,
): Promise<ChangeNotice | null> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = notices.find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return notices.find(match) ?? null;
}

beforeAll(async () => {
  const [incident, other] = await Promise.all([
    db().incident.create({
      data: { slug: `organizations-${run}`, name: "Organizations test", publicSummary: "Test." },
    }),
    db().incident.create({
      data: { slug: `organizations-other-${run}`, name: "Other", publicSummary: "Test." },
    }),
  ]);
  incidentId = incident.id;
  otherIncidentId = other.id;
  await db().timelineEvent.create({
    data: {
      incidentId,
      occurredAt: INCIDENT_START,
      precision: "day",
      lane: "adversary",
      phase: "initial_access",
      title: "First forged token",
      source: "CSRB report p. 12",
      verification: "primary",
    },
  });
  responder = await createUser("responder", `Rita Responder ${run}`);
  colleague = await createUser("responder", `Sam Colleague ${run}`);
  executive = await createUser("executive", `Eve Executive ${run}`);
  const own = await db().affectedOrganization.create({
    data: {
      incidentId,
      name: uniqueName("Agency's own"),
      kind: "government",
      determinedAffectedAt: INCIDENT_START,
    },
  });
  agencyUser = await createUser("agency", `Sally State ${run}`, own.id);

  listener = new pg.Client({ connectionString: requireDatabaseUrl() });
  await listener.connect();
  listener.on("notification", (message) => {
    if (message.channel === CHANGES_CHANNEL && message.payload)
      notices.push(JSON.parse(message.payload) as ChangeNotice);
  });
  await listener.query(`LISTEN ${CHANGES_CHANNEL}`);
});

beforeEach(() => {
  notices.length = 0;
});

afterAll(async () => {
  await listener?.end();
  await db().$disconnect();
});

describe("createOrganization", () => {
  it("stores the fields, answers 201 with the organization and its deadline, one audit entry and a notice", async () => {
    const name = uniqueName("U.S. Department of State");
    const result = await createOrganization(
      responder,
      incidentId,
      CreateOrganizationSchema.parse({
        name,
        kind: "government",
        sector: "foreign affairs",
        country: "us",
        accountsAffected: 10,
        mailboxesAffected: 60_000,
        firstKnownAccessAt: "2023-05-15",
        lastKnownAccessAt: "2023-06-16",
        determinedAffectedAt: "2023-06-16T00:00:00Z",
        isNamedPublicly: true,
        internalNote: "Contact via CISA.",
      }),
      { requestId: requestId(), now: NOW },
    );
    expect(result.status).toBe(201);
    const body = result.body as OrganizationDto;
    expect(body).toMatchObject({
      incidentId,
      name,
      kind: "government",
      sector: "foreign affairs",
      country: "US",
      countryName: "United States",
      accountsAffected: 10,
      mailboxesAffected: 60_000,
      firstKnownAccessAt: "2023-05-15T00:00:00.000Z",
      lastKnownAccessAt: "2023-06-16T00:00:00.000Z",
      determinedAffectedAt: "2023-06-16T00:00:00.000Z",
      notificationState: "pending",
      notificationStateAt: null,
      internalNote: "Contact via CISA.",
      lastMove: null,
      version: 1,
      // Due 72 h after determination; on 20 July it is long overdue.
      deadline: { hours: 72, dueAt: "2023-06-19T00:00:00.000Z", status: "overdue" },
    });
    const audit = await auditFor(body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "organization.create",
      entityType: "organization",
      actorId: responder.userId,
      incidentId,
    });
    expect(await waitForNotice((n) => n.id === body.id && n.action === "created")).toMatchObject({
      entity: "organization",
      incidentId,
    });
  });

  it("refuses a name already used in the incident, whatever its case, with 409 naming it; another incident may use it", async () => {
    const existing = await create({ name: uniqueName("Think tank") });
    const error = await captureError(() => create({ name: `  ${existing.name.toUpperCase()} ` }));
    expect(error.status).toBe(409);
    expect(error.userMessage).toBe(`An organization named ${existing.name} already exists in this incident.`);
    expect(error.details?.[0]?.field).toBe("name");
    const elsewhere = await create({ name: existing.name }, responder, otherIncidentId);
    expect(elsewhere.incidentId).toBe(otherIncidentId);
  });

  it("creates exactly one of two same names sent at once", async () => {
    const name = uniqueName("Concurrent");
    const results = await Promise.allSettled([create({ name }), create({ name: name.toLowerCase() })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).status).toBe(409);
  });

  it("refuses executives and agency users with 403 and stores nothing", async () => {
    const name = uniqueName("Refused");
    for (const actor of [executive, agencyUser]) {
      const error = await captureError(() => create({ name }, actor));
      expect(error.status).toBe(403);
    }
    expect(await db().affectedOrganization.count({ where: { name } })).toBe(0);
  });
});

describe("updateOrganization", () => {
  it("applies a change at the current version: version + 1, one audit entry with the changed fields, a notice", async () => {
    const organization = await create({ sector: "trade" });
    const result = await updateOrganization(
      colleague,
      incidentId,
      organization.id,
      UpdateOrganizationSchema.parse({ version: 1, sector: "commerce", country: "GB", mailboxesAffected: 3 }),
      { requestId: requestId(), now: NOW },
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      sector: "commerce",
      country: "GB",
      mailboxesAffected: 3,
      version: 2,
    });
    const audit = await auditFor(organization.id);
    expect(audit.map((a) => a.action)).toEqual(["organization.create", "organization.update"]);
    expect(audit[1]?.before).toMatchObject({
      sector: "trade",
      country: null,
      mailboxesAffected: null,
      version: 1,
    });
    expect(audit[1]?.after).toMatchObject({
      sector: "commerce",
      country: "GB",
      mailboxesAffected: 3,
      version: 2,
    });
    expect(await waitForNotice((n) => n.id === organization.id && n.action === "updated")).toMatchObject({
      version: 2,
    });
  });

  it("refuses a stale version with 409 naming who changed it and when", async () => {
    const organization = await create();
    await updateOrganization(
      colleague,
      incidentId,
      organization.id,
      UpdateOrganizationSchema.parse({ version: 1, sector: "x" }),
      {
        requestId: requestId(),
      },
    );
    const error = await captureError(() =>
      updateOrganization(
        responder,
        incidentId,
        organization.id,
        UpdateOrganizationSchema.parse({ version: 1, sector: "y" }),
        {
          requestId: requestId(),
        },
      ),
    );
    expect(error.status).toBe(409);
    expect(error.userMessage).toMatch(
      new RegExp(
        `^${organization.name} was changed by ${colleague.name} at \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z \\(version 2\\)`,
      ),
    );
    expect(
      (await db().affectedOrganization.findUniqueOrThrow({ where: { id: organization.id } })).sector,
    ).toBe("x");
  });

  it("refuses renaming onto another organization's name with 409, and accepts a change of case of its own name", async () => {
    const first = await create();
    const second = await create();
    const error = await captureError(() =>
      updateOrganization(
        responder,
        incidentId,
        second.id,
        UpdateOrganizationSchema.parse({ version: 1, name: first.name.toLowerCase() }),
        {
          requestId: requestId(),
        },
      ),
    );
    expect(error.status).toBe(409);
    expect(error.userMessage).toBe(`An organization named ${first.name} already exists in this incident.`);
    const renamed = await updateOrganization(
      responder,
      incidentId,
      second.id,
      UpdateOrganizationSchema.parse({ version: 1, name: second.name.toUpperCase() }),
      { requestId: requestId() },
    );
    expect((renamed.body as OrganizationDto).name).toBe(second.name.toUpperCase());
  });

  it("checks a date sent alone against the stored other one", async () => {
    const organization = await create({ firstKnownAccessAt: "2023-05-20", lastKnownAccessAt: "2023-06-10" });
    const error = await captureError(() =>
      updateOrganization(
        responder,
        incidentId,
        organization.id,
        UpdateOrganizationSchema.parse({ version: 1, lastKnownAccessAt: "2023-05-01" }),
        {
          requestId: requestId(),
        },
      ),
    );
    expect(error.status).toBe(422);
    expect(error.details?.[0]?.field).toBe("lastKnownAccessAt");
  });

  it("derives first and last known access from the linked adversary-lane events", async () => {
    const organization = await create();
    const event = (occurredAt: string, lane: "adversary" | "response", occurredUntil?: string) =>
      db().timelineEvent.create({
        data: {
          incidentId,
          occurredAt: new Date(occurredAt),
          occurredUntil: occurredUntil ? new Date(occurredUntil) : null,
          precision: occurredUntil ? "range" : "exact",
          lane,
          phase: lane === "adversary" ? "activity" : "investigation",
          title: "Linked",
          source: "test",
          verification: "primary",
          organizations: { create: [{ organizationId: organization.id }] },
        },
      });
    const none = await captureError(() =>
      updateOrganization(
        responder,
        incidentId,
        organization.id,
        UpdateOrganizationSchema.parse({ version: 1, deriveAccessFromTimeline: true }),
        {
          requestId: requestId(),
        },
      ),
    );
    expect(none.status).toBe(422);
    expect(none.details?.[0]?.field).toBe("deriveAccessFromTimeline");

    await event("2023-05-16T08:00:00Z", "adversary");
    await event("2023-06-01T00:00:00Z", "adversary", "2023-06-15T00:00:00Z");
    await event("2023-07-01T00:00:00Z", "response");
    const result = await updateOrganization(
      responder,
      incidentId,
      organization.id,
      UpdateOrganizationSchema.parse({ version: 1, deriveAccessFromTimeline: true }),
      { requestId: requestId() },
    );
    expect(result.body).toMatchObject({
      firstKnownAccessAt: "2023-05-16T08:00:00.000Z",
      lastKnownAccessAt: "2023-06-15T00:00:00.000Z",
      version: 2,
    });
  });

  it("answers 404 for an organization of another incident, and 403 to executives", async () => {
    const elsewhere = await create({}, responder, otherIncidentId);
    const error = await captureError(() =>
      updateOrganization(
        responder,
        incidentId,
        elsewhere.id,
        UpdateOrganizationSchema.parse({ version: 1, sector: "x" }),
        {
          requestId: requestId(),
        },
      ),
    );
    expect(error.status).toBe(404);
    const forbidden = await captureError(() =>
      updateOrganization(
        executive,
        otherIncidentId,
        elsewhere.id,
        UpdateOrganizationSchema.parse({ version: 1, sector: "x" }),
        {
          requestId: requestId(),
        },
      ),
    );
    expect(forbidden.status).toBe(403);
  });
});

describe("recordNotificationMove", () => {
  it("moves the state and writes the move, its timeline event, one audit entry and the notices", async () => {
    const organization = await create({ name: uniqueName("U.S. Department of State") });
    const body = await move(organization, {
      version: 1,
      to: "notified",
      at: "2023-06-17T09:00:00-04:00",
      channel: "email",
      note: "Sent to the CISO.",
      evidence: "Message-ID: <abc@example.org>",
    });

    expect(body.organization).toMatchObject({
      notificationState: "notified",
      notificationStateAt: "2023-06-17T13:00:00.000Z",
      version: 2,
      // Notified 35 h before the 72 h deadline ran out.
      deadline: { status: "met", dueAt: "2023-06-19T00:00:00.000Z", marginMs: 35 * 3_600_000 },
      lastMove: {
        to: "notified",
        from: "pending",
        channel: "email",
        by: { id: responder.userId, name: responder.name },
      },
    });
    expect(body.move).toMatchObject({
      from: "pending",
      to: "notified",
      at: "2023-06-17T13:00:00.000Z",
      atPrecision: "exact",
      channel: "email",
      note: "Sent to the CISO.",
      evidence: "Message-ID: <abc@example.org>",
    });

    const stored = await db().notificationMove.findUniqueOrThrow({
      where: { id: body.move.id },
      include: { timelineEvent: { include: { organizations: true } } },
    });
    expect(stored).toMatchObject({
      recordedById: responder.userId,
      fromState: "pending",
      toState: "notified",
    });
    expect(stored.timelineEvent).toMatchObject({
      incidentId,
      lane: "response",
      phase: "notification",
      precision: "exact",
      occurredAt: new Date("2023-06-17T13:00:00Z"),
      title: `${organization.name}: notified (email)`,
      description: "Sent to the CISO.",
      source: NOTIFICATION_EVENT_SOURCE,
      verification: "primary",
      tlp: "AMBER",
      createdById: responder.userId,
    });
    expect(stored.timelineEvent?.organizations.map((link) => link.organizationId)).toEqual([organization.id]);

    // Exactly one audit entry for the move, and none for its event.
    const audit = await auditFor(organization.id);
    expect(audit.map((a) => a.action)).toEqual(["organization.create", "notification.move"]);
    expect(audit[1]).toMatchObject({ entityType: "organization", actorId: responder.userId });
    expect(audit[1]?.before).toMatchObject({ notificationState: "pending", version: 1 });
    expect(audit[1]?.after).toMatchObject({
      notificationState: "notified",
      version: 2,
      move: { toState: "notified", channel: "email", timelineEventId: stored.timelineEventId },
    });
    expect(await auditFor(stored.timelineEventId as string)).toEqual([]);

    expect(
      await waitForNotice(
        (n) => n.entity === "organization" && n.id === organization.id && n.action === "updated",
      ),
    ).toMatchObject({
      version: 2,
    });
    expect(await waitForNotice((n) => n.entity === "event" && n.id === stored.timelineEventId)).toMatchObject(
      { action: "created" },
    );
  });

  it("dates a date-only move as a day, and walks the whole chain", async () => {
    const organization = await create();
    let version = 1;
    for (const [to, at] of [
      ["notified", "2023-06-17"],
      ["delivered", "2023-06-17T10:00:00Z"],
      ["acknowledged", "2023-06-18T10:00:00Z"],
      ["remediated", "2023-06-20"],
      ["closed", "2023-07-01T00:00:00Z"],
    ] as const) {
      const body = await move(organization, { version, to, at });
      expect(body.organization.notificationState).toBe(to);
      version = body.organization.version;
    }
    const events = await db().timelineEvent.findMany({
      where: { notificationMove: { organizationId: organization.id } },
      orderBy: { occurredAt: "asc" },
      select: { precision: true, title: true },
    });
    expect(events.map((e) => e.precision)).toEqual(["day", "exact", "exact", "day", "exact"]);
    expect(events[0]?.title).toBe(`${organization.name}: notified`);
  });

  it("retries after a failed delivery", async () => {
    const organization = await create();
    await move(organization, { version: 1, to: "notified", at: "2023-06-17T09:00:00Z" });
    await move(organization, { version: 2, to: "failed", at: "2023-06-17T10:00:00Z", note: "Bounced." });
    const retried = await move(organization, {
      version: 3,
      to: "notified",
      at: "2023-06-17T11:00:00Z",
      channel: "phone",
    });
    expect(retried.organization).toMatchObject({ notificationState: "notified", version: 4 });
    // The deadline stays with the first notice.
    expect(retried.organization.deadline.status).toBe("met");
  });

  it("refuses an illegal move with 422 naming the allowed ones, and stores nothing", async () => {
    const organization = await create({ name: uniqueName("U.S. Department of State") });
    await move(organization, { version: 1, to: "notified" });
    await move(organization, { version: 2, to: "acknowledged", at: "2023-06-18T09:00:00Z" });
    const error = await captureError(() =>
      move(organization, { version: 3, to: "notified", at: "2023-06-19T09:00:00Z" }),
    );
    expect(error.status).toBe(422);
    expect(error.code).toBe("illegal_move");
    expect(error.userMessage).toBe(
      `${organization.name} is acknowledged; from acknowledged it can move to remediated or closed.`,
    );
    expect(error.details?.[0]).toMatchObject({ field: "to", value: "notified" });
    expect(await db().notificationMove.count({ where: { organizationId: organization.id } })).toBe(2);
    expect((await auditFor(organization.id)).length).toBe(3);
  });

  it("refuses a skipped step from pending", async () => {
    const organization = await create();
    const error = await captureError(() => move(organization, { version: 1, to: "acknowledged" }));
    expect(error.code).toBe("illegal_move");
    expect(error.userMessage).toBe(`${organization.name} is pending; from pending it can move to notified.`);
  });

  it("refuses an at in the future, before the incident's first event, or before the previous move, naming at", async () => {
    const organization = await create();
    const future = await captureError(() => move(organization, { version: 1, at: "2023-07-20T12:10:00Z" }));
    expect(future.status).toBe(422);
    expect(future.details?.[0]?.field).toBe("at");
    expect(future.userMessage).toMatch(/^at is in the future/);
    // Within the 5-minute clock skew is fine.
    const early = await captureError(() => move(organization, { version: 1, at: "2023-05-14T23:59:00Z" }));
    expect(early.status).toBe(422);
    expect(early.details?.[0]?.field).toBe("at");
    expect(early.userMessage).toMatch(/before the incident's first timeline event/);
    await move(organization, { version: 1, at: "2023-07-20T12:04:00Z" });
    const backwards = await captureError(() =>
      move(organization, { version: 2, to: "delivered", at: "2023-07-20T11:00:00Z" }),
    );
    expect(backwards.details?.[0]?.field).toBe("at");
    expect(backwards.userMessage).toMatch(/before the organization's previous move/);
    expect(await db().notificationMove.count({ where: { organizationId: organization.id } })).toBe(1);
  });

  it("refuses 1 MB of evidence with 422 naming evidence, and stores nothing", async () => {
    const organization = await create();
    const evidence = "e".repeat(1_000_000);
    const parsed = NotificationMoveSchema.safeParse({
      to: "notified",
      at: "2023-06-17T09:00:00Z",
      evidence,
      version: 1,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["evidence"]);
    // The domain holds the limit too, for callers that skip the schema.
    const eventsBefore = await db().timelineEvent.count({ where: { incidentId } });
    const error = await captureError(() =>
      recordNotificationMove(
        responder,
        incidentId,
        organization.id,
        {
          to: "notified",
          at: new Date("2023-06-17T09:00:00Z"),
          atPrecision: "exact",
          channel: null,
          note: null,
          evidence,
          version: 1,
        },
        { requestId: requestId(), now: NOW },
      ),
    );
    expect(error.status).toBe(422);
    expect(error.details?.[0]?.field).toBe("evidence");
    expect(await db().notificationMove.count({ where: { organizationId: organization.id } })).toBe(0);
    expect(await db().timelineEvent.count({ where: { incidentId } })).toBe(eventsBefore);
    expect(
      (await db().affectedOrganization.findUniqueOrThrow({ where: { id: organization.id } })).version,
    ).toBe(1);
    expect((await auditFor(organization.id)).length).toBe(1);
  });

  it("lets exactly one of two concurrent moves at the same version win; the other gets 409 naming the winner", async () => {
    const organization = await create();
    const results = await Promise.allSettled([
      move(organization, { version: 1, to: "notified", channel: "email" }, responder),
      move(organization, { version: 1, to: "notified", channel: "phone" }, colleague),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = lost[0]?.reason as AppError;
    expect(error.status).toBe(409);
    const winner = (won[0] as PromiseFulfilledResult<NotificationMoveResponse>).value.move.by;
    expect(error.userMessage).toContain(`changed by ${winner?.name} at `);
    expect(await db().notificationMove.count({ where: { organizationId: organization.id } })).toBe(1);
    expect((await auditFor(organization.id)).map((a) => a.action)).toEqual([
      "organization.create",
      "notification.move",
    ]);
  });

  it("replays the first answer for a repeat with the same Idempotency-Key, with one effect", async () => {
    const organization = await create();
    const input = NotificationMoveSchema.parse({ to: "notified", at: "2023-06-17T09:00:00Z", version: 1 });
    const idempotency = {
      principalId: responder.userId,
      key: randomUUID(),
      method: "POST",
      path: `/api/v1/incidents/${incidentId}/organizations/${organization.id}/notification`,
      body: JSON.stringify({ to: "notified", at: "2023-06-17T09:00:00Z", version: 1 }),
    };
    const first = await recordNotificationMove(responder, incidentId, organization.id, input, {
      requestId: requestId(),
      now: NOW,
      idempotency,
    });
    const again = await recordNotificationMove(responder, incidentId, organization.id, input, {
      requestId: requestId(),
      now: NOW,
      idempotency,
    });
    expect(again.replayed).toBe(true);
    expect(JSON.parse(JSON.stringify(again.body))).toEqual(JSON.parse(JSON.stringify(first.body)));
    expect(await db().notificationMove.count({ where: { organizationId: organization.id } })).toBe(1);
  });

  it("refuses executives and agency users on the staff command with 403", async () => {
    const organization = await create();
    for (const actor of [executive, agencyUser]) {
      const error = await captureError(() => move(organization, { version: 1 }, actor));
      expect(error.status).toBe(403);
    }
    expect(await db().notificationMove.count({ where: { organizationId: organization.id } })).toBe(0);
  });

  it("answers 404 for an unknown organization and one of another incident", async () => {
    const elsewhere = await create({}, responder, otherIncidentId);
    for (const id of [randomUUID(), elsewhere.id, "not-a-uuid"]) {
      const error = await captureError(() => move({ id }, { version: 1 }));
      expect(error.status).toBe(404);
    }
  });

  it("shows the move's event to the organization's own agency user only", async () => {
    const own = await db().affectedOrganization.findUniqueOrThrow({
      where: { id: agencyUser.organizationId as string },
    });
    const other = await create();
    const ownMove = await move({ id: own.id }, { version: own.version, to: "notified", channel: "portal" });
    const otherMove = await move(other, { version: 1, to: "notified" });
    const seen = await listTimelineEvents(agencyUser, incidentId, { limit: 500, phase: "notification" });
    const ids = seen.items.map((event) => event.id);
    const ownEvent = await db().notificationMove.findUniqueOrThrow({ where: { id: ownMove.move.id } });
    const otherEvent = await db().notificationMove.findUniqueOrThrow({ where: { id: otherMove.move.id } });
    expect(ids).toContain(ownEvent.timelineEventId);
    expect(ids).not.toContain(otherEvent.timelineEventId);
  });
});

describe("recordNotificationMoves (bulk)", () => {
  it("records the good entries and answers each bad one on its own, in order", async () => {
    const [a, b, c, d] = [await create(), await create(), await create(), await create()];
    await move(d, { version: 1 });
    const items = BulkNotificationSchema.parse({
      moves: [
        { organizationId: a.id, version: 1, to: "notified", at: "2023-06-17T09:00:00Z", channel: "email" },
        { organizationId: b.id, version: 1, to: "sent", at: "2023-06-17T09:00:00Z" },
        {
          organizationId: c.id,
          version: 1,
          to: "notified",
          at: "2023-06-17T09:00:00Z",
          channel: "government partner",
        },
        { organizationId: d.id, version: 1, to: "notified", at: "2023-06-17T09:00:00Z" },
        { organizationId: randomUUID(), version: 1, to: "notified", at: "2023-06-17T09:00:00Z" },
        { organizationId: a.id, version: 2, to: "acknowledged", at: "2023-06-17T08:00:00Z" },
      ],
    });
    const result = await recordNotificationMoves(responder, incidentId, items, {
      requestId: requestId(),
      now: NOW,
    });
    expect(result.status).toBe(200);
    const results = (result.body as { results: BulkMoveResult[] }).results;
    expect(results.map((r) => r.status)).toEqual([200, 422, 200, 409, 404, 422]);
    expect(results[0]).toMatchObject({
      organizationId: a.id,
      organization: { notificationState: "notified", version: 2 },
    });
    expect(results[1]).toMatchObject({
      organizationId: b.id,
      error: { code: "invalid_input", details: [{ field: "to" }] },
    });
    expect(results[2]?.organization?.lastMove?.channel).toBe("government partner");
    expect(results[3]?.error?.code).toBe("conflict");
    expect(results[4]?.error?.code).toBe("not_found");
    expect(results[5]?.error?.details?.[0]?.field).toBe("at");
    expect(await db().notificationMove.count({ where: { organizationId: { in: [a.id, b.id, c.id] } } })).toBe(
      2,
    );
  });

  it("under one Idempotency-Key replays what was done, and refuses the key with another body", async () => {
    const organization = await create();
    const items = BulkNotificationSchema.parse({
      moves: [{ organizationId: organization.id, version: 1, to: "notified", at: "2023-06-17T09:00:00Z" }],
    });
    const idempotency = {
      principalId: responder.userId,
      key: randomUUID(),
      method: "POST",
      path: `/api/v1/incidents/${incidentId}/organizations/notifications`,
      body: "first body",
    };
    const first = await recordNotificationMoves(responder, incidentId, items, {
      requestId: requestId(),
      now: NOW,
      idempotency,
    });
    const again = await recordNotificationMoves(responder, incidentId, items, {
      requestId: requestId(),
      now: NOW,
      idempotency,
    });
    expect(again.replayed).toBe(true);
    expect(JSON.parse(JSON.stringify(again.body))).toEqual(JSON.parse(JSON.stringify(first.body)));
    expect(await db().notificationMove.count({ where: { organizationId: organization.id } })).toBe(1);
    const reused = await captureError(() =>
      recordNotificationMoves(responder, incidentId, items, {
        requestId: requestId(),
        now: NOW,
        idempotency: { ...idempotency, body: "other" },
      }),
    );
    expect(reused.status).toBe(422);
  });

  it("refuses executives with 403 before any entry", async () => {
    const organization = await create();
    const items = BulkNotificationSchema.parse({
      moves: [{ organizationId: organization.id, version: 1, to: "notified", at: "2023-06-17T09:00:00Z" }],
    });
    const error = await captureError(() =>
      recordNotificationMoves(executive, incidentId, items, { requestId: requestId() }),
    );
    expect(error.status).toBe(403);
  });
});

describe("updateNotificationRegime", () => {
  it("sets the hours with the incident's version, one audit entry, a notice; deadlines follow", async () => {
    const incident = await db().incident.create({
      data: { slug: `regime-${run}`, name: "Regime", publicSummary: "Test." },
    });
    const result = await updateNotificationRegime(
      responder,
      incident.id,
      NotificationRegimeSchema.parse({ hours: 24, version: 1 }),
      {
        requestId: requestId(),
      },
    );
    expect(result.body as NotificationRegimeResponse).toEqual({
      incident: { id: incident.id, slug: incident.slug, notificationDeadlineHours: 24, version: 2 },
    });
    const audit = await auditFor(incident.id);
    expect(audit.map((a) => a.action)).toEqual(["incident.regime"]);
    expect(audit[0]).toMatchObject({
      entityType: "incident",
      before: { notificationDeadlineHours: 72, version: 1 },
    });
    expect(await waitForNotice((n) => n.entity === "incident" && n.id === incident.id)).toMatchObject({
      version: 2,
    });
    const organization = await create({}, responder, incident.id);
    expect(organization.deadline).toMatchObject({ hours: 24, dueAt: "2023-06-17T00:00:00.000Z" });

    const stale = await captureError(() =>
      updateNotificationRegime(
        colleague,
        incident.id,
        NotificationRegimeSchema.parse({ hours: 48, version: 1 }),
        { requestId: requestId() },
      ),
    );
    expect(stale.status).toBe(409);
    expect(stale.userMessage).toMatch(new RegExp(`^The incident was changed by ${responder.name} at `));
    const forbidden = await captureError(() =>
      updateNotificationRegime(
        executive,
        incident.id,
        NotificationRegimeSchema.parse({ hours: 48, version: 2 }),
        { requestId: requestId() },
      ),
    );
    expect(forbidden.status).toBe(403);
    expect(
      (await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).notificationDeadlineHours,
    ).toBe(24);
  });
});

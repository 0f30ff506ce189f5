// Timeline commands against a real Postgres: what is stored, the one audit entry per mutation and its
// rollback, permissions, links across incidents, versions, milestone pins, Idempotency-Key replays
// and change notices delivered only on commit.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { requireDatabaseUrl } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { CreateEventSchema, UpdateEventSchema, type CreateEventInput } from "../../validation/timeline.ts";
import { CHANGES_CHANNEL, type ChangeNotice } from "../changes.ts";
import type { IdempotencyRequest } from "../mutation.ts";
import {
  createTimelineEvent,
  createTimelineEventInTransaction,
  deleteTimelineEvent,
  updateTimelineEvent,
} from "./commands.ts";
import { getTimelineEvent, type TimelineEventDetailDto } from "./queries.ts";

const run = randomUUID().slice(0, 8);
const CSRB =
  "https://www.cisa.gov/sites/default/files/2024-04/CSRB_Review_of_the_Summer_2023_MEO_Intrusion_Final_508c.pdf";

let incidentId: string;
let otherIncidentId: string;
let stateOrgId: string;
let commerceOrgId: string;
let otherIncidentOrgId: string;
let indicatorId: string;
let otherIncidentIndicatorId: string;
let responder: Actor;
let colleague: Actor;
let admin: Actor;
let executive: Actor;
let agencyUser: Actor;

let listener: pg.Client;
const notices: ChangeNotice[] = [];

const requestId = () => `req-${randomUUID()}`;
const uniqueTitle = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

function eventInput(overrides: Partial<CreateEventInput> = {}): CreateEventInput {
  return {
    occurredAt: "2023-06-16",
    precision: "day",
    lane: "response",
    phase: "detection",
    title: uniqueTitle("State detects MailItemsAccessed anomalies"),
    source: CSRB,
    ...overrides,
  };
}

async function createEvent(actor: Actor, overrides: Partial<CreateEventInput> = {}) {
  const result = await createTimelineEvent(
    actor,
    incidentId,
    CreateEventSchema.parse(eventInput(overrides)),
    {
      requestId: requestId(),
    },
  );
  return result.body as TimelineEventDetailDto;
}

async function update(actor: Actor, eventId: string, change: Record<string, unknown>, id = requestId()) {
  return updateTimelineEvent(actor, incidentId, eventId, UpdateEventSchema.parse(change), { requestId: id });
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

const auditCount = () => db().auditEntry.count();
const auditFor = (entityId: string) =>
  db().auditEntry.findMany({ where: { entityType: "event", entityId }, orderBy: { id: "asc" } });

/** Resolves with the first notice matching, or null when none arrives within `ms`. */
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

async function createUser(
  role: Actor["role"],
  name: string,
  organizationId: string | null = null,
): Promise<Actor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@timeline-test.example`;
  // Never signs in: the hash only fills the column.
  const user = await db().user.create({
    data: { email, name, role, organizationId, passwordHash: "unused" },
  });
  return { userId: user.id, email, name, role, organizationId, readOnly: false };
}

beforeAll(async () => {
  const [incident, other] = await Promise.all([
    db().incident.create({
      data: { slug: `timeline-${run}`, name: "Timeline commands test", publicSummary: "Test." },
    }),
    db().incident.create({
      data: { slug: `timeline-other-${run}`, name: "Another incident", publicSummary: "Test." },
    }),
  ]);
  incidentId = incident.id;
  otherIncidentId = other.id;
  const determinedAffectedAt = new Date("2023-06-16T00:00:00Z");
  const [state, commerce, otherOrg] = await Promise.all([
    db().affectedOrganization.create({
      data: { incidentId, name: "U.S. Department of State", kind: "government", determinedAffectedAt },
    }),
    db().affectedOrganization.create({
      data: { incidentId, name: "U.S. Department of Commerce", kind: "government", determinedAffectedAt },
    }),
    db().affectedOrganization.create({
      data: {
        incidentId: otherIncidentId,
        name: "Elsewhere Inc.",
        kind: "private_sector",
        determinedAffectedAt,
      },
    }),
  ]);
  stateOrgId = state.id;
  commerceOrgId = commerce.id;
  otherIncidentOrgId = otherOrg.id;
  const [indicator, otherIndicator] = await Promise.all([
    db().indicator.create({
      data: { incidentId, type: "ipv4", value: "51.89.156.153", normalizedValue: "51.89.156.153" },
    }),
    db().indicator.create({
      data: { incidentId: otherIncidentId, type: "ipv4", value: "192.0.2.1", normalizedValue: "192.0.2.1" },
    }),
  ]);
  indicatorId = indicator.id;
  otherIncidentIndicatorId = otherIndicator.id;

  responder = await createUser("responder", `Rita Responder ${run}`);
  colleague = await createUser("responder", `Sam Colleague ${run}`);
  admin = await createUser("admin", `Ada Admin ${run}`);
  executive = await createUser("executive", `Eve Executive ${run}`);
  agencyUser = await createUser("agency", `Sally State ${run}`, stateOrgId);

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

describe("createTimelineEvent", () => {
  it("stores the fields as sent, with links, alternatives and one audit entry", async () => {
    const title = uniqueTitle("Forged tokens used against OWA");
    const auditBefore = await auditCount();
    const id = requestId();
    const input = CreateEventSchema.parse(
      eventInput({
        occurredAt: "2023-05-15T13:12:00-04:00",
        precision: "minute",
        sourceTimeZone: "America/New_York",
        lane: "adversary",
        phase: "initial access",
        title,
        description: "Tokens **forged** with the MSA key.\n\n- OWA\n- Outlook.com",
        source: "CSRB report p. 12",
        verification: "primary",
        additionalSources: [
          "https://msrc.microsoft.com/blog/2023/07/microsoft-mitigates-china-based-threat-actor/",
        ],
        tlp: "AMBER+STRICT",
        internalNote: "Ask State for their audit export.",
        alternatives: [
          {
            occurredAt: "2023-05-15",
            precision: "day",
            source: "Microsoft blog",
            verification: "secondary",
            note: "date only",
          },
        ],
        organizationIds: [stateOrgId, commerceOrgId],
        indicatorIds: [indicatorId],
        techniqueIds: ["T1606.002", "t1550.001"],
      }),
    );

    const result = await createTimelineEvent(responder, incidentId, input, { requestId: id });

    expect(result.status).toBe(201);
    expect(result.replayed).toBe(false);
    const body = result.body as TimelineEventDetailDto;
    expect(body).toMatchObject({
      incidentId,
      occurredAt: "2023-05-15T17:12:00.000Z",
      occurredUntil: null,
      precision: "minute",
      sourceTimeZone: "America/New_York",
      lane: "adversary",
      phase: "initial access",
      title,
      source: "CSRB report p. 12",
      verification: "primary",
      tlp: "AMBER+STRICT",
      milestone: null,
      internalNote: "Ask State for their audit export.",
      version: 1,
      updatedBy: { id: responder.userId, name: responder.name },
    });
    expect(body.organizations.map((o) => o.id).sort()).toEqual([stateOrgId, commerceOrgId].sort());
    expect(body.indicators.map((i) => i.id)).toEqual([indicatorId]);
    expect(body.techniques.map((t) => t.id)).toEqual(["T1550.001", "T1606.002"]);

    const row = await db().timelineEvent.findUniqueOrThrow({
      where: { id: body.id },
      include: { alternatives: true, organizations: true, indicators: true, techniques: true },
    });
    expect(row).toMatchObject({
      incidentId,
      occurredAt: new Date("2023-05-15T17:12:00Z"),
      precision: "minute",
      sourceTimeZone: "America/New_York",
      lane: "adversary",
      phase: "initial_access",
      title,
      description: "Tokens **forged** with the MSA key.\n\n- OWA\n- Outlook.com",
      source: "CSRB report p. 12",
      verification: "primary",
      additionalSources: [
        "https://msrc.microsoft.com/blog/2023/07/microsoft-mitigates-china-based-threat-actor/",
      ],
      tlp: "AMBER_STRICT",
      internalNote: "Ask State for their audit export.",
      createdById: responder.userId,
      updatedById: responder.userId,
      version: 1,
    });
    expect(row.alternatives).toMatchObject([
      {
        occurredAt: new Date("2023-05-15T00:00:00Z"),
        precision: "day",
        source: "Microsoft blog",
        verification: "secondary",
        note: "date only",
      },
    ]);
    expect(row.organizations).toHaveLength(2);
    expect(row.indicators).toHaveLength(1);
    expect(row.techniques.map((t) => t.techniqueId).sort()).toEqual(["T1550.001", "T1606.002"]);

    expect(await auditCount()).toBe(auditBefore + 1);
    const [entry, ...more] = await auditFor(body.id);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({
      incidentId,
      actorId: responder.userId,
      action: "event.create",
      entityType: "event",
      requestId: id,
      before: null,
    });
    expect(entry?.after).toMatchObject({ id: body.id, title, version: 1, tlp: "AMBER+STRICT" });
  });

  it("lets an admin write too", async () => {
    const event = await createEvent(admin);
    expect(event.updatedBy?.name).toBe(admin.name);
  });

  it.each([
    ["an executive", () => executive],
    ["an agency user", () => agencyUser],
  ])("refuses %s with 403 and stores nothing", async (_name, actorOf) => {
    const title = uniqueTitle("Refused");
    const auditBefore = await auditCount();

    const error = await captureError(() => createEvent(actorOf(), { title }));

    expect(error.status).toBe(403);
    expect(error.code).toBe("forbidden");
    expect(await db().timelineEvent.count({ where: { title } })).toBe(0);
    expect(await auditCount()).toBe(auditBefore);
  });

  it("refuses an organization or indicator of another incident with 422 naming the entry, and stores nothing", async () => {
    const title = uniqueTitle("Cross-incident link");
    const auditBefore = await auditCount();

    const error = await captureError(() =>
      createEvent(responder, {
        title,
        organizationIds: [stateOrgId, otherIncidentOrgId],
        indicatorIds: [otherIncidentIndicatorId],
      }),
    );

    expect(error.status).toBe(422);
    expect(error.code).toBe("invalid_input");
    expect(error.details?.map((d) => d.field)).toEqual(["organizationIds.1", "indicatorIds.0"]);
    expect(error.userMessage).toBe(
      `organizationIds.1: ${otherIncidentOrgId} is not an affected organization of this incident`,
    );
    expect(await db().timelineEvent.count({ where: { title } })).toBe(0);
    expect(await auditCount()).toBe(auditBefore);
  });

  it("refuses an organization id that exists nowhere exactly like one of another incident", async () => {
    const missing = randomUUID();
    const error = await captureError(() => createEvent(responder, { organizationIds: [missing] }));
    expect(error.status).toBe(422);
    expect(error.details).toEqual([
      {
        field: "organizationIds.0",
        value: missing,
        message: `${missing} is not an affected organization of this incident`,
      },
    ]);
  });

  it("answers 404 for an incident that does not exist", async () => {
    const error = await captureError(() =>
      createTimelineEvent(responder, randomUUID(), CreateEventSchema.parse(eventInput()), {
        requestId: null,
      }),
    );
    expect(error.status).toBe(404);
  });
});

describe("audit entry and change notice share the mutation's transaction", () => {
  it("rolls back the event, its audit entry and its notice together", async () => {
    const title = uniqueTitle("Rolled back");
    const auditBefore = await auditCount();
    let createdId: string | undefined;

    await expect(
      db().$transaction(async (tx) => {
        const result = await createTimelineEventInTransaction(
          tx,
          responder,
          incidentId,
          CreateEventSchema.parse(eventInput({ title })),
          requestId(),
        );
        createdId = result.body.id;
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");

    expect(createdId).toBeDefined();
    expect(await db().timelineEvent.count({ where: { title } })).toBe(0);
    expect(await auditCount()).toBe(auditBefore);
    expect(await waitForNotice((n) => n.id === createdId, 500)).toBeNull();
  });

  it("delivers the notice only once the transaction commits", async () => {
    let createdId = "";
    let seenBeforeCommit: ChangeNotice | null = null;

    await db().$transaction(async (tx) => {
      const result = await createTimelineEventInTransaction(
        tx,
        responder,
        incidentId,
        CreateEventSchema.parse(eventInput()),
        requestId(),
      );
      createdId = result.body.id;
      seenBeforeCommit = await waitForNotice((n) => n.id === createdId, 300);
    });

    expect(seenBeforeCommit).toBeNull();
    expect(await waitForNotice((n) => n.id === createdId)).toEqual({
      incidentId,
      entity: "event",
      id: createdId,
      action: "created",
      version: 1,
    });
  });
});

describe("updateTimelineEvent", () => {
  it("applies a change at the current version: version + 1, one audit entry with the changed fields, a notice", async () => {
    const event = await createEvent(responder, { organizationIds: [stateOrgId], techniqueIds: ["T1606"] });
    const id = requestId();

    const result = await update(
      colleague,
      event.id,
      { version: 1, title: "Detection confirmed", tlp: "GREEN" },
      id,
    );

    expect(result.status).toBe(200);
    const body = result.body as TimelineEventDetailDto;
    expect(body).toMatchObject({
      id: event.id,
      title: "Detection confirmed",
      tlp: "GREEN",
      version: 2,
      updatedBy: { id: colleague.userId, name: colleague.name },
      // Left out of the change, so kept.
      source: CSRB,
      organizations: [{ id: stateOrgId }],
      techniques: [{ id: "T1606" }],
    });
    const row = await db().timelineEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(row).toMatchObject({ version: 2, updatedById: colleague.userId, createdById: responder.userId });

    const entries = await auditFor(event.id);
    expect(entries.map((e) => e.action)).toEqual(["event.create", "event.update"]);
    const entry = entries[1];
    expect(entry?.requestId).toBe(id);
    expect(entry?.before).toMatchObject({ title: event.title, tlp: "CLEAR", version: 1 });
    expect(entry?.after).toMatchObject({ title: "Detection confirmed", tlp: "GREEN", version: 2 });
    expect(Object.keys(entry?.after as object)).not.toContain("source");

    expect(await waitForNotice((n) => n.id === event.id && n.action === "updated")).toMatchObject({
      version: 2,
    });
  });

  it("refuses a stale version with 409 naming who changed it and when, and keeps their change", async () => {
    const event = await createEvent(responder);
    await update(colleague, event.id, { version: 1, title: "Colleague's title" });
    const stored = await db().timelineEvent.findUniqueOrThrow({ where: { id: event.id } });
    const auditBefore = await auditCount();

    const error = await captureError(() => update(responder, event.id, { version: 1, title: "My title" }));

    expect(error.status).toBe(409);
    expect(error.code).toBe("conflict");
    expect(error.userMessage).toBe(
      `This event was changed by ${colleague.name} at ${stored.updatedAt.toISOString()} (version 2); reload it and apply your change again.`,
    );
    expect(error.details).toEqual([{ field: "version", value: "1", message: "the event is at version 2" }]);
    const after = await db().timelineEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(after).toMatchObject({ title: "Colleague's title", version: 2 });
    expect(await auditCount()).toBe(auditBefore);
  });

  it("lets exactly one of two concurrent changes at the same version win", async () => {
    const event = await createEvent(responder);
    const results = await Promise.allSettled([
      update(responder, event.id, { version: 1, title: "First" }),
      update(colleague, event.id, { version: 1, title: "Second" }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    expect(await db().timelineEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      version: 2,
    });
    expect((await auditFor(event.id)).map((e) => e.action)).toEqual(["event.create", "event.update"]);
  });

  it("saves nothing when a link is bad: no change, no audit entry, no notice", async () => {
    const event = await createEvent(responder, { organizationIds: [stateOrgId] });
    const auditBefore = await auditCount();

    const error = await captureError(() =>
      update(responder, event.id, {
        version: 1,
        title: "Half-saved?",
        organizationIds: [commerceOrgId, otherIncidentOrgId],
      }),
    );

    expect(error.status).toBe(422);
    expect(error.details?.map((d) => d.field)).toEqual(["organizationIds.1"]);
    const row = await db().timelineEvent.findUniqueOrThrow({
      where: { id: event.id },
      include: { organizations: true },
    });
    expect(row).toMatchObject({ title: event.title, version: 1 });
    expect(row.organizations.map((o) => o.organizationId)).toEqual([stateOrgId]);
    expect(await auditCount()).toBe(auditBefore);
    expect(await waitForNotice((n) => n.id === event.id && n.action === "updated", 300)).toBeNull();
  });

  it("replaces the lists and the dating it is sent, and clears what is sent as null", async () => {
    const event = await createEvent(responder, {
      description: "first draft",
      organizationIds: [stateOrgId],
      indicatorIds: [indicatorId],
      techniqueIds: ["T1606"],
      alternatives: [{ occurredAt: "2023-06-15", precision: "day", source: "CSRB report p. 7" }],
    });

    const result = await update(responder, event.id, {
      version: 1,
      occurredAt: "2023-06-10",
      occurredUntil: "2023-06-16",
      precision: "range",
      description: null,
      organizationIds: [commerceOrgId],
      indicatorIds: [],
      techniqueIds: ["T1550.001"],
      alternatives: [],
    });

    expect(result.body).toMatchObject({
      occurredAt: "2023-06-10T00:00:00.000Z",
      occurredUntil: "2023-06-16T00:00:00.000Z",
      precision: "range",
      description: null,
      organizations: [{ id: commerceOrgId }],
      indicators: [],
      techniques: [{ id: "T1550.001" }],
      alternatives: [],
      version: 2,
    });
    expect(await db().eventAlternative.count({ where: { eventId: event.id } })).toBe(0);
    expect(await db().eventIndicator.count({ where: { eventId: event.id } })).toBe(0);
  });

  it("refuses executives and agency users with 403 and changes nothing", async () => {
    const event = await createEvent(responder);
    for (const actor of [executive, agencyUser]) {
      const error = await captureError(() => update(actor, event.id, { version: 1, title: "Not allowed" }));
      expect(error.status).toBe(403);
    }
    expect(await db().timelineEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      title: event.title,
      version: 1,
    });
  });

  it.each([
    ["an id that is not a uuid", () => "not-a-uuid"],
    ["an id that does not exist", () => randomUUID()],
  ])("answers 404 for %s", async (_name, idOf) => {
    const error = await captureError(() => update(responder, idOf(), { version: 1, title: "x" }));
    expect(error.status).toBe(404);
  });

  it("answers 404 for an event of another incident", async () => {
    const event = await createEvent(responder);
    const error = await captureError(() =>
      updateTimelineEvent(
        responder,
        otherIncidentId,
        event.id,
        UpdateEventSchema.parse({ version: 1, title: "x" }),
        {
          requestId: null,
        },
      ),
    );
    expect(error.status).toBe(404);
  });
});

describe("milestone pins", () => {
  it("moves a pin from the event that had it, inside the same audit entry, with a notice for both", async () => {
    const first = await createEvent(responder, { milestone: "containment" });
    const second = await createEvent(responder, { milestone: "containment" });

    const firstRow = await db().timelineEvent.findUniqueOrThrow({ where: { id: first.id } });
    expect(firstRow).toMatchObject({ milestone: null, version: 2, updatedById: responder.userId });
    expect(second.milestone).toBe("containment");
    expect(await db().timelineEvent.count({ where: { incidentId, milestone: "containment" } })).toBe(1);

    const [, createSecond] = [await auditFor(first.id), await auditFor(second.id)];
    expect(createSecond).toHaveLength(1);
    expect(createSecond[0]?.before).toEqual({
      otherEvents: [{ id: first.id, title: first.title, milestone: "containment", version: 1 }],
    });
    expect(createSecond[0]?.after).toMatchObject({
      id: second.id,
      milestone: "containment",
      otherEvents: [{ id: first.id, title: first.title, milestone: null, version: 2 }],
    });
    // The displaced event's change is in the pinning entry, not an entry of its own.
    expect((await auditFor(first.id)).map((e) => e.action)).toEqual(["event.create"]);
    expect(await waitForNotice((n) => n.id === first.id && n.action === "updated")).toMatchObject({
      version: 2,
    });

    // Pinning back by update moves it again.
    await update(colleague, first.id, { version: 2, milestone: "containment" });
    expect(await db().timelineEvent.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      milestone: null,
      version: 2,
    });
    expect(await db().timelineEvent.count({ where: { incidentId, milestone: "containment" } })).toBe(1);
  });

  it("leaves exactly one event pinned when two pin at once", async () => {
    const [a, b] = await Promise.all([
      createEvent(responder, { milestone: "mitigation complete" }),
      createEvent(colleague, { milestone: "mitigation complete" }),
    ]);
    const pinned = await db().timelineEvent.findMany({
      where: { incidentId, milestone: "mitigation_complete" },
      select: { id: true },
    });
    expect(pinned).toHaveLength(1);
    expect([a.id, b.id]).toContain(pinned[0]?.id);
  });
});

describe("deleteTimelineEvent", () => {
  it("removes the event with its links and alternatives, writes one audit entry with the event as it was", async () => {
    const event = await createEvent(responder, {
      organizationIds: [stateOrgId],
      indicatorIds: [indicatorId],
      techniqueIds: ["T1606"],
      alternatives: [{ occurredAt: "2023-06-15", precision: "day", source: "CSRB report p. 7" }],
    });
    const id = requestId();

    const result = await deleteTimelineEvent(responder, incidentId, event.id, { requestId: id, version: 1 });

    expect(result).toMatchObject({ status: 200, body: { id: event.id, deleted: true } });
    expect(await db().timelineEvent.count({ where: { id: event.id } })).toBe(0);
    expect(await db().eventAlternative.count({ where: { eventId: event.id } })).toBe(0);
    expect(await db().eventOrganization.count({ where: { eventId: event.id } })).toBe(0);
    expect(await db().eventIndicator.count({ where: { eventId: event.id } })).toBe(0);
    expect(await db().eventTechnique.count({ where: { eventId: event.id } })).toBe(0);
    const entries = await auditFor(event.id);
    expect(entries.map((e) => e.action)).toEqual(["event.create", "event.delete"]);
    expect(entries[1]).toMatchObject({ requestId: id, after: null });
    expect(entries[1]?.before).toMatchObject({ id: event.id, title: event.title, version: 1 });
    expect(await waitForNotice((n) => n.id === event.id && n.action === "deleted")).toMatchObject({
      version: 1,
    });
  });

  it("deletes without a version, refuses a stale one with 409, and answers 404 once gone", async () => {
    const event = await createEvent(responder);
    await update(colleague, event.id, { version: 1, title: "Changed meanwhile" });

    const stale = await captureError(() =>
      deleteTimelineEvent(responder, incidentId, event.id, { requestId: null, version: 1 }),
    );
    expect(stale.status).toBe(409);
    expect(stale.userMessage).toContain(colleague.name);
    expect(await db().timelineEvent.count({ where: { id: event.id } })).toBe(1);

    await deleteTimelineEvent(responder, incidentId, event.id, { requestId: null });
    const gone = await captureError(() =>
      deleteTimelineEvent(responder, incidentId, event.id, { requestId: null }),
    );
    expect(gone.status).toBe(404);
  });

  it("refuses executives and agency users with 403, and answers 404 for an id that is not a uuid", async () => {
    const event = await createEvent(responder);
    for (const actor of [executive, agencyUser]) {
      const error = await captureError(() =>
        deleteTimelineEvent(actor, incidentId, event.id, { requestId: null }),
      );
      expect(error.status).toBe(403);
    }
    expect(await db().timelineEvent.count({ where: { id: event.id } })).toBe(1);
    const error = await captureError(() =>
      deleteTimelineEvent(responder, incidentId, "1 OR 1=1", { requestId: null }),
    );
    expect(error.status).toBe(404);
  });
});

describe("Idempotency-Key", () => {
  function keyed(body: unknown, key = randomUUID()): IdempotencyRequest {
    return {
      principalId: responder.userId,
      key,
      method: "POST",
      path: `/api/v1/incidents/${incidentId}/events`,
      body: JSON.stringify(body),
    };
  }

  const send = (raw: CreateEventInput, idempotency: IdempotencyRequest) =>
    createTimelineEvent(responder, incidentId, CreateEventSchema.parse(raw), {
      idempotency,
      requestId: requestId(),
    });

  it("replays the first answer for the same request sent again, with one effect", async () => {
    const raw = eventInput();
    const idempotency = keyed(raw);
    const auditBefore = await auditCount();

    const first = await send(raw, idempotency);
    const second = await send(raw, idempotency);

    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(true);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await db().timelineEvent.count({ where: { title: raw.title } })).toBe(1);
    expect(await auditCount()).toBe(auditBefore + 1);
  });

  it("creates one event for ten concurrent sends with one key, all answered alike", async () => {
    const raw = eventInput();
    const idempotency = keyed(raw);

    const results = await Promise.all(Array.from({ length: 10 }, () => send(raw, idempotency)));

    expect(await db().timelineEvent.count({ where: { title: raw.title } })).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe(201);
      expect(result.body).toEqual(results[0]?.body);
    }
  });

  it("refuses the same key with another body with 422 and stores nothing more", async () => {
    const raw = eventInput();
    const key = randomUUID();
    await send(raw, keyed(raw, key));
    const otherRaw = eventInput();

    const error = await captureError(() => send(otherRaw, keyed(otherRaw, key)));

    expect(error.status).toBe(422);
    expect(error.code).toBe("idempotency_key_reused");
    expect(await db().timelineEvent.count({ where: { title: otherRaw.title } })).toBe(0);
  });
});

describe("getTimelineEvent", () => {
  it("answers staff with internal fields, an agency user within its scope without them, and 404 otherwise", async () => {
    const clear = await createEvent(responder, { internalNote: "staff only" });
    const aboutAnotherVictim = await createEvent(responder, {
      internalNote: "staff only",
      organizationIds: [commerceOrgId],
    });
    const red = await createEvent(responder, { tlp: "RED" });

    expect(await getTimelineEvent(responder, incidentId, clear.id.toUpperCase())).toEqual(clear);
    const seenByAgency = await getTimelineEvent(agencyUser, incidentId, clear.id);
    expect(seenByAgency).not.toHaveProperty("internalNote");
    expect(seenByAgency).not.toHaveProperty("updatedBy");
    expect(seenByAgency.organizations).toEqual([]);

    for (const [actor, id, incident] of [
      [agencyUser, red.id, incidentId],
      // Even at TLP:CLEAR, an event linked to another organization may name it: an agency user gets 404.
      [agencyUser, aboutAnotherVictim.id, incidentId],
      [responder, "../events", incidentId],
      [responder, randomUUID(), incidentId],
      [responder, clear.id, otherIncidentId],
    ] as const) {
      const error = await captureError(() => getTimelineEvent(actor, incident, id));
      expect(error.status).toBe(404);
    }
  });
});

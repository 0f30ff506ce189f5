// Agency moves against a real Postgres: an agency user acknowledges and confirms remediation for its
// own organization only (from the session), through the state machine, with the move, its event, one
// audit entry and notices; other roles are refused.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { NotificationMoveSchema, PortalNotificationSchema } from "../../validation/organizations.ts";
import { recordNotificationMove } from "../organizations/commands.ts";
import { listTimelineEvents } from "../timeline/queries.ts";
import {
  acknowledgeNotification,
  confirmRemediation,
  recordPortalNotification,
  type PortalMoveResponse,
} from "./commands.ts";
import { getPortalView } from "./queries.ts";

const run = randomUUID().slice(0, 8);
const NOW = new Date("2023-07-20T12:00:00Z");

let incidentId: string;
let responder: Actor;
let executive: Actor;

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
  const email = `${role}-${randomUUID().slice(0, 8)}@portal-commands.example`;
  const user = await db().user.create({
    data: {
      email,
      name: `${role} ${randomUUID().slice(0, 4)}`,
      role,
      organizationId,
      passwordHash: "unused",
    },
  });
  return { userId: user.id, email, name: user.name, role, organizationId, readOnly: false };
}

/** An organization with its own agency user, notified by a responder. */
async function notifiedOrganization(label: string) {
  const organization = await db().affectedOrganization.create({
    data: {
      incidentId,
      name: `${label} ${randomUUID().slice(0, 8)}`,
      kind: "government",
      determinedAffectedAt: new Date("2023-06-16T00:00:00Z"),
    },
  });
  await recordNotificationMove(
    responder,
    incidentId,
    organization.id,
    NotificationMoveSchema.parse({
      to: "notified",
      at: "2023-06-17T09:00:00Z",
      channel: "email",
      version: 1,
    }),
    { requestId: null, now: NOW },
  );
  const user = await createUser("agency", organization.id);
  return { organization, user };
}

const options = () => ({ requestId: `req-${randomUUID()}`, now: NOW });

beforeAll(async () => {
  const incident = await db().incident.create({
    data: { slug: `portal-commands-${run}`, name: "Portal commands", publicSummary: "Test." },
  });
  incidentId = incident.id;
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
  responder = await createUser("responder");
  executive = await createUser("executive");
});

afterAll(async () => {
  await db().$disconnect();
});

describe("acknowledgeNotification", () => {
  it("acknowledges the user's own organization by the portal, with its event, one audit entry, and the portal shows it", async () => {
    const { organization, user } = await notifiedOrganization("U.S. Department of State");
    const result = await acknowledgeNotification(
      user,
      { note: "Received, thank you.", version: 2 },
      options(),
    );
    expect(result.status).toBe(200);
    const body = result.body as PortalMoveResponse;
    expect(body).toEqual({
      organization: {
        id: organization.id,
        name: organization.name,
        notificationState: "acknowledged",
        notificationStateAt: NOW.toISOString(),
        version: 3,
      },
      move: {
        id: expect.any(String),
        fromState: "notified",
        toState: "acknowledged",
        at: NOW.toISOString(),
        atPrecision: "exact",
        channel: "portal",
        note: "Received, thank you.",
        timelineEventId: expect.any(String),
      },
    });
    // Nothing internal in the answer.
    expect(JSON.stringify(body)).not.toMatch(/internalNote|evidence/);

    const stored = await db().notificationMove.findUniqueOrThrow({
      where: { id: body.move.id },
      include: { timelineEvent: { include: { organizations: true } } },
    });
    expect(stored).toMatchObject({ recordedById: user.userId, channel: "portal", evidence: null });
    expect(stored.timelineEvent).toMatchObject({
      lane: "response",
      phase: "notification",
      tlp: "AMBER",
      title: `${organization.name}: acknowledged (portal)`,
      createdById: user.userId,
    });
    expect(stored.timelineEvent?.organizations.map((link) => link.organizationId)).toEqual([organization.id]);

    const audit = await db().auditEntry.findMany({
      where: { entityId: organization.id },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["notification.move", "notification.move"]);
    expect(audit[1]).toMatchObject({ actorId: user.userId, entityType: "organization" });

    const view = await getPortalView(user, NOW);
    expect(view.organization.notificationState).toBe("acknowledged");
    expect(view.history.map((m) => m.toState)).toEqual(["notified", "acknowledged"]);
    const events = await listTimelineEvents(user, incidentId, { limit: 100, phase: "notification" });
    expect(events.items.map((e) => e.id)).toEqual(expect.arrayContaining([stored.timelineEventId]));
  });

  it("takes a time the user gives, dated as a day when it is a date", async () => {
    const { user } = await notifiedOrganization("Commerce");
    const input = PortalNotificationSchema.parse({ to: "acknowledged", at: "2023-06-18", version: 2 });
    const result = await recordPortalNotification(user, input, options());
    expect((result.body as PortalMoveResponse).move).toMatchObject({
      at: "2023-06-18T00:00:00.000Z",
      atPrecision: "day",
    });
  });

  it("acts only on the session's organization: another organization is untouched and stays invisible", async () => {
    const mine = await notifiedOrganization("Mine");
    const theirs = await notifiedOrganization("Theirs");
    await acknowledgeNotification(mine.user, { note: null, version: 2 }, options());
    const other = await db().affectedOrganization.findUniqueOrThrow({
      where: { id: theirs.organization.id },
    });
    expect(other).toMatchObject({ notificationState: "notified", version: 2 });
    // The move event of "Theirs" (AMBER, linked to it only) is not in "Mine"'s timeline.
    const theirEvent = await db().notificationMove.findFirstOrThrow({
      where: { organizationId: theirs.organization.id },
    });
    const seen = await listTimelineEvents(mine.user, incidentId, { limit: 500 });
    expect(seen.items.map((e) => e.id)).not.toContain(theirEvent.timelineEventId);
    expect(JSON.stringify(seen.items)).not.toContain(theirs.organization.name);
  });

  it("follows the state machine: not from pending, not twice, remediation only after acknowledgement", async () => {
    const pending = await db().affectedOrganization.create({
      data: { incidentId, name: `Pending ${run}`, kind: "government", determinedAffectedAt: NOW },
    });
    const pendingUser = await createUser("agency", pending.id);
    const early = await captureError(() =>
      acknowledgeNotification(pendingUser, { note: null, version: 1 }, options()),
    );
    expect(early.code).toBe("illegal_move");
    expect(early.userMessage).toBe(
      `${pending.name} is pending; from pending only the response team can move it (to notified).`,
    );

    const { organization, user } = await notifiedOrganization("Stepwise");
    const tooSoon = await captureError(() => confirmRemediation(user, { note: null, version: 2 }, options()));
    expect(tooSoon.status).toBe(422);
    expect(tooSoon.userMessage).toBe(
      `${organization.name} is notified; from notified you can move it to acknowledged.`,
    );
    await acknowledgeNotification(user, { note: null, version: 2 }, options());
    const twice = await captureError(() =>
      acknowledgeNotification(user, { note: null, version: 3 }, options()),
    );
    expect(twice.code).toBe("illegal_move");
    const remediated = await confirmRemediation(user, { note: "Tokens revoked.", version: 3 }, options());
    expect((remediated.body as PortalMoveResponse).organization).toMatchObject({
      notificationState: "remediated",
      version: 4,
    });
  });

  it("refuses a stale version with 409 without naming the responder, and a time in the future", async () => {
    const { organization, user } = await notifiedOrganization("Stale");
    const stale = await captureError(() =>
      acknowledgeNotification(user, { note: null, version: 1 }, options()),
    );
    expect(stale.status).toBe(409);
    expect(stale.userMessage).toMatch(
      new RegExp(`^${organization.name} was changed by the response team at `),
    );
    expect(stale.userMessage).not.toContain(responder.name);
    const future = await captureError(() =>
      acknowledgeNotification(
        user,
        { at: new Date(NOW.getTime() + 3_600_000), atPrecision: "exact", note: null, version: 2 },
        options(),
      ),
    );
    expect(future.status).toBe(422);
    expect(future.details?.[0]?.field).toBe("at");
  });

  it("refuses responders, executives and an agency user without an organization with 403", async () => {
    const unbound = await createUser("agency");
    for (const actor of [responder, executive, unbound]) {
      const error = await captureError(() =>
        acknowledgeNotification(actor, { note: null, version: 1 }, options()),
      );
      expect(error.status).toBe(403);
    }
  });

  it("refuses a body that names an organization", () => {
    const parsed = PortalNotificationSchema.safeParse({
      to: "acknowledged",
      version: 2,
      organizationId: randomUUID(),
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["organizationId"]);
  });
});

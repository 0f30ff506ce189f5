// getIncidentMetrics against a real Postgres: overall and per-organization durations from known dates,
// an empty incident, fresh numbers after a change, and who may read them.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import type { NotificationStateKey } from "../vocabulary.ts";
import { getIncidentMetrics } from "./queries.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(iso);
const NOW = at("2023-09-01T00:00:00Z");

const actor = (role: Actor["role"], organizationId: string | null = null): Actor => ({
  userId: randomUUID(),
  email: `${role}@metrics-test.example`,
  name: role,
  role,
  organizationId,
  readOnly: false,
});
const responder = actor("responder");

async function captureError(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected an AppError, but the call succeeded.");
}

let incidentId: string;
let slug: string;
let emptyId: string;
const ids: Record<string, string> = {};

async function addEvent(
  key: string,
  iso: string,
  phase: "initial_access" | "activity" | "detection" | "containment" | "notification",
  organizationIds: string[] = [],
) {
  const event = await db().timelineEvent.create({
    data: {
      incidentId,
      occurredAt: at(iso),
      precision: "day",
      lane: phase === "initial_access" || phase === "activity" ? "adversary" : "response",
      phase,
      title: `${key} (${iso.slice(0, 10)})`,
      source: "https://example.org/metrics",
      verification: "primary",
      organizations: { create: organizationIds.map((organizationId) => ({ organizationId })) },
    },
  });
  ids[key] = event.id;
  return event.id;
}

async function addOrganization(key: string, determined: string, firstKnownAccess: string | null) {
  const organization = await db().affectedOrganization.create({
    data: {
      incidentId,
      name: `${key} ${randomUUID().slice(0, 6)}`,
      kind: "government",
      determinedAffectedAt: at(determined),
      firstKnownAccessAt: firstKnownAccess ? at(firstKnownAccess) : null,
    },
  });
  ids[key] = organization.id;
  return organization.id;
}

async function addMoves(organizationId: string, moves: Array<[NotificationStateKey, string]>) {
  let from: NotificationStateKey = "pending";
  for (const [to, iso] of moves) {
    await db().notificationMove.create({
      data: {
        incidentId,
        organizationId,
        fromState: from,
        toState: to,
        at: at(iso),
        madeBy: "Microsoft",
        channel: "email",
      },
    });
    from = to;
  }
  await db().affectedOrganization.update({
    where: { id: organizationId },
    data: { notificationState: from, notificationStateAt: at(moves.at(-1)?.[1] ?? "2023-06-16T00:00:00Z") },
  });
}

beforeAll(async () => {
  slug = `metrics-${randomUUID().slice(0, 8)}`;
  const incident = await db().incident.create({
    data: { slug, name: "Metrics test", publicSummary: "Test." },
  });
  incidentId = incident.id;
  const empty = await db().incident.create({
    data: {
      slug: `metrics-empty-${randomUUID().slice(0, 8)}`,
      name: "Metrics empty",
      publicSummary: "Test.",
    },
  });
  emptyId = empty.id;

  const state = await addOrganization("state", "2023-06-17T00:00:00Z", "2023-05-15T00:00:00Z");
  const commerce = await addOrganization("commerce", "2023-06-20T00:00:00Z", null);
  await addOrganization("unknown", "2023-08-31T12:00:00Z", null);

  await addEvent("staging", "2023-05-10T00:00:00Z", "activity");
  await addEvent("initialAccess", "2023-05-15T00:00:00Z", "initial_access", [state]);
  // A response event linked to Commerce before its first adversary event must not count as access.
  await addEvent("commerceResponse", "2023-05-18T00:00:00Z", "containment", [commerce]);
  await addEvent("commerceAccess", "2023-05-20T00:00:00Z", "activity", [commerce]);
  await addEvent("commerceLater", "2023-06-01T00:00:00Z", "activity", [commerce]);
  const detection = await addEvent("detection", "2023-06-16T00:00:00Z", "detection");
  await db().eventAlternative.create({
    data: {
      eventId: detection,
      occurredAt: at("2023-06-15T00:00:00Z"),
      precision: "day",
      source: "https://example.org/csrb",
      verification: "primary",
      note: "CSRB dates the detection to 15 June",
    },
  });
  await addEvent("containment", "2023-06-24T00:00:00Z", "containment");
  await addEvent("notification", "2023-07-11T00:00:00Z", "notification");

  await addMoves(state, [
    ["notified", "2023-06-18T00:00:00Z"],
    ["delivered", "2023-06-18T01:00:00Z"],
    ["acknowledged", "2023-06-19T12:00:00Z"],
    ["remediated", "2023-07-01T00:00:00Z"],
  ]);
});

afterAll(async () => {
  await db().incident.deleteMany({ where: { id: { in: [incidentId, emptyId].filter(Boolean) } } });
});

describe("getIncidentMetrics", () => {
  it("derives the incident's milestones and dwell of 32 days (31 under the CSRB's date)", async () => {
    const metrics = await getIncidentMetrics(responder, slug, NOW);
    expect(metrics.incident).toMatchObject({ id: incidentId, slug, notificationDeadlineHours: 72 });
    expect(metrics.computedAt).toBe(NOW.toISOString());
    expect(metrics.milestones.firstActivity).toMatchObject({
      eventId: ids.initialAccess,
      title: "initialAccess (2023-05-15)",
      basis: "earliest initial-access event",
      label: "First adversary activity",
    });
    // Staging on 10 May is earlier but is not initial access; containment is the earliest containment event.
    expect(metrics.milestones.containment?.eventId).toBe(ids.commerceResponse);
    expect(metrics.durations.dwell).toMatchObject({
      ms: 32 * DAY,
      from: { eventId: ids.initialAccess, at: "2023-05-15T00:00:00.000Z" },
      to: { eventId: ids.detection, title: "detection (2023-06-16)" },
    });
    expect(metrics.durations.dwell.alternatives).toEqual([
      expect.objectContaining({ ms: 31 * DAY, changed: "to", note: "CSRB dates the detection to 15 June" }),
    ]);
    expect(metrics.durations.timeToFirstNotification.ms).toBe(25 * DAY);
    expect(metrics.durations.timeToMitigate.ms).toBeNull();
    expect(metrics.milestones.mitigationComplete).toBeNull();
  });

  it("gives each organization its first access, moves, durations and deadline", async () => {
    const metrics = await getIncidentMetrics(responder, incidentId, NOW);
    const byId = new Map(metrics.organizations.map((o) => [o.id, o]));
    const state = byId.get(ids.state ?? "");
    expect(state?.firstAccess).toMatchObject({
      basis: "organization record",
      at: "2023-05-15T00:00:00.000Z",
    });
    expect(state?.detection).toEqual({
      at: "2023-06-16T00:00:00.000Z",
      eventId: ids.detection,
      title: "detection (2023-06-16)",
    });
    expect(state?.notified?.at).toBe("2023-06-18T00:00:00.000Z");
    expect(state?.acknowledged?.at).toBe("2023-06-19T12:00:00.000Z");
    expect(state?.remediated?.at).toBe("2023-07-01T00:00:00.000Z");
    expect(state?.durations.dwell.ms).toBe(32 * DAY);
    expect(state?.durations.timeToNotifyFromDetection.ms).toBe(2 * DAY);
    expect(state?.durations.timeToNotifyFromDetermination.ms).toBe(DAY);
    expect(state?.durations.timeToAcknowledge.ms).toBe(DAY + 12 * HOUR);
    expect(state?.deadline).toEqual({
      hours: 72,
      dueAt: "2023-06-20T00:00:00.000Z",
      status: "met",
      marginMs: 2 * DAY,
    });

    const commerce = byId.get(ids.commerce ?? "");
    expect(commerce?.firstAccess).toEqual({
      at: "2023-05-20T00:00:00.000Z",
      precision: "day",
      basis: "earliest linked adversary event",
      eventId: ids.commerceAccess,
      eventTitle: "commerceAccess (2023-05-20)",
    });
    expect(commerce?.durations.dwell.ms).toBe(27 * DAY);
    expect(commerce?.notified).toBeNull();
    expect(commerce?.durations.timeToNotifyFromDetection.ms).toBeNull();
    expect(commerce?.deadline.status).toBe("overdue");

    const unknown = byId.get(ids.unknown ?? "");
    expect(unknown?.firstAccess).toBeNull();
    expect(unknown?.durations.dwell.ms).toBeNull();
    // Determined 12 hours before "now" with a 72-hour regime: 60 hours left.
    expect(unknown?.deadline).toMatchObject({ status: "on time", marginMs: 60 * HOUR });

    expect(metrics.organizationSummary).toMatchObject({
      total: 3,
      byNotificationState: {
        pending: 2,
        notified: 0,
        delivered: 0,
        acknowledged: 0,
        remediated: 1,
        closed: 0,
        failed: 0,
      },
      byDeadlineStatus: { "on time": 1, "at risk": 0, overdue: 1, met: 1, missed: 0 },
    });
    expect(metrics.organizationSummary.durations.dwell).toEqual({
      known: 2,
      minMs: 27 * DAY,
      medianMs: 29.5 * DAY,
      maxMs: 32 * DAY,
    });
  });

  it("recomputes from current data on every call", async () => {
    const before = await getIncidentMetrics(responder, incidentId, NOW);
    expect(before.organizationSummary.byNotificationState.notified).toBe(0);
    await addMoves(ids.commerce ?? "", [["notified", "2023-06-22T00:00:00Z"]]);
    const after = await getIncidentMetrics(responder, incidentId, NOW);
    expect(after.organizationSummary.byNotificationState.notified).toBe(1);
    const commerce = after.organizations.find((o) => o.id === ids.commerce);
    expect(commerce?.deadline.status).toBe("met");
    expect(commerce?.durations.timeToNotifyFromDetermination.ms).toBe(2 * DAY);
  });

  it("answers nulls and zero counts for an incident with no events or organizations", async () => {
    const metrics = await getIncidentMetrics(responder, emptyId, NOW);
    expect(Object.values(metrics.milestones).every((m) => m === null)).toBe(true);
    expect(Object.values(metrics.durations).map((d) => d.ms)).toEqual([null, null, null, null, null]);
    expect(metrics.organizations).toEqual([]);
    expect(metrics.organizationSummary.total).toBe(0);
    expect(Object.values(metrics.organizationSummary.byNotificationState)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Object.values(metrics.organizationSummary.byDeadlineStatus)).toEqual([0, 0, 0, 0, 0]);
  });

  it("lets an executive read; refuses an agency user (403) and answers 404 for an unknown incident", async () => {
    const metrics = await getIncidentMetrics(actor("executive"), slug, NOW);
    expect(metrics.durations.dwell.ms).toBe(32 * DAY);
    const agency = actor("agency", ids.state ?? null);
    expect((await captureError(() => getIncidentMetrics(agency, slug, NOW))).status).toBe(403);
    expect((await captureError(() => getIncidentMetrics(responder, `no-such-${randomUUID()}`))).status).toBe(
      404,
    );
  });
});

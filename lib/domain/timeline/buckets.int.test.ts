// Timeline buckets against a real Postgres: sums, lane split, filters, the max-points bound over long
// spans, the from > to error and who may read them.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { TimelineBucketQuerySchema } from "../../validation/metrics.ts";
import { findIncident } from "../incidents/queries.ts";
import { NICE_BUCKET_SECONDS, getTimelineBuckets, type TimelineBucketsDto } from "./buckets.ts";
import type { Lane, Phase } from "./milestones.ts";
import { listTimelineEvents } from "./queries.ts";

const actor = (role: Actor["role"], organizationId: string | null = null): Actor => ({
  userId: randomUUID(),
  email: `${role}@buckets-test.example`,
  name: role,
  role,
  organizationId,
  readOnly: false,
});
const responder = actor("responder");
const executive = actor("executive");
const HOUR = 3_600_000;

interface EventSpec {
  at: string | Date;
  phase: Phase;
  lane?: Lane;
  until?: string;
}

async function createIncident(label: string, events: EventSpec[]): Promise<string> {
  const incident = await db().incident.create({
    data: {
      slug: `buckets-${label}-${randomUUID().slice(0, 8)}`,
      name: `Buckets ${label}`,
      publicSummary: "Test.",
    },
  });
  for (let i = 0; i < events.length; i += 1000) {
    await db().timelineEvent.createMany({
      data: events.slice(i, i + 1000).map((e, j) => ({
        incidentId: incident.id,
        occurredAt: new Date(e.at),
        occurredUntil: e.until ? new Date(e.until) : null,
        precision: e.until ? ("range" as const) : ("exact" as const),
        lane: e.lane ?? (e.phase === "initial_access" || e.phase === "activity" ? "adversary" : "response"),
        phase: e.phase,
        title: `event ${i + j}`,
        source: "https://example.org/buckets",
        verification: "primary" as const,
      })),
    });
  }
  return incident.id;
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

const sum = (result: TimelineBucketsDto) =>
  result.buckets.reduce((acc, b) => acc + b.adversary + b.response, 0);

let smallId: string;
let longId: string;
let emptyId: string;

const SMALL: EventSpec[] = [
  { at: "2023-05-15T00:00:00Z", phase: "initial_access" },
  { at: "2023-05-15T10:30:00Z", phase: "activity" },
  { at: "2023-05-20T00:00:00Z", phase: "activity" },
  { at: "2023-06-16T00:00:00Z", phase: "detection" },
  { at: "2023-06-16T08:00:00Z", phase: "investigation" },
  { at: "2023-06-24T00:00:00Z", phase: "containment" },
  { at: "2023-07-11T00:00:00Z", phase: "notification" },
  // A range that starts before a June window and runs into it.
  { at: "2023-05-25T00:00:00Z", until: "2023-06-20T00:00:00Z", phase: "activity" },
];
const LONG_COUNT = 5000;

beforeAll(async () => {
  smallId = await createIncident("small", SMALL);
  // 5,000 events spread over 2000–2023, deterministic, both lanes.
  const start = Date.UTC(2000, 0, 1);
  const span = Date.UTC(2023, 11, 31) - start;
  const phases: Phase[] = [
    "initial_access",
    "activity",
    "detection",
    "containment",
    "mitigation",
    "notification",
  ];
  longId = await createIncident(
    "long",
    Array.from({ length: LONG_COUNT }, (_, i) => ({
      at: new Date(start + Math.floor(((i * 7919) % LONG_COUNT) * (span / LONG_COUNT)) + (i % 97) * HOUR),
      phase: phases[i % phases.length] ?? "activity",
    })),
  );
  emptyId = await createIncident("empty", []);
});

afterAll(async () => {
  await db().incident.deleteMany({ where: { id: { in: [smallId, longId, emptyId].filter(Boolean) } } });
});

describe("getTimelineBuckets", () => {
  it("adds up to the event count and splits the lanes, defaulting to the first and last event", async () => {
    const result = await getTimelineBuckets(responder, smallId, { max: 1000 });
    expect(result.from).toBe("2023-05-15T00:00:00.000Z");
    expect(result.to).toBe("2023-07-11T00:00:00.000Z");
    expect(result.total).toEqual({ adversary: 4, response: 4 });
    expect(sum(result)).toBe(SMALL.length);
    // 57 days with max 1000: 3-hour buckets (1 hour would need 1,369).
    expect(result.bucketSeconds).toBe(3 * 3600);
    expect(result.buckets.length).toBeLessThanOrEqual(1000);
    // Only non-empty buckets, in time order, on the grid.
    for (const b of result.buckets) expect(b.adversary + b.response).toBeGreaterThan(0);
    const starts = result.buckets.map((b) => Date.parse(b.start));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(result.buckets[0]).toEqual({
      start: "2023-05-15T00:00:00.000Z",
      adversary: 1,
      response: 0,
      phases: { "initial access": { adversary: 1, response: 0 } },
    });
    // 10:30 falls in the 09:00 bucket.
    expect(result.buckets[1]).toMatchObject({ start: "2023-05-15T09:00:00.000Z", adversary: 1, response: 0 });
    // Detection (00:00) and investigation (08:00) on 16 June: different 3-hour buckets, response lane.
    const june16 = result.buckets.filter((b) => b.start.startsWith("2023-06-16"));
    expect(june16).toEqual([
      {
        start: "2023-06-16T00:00:00.000Z",
        adversary: 0,
        response: 1,
        phases: { detection: { adversary: 0, response: 1 } },
      },
      {
        start: "2023-06-16T06:00:00.000Z",
        adversary: 0,
        response: 1,
        phases: { investigation: { adversary: 0, response: 1 } },
      },
    ]);
  });

  it("uses day buckets with max 100 and puts each event in the day it happened", async () => {
    const result = await getTimelineBuckets(responder, smallId, { max: 100 });
    expect(result.bucketSeconds).toBe(86_400);
    expect(result.buckets.find((b) => b.start === "2023-05-15T00:00:00.000Z")).toMatchObject({
      start: "2023-05-15T00:00:00.000Z",
      adversary: 2,
      response: 0,
    });
    // Every bucket's phase split adds up to its lane counts.
    for (const bucket of result.buckets) {
      const split = Object.values(bucket.phases);
      expect(split.reduce((n, p) => n + p.adversary, 0)).toBe(bucket.adversary);
      expect(split.reduce((n, p) => n + p.response, 0)).toBe(bucket.response);
    }
    expect(sum(result)).toBe(SMALL.length);
  });

  it("applies the lane and phase filters like the events list", async () => {
    const adversary = await getTimelineBuckets(responder, smallId, { lane: "adversary" });
    expect(adversary.total).toEqual({ adversary: 4, response: 0 });
    const detection = await getTimelineBuckets(responder, smallId, { phase: "detection" });
    expect(detection.total).toEqual({ adversary: 0, response: 1 });
    expect(detection.buckets).toHaveLength(1);
    // The axis stays the incident's, whatever the filter.
    expect(detection.from).toBe("2023-05-15T00:00:00.000Z");
    const none = await getTimelineBuckets(responder, smallId, { lane: "adversary", phase: "detection" });
    expect(none.buckets).toEqual([]);
    expect(none.total).toEqual({ adversary: 0, response: 0 });
  });

  it("counts the window like the events list: a range overlapping from lands in the first bucket", async () => {
    const from = new Date("2023-06-01T00:00:00Z");
    const to = new Date("2023-06-30T00:00:00Z");
    const result = await getTimelineBuckets(responder, smallId, { from, to, max: 30 });
    expect(result.bucketSeconds).toBe(86_400);
    const list = await listTimelineEvents(responder, smallId, { from, to, limit: 500 });
    expect(sum(result)).toBe(list.items.length);
    expect(result.total).toEqual({ adversary: 1, response: 3 });
    expect(result.buckets[0]).toMatchObject({ start: "2023-06-01T00:00:00.000Z", adversary: 1, response: 0 });
  });

  it("defaults the missing end of a half-open window without turning it inside out", async () => {
    const late = await getTimelineBuckets(responder, smallId, { from: new Date("2030-01-01T00:00:00Z") });
    expect(late.to).toBe("2030-01-01T00:00:00.000Z");
    expect(late.buckets).toEqual([]);
    const early = await getTimelineBuckets(responder, smallId, { to: new Date("2023-05-16T00:00:00Z") });
    expect(early.from).toBe("2023-05-15T00:00:00.000Z");
    expect(early.total).toEqual({ adversary: 2, response: 0 });
  });

  it.each([10, 100, 1000])(
    "never returns more than max=%i points for 5,000 events over 24 years",
    async (max) => {
      const result = await getTimelineBuckets(responder, longId, { max });
      expect(result.buckets.length).toBeLessThanOrEqual(max);
      expect(sum(result)).toBe(LONG_COUNT);
      expect(result.total.adversary + result.total.response).toBe(LONG_COUNT);
      // Phases cycle through six, the first two adversary: 834 + 834 of 5,000.
      expect(result.total.adversary).toBe(1668);
      const width = result.bucketSeconds ?? 0;
      expect(NICE_BUCKET_SECONDS.includes(width) || width % (365 * 86_400) === 0).toBe(true);
      // Consecutive bucket starts are whole multiples of the width apart.
      const starts = result.buckets.map((b) => Date.parse(b.start));
      for (let i = 1; i < starts.length; i++) {
        expect(((starts[i] ?? 0) - (starts[i - 1] ?? 0)) % (width * 1000)).toBe(0);
      }
    },
  );

  it("answers nulls and zeros for an incident with no events", async () => {
    const result = await getTimelineBuckets(responder, emptyId);
    expect(result).toEqual({
      from: null,
      to: null,
      bucketSeconds: null,
      max: 1000,
      buckets: [],
      total: { adversary: 0, response: 0 },
    });
  });

  it("answers one point for from == to", async () => {
    const at = new Date("2023-06-16T00:00:00Z");
    const result = await getTimelineBuckets(responder, smallId, { from: at, to: at, max: 1 });
    // Detection at that instant, and the May–June range that spans it.
    expect(result.buckets).toHaveLength(1);
    expect(result.buckets[0]).toMatchObject({ start: "2023-06-16T00:00:00.000Z", adversary: 1, response: 1 });
    expect(result.bucketSeconds).toBe(60);
  });

  it("copes with a window of ten thousand years", async () => {
    const from = new Date("0001-01-01T00:00:00Z");
    const to = new Date("9999-12-31T23:59:59Z");
    for (const max of [1, 2, 1000]) {
      const result = await getTimelineBuckets(responder, smallId, { from, to, max });
      expect(result.buckets.length).toBeLessThanOrEqual(max);
      expect(sum(result)).toBe(SMALL.length);
    }
  });

  it("refuses from after to with a 400 naming from", async () => {
    const error = await captureError(() =>
      getTimelineBuckets(responder, smallId, {
        from: new Date("2023-07-01T00:00:00Z"),
        to: new Date("2023-06-01T00:00:00Z"),
      }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_input");
    expect(error.details?.[0]?.field).toBe("from");
    const tooMany = await captureError(() => getTimelineBuckets(responder, smallId, { max: 1001 }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.details?.[0]?.field).toBe("max");
  });

  it("lets the executive read and refuses an agency user with 403", async () => {
    const result = await getTimelineBuckets(executive, smallId);
    expect(sum(result)).toBe(SMALL.length);
    const organization = await db().affectedOrganization.create({
      data: {
        incidentId: smallId,
        name: "Agency",
        kind: "government",
        determinedAffectedAt: new Date("2023-06-16T00:00:00Z"),
      },
    });
    const agency = actor("agency", organization.id);
    expect((await captureError(() => getTimelineBuckets(agency, smallId))).status).toBe(403);
    // Through the route's own order of calls: resolving the incident already refuses.
    expect((await captureError(() => findIncident(agency, smallId))).status).toBe(403);
  });
});

describe("TimelineBucketQuerySchema", () => {
  it("defaults max to 1000, allows 1..1000 and names from when from > to", () => {
    expect(TimelineBucketQuerySchema.parse({}).max).toBe(1000);
    expect(TimelineBucketQuerySchema.parse({ max: "1", phase: "initial access" })).toMatchObject({
      max: 1,
      phase: "initial_access",
    });
    for (const max of ["0", "1001", "2.5", "x"]) {
      const parsed = TimelineBucketQuerySchema.safeParse({ max });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["max"]);
    }
    const inverted = TimelineBucketQuerySchema.safeParse({ from: "2023-07-01", to: "2023-06-01" });
    expect(inverted.success).toBe(false);
    expect(inverted.error?.issues.map((i) => i.path)).toEqual([["from"]]);
    const farAway = TimelineBucketQuerySchema.safeParse({ to: "+275000-01-01T00:00:00Z" });
    expect(farAway.error?.issues[0]?.path).toEqual(["to"]);
  });
});

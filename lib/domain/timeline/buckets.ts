// Timeline chart data: events counted per time bucket and lane, aggregated in SQL so a series never
// carries more than `max` points, plus the pure maths that picks a "nice" bucket width.
import type { Actor } from "../../auth/actor.ts";
import { can } from "../../auth/permissions.ts";
import { db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { forbidden, invalidInput } from "../../errors.ts";
import { MAX_TIMELINE_BUCKETS, type TimelineBucketQuery } from "../../validation/metrics.ts";
import { phaseLabel, type PhaseLabel } from "../vocabulary.ts";
import { timelineEventScope } from "./scope.ts";

// ------------------------------------------------------------------ bucket-size maths (pure)

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/**
 * Widths a person reads at a glance. Nothing below a minute: a chart of seconds answers no question a
 * timeline asks. 30 and 365 days are fixed lengths, not calendar months or years.
 */
export const NICE_BUCKET_SECONDS: readonly number[] = [
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  30 * DAY,
  90 * DAY,
  YEAR,
];

/**
 * Buckets sit on one fixed grid so the same instant always falls in the same bucket whatever window
 * is asked for: a Monday midnight UTC, so day buckets start at midnight and week buckets on Mondays.
 */
export const BUCKET_GRID_ORIGIN = new Date("2000-01-03T00:00:00.000Z");

/** The nice widths in order, then 2, 5, 10, 20, 50, … years: never runs out for any span. */
export function* niceBucketWidths(): Generator<number> {
  yield* NICE_BUCKET_SECONDS;
  for (let decade = 1; ; decade *= 10) {
    for (const step of [2, 5, 10]) yield step * decade * YEAR;
  }
}

/** How many grid buckets of `bucketSeconds`, anchored at `origin`, the closed span [from, to] touches. */
export function countBuckets(from: Date, to: Date, bucketSeconds: number, origin: Date): number {
  const width = bucketSeconds * 1000;
  const index = (at: Date) => Math.floor((at.getTime() - origin.getTime()) / width);
  return index(to) - index(from) + 1;
}

export interface BucketPlan {
  bucketSeconds: number;
  /** Where bucket 0 starts; buckets start at origin + k × bucketSeconds. */
  origin: Date;
  /** Buckets the span touches, empty ones included; never more than max. */
  count: number;
}

/**
 * Postgres timestamps start in 4714 BC; a grid bucket of thousands of years anchored at 2000 could
 * start before that, so such a plan anchors at `from` instead.
 */
export const EARLIEST_BUCKET_START = new Date(Date.UTC(-4000, 0, 1));

/**
 * The smallest nice width whose buckets over [from, to] number at most `max`. Buckets sit on the
 * fixed grid, except in two corners where they start at `from` instead: max = 1 (a span straddling a
 * grid line never fits one grid bucket) and multi-millennium buckets whose grid start Postgres could
 * not represent.
 */
export function planBuckets(from: Date, to: Date, max: number): BucketPlan {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a whole number ≥ 1, got ${max}`);
  if (from.getTime() > to.getTime()) throw new RangeError("from must not be later than to");
  const spanMs = to.getTime() - from.getTime();
  for (const bucketSeconds of niceBucketWidths()) {
    const width = bucketSeconds * 1000;
    const count = countBuckets(from, to, bucketSeconds, BUCKET_GRID_ORIGIN);
    const gridStart =
      BUCKET_GRID_ORIGIN.getTime() +
      Math.floor((from.getTime() - BUCKET_GRID_ORIGIN.getTime()) / width) * width;
    if (count <= max && gridStart >= EARLIEST_BUCKET_START.getTime()) {
      return { bucketSeconds, origin: BUCKET_GRID_ORIGIN, count };
    }
    const countFromStart = Math.floor(spanMs / width) + 1;
    if (countFromStart <= max && (max === 1 || count <= max)) {
      return { bucketSeconds, origin: from, count: countFromStart };
    }
  }
  throw new Error("unreachable: niceBucketWidths never ends");
}

// ------------------------------------------------------------------ the query

export interface TimelineBucket {
  /** ISO start of the bucket; it covers [start, start + bucketSeconds). */
  start: string;
  adversary: number;
  response: number;
  /** The same counts split by phase; phases with no events in the bucket are left out. */
  phases: Partial<Record<PhaseLabel, { adversary: number; response: number }>>;
}

export interface TimelineBucketsDto {
  /** The window counted, ISO; null only when the incident has no events and none was given. */
  from: string | null;
  to: string | null;
  /** null exactly when from/to are. */
  bucketSeconds: number | null;
  max: number;
  /** Only non-empty buckets, in time order: a chart fills the gaps with zeros. */
  buckets: TimelineBucket[];
  total: { adversary: number; response: number };
}

/**
 * The raw-SQL form of timelineEventScope, for staff only. Staff see every event of the incident,
 * which SQL says as `incident_id = …`. The agency rule (CLEAR/GREEN, plus AMBER and AMBER+STRICT linked to the
 * actor's own organization, never RED) is not written here: before agency users may call this, port
 * that TLP rule into SQL. Until then anyone whose scope is more than the incident is refused, so this
 * can never show more than the events list would.
 */
export function staffEventScopeSql(actor: Actor, incidentId: string): Prisma.Sql {
  const scope = timelineEventScope(actor, incidentId);
  if (!can(actor, "incident:read") || Object.keys(scope).length !== 1)
    throw forbidden("read timeline charts");
  return Prisma.sql`incident_id = ${incidentId}::uuid`;
}

type BucketRow = { start: Date; phase: PhaseLabel; adversary: number; response: number };

/**
 * The one aggregate query (date_bin needs Postgres 14+): date_bin onto the plan's grid, one row per
 * non-empty bucket with both lanes counted, so never more than max rows. The bucket is computed in an
 * `OFFSET 0` subquery on purpose: Postgres cannot see through it, so it estimates a few hundred groups
 * and hash-aggregates in memory; grouping on the expression directly makes it estimate one group per
 * distinct occurred_at and sort all the events on disk instead (EXPLAIN at 100,000 events: 28 ms
 * against 47 ms). Exported so the benchmark can EXPLAIN the very statement the API runs.
 */
export function bucketCountsSql(
  scope: Prisma.Sql,
  window: { from: Date; to: Date },
  plan: BucketPlan,
  filters: Pick<Partial<TimelineBucketQuery>, "lane" | "phase"> = {},
): Prisma.Sql {
  const { from, to } = window;
  const lane = filters.lane ? Prisma.sql`AND lane = ${filters.lane}::lane` : Prisma.empty;
  const phase = filters.phase ? Prisma.sql`AND phase = ${phaseLabel(filters.phase)}::phase` : Prisma.empty;
  // One row per (bucket, phase), with the lane split in columns: at most 8 rows per bucket, folded into
  // one point per bucket by the caller.
  return Prisma.sql`
    SELECT start, phase::text AS phase,
           (count(*) FILTER (WHERE is_adversary))::int AS adversary,
           (count(*) FILTER (WHERE NOT is_adversary))::int AS response
    FROM (
      SELECT date_bin(make_interval(secs => ${plan.bucketSeconds}::float8),
                      greatest(occurred_at, ${from}::timestamptz), ${plan.origin}::timestamptz) AS start,
             phase,
             lane = 'adversary' AS is_adversary
      FROM timeline_event
      WHERE ${scope}
        AND occurred_at <= ${to}::timestamptz
        AND (occurred_at >= ${from}::timestamptz OR occurred_until >= ${from}::timestamptz)
        ${lane} ${phase}
      OFFSET 0
    ) AS binned
    GROUP BY 1, 2
    ORDER BY 1, 2`;
}

function fromAfterTo(): never {
  throw invalidInput([{ field: "from", message: "from must not be later than to" }], undefined, 400);
}

/**
 * Counts the actor's visible events of an incident per bucket and lane, for charts. `lane` and
 * `phase` filter like the events list, and so does the window: an event counts when it overlaps
 * [from, to] (a range that began before `from` is counted in the first bucket), so the buckets add
 * up to what the events list returns for the same filters. Each event counts once, in the bucket of
 * its start. from/to default to the incident's first and last event (whatever the lane/phase
 * filter, so both lanes' charts share one axis).
 */
export async function getTimelineBuckets(
  actor: Actor,
  incidentId: string,
  query: Partial<TimelineBucketQuery> = {},
): Promise<TimelineBucketsDto> {
  const scope = staffEventScopeSql(actor, incidentId);
  const max = query.max ?? MAX_TIMELINE_BUCKETS;
  if (!Number.isInteger(max) || max < 1 || max > MAX_TIMELINE_BUCKETS) {
    throw invalidInput(
      [{ field: "max", message: `max must be a whole number from 1 to ${MAX_TIMELINE_BUCKETS}` }],
      undefined,
      400,
    );
  }
  if (query.from && query.to && query.from > query.to) fromAfterTo();

  let from = query.from ?? null;
  let to = query.to ?? null;
  if (!from || !to) {
    const [extent] = await db().$queryRaw<{ first: Date | null; last: Date | null }[]>`
      SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM timeline_event WHERE ${scope}`;
    // A window given at one end only never turns inside out: the other end defaults to at least it.
    to ??= latest(extent?.last ?? null, from);
    from ??= earliest(extent?.first ?? null, to);
  }
  const empty = { max, buckets: [], total: { adversary: 0, response: 0 } };
  if (!from || !to) return { from: null, to: null, bucketSeconds: null, ...empty };

  const plan = planBuckets(from, to, max);
  const rows = await db().$queryRaw<BucketRow[]>(bucketCountsSql(scope, { from, to }, plan, query));
  const total = { adversary: 0, response: 0 };
  const byStart = new Map<number, TimelineBucket>();
  for (const row of rows) {
    total.adversary += row.adversary;
    total.response += row.response;
    const key = row.start.getTime();
    let bucket = byStart.get(key);
    if (!bucket) {
      bucket = { start: row.start.toISOString(), adversary: 0, response: 0, phases: {} };
      byStart.set(key, bucket);
    }
    bucket.adversary += row.adversary;
    bucket.response += row.response;
    bucket.phases[row.phase] = { adversary: row.adversary, response: row.response };
  }
  const buckets = [...byStart.values()];
  // planBuckets guarantees this; a failure here is a bug, never a response with too many points.
  if (buckets.length > max) throw new Error(`timeline buckets: ${buckets.length} buckets for max ${max}`);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucketSeconds: plan.bucketSeconds,
    max,
    buckets,
    total,
  };
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b;
  return a > b ? a : b;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b;
  return a < b ? a : b;
}

// The executive dashboard's data: per open incident its phase, milestones and key durations, the
// notification overview, indicators by type, events per week by lane, findings by status and the
// sourced figures. Every count is aggregated in SQL; each widget has its own function so the page can
// stream widgets independently, and getIncidentDashboard composes them for the API.
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { db } from "../../db/client.ts";
import { findIncident, listIncidents, type IncidentSummary } from "../incidents/queries.ts";
import { getNotificationOverview, type NotificationOverviewDto } from "../organizations/queries.ts";
import { BUCKET_GRID_ORIGIN, planBuckets, staffEventScopeSql } from "../timeline/buckets.ts";
import {
  deriveKeyDurations,
  deriveMilestones,
  type KeyDuration,
  type Milestones,
} from "../timeline/milestones.ts";
import { milestoneInputsForIncident } from "../timeline/queries.ts";
import { indicatorTypeLabel } from "../vocabulary.ts";
import { groupSourcedFigures, type FigureGroupDto, type SourcedFigureRow } from "./figures.ts";
import { deriveIncidentPhase, type IncidentPhase } from "./phase.ts";

const WEEK_SECONDS = 7 * 24 * 3600;
/** More weeks than this and the chart switches to the next nice width (30 days, 90 days, …). */
export const MAX_WEEKLY_POINTS = 260;

export const FINDING_STATUSES = ["draft", "confirmed", "dismissed"] as const;
export type FindingStatusKey = (typeof FINDING_STATUSES)[number];

export interface DataStampDto {
  /** Rows the figures were computed from. */
  counts: {
    events: number;
    organizations: number;
    indicators: number;
    findings: number;
    sourcedFigures: number;
  };
  /** The latest change to any of them (audit trail or row timestamps); null for an untouched incident. */
  lastChangeAt: string | null;
}

export interface KeyTimesDto {
  phase: IncidentPhase;
  milestones: Milestones;
  durations: KeyDuration[];
}

export interface IndicatorTypeCountDto {
  type: string;
  count: number;
}

export interface WeeklyEventsDto {
  /** 604800 for weeks; wider only for incidents spanning more than MAX_WEEKLY_POINTS weeks. */
  bucketSeconds: number | null;
  /** Every bucket from the first event's to the last's, empty ones included (a continuous axis). */
  buckets: Array<{ start: string; adversary: number; response: number }>;
  total: { adversary: number; response: number };
}

export interface IncidentDashboardDto {
  incident: IncidentSummary;
  computedAt: string;
  data: DataStampDto;
  keyTimes: KeyTimesDto;
  notifications: NotificationOverviewDto;
  indicatorsByType: IndicatorTypeCountDto[];
  eventsPerWeek: WeeklyEventsDto;
  findingsByStatus: Record<FindingStatusKey, number>;
  sourcedFigures: FigureGroupDto[];
}

export interface DashboardDto {
  computedAt: string;
  incidents: IncidentDashboardDto[];
}

/** The open incidents on the dashboard, oldest first. */
export async function listDashboardIncidents(actor: Actor): Promise<IncidentSummary[]> {
  assertCan(actor, "dashboard:read");
  return (await listIncidents(actor)).filter((incident) => incident.status === "open");
}

/** One incident for the dashboard or the report; 404 when unknown, 403 without `dashboard:read`. */
export async function findDashboardIncident(actor: Actor, ref: string): Promise<IncidentSummary> {
  assertCan(actor, "dashboard:read");
  return findIncident(actor, ref);
}

export async function getKeyTimes(actor: Actor, incidentId: string): Promise<KeyTimesDto> {
  assertCan(actor, "dashboard:read");
  const scope = staffEventScopeSql(actor, incidentId);
  const [inputs, post] = await Promise.all([
    milestoneInputsForIncident(incidentId),
    db().$queryRaw<{ occurred_at: Date; precision: string }[]>`
      SELECT occurred_at, precision::text AS precision FROM timeline_event
      WHERE ${scope} AND phase = 'post-incident' ORDER BY occurred_at, id LIMIT 1`,
  ]);
  const milestones = deriveMilestones(inputs);
  const first = post[0];
  return {
    phase: deriveIncidentPhase(
      milestones,
      first ? { occurredAt: first.occurred_at, precision: first.precision } : null,
    ),
    milestones,
    durations: deriveKeyDurations(milestones),
  };
}

export async function getIndicatorsByType(
  actor: Actor,
  incidentId: string,
): Promise<IndicatorTypeCountDto[]> {
  assertCan(actor, "dashboard:read");
  const rows = await db().$queryRaw<{ type: string; count: number }[]>`
    SELECT type::text AS type, count(*)::int AS count FROM indicator
    WHERE incident_id = ${incidentId}::uuid GROUP BY type ORDER BY count(*) DESC, type::text`;
  return rows.map((row) => ({ type: indicatorTypeLabel(row.type), count: row.count }));
}

export async function getFindingsByStatus(
  actor: Actor,
  incidentId: string,
): Promise<Record<FindingStatusKey, number>> {
  assertCan(actor, "dashboard:read");
  const rows = await db().$queryRaw<{ status: FindingStatusKey; count: number }[]>`
    SELECT status::text AS status, count(*)::int AS count FROM finding
    WHERE incident_id = ${incidentId}::uuid GROUP BY status`;
  const result = { draft: 0, confirmed: 0, dismissed: 0 };
  for (const row of rows) result[row.status] = row.count;
  return result;
}

/** Events per week and lane, on the same fixed Monday-midnight UTC grid as the timeline chart. */
export async function getEventsPerWeek(actor: Actor, incidentId: string): Promise<WeeklyEventsDto> {
  assertCan(actor, "dashboard:read");
  const scope = staffEventScopeSql(actor, incidentId);
  const [extent] = await db().$queryRaw<{ first: Date | null; last: Date | null }[]>`
    SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM timeline_event WHERE ${scope}`;
  const from = extent?.first;
  const to = extent?.last;
  if (!from || !to) return { bucketSeconds: null, buckets: [], total: { adversary: 0, response: 0 } };
  const weekly = planBuckets(from, to, MAX_WEEKLY_POINTS);
  const plan =
    weekly.bucketSeconds <= WEEK_SECONDS
      ? {
          bucketSeconds: WEEK_SECONDS,
          origin: BUCKET_GRID_ORIGIN,
          count:
            Math.floor((to.getTime() - BUCKET_GRID_ORIGIN.getTime()) / (WEEK_SECONDS * 1000)) -
            Math.floor((from.getTime() - BUCKET_GRID_ORIGIN.getTime()) / (WEEK_SECONDS * 1000)) +
            1,
        }
      : weekly;
  // The whole extent, so no window test: one pass over the incident's events, hash-aggregated (the
  // OFFSET 0 subquery keeps Postgres from sorting all of them to group; see bucketCountsSql).
  const rows = await db().$queryRaw<{ start: Date; adversary: number; response: number }[]>`
    SELECT date_bin(make_interval(secs => ${plan.bucketSeconds}::float8), occurred_at, ${plan.origin}::timestamptz) AS start,
           (count(*) FILTER (WHERE is_adversary))::int AS adversary,
           (count(*) FILTER (WHERE NOT is_adversary))::int AS response
    FROM (SELECT occurred_at, lane = 'adversary' AS is_adversary FROM timeline_event WHERE ${scope} OFFSET 0) AS e
    GROUP BY 1`;
  const width = plan.bucketSeconds * 1000;
  const firstStart =
    plan.origin.getTime() + Math.floor((from.getTime() - plan.origin.getTime()) / width) * width;
  const buckets = Array.from({ length: plan.count }, (_, index) => ({
    start: new Date(firstStart + index * width).toISOString(),
    adversary: 0,
    response: 0,
  }));
  const total = { adversary: 0, response: 0 };
  for (const row of rows) {
    const bucket = buckets[Math.round((row.start.getTime() - firstStart) / width)];
    if (!bucket) continue;
    bucket.adversary += row.adversary;
    bucket.response += row.response;
    total.adversary += row.adversary;
    total.response += row.response;
  }
  return { bucketSeconds: plan.bucketSeconds, buckets, total };
}

export async function getSourcedFigures(actor: Actor, incidentId: string): Promise<FigureGroupDto[]> {
  assertCan(actor, "dashboard:read");
  const rows: SourcedFigureRow[] = await db().sourcedFigure.findMany({
    where: { incidentId },
    orderBy: { key: "asc" },
    select: {
      key: true,
      label: true,
      value: true,
      qualifier: true,
      sourceUrl: true,
      sourceDate: true,
      note: true,
    },
  });
  return groupSourcedFigures(rows);
}

/**
 * What the figures were computed from: row counts and the latest change, in one statement. Event
 * changes are found through the audit trail (every event mutation writes its entry in the same
 * transaction) rather than max(updated_at) over every event, which would read 100,000 rows.
 */
export async function getDataStamp(actor: Actor, incidentId: string): Promise<DataStampDto> {
  assertCan(actor, "dashboard:read");
  const [row] = await db().$queryRaw<
    {
      events: number;
      organizations: number;
      indicators: number;
      findings: number;
      figures: number;
      last_change_at: Date | null;
    }[]
  >`
    SELECT
      (SELECT count(*) FROM timeline_event WHERE incident_id = ${incidentId}::uuid)::int AS events,
      (SELECT count(*) FROM affected_organization WHERE incident_id = ${incidentId}::uuid)::int AS organizations,
      (SELECT count(*) FROM indicator WHERE incident_id = ${incidentId}::uuid)::int AS indicators,
      (SELECT count(*) FROM finding WHERE incident_id = ${incidentId}::uuid)::int AS findings,
      (SELECT count(*) FROM sourced_figure WHERE incident_id = ${incidentId}::uuid)::int AS figures,
      greatest(
        (SELECT at FROM audit_entry WHERE incident_id = ${incidentId}::uuid ORDER BY id DESC LIMIT 1),
        (SELECT updated_at FROM incident WHERE id = ${incidentId}::uuid),
        (SELECT max(updated_at) FROM affected_organization WHERE incident_id = ${incidentId}::uuid),
        (SELECT max(updated_at) FROM indicator WHERE incident_id = ${incidentId}::uuid),
        (SELECT max(updated_at) FROM finding WHERE incident_id = ${incidentId}::uuid)
      ) AS last_change_at`;
  return {
    counts: {
      events: row?.events ?? 0,
      organizations: row?.organizations ?? 0,
      indicators: row?.indicators ?? 0,
      findings: row?.findings ?? 0,
      sourcedFigures: row?.figures ?? 0,
    },
    lastChangeAt: row?.last_change_at?.toISOString() ?? null,
  };
}

/** Everything the dashboard shows for one incident (GET /api/v1/incidents/{incident}/dashboard). */
export async function getIncidentDashboard(
  actor: Actor,
  ref: string,
  now = new Date(),
): Promise<IncidentDashboardDto> {
  return dashboardOf(actor, await findDashboardIncident(actor, ref), now);
}

async function dashboardOf(
  actor: Actor,
  incident: IncidentSummary,
  now: Date,
): Promise<IncidentDashboardDto> {
  const [data, keyTimes, notifications, indicatorsByType, eventsPerWeek, findingsByStatus, sourcedFigures] =
    await Promise.all([
      getDataStamp(actor, incident.id),
      getKeyTimes(actor, incident.id),
      getNotificationOverview(actor, incident.id, now),
      getIndicatorsByType(actor, incident.id),
      getEventsPerWeek(actor, incident.id),
      getFindingsByStatus(actor, incident.id),
      getSourcedFigures(actor, incident.id),
    ]);
  return {
    incident,
    computedAt: now.toISOString(),
    data,
    keyTimes,
    notifications,
    indicatorsByType,
    eventsPerWeek,
    findingsByStatus,
    sourcedFigures,
  };
}

/** Every open incident's dashboard (GET /api/v1/dashboard). */
export async function getDashboard(actor: Actor, now = new Date()): Promise<DashboardDto> {
  const incidents = await listDashboardIncidents(actor);
  return {
    computedAt: now.toISOString(),
    // The listed incidents are the actor's own already: no second lookup per incident.
    incidents: await Promise.all(incidents.map((incident) => dashboardOf(actor, incident, now))),
  };
}

// Reading incidents with their milestones and key durations.
import { cache } from "react";
import { db } from "../../db/client.ts";
import type { Actor } from "../../auth/actor.ts";
import { notFound } from "../../errors.ts";
import {
  deriveKeyDurations,
  deriveMilestones,
  type KeyDuration,
  type Milestones,
} from "../timeline/milestones.ts";
import { milestoneInputsForIncident } from "../timeline/queries.ts";
import { incidentListWhere, incidentRefWhere } from "./scope.ts";

export interface IncidentSummary {
  id: string;
  slug: string;
  name: string;
  actor: string | null;
  publicSummary: string;
  status: "open" | "closed";
  timeZone: string;
  notificationDeadlineHours: number;
  isDemo: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface IncidentOverview extends IncidentSummary {
  milestones: Milestones;
  durations: KeyDuration[];
  counts: { events: number; organizations: number; indicators: number; findings: number };
}

type IncidentRow = Awaited<ReturnType<ReturnType<typeof db>["incident"]["findFirstOrThrow"]>>;

function toSummary(row: IncidentRow): IncidentSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    actor: row.actor,
    publicSummary: row.publicSummary,
    status: row.status,
    timeZone: row.timeZone,
    notificationDeadlineHours: row.notificationDeadlineHours,
    isDemo: row.isDemo,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listIncidents(actor: Actor): Promise<IncidentSummary[]> {
  const rows = await db().incident.findMany({
    where: incidentListWhere(actor),
    orderBy: { createdAt: "asc" },
  });
  return rows.map(toSummary);
}

/**
 * Throws not_found when the incident does not exist (or the actor may not read incidents: 403 first).
 * A page's layout and the page itself both look the incident up: React's cache() makes that one read
 * per server render (same actor, same reference); outside a render every call reads afresh.
 */
export const findIncident = cache(async (actor: Actor, ref: string): Promise<IncidentSummary> => {
  const row = await db().incident.findFirst({ where: incidentRefWhere(actor, ref) });
  if (!row) throw notFound(`Incident "${ref}"`);
  return toSummary(row);
});

export async function getIncidentOverview(actor: Actor, ref: string): Promise<IncidentOverview> {
  const incident = await findIncident(actor, ref);
  const [inputs, counts] = await Promise.all([
    milestoneInputsForIncident(incident.id),
    // The four counts in one statement: one round trip instead of four.
    db().$queryRaw<IncidentOverview["counts"][]>`
      SELECT
        (SELECT count(*) FROM timeline_event WHERE incident_id = ${incident.id}::uuid)::int AS events,
        (SELECT count(*) FROM affected_organization WHERE incident_id = ${incident.id}::uuid)::int AS organizations,
        (SELECT count(*) FROM indicator WHERE incident_id = ${incident.id}::uuid)::int AS indicators,
        (SELECT count(*) FROM finding WHERE incident_id = ${incident.id}::uuid)::int AS findings`,
  ]);
  const milestones = deriveMilestones(inputs);
  const [row] = counts;
  return {
    ...incident,
    milestones,
    durations: deriveKeyDurations(milestones),
    counts: {
      events: row?.events ?? 0,
      organizations: row?.organizations ?? 0,
      indicators: row?.indicators ?? 0,
      findings: row?.findings ?? 0,
    },
  };
}

/** Slug of the first open incident, for the landing redirect. */
export async function findFirstIncidentSlug(actor: Actor): Promise<string | null> {
  const row = await db().incident.findFirst({
    where: { ...incidentListWhere(actor), status: "open" },
    orderBy: { createdAt: "asc" },
    select: { slug: true },
  });
  return row?.slug ?? null;
}

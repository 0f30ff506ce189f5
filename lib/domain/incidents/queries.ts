// Reading incidents with their milestones and key durations.
import { db } from "../../db/client.ts";
import type { Actor } from "../../auth/actor.ts";
import { notFound } from "../../errors.ts";
import { deriveKeyDurations, deriveMilestones, type KeyDuration, type Milestones } from "../timeline/milestones.ts";
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
  const rows = await db().incident.findMany({ where: incidentListWhere(actor), orderBy: { createdAt: "asc" } });
  return rows.map(toSummary);
}

/** Throws not_found when the incident does not exist (or the actor may not read incidents: 403 first). */
export async function findIncident(actor: Actor, ref: string): Promise<IncidentSummary> {
  const row = await db().incident.findFirst({ where: incidentRefWhere(actor, ref) });
  if (!row) throw notFound(`Incident "${ref}"`);
  return toSummary(row);
}

export async function getIncidentOverview(actor: Actor, ref: string): Promise<IncidentOverview> {
  const incident = await findIncident(actor, ref);
  const [inputs, events, organizations, indicators, findings] = await Promise.all([
    milestoneInputsForIncident(incident.id),
    db().timelineEvent.count({ where: { incidentId: incident.id } }),
    db().affectedOrganization.count({ where: { incidentId: incident.id } }),
    db().indicator.count({ where: { incidentId: incident.id } }),
    db().finding.count({ where: { incidentId: incident.id } }),
  ]);
  const milestones = deriveMilestones(inputs);
  return {
    ...incident,
    milestones,
    durations: deriveKeyDurations(milestones),
    counts: { events, organizations, indicators, findings },
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

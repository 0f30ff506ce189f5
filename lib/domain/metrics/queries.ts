// GET /incidents/{incident}/metrics: dwell time and the other durations, overall and per affected
// organization, with counts by notification state and deadline status. Recomputed from current data on
// every call (no cache): a notification move shows up in the next answer.
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import type { Precision } from "../../time/format.ts";
import { findIncident } from "../incidents/queries.ts";
import { organizationScope } from "../organizations/scope.ts";
import { staffEventScopeSql } from "../timeline/buckets.ts";
import { deriveKeyDurations, deriveMilestones, type MilestoneKind } from "../timeline/milestones.ts";
import { milestoneInputsForIncident } from "../timeline/queries.ts";
import {
  toIncidentDurationDtos,
  toMilestoneDtos,
  type IncidentDurationDto,
  type KeyDurationName,
  type MilestoneDto,
} from "./incident-metrics.ts";
import {
  deriveOrganizationMetrics,
  summarizeOrganizations,
  type OrganizationMetricsDto,
  type OrganizationMetricsInput,
  type OrganizationSummary,
} from "./organization-metrics.ts";

export interface IncidentMetricsDto {
  incident: { id: string; slug: string; name: string; notificationDeadlineHours: number };
  /** When this answer was computed; deadline statuses are as of this moment. */
  computedAt: string;
  /** Every milestone kind; null when no event supports it yet. */
  milestones: Record<MilestoneKind, MilestoneDto | null>;
  /** Every key duration; ms null while one of its milestones is missing. */
  durations: Record<KeyDurationName, IncidentDurationDto>;
  organizations: OrganizationMetricsDto[];
  organizationSummary: OrganizationSummary;
}

type LinkedEventRow = {
  organization_id: string;
  id: string;
  title: string;
  occurred_at: Date;
  precision: Precision;
};

/**
 * The earliest adversary-lane event linked to each organization, for those whose record has no first
 * known access. One lateral probe per organization over its links, not a pass over the timeline.
 */
async function earliestLinkedAdversaryEvents(
  actor: Actor,
  incidentId: string,
  organizationIds: string[],
): Promise<Map<string, LinkedEventRow>> {
  if (organizationIds.length === 0) return new Map();
  const scope = staffEventScopeSql(actor, incidentId);
  const rows = await db().$queryRaw<LinkedEventRow[]>`
    SELECT link.organization_id, e.id, e.title, e.occurred_at, e.precision::text AS precision
    FROM unnest(${organizationIds}::uuid[]) AS link(organization_id)
    CROSS JOIN LATERAL (
      SELECT t.id, t.title, t.occurred_at, t.precision
      FROM event_organization eo
      JOIN (SELECT id, title, occurred_at, precision, lane FROM timeline_event WHERE ${scope}) t ON t.id = eo.event_id
      WHERE eo.organization_id = link.organization_id AND t.lane = 'adversary'
      ORDER BY t.occurred_at, t.id
      LIMIT 1
    ) e`;
  return new Map(rows.map((row) => [row.organization_id, row]));
}

export async function getIncidentMetrics(
  actor: Actor,
  ref: string,
  now = new Date(),
): Promise<IncidentMetricsDto> {
  const incident = await findIncident(actor, ref);
  // No event counts here: counting 100,000 events costs as much as everything else together, and the
  // incident overview and the timeline buckets already carry them.
  const [inputs, organizations] = await Promise.all([
    milestoneInputsForIncident(incident.id),
    db().affectedOrganization.findMany({
      where: organizationScope(actor, incident.id),
      orderBy: [{ determinedAffectedAt: "asc" }, { name: "asc" }],
      select: {
        id: true,
        name: true,
        kind: true,
        notificationState: true,
        notificationStateAt: true,
        determinedAffectedAt: true,
        firstKnownAccessAt: true,
        moves: {
          orderBy: [{ at: "asc" }, { recordedAt: "asc" }],
          select: {
            id: true,
            toState: true,
            at: true,
            atPrecision: true,
            madeBy: true,
            channel: true,
            timelineEventId: true,
          },
        },
      },
    }),
  ]);
  const linked = await earliestLinkedAdversaryEvents(
    actor,
    incident.id,
    organizations.filter((org) => !org.firstKnownAccessAt).map((org) => org.id),
  );

  const milestones = deriveMilestones(inputs);
  const context = { detection: milestones.detection, deadlineHours: incident.notificationDeadlineHours, now };
  const perOrganization = organizations.map((org) => {
    const event = linked.get(org.id);
    const input: OrganizationMetricsInput = {
      ...org,
      earliestLinkedAdversaryEvent: event
        ? { id: event.id, title: event.title, occurredAt: event.occurred_at, precision: event.precision }
        : null,
    };
    return deriveOrganizationMetrics(input, context);
  });

  return {
    incident: {
      id: incident.id,
      slug: incident.slug,
      name: incident.name,
      notificationDeadlineHours: incident.notificationDeadlineHours,
    },
    computedAt: now.toISOString(),
    milestones: toMilestoneDtos(milestones),
    durations: toIncidentDurationDtos(milestones, deriveKeyDurations(milestones)),
    organizations: perOrganization,
    organizationSummary: summarizeOrganizations(perOrganization),
  };
}

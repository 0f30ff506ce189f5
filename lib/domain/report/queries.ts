// The printable incident report: the dashboard's figures plus the timeline (compact, in order), the
// organizations with their notification status and the confirmed findings, stamped with when it was
// generated and from which data.
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { renderMarkdown } from "../../markdown/render.ts";
import type { Precision } from "../../time/format.ts";
import { getIncidentDashboard, type IncidentDashboardDto } from "../dashboard/queries.ts";
import { staffEventScopeSql } from "../timeline/buckets.ts";
import { organizationKindLabel, type OrganizationKindKey } from "../vocabulary.ts";

/** A report is read on paper: past this many events the timeline section says how many it left out. */
export const REPORT_EVENT_LIMIT = 2_000;

export interface ReportEventDto {
  id: string;
  occurredAt: string;
  occurredUntil: string | null;
  precision: Precision;
  lane: "adversary" | "response";
  phase: string;
  title: string;
  source: string;
}

export interface ReportOrganizationDto {
  id: string;
  name: string;
  kind: string;
  country: string | null;
  determinedAffectedAt: string;
  notificationState: string;
  notificationStateAt: string | null;
  deadlineStatus: string | null;
}

export interface ReportFindingDto {
  id: string;
  title: string;
  severity: string;
  confidence: string;
  bodyHtml: string;
  updatedAt: string;
}

export interface IncidentReportDto extends IncidentDashboardDto {
  generatedAt: string;
  events: { items: ReportEventDto[]; total: number; truncated: boolean };
  organizations: ReportOrganizationDto[];
  confirmedFindings: ReportFindingDto[];
}

export async function getIncidentReport(
  actor: Actor,
  ref: string,
  now = new Date(),
): Promise<IncidentReportDto> {
  const dashboard = await getIncidentDashboard(actor, ref, now);
  const incidentId = dashboard.incident.id;
  const scope = staffEventScopeSql(actor, incidentId);
  const [events, organizations, findings] = await Promise.all([
    db().$queryRaw<
      {
        id: string;
        occurred_at: Date;
        occurred_until: Date | null;
        precision: Precision;
        lane: "adversary" | "response";
        phase: string;
        title: string;
        source: string;
      }[]
    >`
      SELECT id, occurred_at, occurred_until, precision::text AS precision, lane::text AS lane,
             phase::text AS phase, title, source
      FROM timeline_event WHERE ${scope}
      ORDER BY occurred_at, id LIMIT ${REPORT_EVENT_LIMIT}`,
    db().affectedOrganization.findMany({
      where: { incidentId },
      orderBy: [{ name: "asc" }],
      select: {
        id: true,
        name: true,
        kind: true,
        country: true,
        determinedAffectedAt: true,
        notificationState: true,
        notificationStateAt: true,
      },
    }),
    db().finding.findMany({
      where: { incidentId, status: "confirmed" },
      orderBy: [{ updatedAt: "desc" }],
      select: { id: true, title: true, severity: true, confidence: true, body: true, updatedAt: true },
    }),
  ]);
  const deadlines = new Map(dashboard.notifications.timeToNotify.map((org) => [org.id, org.deadlineStatus]));
  return {
    ...dashboard,
    generatedAt: now.toISOString(),
    events: {
      items: events.map((e) => ({
        id: e.id,
        occurredAt: e.occurred_at.toISOString(),
        occurredUntil: e.occurred_until?.toISOString() ?? null,
        precision: e.precision,
        lane: e.lane,
        phase: e.phase,
        title: e.title,
        source: e.source,
      })),
      total: dashboard.data.counts.events,
      truncated: dashboard.data.counts.events > events.length,
    },
    organizations: organizations.map((org) => ({
      id: org.id,
      name: org.name,
      kind: organizationKindLabel(org.kind as OrganizationKindKey),
      country: org.country,
      determinedAffectedAt: org.determinedAffectedAt.toISOString(),
      notificationState: org.notificationState,
      notificationStateAt: org.notificationStateAt?.toISOString() ?? null,
      deadlineStatus: deadlines.get(org.id) ?? null,
    })),
    confirmedFindings: findings.map((finding) => ({
      id: finding.id,
      title: finding.title,
      severity: finding.severity,
      confidence: finding.confidence,
      bodyHtml: renderMarkdown(finding.body),
      updatedAt: finding.updatedAt.toISOString(),
    })),
  };
}

// The agency portal's view: the user's own organization, its notification, and what it may see of
// the incident. Built only from scoped queries; nothing here names another organization.
import { db } from "../../db/client.ts";
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { forbidden, notFound } from "../../errors.ts";
import type { Precision } from "../../time/format.ts";
import { indicatorScope } from "../indicators/scope.ts";
import { computeDeadline, type Deadline } from "../organizations/deadline.ts";
import { organizationScope } from "../organizations/scope.ts";
import { listTimelineEvents, type TimelineEventDto } from "../timeline/queries.ts";
import { indicatorTypeLabel, tlpLabel, type NotificationStateKey, type OrganizationKindKey, type TlpLabel } from "../vocabulary.ts";

export interface PortalView {
  incident: { id: string; slug: string; name: string; publicSummary: string; deadlineHours: number };
  organization: {
    id: string;
    name: string;
    kind: OrganizationKindKey;
    sector: string | null;
    country: string | null;
    notificationState: NotificationStateKey;
    notificationStateAt: string | null;
    determinedAffectedAt: string;
    /** Sent back with the agency's own moves (acknowledge, confirm remediation). */
    version: number;
  };
  deadline: Omit<Deadline, "dueAt"> & { dueAt: string };
  history: {
    id: string;
    fromState: NotificationStateKey | null;
    toState: NotificationStateKey;
    at: string;
    atPrecision: Precision;
    madeBy: string | null;
    channel: string | null;
    note: string | null;
  }[];
  events: TimelineEventDto[];
  eventsTruncated: boolean;
  indicators: { id: string; type: string; value: string; tlp: TlpLabel; description: string | null }[];
}

const PORTAL_EVENT_LIMIT = 200;

export async function getPortalView(actor: Actor, now = new Date()): Promise<PortalView> {
  assertCan(actor, "portal:read");
  if (!actor.organizationId) throw forbidden("use the portal without being bound to an organization");
  const organization = await db().affectedOrganization.findFirst({
    where: organizationScope(actor),
    include: {
      incident: true,
      moves: { orderBy: [{ at: "asc" }, { recordedAt: "asc" }] },
    },
  });
  if (!organization) throw notFound("Your organization");
  const firstNotified = organization.moves.find((m) => m.toState === "notified");
  const deadline = computeDeadline({
    determinedAffectedAt: organization.determinedAffectedAt,
    deadlineHours: organization.incident.notificationDeadlineHours,
    state: organization.notificationState,
    notifiedAt: firstNotified?.at ?? null,
    now,
  });
  const [events, indicators] = await Promise.all([
    listTimelineEvents(actor, organization.incidentId, { limit: PORTAL_EVENT_LIMIT }),
    db().indicator.findMany({
      where: indicatorScope(actor, organization.incidentId),
      orderBy: [{ type: "asc" }, { normalizedValue: "asc" }],
      select: { id: true, type: true, value: true, tlp: true, description: true },
    }),
  ]);
  return {
    incident: {
      id: organization.incident.id,
      slug: organization.incident.slug,
      name: organization.incident.name,
      publicSummary: organization.incident.publicSummary,
      deadlineHours: organization.incident.notificationDeadlineHours,
    },
    organization: {
      id: organization.id,
      name: organization.name,
      kind: organization.kind,
      sector: organization.sector,
      country: organization.country,
      notificationState: organization.notificationState,
      notificationStateAt: organization.notificationStateAt?.toISOString() ?? null,
      determinedAffectedAt: organization.determinedAffectedAt.toISOString(),
      version: organization.version,
    },
    deadline: { ...deadline, dueAt: deadline.dueAt.toISOString() },
    history: organization.moves.map((m) => ({
      id: m.id,
      fromState: m.fromState,
      toState: m.toState,
      at: m.at.toISOString(),
      atPrecision: m.atPrecision,
      madeBy: m.madeBy,
      channel: m.channel,
      note: m.note,
    })),
    events: events.items,
    eventsTruncated: events.nextCursor !== null,
    indicators: indicators.map((i) => ({
      id: i.id,
      type: indicatorTypeLabel(i.type),
      value: i.value,
      tlp: tlpLabel(i.tlp),
      description: i.description,
    })),
  };
}

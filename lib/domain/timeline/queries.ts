// Reading the timeline: keyset-paged event lists and the candidate events for milestones.
import { cache } from "react";
import { db } from "../../db/client.ts";
import type { Actor } from "../../auth/actor.ts";
import { notFound } from "../../errors.ts";
import type { EventListQuery } from "../../validation/timeline.ts";
import { techniqueName } from "../attack/techniques.ts";
import { decodeTimeCursor, encodeTimeCursor, type Page } from "../paging.ts";
import { indicatorTypeLabel, phaseLabel, tlpLabel, type PhaseLabel, type TlpLabel } from "../vocabulary.ts";
import type { MilestoneInputEvent } from "./milestones.ts";
import { seesInternalFields, timelineEventScope } from "./scope.ts";
import { isVisibleToAgency } from "../visibility.ts";
import type { Precision } from "../../time/format.ts";
import { renderMarkdown } from "../../markdown/render.ts";
import type { Tx } from "../tx.ts";
import { Prisma } from "../../db/generated/client.ts";

export interface EventAlternativeDto {
  id: string;
  occurredAt: string;
  occurredUntil: string | null;
  precision: Precision;
  sourceTimeZone: string | null;
  source: string;
  verification: "primary" | "secondary" | "unverified";
  note: string | null;
}

/**
 * An event as lists carry it (the events API, the portal): what the timeline shows, the version and,
 * for staff, the internal note. The markdown source, the editor and the timestamps are in the full
 * record only (TimelineEventDetailDto: GET …/events/{id}, and what writes answer): pages of events
 * are read far more often than an event is opened for editing.
 */
export interface TimelineEventDto {
  id: string;
  occurredAt: string;
  occurredUntil: string | null;
  precision: Precision;
  sourceTimeZone: string | null;
  lane: "adversary" | "response";
  phase: PhaseLabel;
  title: string;
  /** The description rendered to sanitized HTML, safe to insert. */
  descriptionHtml: string | null;
  source: string;
  additionalSources: string[];
  verification: "primary" | "secondary" | "unverified";
  tlp: TlpLabel;
  milestone: string | null;
  alternatives: EventAlternativeDto[];
  organizations: { id: string; name: string }[];
  indicators: { id: string; type: string; value: string }[];
  techniques: { id: string; name: string }[];
  /** Staff only. */
  internalNote?: string | null;
  version: number;
}

/** One event in full: what GET …/events/{id} answers, what writes answer, and what the audit keeps. */
export interface TimelineEventDetailDto extends TimelineEventDto {
  incidentId: string;
  /** Markdown as written. */
  description: string | null;
  /** Staff only: who saved the current version (null for seeded events or a removed user). */
  updatedBy?: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** The columns a list reads: what TimelineEventDto carries (and the description, to render it). */
const EVENT_LIST_SELECT = {
  id: true,
  occurredAt: true,
  occurredUntil: true,
  precision: true,
  sourceTimeZone: true,
  lane: true,
  phase: true,
  title: true,
  description: true,
  source: true,
  additionalSources: true,
  verification: true,
  tlp: true,
  milestone: true,
  internalNote: true,
  version: true,
  alternatives: {
    select: {
      id: true,
      occurredAt: true,
      occurredUntil: true,
      precision: true,
      sourceTimeZone: true,
      source: true,
      verification: true,
      note: true,
    },
    orderBy: { occurredAt: "asc" as const },
  },
  organizations: { select: { organizationId: true, organization: { select: { id: true, name: true } } } },
  indicators: {
    select: {
      indicator: {
        // tlp and links: an agency user sees a linked indicator only if it may see the indicator itself.
        select: {
          id: true,
          type: true,
          value: true,
          tlp: true,
          organizations: { select: { organizationId: true } },
        },
      },
    },
  },
  techniques: { select: { techniqueId: true }, orderBy: { techniqueId: "asc" as const } },
} satisfies Prisma.TimelineEventSelect;

const EVENT_DETAIL_SELECT = {
  ...EVENT_LIST_SELECT,
  incidentId: true,
  createdAt: true,
  updatedAt: true,
  updatedBy: { select: { id: true, name: true } },
} satisfies Prisma.TimelineEventSelect;

type EventListRow = Prisma.TimelineEventGetPayload<{ select: typeof EVENT_LIST_SELECT }>;
type EventDetailRow = Prisma.TimelineEventGetPayload<{ select: typeof EVENT_DETAIL_SELECT }>;

/** The one mapping from a stored event to what readers see; the full record adds to it. */
export function toTimelineEventDto(row: EventListRow, actor: Actor): TimelineEventDto {
  const internal = seesInternalFields(actor);
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    occurredUntil: row.occurredUntil?.toISOString() ?? null,
    precision: row.precision,
    sourceTimeZone: row.sourceTimeZone,
    lane: row.lane,
    phase: phaseLabel(row.phase),
    title: row.title,
    descriptionHtml: row.description ? renderMarkdown(row.description) : null,
    source: row.source,
    additionalSources: row.additionalSources,
    verification: row.verification,
    tlp: tlpLabel(row.tlp),
    milestone: row.milestone,
    alternatives: row.alternatives.map((a) => ({
      id: a.id,
      occurredAt: a.occurredAt.toISOString(),
      occurredUntil: a.occurredUntil?.toISOString() ?? null,
      precision: a.precision,
      sourceTimeZone: a.sourceTimeZone,
      source: a.source,
      verification: a.verification,
      note: a.note,
    })),
    // An agency user sees only its own organization among the links; others are stripped.
    organizations: row.organizations
      .filter((link) => internal || link.organizationId === actor.organizationId)
      .map((link) => ({ id: link.organization.id, name: link.organization.name })),
    // An agency user sees only the linked indicators it may see itself.
    indicators: row.indicators
      .filter(
        (link) =>
          internal ||
          isVisibleToAgency(
            {
              tlp: link.indicator.tlp,
              organizationIds: link.indicator.organizations.map((o) => o.organizationId),
            },
            actor.organizationId ?? "",
          ),
      )
      .map((link) => ({
        id: link.indicator.id,
        type: indicatorTypeLabel(link.indicator.type),
        value: link.indicator.value,
      })),
    techniques: row.techniques.map((t) => ({ id: t.techniqueId, name: techniqueName(t.techniqueId) })),
    ...(internal ? { internalNote: row.internalNote } : {}),
    version: row.version,
  };
}

/** The full record (and what mutation answers and audit entries carry). */
export function toTimelineEventDetailDto(row: EventDetailRow, actor: Actor): TimelineEventDetailDto {
  return {
    ...toTimelineEventDto(row, actor),
    incidentId: row.incidentId,
    description: row.description,
    ...(seesInternalFields(actor) ? { updatedBy: row.updatedBy } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function filterWhere(query: Partial<EventListQuery>) {
  const and: object[] = [];
  if (query.lane) and.push({ lane: query.lane });
  if (query.phase) and.push({ phase: query.phase });
  // A span overlaps [from, to] when it starts before `to` and ends (or starts) after `from`.
  if (query.from)
    and.push({ OR: [{ occurredAt: { gte: query.from } }, { occurredUntil: { gte: query.from } }] });
  if (query.to) and.push({ occurredAt: { lte: query.to } });
  if (query.q) {
    and.push({
      OR: [
        { title: { contains: query.q, mode: "insensitive" } },
        { description: { contains: query.q, mode: "insensitive" } },
        { source: { contains: query.q, mode: "insensitive" } },
      ],
    });
  }
  if (query.org) and.push({ organizations: { some: { organizationId: query.org } } });
  if (query.indicator) and.push({ indicators: { some: { indicatorId: query.indicator } } });
  if (query.technique) and.push({ techniques: { some: { techniqueId: query.technique.toUpperCase() } } });
  return and;
}

export async function listTimelineEvents(
  actor: Actor,
  incidentId: string,
  query: Partial<EventListQuery> & { limit: number },
): Promise<Page<TimelineEventDto>> {
  const and: object[] = [timelineEventScope(actor, incidentId), ...filterWhere(query)];
  if (query.cursor) {
    const after = decodeTimeCursor(query.cursor);
    // The `gte` lets Postgres start an index range at the cursor; the OR alone would filter every
    // earlier row of the incident on each page.
    and.push({ occurredAt: { gte: after.at } });
    and.push({ OR: [{ occurredAt: { gt: after.at } }, { occurredAt: after.at, id: { gt: after.id } }] });
  }
  const rows = await db().timelineEvent.findMany({
    where: { AND: and },
    select: EVENT_LIST_SELECT,
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    take: query.limit + 1,
  });
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map((row) => toTimelineEventDto(row, actor)),
    nextCursor: hasMore && last ? encodeTimeCursor(last.occurredAt, last.id) : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Event ids are UUIDs; anything else cannot name an event (and must not reach a uuid column). */
export function isEventId(value: string): boolean {
  return UUID.test(value);
}

/**
 * One event as the actor may see it, read through `client` so a command can answer with the state
 * inside its own transaction; null when missing or outside the actor's scope.
 */
export async function readTimelineEventDto(
  client: Pick<Tx, "timelineEvent">,
  actor: Actor,
  incidentId: string,
  eventId: string,
): Promise<TimelineEventDetailDto | null> {
  if (!isEventId(eventId)) return null;
  const row = await client.timelineEvent.findFirst({
    where: { AND: [timelineEventScope(actor, incidentId), { id: eventId.toLowerCase() }] },
    select: EVENT_DETAIL_SELECT,
  });
  return row ? toTimelineEventDetailDto(row, actor) : null;
}

/** One event; not_found when it does not exist, is not in this incident, or the actor may not see it. */
export async function getTimelineEvent(
  actor: Actor,
  incidentId: string,
  eventId: string,
): Promise<TimelineEventDetailDto> {
  const event = await readTimelineEventDto(db(), actor, incidentId, eventId);
  if (!event) throw notFound("The event");
  return event;
}

const MILESTONE_SELECT = {
  id: true,
  title: true,
  occurredAt: true,
  occurredUntil: true,
  precision: true,
  lane: true,
  phase: true,
  milestone: true,
  source: true,
  alternatives: {
    select: { occurredAt: true, occurredUntil: true, precision: true, source: true, note: true },
    orderBy: { occurredAt: "asc" as const },
  },
} as const;

/**
 * Several parts of one page need the milestones (the timeline's key times and the organizations'
 * metrics; the dashboard's key-times and notification widgets): React's cache() lets one server
 * render read them once. It lasts one render only; outside a render (route handlers, scripts) every
 * call reads afresh.
 */
export const milestoneInputsForIncident = cache(readMilestoneInputs);

/**
 * Only the events the milestone rules can pick (pinned ones, and the first or last of each phase
 * that matters), so deriving milestones stays cheap for an incident with 100,000 events. Two round
 * trips whatever the incident: one statement finds the candidates (each branch an index probe on
 * (incident, phase|lane, occurred_at, id)), the second reads them with their alternatives. The pages
 * and the dashboard ask for these on every load, so eight parallel queries here cost more (CPU in the
 * app and in Postgres, and pooled connections) than the work itself.
 */
async function readMilestoneInputs(incidentId: string): Promise<MilestoneInputEvent[]> {
  const firstOf = (condition: Prisma.Sql, order: "ASC" | "DESC" = "ASC") => Prisma.sql`
    (SELECT e.id FROM timeline_event e WHERE e.incident_id = ${incidentId}::uuid AND ${condition}
      ORDER BY e.occurred_at ${Prisma.raw(order)}, e.id ${Prisma.raw(order)} LIMIT 1)`;
  // Recorded moves are notification-phase events too; only moves into `notified` are notices.
  const notice = Prisma.sql`e.phase = 'notification'::phase AND NOT EXISTS (
    SELECT 1 FROM notification_move m WHERE m.timeline_event_id = e.id AND m.to_state <> 'notified'::notification_state)`;
  const candidates = await db().$queryRaw<{ id: string }[]>`
    (SELECT e.id FROM timeline_event e WHERE e.incident_id = ${incidentId}::uuid AND e.milestone IS NOT NULL)
    UNION
    ${firstOf(Prisma.sql`e.phase = 'initial access'::phase`)}
    UNION
    ${firstOf(Prisma.sql`e.lane = 'adversary'::lane`)}
    UNION
    ${firstOf(Prisma.sql`e.phase = 'detection'::phase`)}
    UNION
    ${firstOf(Prisma.sql`e.phase = 'containment'::phase`)}
    UNION
    ${firstOf(Prisma.sql`e.phase = 'mitigation'::phase`, "DESC")}
    UNION
    ${firstOf(notice)}
    UNION
    ${firstOf(notice, "DESC")}`;
  if (candidates.length === 0) return [];
  return db().timelineEvent.findMany({
    where: { incidentId, id: { in: candidates.map((row) => row.id) } },
    select: MILESTONE_SELECT,
  });
}

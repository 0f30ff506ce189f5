// Per affected organization: first known access, notification moves, dwell and notification times,
// deadline; plus the counts and summaries over all organizations. Pure: the query hands in the rows.
import type { Precision } from "../../time/format.ts";
import { computeDeadline, type DeadlineStatus } from "../organizations/deadline.ts";
import type { Milestone } from "../timeline/milestones.ts";
import { NOTIFICATION_STATES, type NotificationStateKey, type OrganizationKindKey } from "../vocabulary.ts";
import { toAlternativeDatingDto, type AlternativeDatingDto } from "./incident-metrics.ts";

export interface NotificationMoveInput {
  id: string;
  toState: NotificationStateKey;
  at: Date;
  atPrecision: Precision;
  madeBy: string | null;
  channel: string | null;
  timelineEventId: string | null;
}

export interface OrganizationMetricsInput {
  id: string;
  name: string;
  kind: OrganizationKindKey;
  notificationState: NotificationStateKey;
  notificationStateAt: Date | null;
  determinedAffectedAt: Date;
  firstKnownAccessAt: Date | null;
  /** Only looked up when firstKnownAccessAt is empty. */
  earliestLinkedAdversaryEvent: { id: string; title: string; occurredAt: Date; precision: Precision } | null;
  /** In the order they happened. */
  moves: NotificationMoveInput[];
}

export interface OrganizationMetricsContext {
  /** The incident's detection milestone: every organization's dwell ends there. */
  detection: Milestone | null;
  deadlineHours: number;
  now: Date;
}

export interface FirstAccessDto {
  at: string;
  /** null for the organization record's date, which carries no precision. */
  precision: Precision | null;
  basis: "organization record" | "earliest linked adversary event";
  /** Set when the basis is an event. */
  eventId: string | null;
  eventTitle: string | null;
}

export interface MoveDto {
  moveId: string;
  at: string;
  precision: Precision;
  madeBy: string | null;
  channel: string | null;
  timelineEventId: string | null;
}

export const ORGANIZATION_DURATIONS = {
  dwell: { label: "Dwell time", from: "first known access", to: "detection" },
  timeToNotifyFromDetection: {
    label: "Time to notify (from detection)",
    from: "detection",
    to: "first notified",
  },
  timeToNotifyFromDetermination: {
    label: "Time to notify (from determination)",
    from: "determined affected",
    to: "first notified",
  },
  timeToAcknowledge: { label: "Time to acknowledge", from: "first notified", to: "first acknowledged" },
} as const;

export type OrganizationDurationName = keyof typeof ORGANIZATION_DURATIONS;

export interface OrganizationDurationDto {
  name: OrganizationDurationName;
  label: string;
  from: string;
  to: string;
  fromAt: string | null;
  toAt: string | null;
  /** null while either end is unknown. Negative when the end came first (access after detection). */
  ms: number | null;
  /** The same duration under each alternative dating of the detection, when detection is an end. */
  alternatives: Array<{ ms: number; changed: "from" | "to" } & AlternativeDatingDto>;
}

export interface OrganizationMetricsDto {
  id: string;
  name: string;
  kind: OrganizationKindKey;
  notificationState: NotificationStateKey;
  notificationStateAt: string | null;
  determinedAffectedAt: string;
  firstAccess: FirstAccessDto | null;
  /** The incident's detection, repeated so each row reads on its own. */
  detection: { at: string; eventId: string; title: string } | null;
  /** First move into each state; later repeats (after a failed delivery) do not reset the clock. */
  notified: MoveDto | null;
  acknowledged: MoveDto | null;
  remediated: MoveDto | null;
  durations: Record<OrganizationDurationName, OrganizationDurationDto>;
  deadline: { hours: number; dueAt: string; status: DeadlineStatus; marginMs: number };
}

export const DEADLINE_STATUSES = [
  "on time",
  "at risk",
  "overdue",
  "met",
  "missed",
] as const satisfies readonly DeadlineStatus[];

function firstAccessOf(org: OrganizationMetricsInput): FirstAccessDto | null {
  if (org.firstKnownAccessAt) {
    return {
      at: org.firstKnownAccessAt.toISOString(),
      precision: null,
      basis: "organization record",
      eventId: null,
      eventTitle: null,
    };
  }
  const event = org.earliestLinkedAdversaryEvent;
  if (!event) return null;
  return {
    at: event.occurredAt.toISOString(),
    precision: event.precision,
    basis: "earliest linked adversary event",
    eventId: event.id,
    eventTitle: event.title,
  };
}

function toMoveDto(move: NotificationMoveInput | undefined): MoveDto | null {
  if (!move) return null;
  return {
    moveId: move.id,
    at: move.at.toISOString(),
    precision: move.atPrecision,
    madeBy: move.madeBy,
    channel: move.channel,
    timelineEventId: move.timelineEventId,
  };
}

function span(
  name: OrganizationDurationName,
  from: Date | null,
  to: Date | null,
  detection: { end: "from" | "to"; milestone: Milestone } | null = null,
): OrganizationDurationDto {
  const words = ORGANIZATION_DURATIONS[name];
  const alternatives =
    detection && from && to
      ? detection.milestone.alternatives.map((alternative) => ({
          ms:
            detection.end === "to"
              ? alternative.occurredAt.getTime() - from.getTime()
              : to.getTime() - alternative.occurredAt.getTime(),
          changed: detection.end,
          ...toAlternativeDatingDto(alternative),
        }))
      : [];
  return {
    name,
    label: words.label,
    from: words.from,
    to: words.to,
    fromAt: from?.toISOString() ?? null,
    toAt: to?.toISOString() ?? null,
    ms: from && to ? to.getTime() - from.getTime() : null,
    alternatives,
  };
}

export function deriveOrganizationMetrics(
  org: OrganizationMetricsInput,
  context: OrganizationMetricsContext,
): OrganizationMetricsDto {
  const firstMove = (state: NotificationStateKey) => org.moves.find((move) => move.toState === state);
  const notified = firstMove("notified");
  const acknowledged = firstMove("acknowledged");
  const remediated = firstMove("remediated");
  const firstAccess = firstAccessOf(org);
  const firstAccessAt = firstAccess ? new Date(firstAccess.at) : null;
  const detection = context.detection;
  const detectionAt = detection?.occurredAt ?? null;
  const deadline = computeDeadline({
    determinedAffectedAt: org.determinedAffectedAt,
    deadlineHours: context.deadlineHours,
    state: org.notificationState,
    notifiedAt: notified?.at ?? null,
    now: context.now,
  });
  return {
    id: org.id,
    name: org.name,
    kind: org.kind,
    notificationState: org.notificationState,
    notificationStateAt: org.notificationStateAt?.toISOString() ?? null,
    determinedAffectedAt: org.determinedAffectedAt.toISOString(),
    firstAccess,
    detection: detection
      ? { at: detection.occurredAt.toISOString(), eventId: detection.eventId, title: detection.title }
      : null,
    notified: toMoveDto(notified),
    acknowledged: toMoveDto(acknowledged),
    remediated: toMoveDto(remediated),
    durations: {
      dwell: span("dwell", firstAccessAt, detectionAt, detection && { end: "to", milestone: detection }),
      timeToNotifyFromDetection: span(
        "timeToNotifyFromDetection",
        detectionAt,
        notified?.at ?? null,
        detection && { end: "from", milestone: detection },
      ),
      timeToNotifyFromDetermination: span(
        "timeToNotifyFromDetermination",
        org.determinedAffectedAt,
        notified?.at ?? null,
      ),
      timeToAcknowledge: span("timeToAcknowledge", notified?.at ?? null, acknowledged?.at ?? null),
    },
    deadline: {
      hours: context.deadlineHours,
      dueAt: deadline.dueAt.toISOString(),
      status: deadline.status,
      marginMs: deadline.marginMs,
    },
  };
}

export interface DurationStats {
  /** Organizations for which the duration is known. */
  known: number;
  minMs: number | null;
  medianMs: number | null;
  maxMs: number | null;
}

export interface OrganizationSummary {
  total: number;
  /** Every state, zeros included. */
  byNotificationState: Record<NotificationStateKey, number>;
  /** Every status, zeros included. */
  byDeadlineStatus: Record<DeadlineStatus, number>;
  durations: Record<OrganizationDurationName, DurationStats>;
}

/** Median of the known values; the mean of the middle two for an even count. */
export function describeDurations(values: readonly number[]): DurationStats {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { known: 0, minMs: null, medianMs: null, maxMs: null };
  const at = (index: number) => sorted[index] ?? Number.NaN;
  const middle = Math.floor(n / 2);
  const median = n % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
  return { known: n, minMs: at(0), medianMs: median, maxMs: at(n - 1) };
}

export function summarizeOrganizations(
  organizations: readonly OrganizationMetricsDto[],
): OrganizationSummary {
  const byNotificationState = Object.fromEntries(NOTIFICATION_STATES.map((s) => [s, 0])) as Record<
    NotificationStateKey,
    number
  >;
  const byDeadlineStatus = Object.fromEntries(DEADLINE_STATUSES.map((s) => [s, 0])) as Record<
    DeadlineStatus,
    number
  >;
  for (const org of organizations) {
    byNotificationState[org.notificationState] += 1;
    byDeadlineStatus[org.deadline.status] += 1;
  }
  const names = Object.keys(ORGANIZATION_DURATIONS) as OrganizationDurationName[];
  const durations = Object.fromEntries(
    names.map((name) => [
      name,
      describeDurations(
        organizations.map((org) => org.durations[name].ms).filter((ms): ms is number => ms !== null),
      ),
    ]),
  ) as Record<OrganizationDurationName, DurationStats>;
  return { total: organizations.length, byNotificationState, byDeadlineStatus, durations };
}

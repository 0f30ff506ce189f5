// The notification state machine of an affected organization: the one table of allowed moves, and the
// rules on when a move may say it happened. Pure: commands and tests share it.
import { NOTIFICATION_STATES, type NotificationStateKey } from "../vocabulary.ts";

/**
 * Every allowed move, from → to. Nothing else is a move: no state moves to itself, nothing moves back
 * to `pending`, and `closed` is final. The spec's chain is pending → notified → delivered →
 * acknowledged → remediated → closed, plus `failed` (delivery failed) with `failed → notified` on retry.
 */
export const NOTIFICATION_MOVES: Readonly<Record<NotificationStateKey, readonly NotificationStateKey[]>> = {
  pending: ["notified"],
  notified: [
    "delivered",
    // A victim that answers before anyone confirmed delivery has plainly received the notice: its
    // acknowledgement is recorded as such rather than forcing a made-up `delivered` step first.
    "acknowledged",
    "failed",
  ],
  delivered: [
    "acknowledged",
    // A delivery confirmed and later found wrong (the contact had left, it reached the wrong mailbox)
    // is a failed delivery after all; the retry then goes through `notified` again.
    "failed",
  ],
  acknowledged: [
    "remediated",
    // Acknowledged with nothing to remediate (the victim found no further access, or declines help):
    // the case is closed without a made-up remediation.
    "closed",
  ],
  remediated: ["closed"],
  closed: [],
  // The retry: a new notice, by the same or another channel.
  failed: ["notified"],
};

/** How a notice went out: the enum key beside the product's word. */
export const NOTIFICATION_CHANNELS = [
  ["email", "email"],
  ["phone", "phone"],
  ["portal", "portal"],
  ["in_person", "in person"],
  ["government_partner", "government partner"],
  ["other", "other"],
] as const;
export type NotificationChannelKey = (typeof NOTIFICATION_CHANNELS)[number][0];
export type NotificationChannelLabel = (typeof NOTIFICATION_CHANNELS)[number][1];
export const NOTIFICATION_CHANNEL_LABELS = NOTIFICATION_CHANNELS.map(([, label]) => label);

export const channelLabel = (key: NotificationChannelKey): NotificationChannelLabel =>
  NOTIFICATION_CHANNELS.find(([k]) => k === key)?.[1] ?? "other";

/** Accepts the word ("in person"), the key ("in_person") or "in-person", in any case. */
export function channelKey(input: string): NotificationChannelKey | undefined {
  const normalized = input
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, "_");
  return NOTIFICATION_CHANNELS.find(([key]) => key === normalized)?.[0];
}

/** The moves an agency user may record for its own organization (in the portal, channel `portal`). */
export const AGENCY_MOVES: readonly NotificationStateKey[] = ["acknowledged", "remediated"];

/** The order states are listed and sorted in: the workflow, with `failed` beside the `notified` it retries. */
export const NOTIFICATION_STATE_ORDER: readonly NotificationStateKey[] = [
  "pending",
  "notified",
  "failed",
  "delivered",
  "acknowledged",
  "remediated",
  "closed",
];

export function isNotificationState(value: string): value is NotificationStateKey {
  return (NOTIFICATION_STATES as readonly string[]).includes(value);
}

export function allowedMoves(from: NotificationStateKey): readonly NotificationStateKey[] {
  return NOTIFICATION_MOVES[from];
}

export function canMove(from: NotificationStateKey, to: NotificationStateKey): boolean {
  return NOTIFICATION_MOVES[from].includes(to);
}

/** "a", "a or b", "a, b or c". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

/**
 * The sentence an illegal move is refused with, naming what is allowed:
 * "U.S. Department of State is acknowledged; from acknowledged it can move to remediated or closed."
 * `recordable` narrows the moves to those the sender may record (an agency user's), when given.
 */
export function describeIllegalMove(
  organizationName: string,
  from: NotificationStateKey,
  to: NotificationStateKey,
  recordable?: readonly NotificationStateKey[],
): string {
  const allowed = allowedMoves(from);
  if (allowed.length === 0) {
    return `${organizationName} is ${from}; ${from} is final, so it cannot move to ${to}.`;
  }
  if (!recordable)
    return `${organizationName} is ${from}; from ${from} it can move to ${listWords(allowed)}.`;
  const mine = allowed.filter((state) => recordable.includes(state));
  if (mine.length === 0) {
    return `${organizationName} is ${from}; from ${from} only the response team can move it (to ${listWords(allowed)}).`;
  }
  return `${organizationName} is ${from}; from ${from} you can move it to ${listWords(mine)}.`;
}

// ---------------------------------------------------------------- when a move happened

/** Recorders' clocks drift; a move dated this far ahead of the server's clock is still "now". */
export const CLOCK_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
// The earliest time zone (UTC+14) starts its day 14 h before UTC does: a date-only move dated
// "today" there is tomorrow in UTC for part of the day.
const EARLIEST_ZONE_AHEAD_MS = 14 * 3_600_000;

export type MoveTimePrecision = "exact" | "day";

export interface MoveTimeInput {
  at: Date;
  precision: MoveTimePrecision;
  now: Date;
  /** The incident's first timeline event, if it has any: nothing is notified before the incident began. */
  incidentStart: Date | null;
  /** When the organization's previous move happened, if any. */
  previousMoveAt: Date | null;
}

/**
 * Why a move's `at` is refused, or null. A date-only `at` stands for its whole UTC day, so it is
 * refused only when every instant of that day is out of bounds: a move dated 16 June after an
 * exact move at 16 June 15:00Z is accepted.
 */
export function moveTimeProblem(input: MoveTimeInput): string | null {
  const earliest = input.at.getTime();
  const latest = input.precision === "day" ? earliest + DAY_MS - 1 : earliest;
  const futureLimit =
    input.now.getTime() + (input.precision === "day" ? EARLIEST_ZONE_AHEAD_MS : CLOCK_SKEW_MS);
  if (earliest > futureLimit) {
    return `at is in the future (${input.at.toISOString()}): record a move once it has happened`;
  }
  if (input.incidentStart && latest < input.incidentStart.getTime()) {
    return `at (${input.at.toISOString()}) is before the incident's first timeline event (${input.incidentStart.toISOString()})`;
  }
  if (input.previousMoveAt && latest < input.previousMoveAt.getTime()) {
    return `at (${input.at.toISOString()}) is before the organization's previous move (${input.previousMoveAt.toISOString()})`;
  }
  return null;
}

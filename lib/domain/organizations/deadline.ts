// The notification clock of one affected organization: it starts when the organization was
// determined to be affected and runs for the incident's regime (default 72 hours).
import type { NotificationStateKey } from "../vocabulary.ts";

export type DeadlineStatus = "on time" | "at risk" | "overdue" | "met" | "missed";

export interface DeadlineInput {
  determinedAffectedAt: Date;
  deadlineHours: number;
  state: NotificationStateKey;
  /** When the first `notified` move happened, if any. */
  notifiedAt: Date | null;
  now: Date;
}

export interface Deadline {
  dueAt: Date;
  status: DeadlineStatus;
  /** Positive: time left; negative: time over (open clocks), or how early/late it was met. */
  marginMs: number;
}

const HOUR = 3_600_000;
export const AT_RISK_WITHIN_MS = 24 * HOUR;

export function computeDeadline(input: DeadlineInput): Deadline {
  const dueAt = new Date(input.determinedAffectedAt.getTime() + input.deadlineHours * HOUR);
  // Once notified, the clock stops: the question becomes whether it was in time.
  if (input.notifiedAt && input.state !== "pending") {
    const marginMs = dueAt.getTime() - input.notifiedAt.getTime();
    return { dueAt, status: marginMs >= 0 ? "met" : "missed", marginMs };
  }
  const marginMs = dueAt.getTime() - input.now.getTime();
  if (marginMs < 0) return { dueAt, status: "overdue", marginMs };
  if (marginMs < AT_RISK_WITHIN_MS) return { dueAt, status: "at risk", marginMs };
  return { dueAt, status: "on time", marginMs };
}

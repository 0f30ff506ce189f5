// Milestones and key durations of an incident, derived from its events. A responder may pin an event
// as a milestone; otherwise the rule for that milestone picks it by phase. Durations say which
// events they used, and what they would be under each alternative dating a source gave.
import type { Precision } from "../../time/format.ts";

export type Phase =
  | "initial_access"
  | "activity"
  | "detection"
  | "investigation"
  | "containment"
  | "mitigation"
  | "notification"
  | "post_incident";
export type Lane = "adversary" | "response";
export type MilestonePin = "first_activity" | "detection" | "containment" | "mitigation_complete";

export interface MilestoneAlternative {
  occurredAt: Date;
  occurredUntil: Date | null;
  precision: Precision;
  source: string;
  note: string | null;
}

export interface MilestoneInputEvent {
  id: string;
  title: string;
  occurredAt: Date;
  occurredUntil: Date | null;
  precision: Precision;
  lane: Lane;
  phase: Phase;
  milestone: MilestonePin | null;
  source: string;
  alternatives: MilestoneAlternative[];
}

export type MilestoneKind =
  | "firstActivity"
  | "detection"
  | "containment"
  | "mitigationComplete"
  | "firstNotification"
  | "lastNotification";

export interface Milestone {
  kind: MilestoneKind;
  eventId: string;
  title: string;
  occurredAt: Date;
  occurredUntil: Date | null;
  precision: Precision;
  source: string;
  /** How the event was chosen, in words ("pinned on the event as this milestone", "earliest detection event"). */
  basis: string;
  alternatives: MilestoneAlternative[];
}

export type Milestones = Record<MilestoneKind, Milestone | null>;

export interface DurationAlternative {
  ms: number;
  /** Which dating differs, e.g. "detection 15 Jun 2023 (CSRB …)". */
  changed: "from" | "to";
  alternative: MilestoneAlternative;
}

export interface KeyDuration {
  name: "dwell" | "timeToContain" | "timeToMitigate" | "timeToFirstNotification" | "timeToLastNotification";
  from: MilestoneKind;
  to: MilestoneKind;
  ms: number;
  alternatives: DurationAlternative[];
}

export const MILESTONE_LABELS: Record<MilestoneKind, string> = {
  firstActivity: "First adversary activity",
  detection: "Detection",
  containment: "Containment",
  mitigationComplete: "Mitigation complete",
  firstNotification: "First notification",
  lastNotification: "Last notification",
};

export const DURATION_LABELS: Record<KeyDuration["name"], string> = {
  dwell: "Dwell time",
  timeToContain: "Time to contain",
  timeToMitigate: "Time to mitigate",
  timeToFirstNotification: "Time to first notification",
  timeToLastNotification: "Time to last notification",
};

const PIN_FOR: Partial<Record<MilestoneKind, MilestonePin>> = {
  firstActivity: "first_activity",
  detection: "detection",
  containment: "containment",
  mitigationComplete: "mitigation_complete",
};

// Stable order: time, then id, so equal dates always pick the same event.
function byTime(a: MilestoneInputEvent, b: MilestoneInputEvent): number {
  return a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id);
}

function toMilestone(kind: MilestoneKind, event: MilestoneInputEvent, basis: string): Milestone {
  return {
    kind,
    eventId: event.id,
    title: event.title,
    occurredAt: event.occurredAt,
    occurredUntil: event.occurredUntil,
    precision: event.precision,
    source: event.source,
    basis,
    alternatives: event.alternatives,
  };
}

function pick(
  kind: MilestoneKind,
  sorted: MilestoneInputEvent[],
  rules: Array<{ basis: string; match: (e: MilestoneInputEvent) => boolean; last?: boolean }>,
): Milestone | null {
  const pin = PIN_FOR[kind];
  if (pin) {
    const pinned = sorted.find((e) => e.milestone === pin);
    if (pinned) return toMilestone(kind, pinned, "pinned on the event as this milestone");
  }
  for (const rule of rules) {
    const matches = sorted.filter(rule.match);
    const event = rule.last ? matches.at(-1) : matches[0];
    if (event) return toMilestone(kind, event, rule.basis);
  }
  return null;
}

export function deriveMilestones(events: readonly MilestoneInputEvent[]): Milestones {
  const sorted = [...events].sort(byTime);
  return {
    firstActivity: pick("firstActivity", sorted, [
      { basis: "earliest initial-access event", match: (e) => e.phase === "initial_access" },
      { basis: "earliest adversary event", match: (e) => e.lane === "adversary" },
    ]),
    detection: pick("detection", sorted, [
      { basis: "earliest detection event", match: (e) => e.phase === "detection" },
    ]),
    containment: pick("containment", sorted, [
      { basis: "earliest containment event", match: (e) => e.phase === "containment" },
    ]),
    mitigationComplete: pick("mitigationComplete", sorted, [
      { basis: "latest mitigation event", match: (e) => e.phase === "mitigation", last: true },
    ]),
    firstNotification: pick("firstNotification", sorted, [
      { basis: "earliest notification event", match: (e) => e.phase === "notification" },
    ]),
    lastNotification: pick("lastNotification", sorted, [
      { basis: "latest notification event", match: (e) => e.phase === "notification", last: true },
    ]),
  };
}

function duration(
  name: KeyDuration["name"],
  milestones: Milestones,
  from: MilestoneKind,
  to: MilestoneKind,
): KeyDuration | null {
  const start = milestones[from];
  const end = milestones[to];
  if (!start || !end) return null;
  const base = end.occurredAt.getTime() - start.occurredAt.getTime();
  const alternatives: DurationAlternative[] = [
    ...start.alternatives.map((alternative) => ({
      ms: end.occurredAt.getTime() - alternative.occurredAt.getTime(),
      changed: "from" as const,
      alternative,
    })),
    ...end.alternatives.map((alternative) => ({
      ms: alternative.occurredAt.getTime() - start.occurredAt.getTime(),
      changed: "to" as const,
      alternative,
    })),
  ];
  return { name, from, to, ms: base, alternatives };
}

/**
 * Dwell time runs from first activity to detection; the response times run from detection, the
 * moment defenders could act.
 */
export function deriveKeyDurations(milestones: Milestones): KeyDuration[] {
  return [
    duration("dwell", milestones, "firstActivity", "detection"),
    duration("timeToContain", milestones, "detection", "containment"),
    duration("timeToMitigate", milestones, "detection", "mitigationComplete"),
    duration("timeToFirstNotification", milestones, "detection", "firstNotification"),
    duration("timeToLastNotification", milestones, "detection", "lastNotification"),
  ].filter((d): d is KeyDuration => d !== null);
}

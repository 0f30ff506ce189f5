// The incident-wide half of the metrics: milestones and key durations as derived by
// timeline/milestones.ts (the one source of truth), put in words and ISO times a reader of the JSON
// understands without the rest of the API.
import type { Precision } from "../../time/format.ts";
import {
  DURATION_LABELS,
  MILESTONE_LABELS,
  type KeyDuration,
  type Milestone,
  type MilestoneAlternative,
  type MilestoneKind,
  type Milestones,
} from "../timeline/milestones.ts";

export type KeyDurationName = KeyDuration["name"];

/** Which milestones each key duration runs between; a test holds this to deriveKeyDurations. */
export const KEY_DURATION_ENDS: Record<KeyDurationName, { from: MilestoneKind; to: MilestoneKind }> = {
  dwell: { from: "firstActivity", to: "detection" },
  timeToContain: { from: "detection", to: "containment" },
  timeToMitigate: { from: "detection", to: "mitigationComplete" },
  timeToFirstNotification: { from: "detection", to: "firstNotification" },
  timeToLastNotification: { from: "detection", to: "lastNotification" },
};

export interface AlternativeDatingDto {
  occurredAt: string;
  occurredUntil: string | null;
  precision: Precision;
  source: string;
  note: string | null;
}

export interface MilestoneDto {
  kind: MilestoneKind;
  label: string;
  /** The timeline event the milestone was taken from. */
  eventId: string;
  title: string;
  occurredAt: string;
  occurredUntil: string | null;
  precision: Precision;
  source: string;
  /** Why this event: "pinned on the event as this milestone", "earliest detection event", … */
  basis: string;
  /** Other datings of the same event, each with its source (e.g. detection 15 vs 16 June 2023). */
  alternatives: AlternativeDatingDto[];
}

export interface DurationEndDto {
  milestone: MilestoneKind;
  label: string;
  /** null when the incident has no event for this milestone yet. */
  eventId: string | null;
  title: string | null;
  at: string | null;
}

export interface IncidentDurationDto {
  name: KeyDurationName;
  label: string;
  from: DurationEndDto;
  to: DurationEndDto;
  /** Milliseconds from `from` to `to`; null while either milestone is unknown. */
  ms: number | null;
  /** The same duration under each alternative dating of either end. */
  alternatives: Array<{ ms: number; changed: "from" | "to" } & AlternativeDatingDto>;
}

export function toAlternativeDatingDto(alternative: MilestoneAlternative): AlternativeDatingDto {
  return {
    occurredAt: alternative.occurredAt.toISOString(),
    occurredUntil: alternative.occurredUntil?.toISOString() ?? null,
    precision: alternative.precision,
    source: alternative.source,
    note: alternative.note,
  };
}

export function toMilestoneDto(milestone: Milestone): MilestoneDto {
  return {
    kind: milestone.kind,
    label: MILESTONE_LABELS[milestone.kind],
    eventId: milestone.eventId,
    title: milestone.title,
    occurredAt: milestone.occurredAt.toISOString(),
    occurredUntil: milestone.occurredUntil?.toISOString() ?? null,
    precision: milestone.precision,
    source: milestone.source,
    basis: milestone.basis,
    alternatives: milestone.alternatives.map(toAlternativeDatingDto),
  };
}

export function toMilestoneDtos(milestones: Milestones): Record<MilestoneKind, MilestoneDto | null> {
  const kinds = Object.keys(MILESTONE_LABELS) as MilestoneKind[];
  return Object.fromEntries(
    kinds.map((kind) => {
      const milestone = milestones[kind];
      return [kind, milestone ? toMilestoneDto(milestone) : null];
    }),
  ) as Record<MilestoneKind, MilestoneDto | null>;
}

function durationEnd(kind: MilestoneKind, milestones: Milestones): DurationEndDto {
  const milestone = milestones[kind];
  return {
    milestone: kind,
    label: MILESTONE_LABELS[kind],
    eventId: milestone?.eventId ?? null,
    title: milestone?.title ?? null,
    at: milestone?.occurredAt.toISOString() ?? null,
  };
}

/**
 * Every key duration, present ones as deriveKeyDurations computed them, missing ones with ms null,
 * so a client never has to know which names may be absent.
 */
export function toIncidentDurationDtos(
  milestones: Milestones,
  durations: readonly KeyDuration[],
): Record<KeyDurationName, IncidentDurationDto> {
  const names = Object.keys(KEY_DURATION_ENDS) as KeyDurationName[];
  return Object.fromEntries(
    names.map((name) => {
      const ends = KEY_DURATION_ENDS[name];
      const derived = durations.find((d) => d.name === name);
      const dto: IncidentDurationDto = {
        name,
        label: DURATION_LABELS[name],
        from: durationEnd(ends.from, milestones),
        to: durationEnd(ends.to, milestones),
        ms: derived?.ms ?? null,
        alternatives: (derived?.alternatives ?? []).map((a) => ({
          ms: a.ms,
          changed: a.changed,
          ...toAlternativeDatingDto(a.alternative),
        })),
      };
      return [name, dto];
    }),
  ) as Record<KeyDurationName, IncidentDurationDto>;
}

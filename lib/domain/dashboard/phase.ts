// Which phase of the response an incident is in, read off its milestones: the furthest step reached in
// activity → detection → containment → mitigation → notification → post-incident.
import type { Milestones } from "../timeline/milestones.ts";

export const RESPONSE_STEPS = [
  { phase: "activity", label: "Adversary activity", milestone: "firstActivity" },
  { phase: "detection", label: "Detection", milestone: "detection" },
  { phase: "containment", label: "Containment", milestone: "containment" },
  { phase: "mitigation", label: "Mitigation", milestone: "mitigationComplete" },
  { phase: "notification", label: "Notification", milestone: "firstNotification" },
  { phase: "post-incident", label: "Post-incident", milestone: null },
] as const;

export type ResponsePhase = (typeof RESPONSE_STEPS)[number]["phase"];

export interface PhaseStep {
  phase: ResponsePhase;
  label: string;
  /** When the step was reached (its milestone's date), null when not (yet) on the timeline. */
  reachedAt: string | null;
  precision: string | null;
}

export interface IncidentPhase {
  /** The furthest step reached; null for an incident with no events. */
  current: ResponsePhase | null;
  currentLabel: string;
  steps: PhaseStep[];
}

/**
 * Steps are ordered, not required: an incident that notified before containment (it happens) is in
 * its furthest step. Post-incident has no milestone of its own; it starts with the earliest
 * post-incident event.
 */
export function deriveIncidentPhase(
  milestones: Milestones,
  postIncident: { occurredAt: Date; precision: string } | null,
): IncidentPhase {
  const steps: PhaseStep[] = RESPONSE_STEPS.map((step) => {
    const reached = step.milestone ? milestones[step.milestone] : postIncident;
    return {
      phase: step.phase,
      label: step.label,
      reachedAt: reached ? reached.occurredAt.toISOString() : null,
      precision: reached ? reached.precision : null,
    };
  });
  const current = [...steps].reverse().find((step) => step.reachedAt !== null) ?? null;
  return {
    current: current?.phase ?? null,
    currentLabel: current?.label ?? "No events yet",
    steps,
  };
}

// The words of a finding (database enums), importable by client components without zod.
export const FINDING_SEVERITIES = ["informational", "low", "medium", "high", "critical"] as const;
export const FINDING_STATUSES = ["draft", "confirmed", "dismissed"] as const;
export const FINDING_CONFIDENCES = ["low", "medium", "high"] as const;

export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export type FindingConfidence = (typeof FINDING_CONFIDENCES)[number];

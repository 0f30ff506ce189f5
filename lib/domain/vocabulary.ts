// The product's words (spec) beside the database's enum names, in one place.
export const PHASES = [
  ["initial_access", "initial access"],
  ["activity", "activity"],
  ["detection", "detection"],
  ["investigation", "investigation"],
  ["containment", "containment"],
  ["mitigation", "mitigation"],
  ["notification", "notification"],
  ["post_incident", "post-incident"],
] as const;
export type PhaseKey = (typeof PHASES)[number][0];
export type PhaseLabel = (typeof PHASES)[number][1];
export const PHASE_LABELS = PHASES.map(([, label]) => label) as PhaseLabel[];
export const phaseLabel = (key: PhaseKey): PhaseLabel => PHASES.find(([k]) => k === key)?.[1] ?? "activity";
/** Accepts the spec word ("initial access"), or its key ("initial_access" / "initial-access"). */
export function phaseKey(input: string): PhaseKey | undefined {
  const normalized = input.trim().toLowerCase().replace(/[-\s]+/g, "_");
  return PHASES.find(([key]) => key === normalized)?.[0];
}

export const LANES = ["adversary", "response"] as const;
export type LaneKey = (typeof LANES)[number];

export const TLPS = [
  ["CLEAR", "CLEAR"],
  ["GREEN", "GREEN"],
  ["AMBER", "AMBER"],
  ["AMBER_STRICT", "AMBER+STRICT"],
  ["RED", "RED"],
] as const;
export type TlpKey = (typeof TLPS)[number][0];
export type TlpLabel = (typeof TLPS)[number][1];
export const tlpLabel = (key: TlpKey): TlpLabel => TLPS.find(([k]) => k === key)?.[1] ?? "RED";
export function tlpKey(input: string): TlpKey | undefined {
  const normalized = input.trim().toUpperCase().replace(/^TLP:/, "");
  return TLPS.find(([key, label]) => key === normalized || label === normalized)?.[0];
}

export const PRECISIONS = ["exact", "minute", "hour", "day", "month", "year", "approximate", "range"] as const;
export const VERIFICATIONS = ["primary", "secondary", "unverified"] as const;

export const MILESTONE_PINS = [
  ["first_activity", "first activity"],
  ["detection", "detection"],
  ["containment", "containment"],
  ["mitigation_complete", "mitigation complete"],
] as const;
export type MilestonePinKey = (typeof MILESTONE_PINS)[number][0];
export const milestonePinLabel = (key: MilestonePinKey) => MILESTONE_PINS.find(([k]) => k === key)?.[1] ?? key;

export const NOTIFICATION_STATES = [
  "pending",
  "notified",
  "delivered",
  "acknowledged",
  "remediated",
  "closed",
  "failed",
] as const;
export type NotificationStateKey = (typeof NOTIFICATION_STATES)[number];

export const ORGANIZATION_KINDS = [
  ["government", "government"],
  ["private_sector", "private sector"],
  ["education", "education"],
  ["think_tank", "think tank"],
  ["individuals_group", "individuals group"],
  ["undisclosed", "not disclosed"],
] as const;
export type OrganizationKindKey = (typeof ORGANIZATION_KINDS)[number][0];
export const organizationKindLabel = (key: OrganizationKindKey) =>
  ORGANIZATION_KINDS.find(([k]) => k === key)?.[1] ?? key;

/** Indicator types as the spec writes them ("user-agent", "cert-thumbprint"); enum keys use "_". */
export const indicatorTypeLabel = (key: string): string => key.replace(/_/g, "-");

// Pure translations from the sourced data's vocabulary (phases, precisions, indicator types, figures)
// to Dwell's. Each one refuses what it does not know rather than guessing.
import type { AttackTechnique, SourcedFigure } from "./storm-0558-source.ts";

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
export type Precision = "exact" | "minute" | "hour" | "day" | "month" | "year" | "approximate" | "range";
export type Verification = "primary" | "secondary" | "unverified";
export type IndicatorType =
  "ipv4" | "sha1" | "jarm" | "jwt_kid" | "uri_path" | "user_agent" | "cert_thumbprint";

const PHASES: Record<string, Phase> = {
  "initial access": "initial_access",
  activity: "activity",
  detection: "detection",
  investigation: "investigation",
  containment: "containment",
  mitigation: "mitigation",
  notification: "notification",
  "post-incident": "post_incident",
};

export function mapPhase(phase: string): Phase {
  const mapped = PHASES[phase];
  if (!mapped) throw new Error(`Unknown phase "${phase}" in the sourced data.`);
  return mapped;
}

/** The lane follows the phase alone, so the rule stays one a reader can check at a glance. */
export function laneForPhase(phase: Phase): Lane {
  return phase === "initial_access" || phase === "activity" ? "adversary" : "response";
}

/** The data also uses "memory" (not confirmed in a source); anything not read in a source is unverified. */
export function mapVerification(verification: string | undefined): Verification {
  return verification === "primary" || verification === "secondary" ? verification : "unverified";
}

export function parseUtcDay(date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`"${date}" is not a YYYY-MM-DD date.`);
  const parsed = new Date(`${date}T00:00:00.000Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new Error(`"${date}" is not a calendar date.`);
  }
  return parsed;
}

/** Start of a published period: "2021", "2021-08" or "2021-08-15" (UTC). */
function parsePeriodStart(period: string): Date {
  if (/^\d{4}$/.test(period)) return parseUtcDay(`${period}-01-01`);
  if (/^\d{4}-\d{2}$/.test(period)) return parseUtcDay(`${period}-01`);
  return parseUtcDay(period);
}

export interface PublishedDating {
  occurredAt: Date;
  occurredUntil: Date | null;
  precision: Precision;
}

/**
 * The dating exactly as published: `occurredAt` is kept as given; `range:A..B` becomes precision `range`
 * with `occurredUntil` at the start of B (read at B's own precision, never as a time of day).
 */
export function mapPublishedDating(occurredAt: string, precision: string): PublishedDating {
  const at = new Date(occurredAt);
  if (Number.isNaN(at.getTime())) throw new Error(`"${occurredAt}" is not a date-time.`);
  if (precision === "day" || precision === "month" || precision === "year" || precision === "approximate") {
    return { occurredAt: at, occurredUntil: null, precision };
  }
  const range = /^range:([0-9-]+)\.\.([0-9-]+)$/.exec(precision);
  if (range?.[1] && range[2]) {
    const until = parsePeriodStart(range[2]);
    if (until < at) throw new Error(`Range "${precision}" ends before ${occurredAt}.`);
    return { occurredAt: at, occurredUntil: until, precision: "range" };
  }
  throw new Error(`Unknown precision "${precision}" in the sourced data.`);
}

const INDICATOR_TYPES: Record<string, IndicatorType> = {
  ipv4: "ipv4",
  sha1: "sha1",
  jarm: "jarm",
  "jwt-kid": "jwt_kid",
  "uri-path": "uri_path",
  "user-agent": "user_agent",
  "x509-thumbprint-sha1": "cert_thumbprint",
};

export function mapIndicatorType(type: string): IndicatorType {
  const mapped = INDICATOR_TYPES[type];
  if (!mapped) throw new Error(`Unknown indicator type "${type}" in the sourced data.`);
  return mapped;
}

// Hex digests are case-insensitive; a kid, a path or a user agent is not.
const HEX_TYPES: ReadonlySet<IndicatorType> = new Set(["sha1", "jarm", "cert_thumbprint"]);

export function normalizeIndicatorValue(type: IndicatorType, value: string): string {
  const trimmed = value.trim();
  return HEX_TYPES.has(type) ? trimmed.toLowerCase() : trimmed;
}

/** Throws unless the ID is a current ATT&CK Enterprise technique in data/attack-enterprise.json. */
export function assertKnownTechnique(
  id: string,
  catalog: ReadonlyMap<string, AttackTechnique>,
  usedFor: string,
): AttackTechnique {
  const technique = catalog.get(id);
  if (!technique) {
    throw new Error(
      `ATT&CK technique ${id} (${usedFor}) is not in data/attack-enterprise.json; correct the ID in the sourced data.`,
    );
  }
  if (technique.status !== "active") {
    const replacement = technique.revokedBy ? `; use ${technique.revokedBy} instead` : "";
    throw new Error(`ATT&CK technique ${id} (${usedFor}) is ${technique.status} in ATT&CK${replacement}.`);
  }
  return technique;
}

// Words for the parts of figures published as several numbers at once.
const FIGURE_PARTS: Record<string, string> = {
  foreignGovernmentEntities: "foreign government entities",
  privateSectorOrganizations: "private-sector organizations",
  educationalEntities: "educational entities",
  confirmedByJune19: "confirmed by 19 June",
  accessedJune21to24: "others accessed 21–24 June",
  foundViaSeizedVPS: "found from a seized VPS",
  activeMonths: "months active",
  coldMonths: "months cold",
};

// Labels for figures the data gives without a sentence of their own.
const FIGURE_LABELS: Record<string, string> = {
  nonUSVictims_csrb: "Non-U.S. enterprise victims (CSRB)",
  ukAccountsInitiallyReportedToNCSC: "U.K. accounts initially reported to the NCSC",
  individualsSharedWithCISA_Aug18: "Individuals the FBI shared information on with CISA on 18 August 2023",
  organizationsInterviewedByCSRB: "Organizations the CSRB interviewed",
  csrbRecommendations: "Recommendations in the CSRB report",
  actorCoreWorkingHoursUTC: "Actor's core working hours",
};

export function formatFigureValue(key: string, value: SourcedFigure["value"]): string {
  if (typeof value === "number") return value.toLocaleString("en-US");
  if (typeof value === "string") return value;
  return Object.entries(value)
    .map(([part, count]) => {
      const words = FIGURE_PARTS[part];
      if (!words) throw new Error(`Figure ${key} has a part "${part}" with no wording in source-mapping.ts.`);
      return `${count.toLocaleString("en-US")} ${words}`;
    })
    .join(", ");
}

export function figureLabel(key: string, figure: SourcedFigure): string {
  return figure.text ?? FIGURE_LABELS[key] ?? humanizeKey(key);
}

export function figureNote(figure: SourcedFigure): string | null {
  const parts = [
    figure.note,
    figure.verification ? `Verification: ${figure.verification} source.` : undefined,
    figure.also?.length ? `Also reported in: ${figure.also.join(", ")}` : undefined,
  ].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(" ") : null;
}

/**
 * When a source was published, from the date its catalogue title gives ("…, 2023-07-14)"; for the
 * CSRB report "dated 2024-03-20, released 2024-04-02" the release). Null when the title names none.
 */
export function sourcePublicationDate(title: string): Date | null {
  const released = /released (\d{4}-\d{2}-\d{2})/.exec(title)?.[1];
  const first = /\b(\d{4}-\d{2}-\d{2})\b/.exec(title)?.[1];
  const day = released ?? first;
  if (!day) return null;
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day ? null : date;
}

function humanizeKey(key: string): string {
  const words = key
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// What an audit entry changed, field by field, from its stored `before` and `after` JSON: for an update
// the fields whose value differs (unchanged ones are left out), for a creation the values written,
// for a deletion the values removed. Values become display text; nested values are shown as JSON.
import stringify from "safe-stable-stringify";

export type AuditChangeKind = "create" | "update" | "delete" | "none";

export interface AuditFieldChange {
  field: string;
  /** Display text; null when the field had no value (or did not exist) on that side. */
  before: string | null;
  after: string | null;
}

export interface AuditDiff {
  kind: AuditChangeKind;
  changes: AuditFieldChange[];
}

/** The field name used when a side is not an object (a list or a single value). */
export const WHOLE_VALUE_FIELD = "(value)";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === "" ||
  (Array.isArray(value) && value.length === 0) ||
  (isRecord(value) && Object.keys(value).length === 0);

/** Key order never makes two values differ. */
const sameValue = (a: unknown, b: unknown) => stringify(a ?? null) === stringify(b ?? null);

/** Text for one value: strings as they are, other scalars as written, objects and lists as JSON. */
export function displayAuditValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  return JSON.stringify(value, null, 2);
}

function asFields(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  return isRecord(value) ? value : { [WHOLE_VALUE_FIELD]: value };
}

/** What a person reads first; bookkeeping (ids, versions, timestamps) last; the rest by name. */
const FIRST = ["title", "name", "type", "value", "action", "notificationState", "status", "severity"];
const LAST = ["version", "createdAt", "updatedAt", "createdBy", "updatedBy", "incidentId", "id"];

function rank(field: string): number {
  const first = FIRST.indexOf(field);
  if (first >= 0) return first - FIRST.length;
  const last = LAST.indexOf(field);
  return last >= 0 ? 1 + last : 0;
}

/** Stored JSON (jsonb) keeps no key order, so fields are put in one that reads well. */
function fieldOrder(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  return [...new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})])].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
}

export function diffAuditValues(before: unknown, after: unknown): AuditDiff {
  const from = asFields(before);
  const to = asFields(after);
  if (!from && !to) return { kind: "none", changes: [] };
  const kind: AuditChangeKind = !from ? "create" : !to ? "delete" : "update";
  const changes: AuditFieldChange[] = [];
  for (const field of fieldOrder(from, to)) {
    const a = from?.[field];
    const b = to?.[field];
    if (kind === "update" && sameValue(a, b)) continue;
    // A creation lists what was filled in and a deletion what was there, not every empty field.
    if (kind === "create" && isEmpty(b)) continue;
    if (kind === "delete" && isEmpty(a)) continue;
    changes.push({ field, before: displayAuditValue(a), after: displayAuditValue(b) });
  }
  return { kind, changes };
}

// What the audit trail API answers: the shapes the route handler returns and the audit page reads.
import type { AuditChangeKind, AuditFieldChange } from "./diff.ts";

/** A page an entity can be found on, and what to search there for it. */
export interface AuditEntityLink {
  page: "timeline" | "findings" | "indicators" | "organizations";
  q: string;
}

export interface AuditEntryDto {
  id: string;
  at: string;
  actor: {
    /** Null for entries written by the system (the demo seed, the user:create command). */
    id: string | null;
    /** The user's current name, when the entry names a user that still exists. */
    name: string | null;
    /** As recorded in the entry: "responder@dwell.example (responder)". */
    label: string;
  };
  action: string;
  entity: {
    type: string;
    id: string;
    /** What a person calls it (a title, a name, an indicator's value), from the record or the entry. */
    label: string | null;
    /** Whether the record still exists. */
    exists: boolean;
    /** Where the record can be seen; null when no page shows it (or it was deleted). */
    link: AuditEntityLink | null;
  };
  kind: AuditChangeKind;
  /** For updates the fields that changed; for creations the values written; for deletions those removed. */
  changes: AuditFieldChange[];
  requestId: string | null;
}

export interface AuditPage {
  items: AuditEntryDto[];
  nextCursor: string | null;
}

/** What the filters offer: only values that occur in the incident's trail. */
export interface AuditFilterOptions {
  actors: { value: string; label: string }[];
  entityTypes: string[];
  actions: string[];
}

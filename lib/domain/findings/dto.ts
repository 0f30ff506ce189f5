// What the finding API answers: the shapes route handlers return and the pages read.
import type { FindingConfidence, FindingSeverity, FindingStatus } from "./vocabulary.ts";

export interface FindingEvidenceDto {
  id: string;
  description: string;
  location: string;
  sha256: string | null;
}

export interface FindingDto {
  id: string;
  title: string;
  /** Markdown as written. */
  body: string;
  /** The body rendered to sanitized HTML (lib/markdown/render.ts). */
  bodyHtml: string;
  severity: FindingSeverity;
  status: FindingStatus;
  confidence: FindingConfidence;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
  events: { id: string; title: string }[];
  indicators: { id: string; type: string; value: string }[];
  organizations: { id: string; name: string }[];
  techniques: { id: string; name: string }[];
  evidence: FindingEvidenceDto[];
}

export interface FindingPage {
  items: FindingDto[];
  nextCursor: string | null;
}

/** One field that a change moved, as readable values (link lists as their labels). */
export interface FindingFieldChange {
  field: string;
  before: string | string[] | null;
  after: string | string[] | null;
}

export interface FindingHistoryEntry {
  id: string;
  at: string;
  /** Who, as recorded in the audit entry ("responder@dwell.example (responder)"). */
  actor: string;
  action: "created" | "updated";
  version: number | null;
  changes: FindingFieldChange[];
}

/** What a finding may link to, for the dialog's pickers. */
export interface FindingLinkOptions {
  events: { id: string; label: string }[];
  indicators: { id: string; label: string }[];
  organizations: { id: string; label: string }[];
}

// What the indicator API answers: the shapes route handlers return and the pages read.
import type { TlpLabel } from "../vocabulary.ts";

export interface IndicatorDto {
  id: string;
  /** The product's type word: "ipv4", "user-agent", "cert-thumbprint", ... */
  type: string;
  /** As entered or published (refanged). */
  value: string;
  /** The canonical form that makes an indicator unique within its incident. */
  normalizedValue: string;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  /** 0–100, or null when unknown. */
  confidence: number | null;
  tlp: TlpLabel;
  description: string | null;
  source: string | null;
  /** Staff only; agency users never receive this field. */
  internalNote?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  organizations: { id: string; name: string }[];
  events: { id: string; title: string }[];
  techniques: { id: string; name: string }[];
  /** Agency users: their own organization's sightings only. */
  sightingsCount: number;
}

export interface IndicatorPage {
  items: IndicatorDto[];
  nextCursor: string | null;
  /** How many indicators match the filters (all pages); counted for the first page only (null with a cursor). */
  total: number | null;
}

export interface SightingDto {
  id: string;
  indicatorId: string;
  seenAt: string;
  location: string | null;
  note: string | null;
  /** Null for agency users reading another organization's sighting (they never receive those). */
  organization: { id: string; name: string };
  reportedBy: string | null;
  createdAt: string;
}

export interface ImportProblemDto {
  line: number;
  value: string;
  message: string;
}

/** One recognized indicator in a dry run, for the review step before committing. */
export interface ImportPreviewItem {
  line: number;
  type: string;
  value: string;
  normalizedValue: string;
  /** Whether the incident already holds this (type, normalized value). */
  exists: boolean;
}

export interface ImportResultDto {
  format: "text" | "csv" | "stix";
  dryRun: boolean;
  /** Lines or objects read that held an indicator candidate. */
  read: number;
  created: number;
  /** Already stored; first/last seen widened. */
  updated: number;
  /** Already stored with nothing new. */
  unchanged: number;
  /** Repeats of an indicator earlier in the same import. */
  duplicates: number;
  /** The first 1,000 problems; `errorCount` has them all. */
  errors: ImportProblemDto[];
  errorCount: number;
  /** Dry runs only: what would be stored (first 10,000). */
  items?: ImportPreviewItem[];
}

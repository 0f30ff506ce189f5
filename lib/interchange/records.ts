// The shapes shared by the indicator file readers and writers (CSV and STIX 2.1). Readers produce raw
// candidates: the type word and the value are checked and normalized elsewhere (lib/indicators).

export type TlpKey = "CLEAR" | "GREEN" | "AMBER" | "AMBER_STRICT" | "RED";

/** One candidate read from a file, before type/value validation. `type` is the raw type text or null when the file did not say. */
export interface ImportCandidate {
  line: number;
  value: string;
  type: string | null;
  firstSeen?: Date;
  lastSeen?: Date;
  description?: string;
  tlp?: TlpKey;
  confidence?: number;
  source?: string;
  techniqueIds?: string[];
}

export interface ImportProblem {
  line: number;
  value: string;
  message: string;
}

export type ImportItem = { ok: true; candidate: ImportCandidate } | { ok: false; problem: ImportProblem };

/** A whole-file problem (no value column, not a STIX bundle, wrong spec_version on the bundle...). */
export class InterchangeFileError extends Error {
  override name = "InterchangeFileError";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** What export writes: one stored indicator. */
export interface ExportIndicator {
  id: string;
  /** The type word: "ipv4", "user-agent", "cert-thumbprint", ... */
  type: string;
  value: string;
  normalized: string;
  firstSeen: Date | null;
  lastSeen: Date | null;
  confidence: number | null;
  tlp: TlpKey;
  description: string | null;
  source: string | null;
  createdAt: Date;
  updatedAt: Date;
  techniqueIds: string[];
}

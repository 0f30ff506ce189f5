// zod schemas for the finding use cases: listing, writing, changing. Shared by the API routes and
// the finding dialog; every message names the field.
import { z } from "zod";
import { optionalText, requiredLine, typeError } from "./text.ts";
import { FINDING_CONFIDENCES, FINDING_SEVERITIES, FINDING_STATUSES } from "../domain/findings/vocabulary.ts";
import { TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, strictOptions, techniqueList, uuidList } from "./timeline.ts";

export {
  FINDING_CONFIDENCES,
  FINDING_SEVERITIES,
  FINDING_STATUSES,
  type FindingConfidence,
  type FindingSeverity,
  type FindingStatus,
} from "../domain/findings/vocabulary.ts";

export const FINDING_BODY_MAX_LENGTH = TEXT_MAX_LENGTH;
export const MAX_EVIDENCE = 50;
export const EVIDENCE_DESCRIPTION_MAX_LENGTH = 500;
export const EVIDENCE_LOCATION_MAX_LENGTH = 2000;

function word<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z
    .string({ error: typeError(field, `one of ${values.join(", ")}`) })
    .transform((raw, ctx): T[number] => {
      const value = raw.trim().toLowerCase();
      if (!(values as readonly string[]).includes(value)) {
        ctx.addIssue({ code: "custom", message: `${field} must be one of ${values.join(", ")}` });
        return z.NEVER;
      }
      return value as T[number];
    })
    .meta({ description: `One of ${values.join(", ")}.` });
}

/** The markdown body: required, line endings normalized, no control characters. */
const bodyField = optionalText("body", FINDING_BODY_MAX_LENGTH).transform((value, ctx): string => {
  if (value === null || value === undefined) {
    ctx.addIssue({ code: "custom", message: "body is required: write what you concluded and why" });
    return z.NEVER;
  }
  return value;
});

const SHA256 = /^[0-9a-f]{64}$/i;

export const EvidenceSchema = z.strictObject(
  {
    description: requiredLine("description", EVIDENCE_DESCRIPTION_MAX_LENGTH),
    location: requiredLine("location", EVIDENCE_LOCATION_MAX_LENGTH),
    sha256: z
      .union([z.null(), z.string()], { error: typeError("sha256", "64 hexadecimal characters, or null") })
      .optional()
      .transform((raw, ctx): string | null => {
        const value = raw?.trim() ?? "";
        if (value === "") return null;
        if (!SHA256.test(value)) {
          ctx.addIssue({
            code: "custom",
            message: `sha256 must be 64 hexadecimal characters (got ${value.length} characters${/[^0-9a-f]/i.test(value) ? ", not all hexadecimal" : ""})`,
          });
          return z.NEVER;
        }
        return value.toLowerCase();
      }),
  },
  strictOptions("an evidence reference"),
);

export type Evidence = z.infer<typeof EvidenceSchema>;

const evidenceList = z
  .array(EvidenceSchema, { error: typeError("evidence", "a list of { description, location, sha256 }") })
  .max(MAX_EVIDENCE, `evidence must have at most ${MAX_EVIDENCE} entries`);

const FindingFields = z.strictObject(
  {
    title: requiredLine("title", TITLE_MAX_LENGTH),
    body: bodyField,
    severity: word("severity", FINDING_SEVERITIES),
    status: word("status", FINDING_STATUSES).optional(),
    confidence: word("confidence", FINDING_CONFIDENCES),
    eventIds: uuidList("eventIds", "a timeline event").optional(),
    indicatorIds: uuidList("indicatorIds", "an indicator").optional(),
    organizationIds: uuidList("organizationIds", "an organization").optional(),
    techniqueIds: techniqueList.optional(),
    evidence: evidenceList.optional(),
  },
  strictOptions("a finding"),
);

export const CreateFindingSchema = FindingFields.transform((input) => ({
  title: input.title,
  body: input.body,
  severity: input.severity,
  status: input.status ?? ("draft" as const),
  confidence: input.confidence,
  eventIds: input.eventIds ?? [],
  indicatorIds: input.indicatorIds ?? [],
  organizationIds: input.organizationIds ?? [],
  techniqueIds: input.techniqueIds ?? [],
  evidence: input.evidence ?? [],
}));

export type CreateFinding = z.infer<typeof CreateFindingSchema>;
export type CreateFindingInput = z.input<typeof CreateFindingSchema>;

/** A change carries the version the sender read; lists that are sent replace the stored ones. */
export const UpdateFindingSchema = FindingFields.partial().extend({
  version: z
    .number({ error: typeError("version", "the version you read (a whole number)") })
    .int("version must be a whole number")
    .min(1, "version must be at least 1"),
});

export type UpdateFinding = z.infer<typeof UpdateFindingSchema>;
export type UpdateFindingInput = z.input<typeof UpdateFindingSchema>;

function optionalWord<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T[number] | undefined => {
      const value = raw?.trim().toLowerCase() ?? "";
      if (value === "") return undefined;
      if (!(values as readonly string[]).includes(value)) {
        ctx.addIssue({ code: "custom", message: `${field} must be one of ${values.join(", ")}` });
        return z.NEVER;
      }
      return value as T[number];
    })
    .meta({ description: `One of ${values.join(", ")}.` });
}

export const FindingListQuerySchema = z.object({
  status: optionalWord("status", FINDING_STATUSES),
  severity: optionalWord("severity", FINDING_SEVERITIES),
  q: z.string().trim().max(200, "q must be at most 200 characters").optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(200, "limit must be at most 200")
    .default(50),
});

export type FindingListQuery = z.infer<typeof FindingListQuerySchema>;
export type FindingListQueryInput = z.input<typeof FindingListQuerySchema>;

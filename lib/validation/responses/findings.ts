// Response schemas of the finding routes.
import { z } from "zod";
import type { FindingDto, FindingHistoryEntry, FindingPage } from "../../domain/findings/dto.ts";
import {
  FINDING_CONFIDENCES,
  FINDING_SEVERITIES,
  FINDING_STATUSES,
} from "../../domain/findings/vocabulary.ts";
import type { AllTrue, Matches } from "./check.ts";
import { IndicatorRefSchema, NamedRefSchema, TitledRefSchema, isoInstant } from "./common.ts";

export const FindingSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string().meta({ description: "Markdown as written." }),
    bodyHtml: z.string().meta({ description: "The body rendered to sanitized HTML." }),
    severity: z.enum(FINDING_SEVERITIES),
    status: z.enum(FINDING_STATUSES),
    confidence: z.enum(FINDING_CONFIDENCES),
    version: z.number().int(),
    createdAt: isoInstant(),
    updatedAt: isoInstant(),
    createdBy: z.string().nullable(),
    updatedBy: z.string().nullable(),
    events: z.array(TitledRefSchema),
    indicators: z.array(IndicatorRefSchema),
    organizations: z.array(NamedRefSchema),
    techniques: z.array(NamedRefSchema),
    evidence: z.array(
      z.object({
        id: z.string(),
        description: z.string(),
        location: z.string(),
        sha256: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "Finding" });

export const FindingPageSchema = z
  .object({ items: z.array(FindingSchema), nextCursor: z.string().nullable() })
  .meta({ id: "FindingPage" });

const FieldValueSchema = z.union([z.string(), z.array(z.string())]).nullable();

export const FindingHistoryEntrySchema = z
  .object({
    id: z.string(),
    at: isoInstant(),
    actor: z.string(),
    action: z.enum(["created", "updated"]),
    version: z.number().int().nullable(),
    changes: z.array(z.object({ field: z.string(), before: FieldValueSchema, after: FieldValueSchema })),
  })
  .meta({ id: "FindingHistoryEntry" });

export const FindingHistorySchema = z
  .object({ items: z.array(FindingHistoryEntrySchema), nextCursor: z.null() })
  .meta({ id: "FindingHistory" });

export type ResponseSchemaChecks = AllTrue<
  [
    Matches<typeof FindingSchema, FindingDto>,
    Matches<typeof FindingPageSchema, FindingPage>,
    Matches<typeof FindingHistoryEntrySchema, FindingHistoryEntry>,
  ]
>;

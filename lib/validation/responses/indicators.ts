// Response schemas of the indicator routes: indicators, sightings, the import's answer.
import { z } from "zod";
import type {
  ImportResultDto,
  IndicatorDto,
  IndicatorPage,
  SightingDto,
} from "../../domain/indicators/dto.ts";
import type { AllTrue, Matches } from "./check.ts";
import { NamedRefSchema, TitledRefSchema, isoInstant } from "./common.ts";
import { TlpSchema } from "./timeline.ts";

export const IndicatorSchema = z
  .object({
    id: z.string(),
    type: z
      .string()
      .meta({ description: "The product's type word: ipv4, domain, user-agent, cert-thumbprint, …" }),
    value: z.string().meta({ description: "As entered or published (refanged)." }),
    normalizedValue: z.string().meta({ description: "The canonical form, unique per incident and type." }),
    firstSeenAt: isoInstant().nullable(),
    lastSeenAt: isoInstant().nullable(),
    confidence: z.number().int().nullable().meta({ description: "0–100, or null when unknown." }),
    tlp: TlpSchema,
    description: z.string().nullable(),
    source: z.string().nullable(),
    internalNote: z.string().nullable().optional().meta({ description: "Staff only." }),
    version: z.number().int(),
    createdAt: isoInstant(),
    updatedAt: isoInstant(),
    organizations: z.array(NamedRefSchema),
    events: z.array(TitledRefSchema),
    techniques: z.array(NamedRefSchema),
    sightingsCount: z.number().int(),
  })
  .meta({ id: "Indicator" });

export const IndicatorPageSchema = z
  .object({
    items: z.array(IndicatorSchema),
    nextCursor: z.string().nullable(),
    total: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Matches on all pages; counted for the first page only." }),
  })
  .meta({ id: "IndicatorPage" });

export const SightingSchema = z
  .object({
    id: z.string(),
    indicatorId: z.string(),
    seenAt: isoInstant(),
    location: z.string().nullable(),
    note: z.string().nullable(),
    organization: NamedRefSchema,
    reportedBy: z.string().nullable(),
    createdAt: isoInstant(),
  })
  .meta({ id: "Sighting" });

export const SightingListSchema = z.array(SightingSchema).meta({ id: "SightingList" });

export const ImportResultSchema = z
  .object({
    format: z.enum(["text", "csv", "stix"]),
    dryRun: z.boolean(),
    read: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    duplicates: z.number().int(),
    errors: z
      .array(z.object({ line: z.number().int(), value: z.string(), message: z.string() }))
      .meta({ description: "The first 1,000 problems; errorCount has them all." }),
    errorCount: z.number().int(),
    items: z
      .array(
        z.object({
          line: z.number().int(),
          type: z.string(),
          value: z.string(),
          normalizedValue: z.string(),
          exists: z.boolean(),
        }),
      )
      .optional()
      .meta({ description: "Dry runs only: what would be stored (first 10,000)." }),
  })
  .meta({ id: "ImportResult" });

export type ResponseSchemaChecks = AllTrue<
  [
    Matches<typeof IndicatorSchema, IndicatorDto>,
    Matches<typeof IndicatorPageSchema, IndicatorPage>,
    Matches<typeof SightingSchema, SightingDto>,
    Matches<typeof ImportResultSchema, ImportResultDto>,
  ]
>;

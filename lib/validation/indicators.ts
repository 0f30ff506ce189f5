// zod schemas for the indicator use cases: listing, adding, changing, deleting, sightings and the
// options of an import. The type's validator and normalizer live in lib/indicators.
import { z } from "zod";
import {
  INDICATOR_TYPES,
  normalizeIndicator,
  parseIndicatorType,
  type IndicatorTypeWord,
} from "../indicators/index.ts";
import { TLPS, tlpKey } from "../domain/vocabulary.ts";
import { optionalText, typeError } from "./text.ts";
import {
  DeleteEventQuerySchema,
  NOTE_MAX_LENGTH,
  TEXT_MAX_LENGTH,
  parseEventTime,
  sourceProblem,
  strictOptions,
  techniqueList,
  tlpField,
  uuidList,
  versionField,
} from "./timeline.ts";

const TYPE_WORDS = INDICATOR_TYPES.join(", ");
const TLP_WORDS = TLPS.map(([, label]) => label).join(", ");

const typeField = z
  .string({ error: typeError("type", `one of ${TYPE_WORDS}`) })
  .transform((raw, ctx) => {
    const type = parseIndicatorType(raw.trim());
    if (!type) {
      ctx.addIssue({ code: "custom", message: `type must be one of ${TYPE_WORDS}` });
      return z.NEVER;
    }
    return type;
  })
  .meta({ description: `One of ${TYPE_WORDS}.` });

/** A first/last seen instant: an ISO date (that UTC day) or date-time with offset; "" or null clears it. */
function seenField(field: string) {
  return z
    .union([z.null(), z.string()], { error: typeError(field, "an ISO 8601 date or date-time, or null") })
    .transform((raw, ctx): Date | null => {
      const value = raw?.trim() ?? "";
      if (value === "") return null;
      const parsed = parseEventTime(field, value);
      if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: parsed });
        return z.NEVER;
      }
      return parsed.at;
    })
    .optional();
}

const confidenceField = z
  .union([z.null(), z.number({ error: "confidence must be a number from 0 to 100, or null" })], {
    error: typeError("confidence", "a number from 0 to 100, or null"),
  })
  .refine(
    (v) => v === null || (Number.isInteger(v) && v >= 0 && v <= 100),
    "confidence must be a whole number from 0 to 100",
  )
  .optional();

/** An optional source: an http(s) URL or a reference; "" or null clears it. */
const optionalSource = z
  .union([z.null(), z.string()], { error: typeError("source", "an http(s) URL, a reference, or null") })
  .transform((raw, ctx): string | null => {
    const value = raw?.trim() ?? "";
    if (value === "") return null;
    const problem = sourceProblem("source", value);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return value;
  })
  .optional();

export const INDICATOR_DESCRIPTION_MAX_LENGTH = TEXT_MAX_LENGTH;

const IndicatorFields = z.strictObject(
  {
    type: typeField,
    value: z.string({ error: typeError("value", "text") }),
    firstSeenAt: seenField("firstSeenAt"),
    lastSeenAt: seenField("lastSeenAt"),
    confidence: confidenceField,
    tlp: tlpField.optional(),
    description: optionalText("description", INDICATOR_DESCRIPTION_MAX_LENGTH),
    source: optionalSource,
    internalNote: optionalText("internalNote", NOTE_MAX_LENGTH),
    organizationIds: uuidList("organizationIds", "an organization").optional(),
    eventIds: uuidList("eventIds", "an event").optional(),
    techniqueIds: techniqueList.optional(),
  },
  strictOptions("an indicator"),
);

type Ctx = z.RefinementCtx;

/** Validates and normalizes the value for its type; adds the issue on `value` and returns null when refused. */
function checkValue(
  type: IndicatorTypeWord,
  raw: string,
  ctx: Ctx,
): { value: string; normalized: string } | null {
  const result = normalizeIndicator(type, raw);
  if (!result.ok) {
    ctx.addIssue({ code: "custom", path: ["value"], message: `value: ${result.message}` });
    return null;
  }
  return { value: result.value, normalized: result.normalized };
}

function checkSeenOrder(value: { firstSeenAt?: Date | null; lastSeenAt?: Date | null }, ctx: Ctx): boolean {
  if (value.firstSeenAt && value.lastSeenAt && value.lastSeenAt < value.firstSeenAt) {
    ctx.addIssue({
      code: "custom",
      path: ["lastSeenAt"],
      message: "lastSeenAt must not be before firstSeenAt",
    });
    return false;
  }
  return true;
}

export const CreateIndicatorSchema = IndicatorFields.transform((input, ctx) => {
  const checked = checkValue(input.type, input.value, ctx);
  if (!checkSeenOrder(input, ctx) || !checked) return z.NEVER;
  return {
    type: input.type,
    value: checked.value,
    normalizedValue: checked.normalized,
    firstSeenAt: input.firstSeenAt ?? null,
    lastSeenAt: input.lastSeenAt ?? null,
    confidence: input.confidence ?? null,
    tlp: input.tlp ?? ("CLEAR" as const),
    description: input.description ?? null,
    source: input.source ?? null,
    internalNote: input.internalNote ?? null,
    organizationIds: input.organizationIds ?? [],
    eventIds: input.eventIds ?? [],
    techniqueIds: input.techniqueIds ?? [],
  };
});

export type CreateIndicator = z.infer<typeof CreateIndicatorSchema>;
export type CreateIndicatorInput = z.input<typeof CreateIndicatorSchema>;

/**
 * A change carries the version the sender read. `type` and `value` travel together: the value is
 * checked against the type it will have.
 */
export const UpdateIndicatorSchema = IndicatorFields.partial()
  .extend({ version: versionField("the version you read (a whole number)") })
  .transform((input, ctx) => {
    if ((input.type === undefined) !== (input.value === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [input.type === undefined ? "type" : "value"],
        message: "type and value must be sent together, so the value is checked against its type",
      });
      return z.NEVER;
    }
    const checked =
      input.type !== undefined && input.value !== undefined ? checkValue(input.type, input.value, ctx) : null;
    if (!checkSeenOrder(input, ctx)) return z.NEVER;
    if (input.type !== undefined && !checked) return z.NEVER;
    return {
      version: input.version,
      ...(checked && input.type
        ? { type: input.type, value: checked.value, normalizedValue: checked.normalized }
        : {}),
      firstSeenAt: input.firstSeenAt,
      lastSeenAt: input.lastSeenAt,
      confidence: input.confidence,
      tlp: input.tlp,
      description: input.description,
      source: input.source,
      internalNote: input.internalNote,
      organizationIds: input.organizationIds,
      eventIds: input.eventIds,
      techniqueIds: input.techniqueIds,
    };
  });

export type UpdateIndicator = z.infer<typeof UpdateIndicatorSchema>;

export const DeleteIndicatorQuerySchema = DeleteEventQuerySchema;

export const INDICATOR_SORTS = ["type", "value", "first_seen", "last_seen", "updated"] as const;
export type IndicatorSort = (typeof INDICATOR_SORTS)[number];

export const IndicatorListQuerySchema = z.object({
  type: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return undefined;
      const type = parseIndicatorType(raw.trim());
      if (!type) {
        ctx.addIssue({ code: "custom", message: `type must be one of ${TYPE_WORDS}` });
        return z.NEVER;
      }
      return type;
    }),
  tlp: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return undefined;
      const key = tlpKey(raw);
      if (!key) {
        ctx.addIssue({ code: "custom", message: `tlp must be one of ${TLP_WORDS}` });
        return z.NEVER;
      }
      return key;
    }),
  q: z.string().trim().max(200, "q must be at most 200 characters").optional(),
  sort: z
    .enum(INDICATOR_SORTS, { error: `sort must be one of ${INDICATOR_SORTS.join(", ")}` })
    .default("type"),
  cursor: z.string().max(400).optional(),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(200, "limit must be at most 200")
    .default(100),
});

export type IndicatorListQuery = z.infer<typeof IndicatorListQuerySchema>;
export type IndicatorListQueryInput = z.input<typeof IndicatorListQuerySchema>;

// ---------------------------------------------------------------- sightings

export const SIGHTING_LOCATION_MAX_LENGTH = 500;

export const CreateSightingSchema = z
  .strictObject(
    {
      seenAt: z.string({ error: typeError("seenAt", "an ISO 8601 date or date-time") }),
      location: optionalText("location", SIGHTING_LOCATION_MAX_LENGTH),
      note: optionalText("note", NOTE_MAX_LENGTH),
      organizationId: z.uuid({ error: "organizationId must be an organization id" }).optional(),
    },
    strictOptions("a sighting"),
  )
  .transform((input, ctx) => {
    const parsed = parseEventTime("seenAt", input.seenAt.trim());
    if (typeof parsed === "string") {
      ctx.addIssue({ code: "custom", path: ["seenAt"], message: parsed });
      return z.NEVER;
    }
    // A sighting is something that happened; a time ahead of now (beyond clock skew) is a typo.
    if (parsed.at.getTime() > Date.now() + 5 * 60_000) {
      ctx.addIssue({ code: "custom", path: ["seenAt"], message: "seenAt must not be in the future" });
      return z.NEVER;
    }
    return {
      seenAt: parsed.at,
      location: input.location ?? null,
      note: input.note ?? null,
      organizationId: input.organizationId?.toLowerCase(),
    };
  });

export type CreateSighting = z.infer<typeof CreateSightingSchema>;

// ---------------------------------------------------------------- import and export

export const IMPORT_FORMATS = ["text", "csv", "stix"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const booleanFlag = (field: string) =>
  z
    .enum(["true", "false", "1", "0", ""], { error: `${field} must be true or false` })
    .optional()
    .transform((v) => v === "true" || v === "1");

/** Query parameters of POST .../indicators/import: the format, a dry run, and defaults for every line. */
export const ImportQuerySchema = z.object({
  format: z.enum(IMPORT_FORMATS, { error: `format must be one of ${IMPORT_FORMATS.join(", ")}` }).optional(),
  dryRun: booleanFlag("dryRun"),
  tlp: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return undefined;
      const key = tlpKey(raw);
      if (!key) {
        ctx.addIssue({ code: "custom", message: `tlp must be one of ${TLP_WORDS}` });
        return z.NEVER;
      }
      return key;
    }),
  confidence: z.coerce
    .number({ error: "confidence must be a number from 0 to 100" })
    .int("confidence must be a whole number from 0 to 100")
    .min(0, "confidence must be a whole number from 0 to 100")
    .max(100, "confidence must be a whole number from 0 to 100")
    .optional(),
  source: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = raw?.trim() ?? "";
      if (value === "") return undefined;
      const problem = sourceProblem("source", value);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
      return value;
    }),
});

export type ImportQuery = z.infer<typeof ImportQuerySchema>;

export const EXPORT_FORMATS = ["stix", "csv"] as const;

export const ExportQuerySchema = z.object({
  format: z
    .enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(", ")}` })
    .default("stix"),
  organization: z.uuid({ error: "organization must be an organization id" }).optional(),
});

export type ExportQuery = z.infer<typeof ExportQuerySchema>;

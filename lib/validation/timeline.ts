// zod schemas for the timeline's use cases, shared by pages, actions and API routes.
import { z } from "zod";
import { controlProblem, optionalText, requiredLine, typeError } from "./text.ts";
import { findTechnique, isKnownTechnique } from "../domain/attack/techniques.ts";
import {
  LANES,
  MILESTONE_PINS,
  PHASE_LABELS,
  PRECISIONS,
  TLPS,
  VERIFICATIONS,
  phaseKey,
  tlpKey,
  type MilestonePinKey,
} from "../domain/vocabulary.ts";

/** The version a PATCH carries: the one the sender read (a stale one gets 409 from the command). */
export const versionField = (expected: string) =>
  z
    .number({ error: typeError("version", expected) })
    .int("version must be a whole number")
    .min(1, "version must be at least 1");

export const isoDate = (field: string) =>
  z
    .string()
    .trim()
    .refine((v) => !Number.isNaN(Date.parse(v)), `${field} must be an ISO 8601 date such as 2023-06-16`)
    .transform((v) => new Date(v));

export const EventListQuerySchema = z.object({
  lane: z.enum(LANES, { error: "lane must be adversary or response" }).optional(),
  phase: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return undefined;
      const key = phaseKey(value);
      if (!key) {
        ctx.addIssue({
          code: "custom",
          message:
            "phase must be one of initial access, activity, detection, investigation, containment, mitigation, notification, post-incident",
        });
        return z.NEVER;
      }
      return key;
    }),
  from: isoDate("from").optional(),
  to: isoDate("to").optional(),
  q: z.string().trim().max(200, "q must be at most 200 characters").optional(),
  org: z.uuid({ error: "org must be an organization id" }).optional(),
  indicator: z.uuid({ error: "indicator must be an indicator id" }).optional(),
  technique: z
    .string()
    .trim()
    .regex(/^T\d{4}(\.\d{3})?$/i, "technique must be an ATT&CK ID such as T1606 or T1550.001")
    .optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(500, "limit must be at most 500")
    .default(100),
});

export type EventListQuery = z.infer<typeof EventListQuerySchema>;

// ---------------------------------------------------------------- writing events
//
// Every message names its field. Issues inside lists (techniqueIds.2, alternatives.0.source) carry
// the element's path and a message about the value, because the route and the editor both print
// the path in front of a nested message.

type Ctx = z.RefinementCtx;

/** A vocabulary word, compared trimmed and case-insensitively. */
function word<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  const message = `${field} must be one of ${values.join(", ")}`;
  return z
    .string({ error: typeError(field, `one of ${values.join(", ")}`) })
    .trim()
    .toLowerCase()
    .pipe(z.enum(values, { error: message }));
}

// ---- sources

export const SOURCE_MAX_LENGTH = 2000;

// Anything that starts like a URL (a scheme followed by something other than a space, "//", or
// "www.") must be a real http(s) URL: "javascript:alert(1)" or "htp:/x" are refused rather than
// stored as a "reference" that a later renderer might turn into a link. "Note: see p. 4" stays a
// reference because a space follows its colon.
const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:(?!\s)|\/\/|www\.)/i;

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\/[^\s/?#]/i.test(value) || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    // Credentials in a source link only serve to disguise where it goes (https://cisa.gov@evil.example).
    return (
      (url.protocol === "http:" || url.protocol === "https:") &&
      url.hostname !== "" &&
      !url.username &&
      !url.password
    );
  } catch {
    return false;
  }
}

/** Why a source (URL or reference such as "CSRB report p. 12") is refused, or null. */
export function sourceProblem(field: string, value: string): string | null {
  if (value.length === 0)
    return `${field} is required: an http(s) URL or a reference such as "CSRB report p. 12"`;
  if (value.length > SOURCE_MAX_LENGTH) return `${field} must be at most ${SOURCE_MAX_LENGTH} characters`;
  const control = controlProblem(field, value, false);
  if (control) return control;
  if (URL_LIKE.test(value) && !isHttpUrl(value)) return `${field} must be an http(s) URL or a reference`;
  return null;
}

export function sourceField(field: string) {
  return z.string({ error: typeError(field, "an http(s) URL or a reference") }).transform((raw, ctx) => {
    const value = raw.trim();
    const problem = sourceProblem(field, value);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return value;
  });
}

// ---- dates and time zones

/** A parsed occurredAt/occurredUntil: the instant, and whether the sender gave a time of day. */
interface ParsedTime {
  at: Date;
  hasTime: boolean;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DATE_TIME_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?$/;

/** UTC instant for the parts, or null when they do not name a real calendar date and time. */
function utcInstant(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0) {
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const at = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, ms);
  return at.getUTCDate() === day && at.getUTCMonth() === month - 1 ? at : null;
}

/** Parses "2023-06-15" or "2023-06-15T14:03:00Z" / "…+02:00"; returns an error message otherwise. */
export function parseEventTime(field: string, value: string): ParsedTime | string {
  const example = `${field} does not parse as a date: give an ISO 8601 date such as 2023-06-15, or a date-time with its offset such as 2023-06-15T14:03:00Z`;
  const dateOnly = DATE_ONLY.exec(value);
  if (dateOnly) {
    const at = utcInstant(Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3]));
    return at ? { at, hasTime: false } : `${field} does not parse: ${value} is not a calendar date`;
  }
  const dateTime = DATE_TIME.exec(value);
  if (dateTime) {
    const [, y, mo, d, h, mi, s, fraction, zulu, sign, offH, offM] = dateTime;
    const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
    const local = utcInstant(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
    if (!local) return `${field} does not parse: ${value} is not a real date and time`;
    if (zulu) return { at: local, hasTime: true };
    const offsetMinutes = Number(offH) * 60 + Number(offM);
    if (Number(offM) > 59 || offsetMinutes > 14 * 60)
      return `${field} does not parse: the offset ${sign}${offH}:${offM} does not exist`;
    const at = new Date(local.getTime() - (sign === "-" ? -1 : 1) * offsetMinutes * 60_000);
    return { at, hasTime: true };
  }
  if (DATE_TIME_WITHOUT_ZONE.test(value)) {
    return `${field} has a time but no offset: add Z or the source's offset (2023-06-15T14:03:00-04:00), since a time without a zone is ambiguous`;
  }
  return example;
}

/** How a dating is written, for the API's description (the rules are Decision 13 in the README). */
const DATING_TEXT =
  "An ISO 8601 date (2023-06-15) for day and coarser precisions (month: the 1st; year: 1 January); a date-time with an offset (2023-06-15T14:03:00Z) for exact, minute and hour.";

function timeField(field: string) {
  return z
    .string({ error: typeError(field, "a date string such as 2023-06-15") })
    .transform((raw, ctx) => {
      const value = raw.trim();
      if (value === "") {
        ctx.addIssue({ code: "custom", message: `${field} is required` });
        return z.NEVER;
      }
      const parsed = parseEventTime(field, value);
      if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: parsed });
        return z.NEVER;
      }
      return parsed;
    })
    .meta({ description: DATING_TEXT });
}

/** occurredUntil: like occurredAt, but "" and null both mean "no end". */
function untilField(field: string) {
  return z
    .union([z.null(), z.string()], { error: typeError(field, "a date string such as 2023-06-20, or null") })
    .transform((raw, ctx): ParsedTime | null => {
      const value = raw?.trim() ?? "";
      if (value === "") return null;
      const parsed = parseEventTime(field, value);
      if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: parsed });
        return z.NEVER;
      }
      return parsed;
    })
    .meta({ description: `${DATING_TEXT} "" or null: no end.` })
    .optional();
}

const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** The canonical IANA name or "±HH:MM" for a zone the source used, or null when it is not one. */
export function canonicalTimeZone(value: string): string | null {
  const offset = OFFSET.exec(value);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3]);
    return Number(offset[3]) <= 59 && minutes <= 14 * 60 ? value : null;
  }
  if (value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function timeZoneField(field: string) {
  return z
    .string({ error: typeError(field, "an IANA time zone name or an offset, or null") })
    .nullable()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const value = raw?.trim() ?? "";
      if (value === "") return null;
      const zone = canonicalTimeZone(value);
      if (!zone) {
        ctx.addIssue({
          code: "custom",
          message: `${field} must be an IANA time zone such as America/New_York, or an offset such as +02:00`,
        });
        return z.NEVER;
      }
      return zone;
    });
}

type PrecisionKey = (typeof PRECISIONS)[number];

/** Calendar precisions date a day (or coarser) as the source did; a time of day would be invented. */
export const CALENDAR_PRECISIONS: ReadonlySet<PrecisionKey> = new Set([
  "day",
  "month",
  "year",
  "approximate",
  "range",
]);

const isUtcMidnight = (at: Date) =>
  at.getUTCHours() === 0 &&
  at.getUTCMinutes() === 0 &&
  at.getUTCSeconds() === 0 &&
  at.getUTCMilliseconds() === 0;

interface Dating {
  occurredAt: Date;
  occurredUntil: Date | null;
  precision: PrecisionKey;
}

/**
 * Checks a dating against its precision and returns it normalized, or null after adding issues.
 * Month and year datings are stored as the period's first day (2023-06-15 with precision month is
 * kept as 2023-06-01): the day carried no information the precision admits, the formatter shows the
 * period only, and one stored value per period keeps sorting and de-duplication honest.
 */
function checkDating(
  value: { occurredAt: ParsedTime; occurredUntil?: ParsedTime | null; precision: PrecisionKey },
  ctx: Ctx,
): Dating | null {
  const { precision } = value;
  const until = value.occurredUntil ?? null;
  const problems: [field: "occurredAt" | "occurredUntil", message: string][] = [];
  const calendar = CALENDAR_PRECISIONS.has(precision);
  for (const [field, time] of [
    ["occurredAt", value.occurredAt],
    ["occurredUntil", until],
  ] as const) {
    if (!time) continue;
    if (calendar && time.hasTime && !isUtcMidnight(time.at)) {
      problems.push([
        field,
        `${field} has a time of day but precision is ${precision}: give the date only (YYYY-MM-DD)`,
      ]);
    }
    if (!calendar && !time.hasTime) {
      problems.push([
        field,
        `${field} has no time of day but precision is ${precision}: give a date-time with its offset (2023-06-15T14:03:00Z), or use precision day`,
      ]);
    }
  }
  if (precision === "range" && !until)
    problems.push(["occurredUntil", "occurredUntil is required when precision is range"]);
  if (precision !== "range" && until)
    problems.push(["occurredUntil", "occurredUntil is only for precision range: remove it"]);
  if (until && until.at < value.occurredAt.at)
    problems.push(["occurredUntil", "occurredUntil must not be before occurredAt"]);
  for (const [field, message] of problems) ctx.addIssue({ code: "custom", path: [field], message });
  if (problems.length > 0) return null;

  const at = value.occurredAt.at;
  const occurredAt =
    precision === "month"
      ? (utcInstant(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) ?? at)
      : precision === "year"
        ? (utcInstant(at.getUTCFullYear(), 1, 1) ?? at)
        : at;
  return { occurredAt, occurredUntil: precision === "range" && until ? until.at : null, precision };
}

// ---- links

export const MAX_LINKS = 200;
export const MAX_ADDITIONAL_SOURCES = 20;
export const MAX_ALTERNATIVES = 10;
export const TEXT_MAX_LENGTH = 20_000;
export const NOTE_MAX_LENGTH = 2000;
export const TITLE_MAX_LENGTH = 500;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A list whose entries are checked (and normalized) one by one; repeats are refused, not merged, so indexes keep matching what was sent. */
export function listOf(field: string, max: number, check: (value: string) => string | { error: string }) {
  return z
    .array(z.string({ error: `each entry of ${field} must be text` }), { error: typeError(field, "a list") })
    .max(max, `${field} must have at most ${max} entries`)
    .transform((values, ctx) => {
      const seen = new Map<string, number>();
      const result: string[] = [];
      values.forEach((raw, index) => {
        const checked = check(raw.trim());
        if (typeof checked !== "string") {
          ctx.addIssue({ code: "custom", path: [index], message: checked.error });
          return;
        }
        const first = seen.get(checked);
        if (first !== undefined) {
          ctx.addIssue({ code: "custom", path: [index], message: `${checked} repeats ${field}[${first}]` });
          return;
        }
        seen.set(checked, index);
        result.push(checked);
      });
      return result;
    });
}

export const uuidList = (field: string, what: string) =>
  listOf(field, MAX_LINKS, (value) =>
    UUID.test(value)
      ? value.toLowerCase()
      : { error: `${JSON.stringify(value.slice(0, 60))} is not ${what} id (a UUID)` },
  );

export const techniqueList = listOf("techniqueIds", MAX_LINKS, (raw) => {
  const id = raw.toUpperCase();
  if (!/^T\d{4}(\.\d{3})?$/.test(id)) {
    return { error: `${JSON.stringify(raw.slice(0, 60))} is not an ATT&CK ID such as T1606 or T1550.001` };
  }
  if (!isKnownTechnique(id)) return { error: `${id} is not an ATT&CK Enterprise technique` };
  const technique = findTechnique(id);
  // Revoked and deprecated techniques are still in the catalogue so old reports resolve; new tags use current ones.
  if (technique && technique.status !== "active") {
    const replacement = (technique as { revokedBy?: string }).revokedBy;
    return { error: `${id} is ${technique.status} in ATT&CK${replacement ? `: use ${replacement}` : ""}` };
  }
  return id;
});

const additionalSourcesList = listOf("additionalSources", MAX_ADDITIONAL_SOURCES, (value) => {
  const problem = sourceProblem("additional source", value);
  return problem ? { error: problem } : value;
});

// ---- vocabulary fields

const phaseField = z
  .string({ error: typeError("phase", "a phase") })
  .transform((raw, ctx) => {
    const key = phaseKey(raw);
    if (!key) {
      ctx.addIssue({ code: "custom", message: `phase must be one of ${PHASE_LABELS.join(", ")}` });
      return z.NEVER;
    }
    return key;
  })
  .meta({ description: `One of ${PHASE_LABELS.join(", ")}.` });

const TLP_WORDS = TLPS.map(([, label]) => label).join(", ");
export const tlpField = z
  .string({ error: typeError("tlp", `one of ${TLP_WORDS}`) })
  .transform((raw, ctx) => {
    const key = tlpKey(raw);
    if (!key) {
      ctx.addIssue({ code: "custom", message: `tlp must be one of ${TLP_WORDS}` });
      return z.NEVER;
    }
    return key;
  })
  .meta({ description: `One of ${TLP_WORDS}.` });

const MILESTONE_WORDS = MILESTONE_PINS.map(([, label]) => label).join(", ");
const milestoneField = z
  .string({ error: typeError("milestone", `one of ${MILESTONE_WORDS}, or null`) })
  .nullable()
  .transform((raw, ctx): MilestonePinKey | null => {
    const normalized =
      raw
        ?.trim()
        .toLowerCase()
        .replace(/[-\s]+/g, "_") ?? "";
    if (normalized === "") return null;
    const key = MILESTONE_PINS.find(([k]) => k === normalized)?.[0];
    if (!key) {
      ctx.addIssue({ code: "custom", message: `milestone must be one of ${MILESTONE_WORDS}, or null` });
      return z.NEVER;
    }
    return key;
  })
  .meta({ description: `One of ${MILESTONE_WORDS}, or null: pins the event as that incident milestone.` });

// ---- alternatives

export const strictOptions = (what: string) => ({
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === "unrecognized_keys"
      ? `unknown field${(issue.keys?.length ?? 0) > 1 ? "s" : ""} ${(issue.keys ?? []).map((k) => JSON.stringify(k)).join(", ")} in ${what}`
      : `${what} must be a JSON object`,
});

/** Another dating of the event by a source that disagrees, with the same date rules as the event. */
export const EventAlternativeSchema = z
  .strictObject(
    {
      occurredAt: timeField("occurredAt"),
      occurredUntil: untilField("occurredUntil"),
      precision: word("precision", PRECISIONS),
      sourceTimeZone: timeZoneField("sourceTimeZone"),
      source: sourceField("source"),
      verification: word("verification", VERIFICATIONS).optional(),
      note: optionalText("note", NOTE_MAX_LENGTH),
    },
    strictOptions("an alternative dating"),
  )
  .transform((value, ctx) => {
    const dating = checkDating(value, ctx);
    if (!dating) return z.NEVER;
    return {
      ...dating,
      sourceTimeZone: value.sourceTimeZone ?? null,
      source: value.source,
      verification: value.verification ?? ("unverified" as const),
      note: value.note ?? null,
    };
  });

export type EventAlternativeInput = z.infer<typeof EventAlternativeSchema>;

// ---- the event

/** The fields a person edits, without defaults: a default here would reset a field a PATCH left out. */
const EventFields = z.strictObject(
  {
    occurredAt: timeField("occurredAt"),
    occurredUntil: untilField("occurredUntil"),
    precision: word("precision", PRECISIONS),
    sourceTimeZone: timeZoneField("sourceTimeZone"),
    lane: word("lane", LANES),
    phase: phaseField,
    title: requiredLine("title", TITLE_MAX_LENGTH),
    description: optionalText("description", TEXT_MAX_LENGTH),
    source: sourceField("source"),
    verification: word("verification", VERIFICATIONS).optional(),
    additionalSources: additionalSourcesList.optional(),
    tlp: tlpField.optional(),
    milestone: milestoneField.optional(),
    internalNote: optionalText("internalNote", TEXT_MAX_LENGTH),
    alternatives: z
      .array(EventAlternativeSchema, { error: typeError("alternatives", "a list") })
      .max(MAX_ALTERNATIVES, `alternatives must have at most ${MAX_ALTERNATIVES} entries`)
      .optional(),
    organizationIds: uuidList("organizationIds", "an affected organization").optional(),
    indicatorIds: uuidList("indicatorIds", "an indicator").optional(),
    techniqueIds: techniqueList.optional(),
  },
  strictOptions("the event"),
);

export const CreateEventSchema = EventFields.transform((value, ctx) => {
  const dating = checkDating(value, ctx);
  if (!dating) return z.NEVER;
  return {
    ...dating,
    sourceTimeZone: value.sourceTimeZone ?? null,
    lane: value.lane,
    phase: value.phase,
    title: value.title,
    description: value.description ?? null,
    source: value.source,
    verification: value.verification ?? ("unverified" as const),
    additionalSources: value.additionalSources ?? [],
    tlp: value.tlp ?? ("CLEAR" as const),
    milestone: value.milestone ?? null,
    internalNote: value.internalNote ?? null,
    alternatives: value.alternatives ?? [],
    organizationIds: value.organizationIds ?? [],
    indicatorIds: value.indicatorIds ?? [],
    techniqueIds: value.techniqueIds ?? [],
  };
});

export type CreateEvent = z.infer<typeof CreateEventSchema>;
export type CreateEventInput = z.input<typeof CreateEventSchema>;

/**
 * A change to an event: any editable field, plus the version the sender last read. A dating is
 * judged as a whole, so occurredAt and precision travel together (and occurredUntil with them);
 * a field left out stays as it is, null clears it, a list sent replaces the stored one.
 */
export const UpdateEventSchema = EventFields.partial()
  .extend({ version: versionField("the event's version number (send the version you last read)") })
  .transform((value, ctx): UpdateEventFields => {
    const { occurredAt, occurredUntil, precision, ...rest } = value;
    if (occurredAt === undefined && occurredUntil === undefined && precision === undefined) return rest;
    if (occurredAt === undefined || precision === undefined) {
      const missing = occurredAt === undefined ? "occurredAt" : "precision";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: `${missing} is required when the dating changes: send occurredAt and precision together (and occurredUntil for a range)`,
      });
      return z.NEVER;
    }
    const dating = checkDating({ occurredAt, occurredUntil, precision }, ctx);
    if (!dating) return z.NEVER;
    return { ...rest, ...dating };
  });

type EventFieldsOutput = z.output<typeof EventFields>;

/** The parsed change: every field optional, the dating (when sent) checked and normalized as a whole. */
export type UpdateEventFields = Partial<Omit<EventFieldsOutput, keyof Dating>> &
  Partial<Dating> & { version: number };

export type UpdateEvent = z.infer<typeof UpdateEventSchema>;
export type UpdateEventInput = z.input<typeof UpdateEventSchema>;

/** DELETE .../events/{id}?version=n: with a version, a stale one gets 409; without, the event is deleted as it is. */
export const DeleteEventQuerySchema = z.object({
  version: z.coerce
    .number({ error: "version must be a number" })
    .int("version must be a whole number")
    .min(1, "version must be at least 1")
    .optional(),
});

export type DeleteEventQuery = z.infer<typeof DeleteEventQuerySchema>;

// zod schemas for affected organizations and their notification moves, shared by pages, actions and
// API routes. Every message names its field.
import { z } from "zod";
import { controlProblem, optionalText, requiredLine, typeError } from "./text.ts";
import type { ErrorDetail } from "../errors.ts";
import {
  AGENCY_MOVES,
  CLOCK_SKEW_MS,
  NOTIFICATION_CHANNEL_LABELS,
  channelKey,
  isNotificationState,
  listWords,
  type MoveTimePrecision,
  type NotificationChannelKey,
} from "../domain/organizations/notification-states.ts";
import { DEADLINE_STATUSES } from "../domain/metrics/organization-metrics.ts";
import type { DeadlineStatus } from "../domain/organizations/deadline.ts";
import {
  NOTIFICATION_STATES,
  ORGANIZATION_KINDS,
  type NotificationStateKey,
  type OrganizationKindKey,
} from "../domain/vocabulary.ts";
import { parseEventTime } from "./timeline.ts";

export const NAME_MAX_LENGTH = 300;
export const SECTOR_MAX_LENGTH = 200;
export const MOVE_TEXT_MAX_LENGTH = 5000;
export const INTERNAL_NOTE_MAX_LENGTH = 20_000;
export const MAX_DEADLINE_HOURS = 8760;
export const MAX_BULK_MOVES = 200;
const MAX_COUNT = 2_147_483_647;

// ---------------------------------------------------------------- shared field rules
// The text rules (./text.ts) are the same for every write schema.

/** One line or nothing: "" and null clear it. */
function optionalLine(field: string, max: number) {
  return z
    .string({ error: typeError(field, "text or null") })
    .trim()
    .max(max, `${field} must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = controlProblem(field, value, false);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .nullable()
    .optional()
    .transform((value) => (value === "" ? null : value));
}

/**
 * A JSON object whose unknown keys are refused one by one, each named as its field
 * (`organizationId is not a field of a portal notification`), rather than silently dropped.
 */
function strictFields<S extends z.ZodRawShape>(shape: S, what: string) {
  const known = new Set(Object.keys(shape));
  return z.looseObject(shape, { error: `${what} must be a JSON object` }).superRefine((value, ctx) => {
    for (const key of Object.keys(value)) {
      if (!known.has(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `${key} is not a field of ${what}` });
      }
    }
  });
}

const versionField = (what: string) =>
  z
    .number({ error: typeError("version", `${what}'s version number (send the version you last read)`) })
    .int("version must be a whole number")
    .min(1, "version must be at least 1");

// ---------------------------------------------------------------- times

export interface ParsedInstant {
  at: Date;
  precision: MoveTimePrecision;
}

// The earliest zone (UTC+14) is already on tomorrow's date for part of each UTC day.
const DATE_ONLY_AHEAD_MS = 14 * 3_600_000;

/**
 * A date (2023-06-16, a calendar day: precision `day`) or a date-time with its offset (precision
 * `exact`), as the timeline accepts them. `notFuture` refuses a time later than now beyond the clock
 * skew, and a date later than the earliest zone's today.
 */
function instantField(field: string, options: { notFuture: boolean }) {
  return z
    .string({
      error: typeError(field, "a date such as 2023-06-16 or a date-time such as 2023-06-16T14:03:00Z"),
    })
    .transform((raw, ctx): ParsedInstant => {
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
      const year = parsed.at.getUTCFullYear();
      if (year < 1900 || year > 9999) {
        ctx.addIssue({ code: "custom", message: `${field} must be between the years 1900 and 9999` });
        return z.NEVER;
      }
      const limit = Date.now() + (parsed.hasTime ? CLOCK_SKEW_MS : DATE_ONLY_AHEAD_MS);
      if (options.notFuture && parsed.at.getTime() > limit) {
        ctx.addIssue({ code: "custom", message: `${field} is in the future (${value})` });
        return z.NEVER;
      }
      return { at: parsed.at, precision: parsed.hasTime ? "exact" : "day" };
    });
}

const nullableInstant = (field: string) =>
  z
    .union([z.null(), z.string()], {
      error: typeError(field, "a date such as 2023-06-16, a date-time with its offset, or null"),
    })
    .transform((raw, ctx): Date | null => {
      if (raw === null || raw.trim() === "") return null;
      const parsed = instantField(field, { notFuture: true }).safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
        return z.NEVER;
      }
      return parsed.data.at;
    })
    .optional();

// ---------------------------------------------------------------- vocabulary fields

const KIND_WORDS = ORGANIZATION_KINDS.map(([, label]) => label);

/** The kind's key (private_sector) from the word ("private sector"), the key, or the key with spaces. */
export function organizationKindKey(input: string): OrganizationKindKey | undefined {
  const lower = input.trim().toLowerCase();
  const normalized = lower.replace(/[-\s]+/g, "_");
  return ORGANIZATION_KINDS.find(([key, label]) => key === normalized || label === lower)?.[0];
}

const kindField = z
  .string({ error: typeError("kind", `one of ${KIND_WORDS.join(", ")}`) })
  .transform((raw, ctx) => {
    const key = organizationKindKey(raw);
    if (!key) {
      ctx.addIssue({ code: "custom", message: `kind must be one of ${KIND_WORDS.join(", ")}` });
      return z.NEVER;
    }
    return key;
  })
  .meta({ description: `One of ${KIND_WORDS.join(", ")}.` });

const STATE_WORDS = NOTIFICATION_STATES.join(", ");

function stateField(field: string) {
  return z
    .string({ error: typeError(field, `one of ${STATE_WORDS}`) })
    .transform((raw, ctx) => {
      const value = raw.trim().toLowerCase();
      if (!isNotificationState(value)) {
        ctx.addIssue({ code: "custom", message: `${field} must be one of ${STATE_WORDS}` });
        return z.NEVER;
      }
      return value;
    })
    .meta({ description: `One of ${STATE_WORDS}.` });
}

const CHANNEL_WORDS = NOTIFICATION_CHANNEL_LABELS.join(", ");

const channelField = z
  .string({ error: typeError("channel", `one of ${CHANNEL_WORDS}, or null`) })
  .nullable()
  .optional()
  .transform((raw, ctx): NotificationChannelKey | null | undefined => {
    if (raw === undefined) return undefined;
    if (raw === null || raw.trim() === "") return null;
    const key = channelKey(raw);
    if (!key) {
      ctx.addIssue({ code: "custom", message: `channel must be one of ${CHANNEL_WORDS}` });
      return z.NEVER;
    }
    return key;
  })
  .meta({ description: `One of ${CHANNEL_WORDS}, or null.` });

/**
 * ISO 3166-1 alpha-2, the 249 officially assigned codes. A static list rather than Intl.DisplayNames,
 * which also names deprecated (YU, ZR), exceptionally reserved (UK, EU) and private-use (XK, ZZ) codes.
 */
const COUNTRY_CODES: ReadonlySet<string> = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO " +
    "FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE " +
    "JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO " +
    "MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW " +
    "PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM " +
    "TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

/** Codes people type that ISO assigns differently. */
const COUNTRY_HINTS: Readonly<Record<string, string>> = { UK: "GB", EL: "GR" };

export function isCountryCode(value: string): boolean {
  return COUNTRY_CODES.has(value);
}

const countryNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** "United States" for US; the code itself when the runtime has no name for it. */
export function countryName(code: string): string {
  return countryNames.of(code) ?? code;
}

/** Codes whose code is `q` or whose English name contains it ("kingdom" → GB), for searching by country. */
export function countryCodesMatching(q: string): string[] {
  const needle = q.trim().toLowerCase();
  if (needle === "") return [];
  return [...COUNTRY_CODES].filter(
    (code) => code.toLowerCase() === needle || countryName(code).toLowerCase().includes(needle),
  );
}

const countryField = z
  .string({ error: typeError("country", "an ISO 3166-1 alpha-2 code such as US, or null") })
  .nullable()
  .optional()
  .transform((raw, ctx): string | null | undefined => {
    if (raw === undefined) return undefined;
    const value = raw?.trim().toUpperCase() ?? "";
    if (value === "") return null;
    if (!COUNTRY_CODES.has(value)) {
      const hint = COUNTRY_HINTS[value];
      ctx.addIssue({
        code: "custom",
        message: hint
          ? `country must be an ISO 3166-1 alpha-2 code: ${value} is not one, use ${hint}`
          : `country must be an ISO 3166-1 alpha-2 code such as US or GB (${JSON.stringify(value.slice(0, 20))} is not one)`,
      });
      return z.NEVER;
    }
    return value;
  });

const countField = (field: string) =>
  z
    .number({ error: typeError(field, "a whole number of at least 0, or null") })
    .int(`${field} must be a whole number`)
    .min(0, `${field} must be at least 0`)
    .max(MAX_COUNT, `${field} must be at most ${MAX_COUNT}`)
    .nullable()
    .optional();

const booleanField = (field: string) => z.boolean({ error: typeError(field, "true or false") });

// ---------------------------------------------------------------- organizations

const ORGANIZATION_SHAPE = {
  name: requiredLine("name", NAME_MAX_LENGTH),
  kind: kindField,
  sector: optionalLine("sector", SECTOR_MAX_LENGTH),
  country: countryField,
  accountsAffected: countField("accountsAffected"),
  mailboxesAffected: countField("mailboxesAffected"),
  firstKnownAccessAt: nullableInstant("firstKnownAccessAt"),
  lastKnownAccessAt: nullableInstant("lastKnownAccessAt"),
  determinedAffectedAt: instantField("determinedAffectedAt", { notFuture: true }),
  isNamedPublicly: booleanField("isNamedPublicly"),
  internalNote: optionalText("internalNote", INTERNAL_NOTE_MAX_LENGTH),
};

type Ctx = z.RefinementCtx;

function checkAccessOrder(first: Date | null | undefined, last: Date | null | undefined, ctx: Ctx): boolean {
  if (first && last && last < first) {
    ctx.addIssue({
      code: "custom",
      path: ["lastKnownAccessAt"],
      message: "lastKnownAccessAt must not be before firstKnownAccessAt",
    });
    return false;
  }
  return true;
}

/**
 * A new affected organization. `determinedAffectedAt` starts its notification clock: it is always
 * stored, and when the sender leaves it out it is the moment of creation.
 */
export const CreateOrganizationSchema = strictFields(
  {
    ...ORGANIZATION_SHAPE,
    determinedAffectedAt: ORGANIZATION_SHAPE.determinedAffectedAt.optional(),
    isNamedPublicly: ORGANIZATION_SHAPE.isNamedPublicly.optional(),
  },
  "an organization",
).transform((value, ctx) => {
  if (!checkAccessOrder(value.firstKnownAccessAt, value.lastKnownAccessAt, ctx)) return z.NEVER;
  return {
    name: value.name,
    kind: value.kind,
    sector: value.sector ?? null,
    country: value.country ?? null,
    accountsAffected: value.accountsAffected ?? null,
    mailboxesAffected: value.mailboxesAffected ?? null,
    firstKnownAccessAt: value.firstKnownAccessAt ?? null,
    lastKnownAccessAt: value.lastKnownAccessAt ?? null,
    determinedAffectedAt: value.determinedAffectedAt?.at ?? new Date(),
    isNamedPublicly: value.isNamedPublicly ?? true,
    internalNote: value.internalNote ?? null,
  };
});

export type CreateOrganization = z.infer<typeof CreateOrganizationSchema>;
export type CreateOrganizationInput = z.input<typeof CreateOrganizationSchema>;

/**
 * A change: any field, the version the sender read, and optionally `deriveAccessFromTimeline: true`,
 * which sets first/last known access from the adversary-lane events linked to the organization
 * (so it cannot travel with either date). Left out means "keep", null clears.
 */
export const UpdateOrganizationSchema = strictFields(
  {
    name: ORGANIZATION_SHAPE.name.optional(),
    kind: ORGANIZATION_SHAPE.kind.optional(),
    sector: ORGANIZATION_SHAPE.sector,
    country: ORGANIZATION_SHAPE.country,
    accountsAffected: ORGANIZATION_SHAPE.accountsAffected,
    mailboxesAffected: ORGANIZATION_SHAPE.mailboxesAffected,
    firstKnownAccessAt: ORGANIZATION_SHAPE.firstKnownAccessAt,
    lastKnownAccessAt: ORGANIZATION_SHAPE.lastKnownAccessAt,
    determinedAffectedAt: ORGANIZATION_SHAPE.determinedAffectedAt.optional(),
    isNamedPublicly: ORGANIZATION_SHAPE.isNamedPublicly.optional(),
    internalNote: ORGANIZATION_SHAPE.internalNote,
    deriveAccessFromTimeline: booleanField("deriveAccessFromTimeline").optional(),
    version: versionField("the organization"),
  },
  "an organization change",
).transform((value, ctx) => {
  if (
    value.deriveAccessFromTimeline &&
    (value.firstKnownAccessAt !== undefined || value.lastKnownAccessAt !== undefined)
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["deriveAccessFromTimeline"],
      message:
        "deriveAccessFromTimeline sets firstKnownAccessAt and lastKnownAccessAt from the timeline: send it or the dates, not both",
    });
    return z.NEVER;
  }
  if (!checkAccessOrder(value.firstKnownAccessAt, value.lastKnownAccessAt, ctx)) return z.NEVER;
  return {
    name: value.name,
    kind: value.kind,
    sector: value.sector,
    country: value.country,
    accountsAffected: value.accountsAffected,
    mailboxesAffected: value.mailboxesAffected,
    firstKnownAccessAt: value.firstKnownAccessAt,
    lastKnownAccessAt: value.lastKnownAccessAt,
    determinedAffectedAt: value.determinedAffectedAt?.at,
    isNamedPublicly: value.isNamedPublicly,
    internalNote: value.internalNote,
    deriveAccessFromTimeline: value.deriveAccessFromTimeline ?? false,
    version: value.version,
  };
});

export type UpdateOrganization = z.infer<typeof UpdateOrganizationSchema>;
export type UpdateOrganizationInput = z.input<typeof UpdateOrganizationSchema>;

// ---------------------------------------------------------------- notification moves

const MOVE_SHAPE = {
  to: stateField("to"),
  // Whether `at` is in the future, before the incident or before the previous move is the domain's
  // call (lib/domain/organizations/notification-states.ts): it needs the clock and stored moves.
  at: instantField("at", { notFuture: false }),
  channel: channelField,
  note: optionalText("note", MOVE_TEXT_MAX_LENGTH),
  evidence: optionalText("evidence", MOVE_TEXT_MAX_LENGTH),
  version: versionField("the organization"),
};

export interface NotificationMove {
  to: NotificationStateKey;
  at: Date;
  atPrecision: MoveTimePrecision;
  channel: NotificationChannelKey | null;
  note: string | null;
  evidence: string | null;
  version: number;
}

const toMove = (value: {
  to: NotificationStateKey;
  at: ParsedInstant;
  channel?: NotificationChannelKey | null;
  note?: string | null;
  evidence?: string | null;
  version: number;
}): NotificationMove => ({
  to: value.to,
  at: value.at.at,
  atPrecision: value.at.precision,
  channel: value.channel ?? null,
  note: value.note ?? null,
  evidence: value.evidence ?? null,
  version: value.version,
});

/** POST …/organizations/{id}/notification: `{ to, at, channel?, note?, evidence?, version }`. */
export const NotificationMoveSchema = strictFields(MOVE_SHAPE, "a notification move").transform(toMove);

export type NotificationMoveInput = z.input<typeof NotificationMoveSchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const BulkMoveItemSchema = strictFields(
  {
    ...MOVE_SHAPE,
    organizationId: z
      .string({ error: typeError("organizationId", "an organization id (a UUID)") })
      .trim()
      .regex(UUID, "organizationId must be an organization id (a UUID)")
      .transform((value) => value.toLowerCase()),
  },
  "a notification move",
).transform((value) => ({ organizationId: value.organizationId, move: toMove(value) }));

/** One entry of a bulk request, checked on its own so that one bad entry fails alone. */
export type BulkMoveItem =
  | { index: number; organizationId: string; move: NotificationMove; details?: undefined }
  | { index: number; organizationId: string | null; move?: undefined; details: ErrorDetail[] };

/**
 * POST …/organizations/notifications: `{ moves: [{ organizationId, version, to, at, … }] }`. The list
 * itself must be well formed; each entry is validated separately and a bad one is answered in its
 * own result (422) while the others go ahead.
 */
export const BulkNotificationSchema = strictFields(
  {
    moves: z
      .array(z.unknown(), { error: typeError("moves", "a list of notification moves") })
      .min(1, "moves must have at least 1 entry")
      .max(MAX_BULK_MOVES, `moves must have at most ${MAX_BULK_MOVES} entries`),
  },
  "a bulk notification",
).transform(({ moves }): BulkMoveItem[] =>
  moves.map((raw, index) => {
    const parsed = BulkMoveItemSchema.safeParse(raw);
    if (parsed.success) return { index, ...parsed.data };
    const sentId = (raw as { organizationId?: unknown } | null)?.organizationId;
    return {
      index,
      organizationId: typeof sentId === "string" ? sentId.slice(0, 100) : null,
      details: parsed.error.issues.map((issue) => ({
        field: issue.path.join(".") || undefined,
        message: issue.message,
      })),
    };
  }),
);

export type BulkNotification = z.infer<typeof BulkNotificationSchema>;

/**
 * POST /portal/notification: an agency user's acknowledgement or remediation of its own
 * organization's notice. There is no organizationId: the organization comes from the session, and a
 * body that names one is refused. `at` defaults to now.
 */
export const PortalNotificationSchema = strictFields(
  {
    to: z.string({ error: typeError("to", listWords(AGENCY_MOVES)) }).transform((raw, ctx) => {
      const value = raw.trim().toLowerCase();
      const move = AGENCY_MOVES.find((state) => state === value);
      if (!move) {
        ctx.addIssue({ code: "custom", message: `to must be ${listWords(AGENCY_MOVES)}` });
        return z.NEVER;
      }
      return move;
    }),
    at: MOVE_SHAPE.at.optional(),
    note: MOVE_SHAPE.note,
    version: MOVE_SHAPE.version,
  },
  "a portal notification",
).transform((value) => ({
  to: value.to as "acknowledged" | "remediated",
  at: value.at?.at,
  atPrecision: value.at?.precision,
  note: value.note ?? null,
  version: value.version,
}));

export type PortalNotification = z.infer<typeof PortalNotificationSchema>;
export type PortalNotificationInput = z.input<typeof PortalNotificationSchema>;

/** PUT …/notification-regime: `{ hours, version }`, version being the incident's. */
export const NotificationRegimeSchema = strictFields(
  {
    hours: z
      .number({ error: typeError("hours", `a whole number of hours from 1 to ${MAX_DEADLINE_HOURS}`) })
      .int("hours must be a whole number")
      .min(1, "hours must be at least 1")
      .max(MAX_DEADLINE_HOURS, `hours must be at most ${MAX_DEADLINE_HOURS} (a year)`),
    version: versionField("the incident"),
  },
  "a notification regime",
).transform((value) => ({ hours: value.hours, version: value.version }));

export type NotificationRegime = z.infer<typeof NotificationRegimeSchema>;

// ---------------------------------------------------------------- the list

export const ORGANIZATION_SORTS = ["name", "state", "deadline", "lastMove"] as const;
export type OrganizationSortKey = (typeof ORGANIZATION_SORTS)[number];

/** A comma-separated list of words, each checked; repeats are harmless. */
function wordList<T extends string>(field: string, words: string, parse: (value: string) => T | undefined) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T[] | undefined => {
      if (raw === undefined || raw.trim() === "") return undefined;
      const values: T[] = [];
      for (const part of raw.split(",")) {
        const value = parse(part);
        if (!value) {
          ctx.addIssue({
            code: "custom",
            message: `${field} must be one or more of ${words} (comma-separated); ${JSON.stringify(part.trim().slice(0, 40))} is not one`,
          });
          return z.NEVER;
        }
        if (!values.includes(value)) values.push(value);
      }
      return values;
    })
    .meta({ description: `One or more of ${words}, comma-separated.` });
}

const deadlineStatus = (value: string): DeadlineStatus | undefined => {
  const normalized = value
    .trim()
    .toLowerCase()
    .replace(/[-_\s]+/g, " ");
  return DEADLINE_STATUSES.find((status) => status === normalized);
};

export const OrganizationListQuerySchema = z.object({
  state: wordList("state", STATE_WORDS, (value) => {
    const state = value.trim().toLowerCase();
    return isNotificationState(state) ? state : undefined;
  }),
  kind: wordList("kind", KIND_WORDS.join(", "), organizationKindKey),
  deadline: wordList("deadline", DEADLINE_STATUSES.join(", "), deadlineStatus),
  q: z.string().trim().max(200, "q must be at most 200 characters").optional(),
  sort: z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      const value = raw || "name";
      const descending = value.startsWith("-");
      const key = ORGANIZATION_SORTS.find((sort) => sort === (descending ? value.slice(1) : value));
      if (!key) {
        ctx.addIssue({
          code: "custom",
          message: `sort must be one of ${ORGANIZATION_SORTS.join(", ")}, with a leading - for descending`,
        });
        return z.NEVER;
      }
      return { key, descending };
    })
    .meta({
      description: `One of ${ORGANIZATION_SORTS.join(", ")} (default name), with a leading - for descending.`,
    }),
  cursor: z.string().max(500, "cursor must be at most 500 characters").optional(),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(500, "limit must be at most 500")
    .default(100),
});

export type OrganizationListQuery = z.infer<typeof OrganizationListQuerySchema>;

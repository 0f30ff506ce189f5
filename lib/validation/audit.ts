// zod schema for reading an incident's audit trail: filters by who, what kind of record, which action
// and when, and the keyset cursor. Shared by the API route and the audit page.
import { z } from "zod";

/** Audit filter values are stored words such as `event`, `notification.move`: nothing else is asked for. */
const WORD = /^[a-z][a-z0-9_.:-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A date (`2026-11-29`) or a date and time, with or without seconds and zone (no zone = UTC). */
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** `actor=system` asks for entries written without a user (the demo seed, the user:create command). */
export const SYSTEM_ACTOR = "system";

/**
 * A bound of the time range: the instant it starts at and the instant right after the span it names
 * (a day, a minute, a second), so `to=2026-11-29` includes all of that day.
 */
export interface TimeBound {
  start: Date;
  end: Date;
}

function timeBound(field: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx): TimeBound | undefined => {
      if (raw === undefined || raw === "") return undefined;
      const match = DATE_TIME.exec(raw);
      const problem = `${field} must be a date such as 2023-07-11 or a date and time such as 2023-07-11T14:30 (UTC unless a zone is given)`;
      if (!match) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
      const [, day, hour, minute, second, fraction, zone] = match;
      const iso = hour
        ? `${day}T${hour}:${minute}:${second ?? "00"}${fraction ?? ""}${zone ? zone.toUpperCase() : "Z"}`
        : `${day}T00:00:00Z`;
      const start = new Date(iso);
      // Date.parse rolls 2023-02-30 over to March: a date that does not exist is refused instead.
      if (Number.isNaN(start.getTime()) || (!zone && start.toISOString().slice(0, 10) !== day)) {
        ctx.addIssue({ code: "custom", message: `${field}: ${raw} is not a real date` });
        return z.NEVER;
      }
      const span = !hour ? 86_400_000 : second === undefined ? 60_000 : fraction ? 1 : 1000;
      return { start, end: new Date(start.getTime() + span) };
    });
}

function word(field: string, example: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx): string | undefined => {
      if (raw === undefined || raw === "") return undefined;
      const value = raw.toLowerCase();
      if (!WORD.test(value)) {
        ctx.addIssue({ code: "custom", message: `${field} must be a word such as ${example}` });
        return z.NEVER;
      }
      return value;
    });
}

export const AuditListQuerySchema = z
  .object({
    actor: z
      .string()
      .trim()
      .optional()
      .transform((raw, ctx): string | undefined => {
        if (raw === undefined || raw === "") return undefined;
        if (raw.toLowerCase() === SYSTEM_ACTOR) return SYSTEM_ACTOR;
        if (!UUID.test(raw)) {
          ctx.addIssue({ code: "custom", message: `actor must be a user id or "${SYSTEM_ACTOR}"` });
          return z.NEVER;
        }
        return raw.toLowerCase();
      }),
    entity: word("entity", "event, finding, indicator or organization"),
    action: word("action", "event.update"),
    from: timeBound("from"),
    to: timeBound("to"),
    cursor: z
      .string()
      .max(40, "cursor is not valid: pass the nextCursor of a previous page unchanged")
      .optional(),
    limit: z.coerce
      .number({ error: "limit must be a number" })
      .int("limit must be a whole number")
      .min(1, "limit must be at least 1")
      .max(200, "limit must be at most 200")
      .default(50),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.to.end <= query.from.start) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "to must be after from" });
    }
  });

export type AuditListQuery = z.infer<typeof AuditListQuerySchema>;
export type AuditListQueryInput = z.input<typeof AuditListQuerySchema>;

/** The filters as they travel in the URL (the page's search params and the API's query string). */
export interface AuditFilters {
  actor?: string;
  entity?: string;
  action?: string;
  from?: string;
  to?: string;
}

export const AUDIT_FILTER_KEYS = ["actor", "entity", "action", "from", "to"] as const;

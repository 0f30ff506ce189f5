// The one date formatter. Instants (exact, minute, hour) are shown in the viewer's zone with the zone
// named; calendar facts (day, month, year, approximate, range) are shown as the source dated them,
// never shifted across zones and never given a time of day.

export type Precision = "exact" | "minute" | "hour" | "day" | "month" | "year" | "approximate" | "range";

export interface Dating {
  occurredAt: Date | string;
  occurredUntil?: Date | string | null;
  precision: Precision;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

interface CalendarParts {
  year: number;
  month: number; // 0-11
  day: number;
}

/** Calendar facts are stored as UTC midnight of the date the source gave. */
function calendarParts(value: Date): CalendarParts {
  return { year: value.getUTCFullYear(), month: value.getUTCMonth(), day: value.getUTCDate() };
}

const monthName = (month: number) => MONTHS[month] ?? "?";

export function isCalendarPrecision(precision: Precision): boolean {
  return precision !== "exact" && precision !== "minute" && precision !== "hour";
}

function formatDay(p: CalendarParts): string {
  return `${p.day} ${monthName(p.month)} ${p.year}`;
}

function formatRange(from: CalendarParts, until: CalendarParts): string {
  if (from.year === until.year && from.month === until.month) {
    if (from.day === until.day) return formatDay(from);
    return `${from.day}–${until.day} ${monthName(from.month)} ${from.year}`;
  }
  if (from.year === until.year) {
    return `${from.day} ${monthName(from.month)} – ${until.day} ${monthName(until.month)} ${from.year}`;
  }
  return `${formatDay(from)} – ${formatDay(until)}`;
}

function approximatePart(day: number): string {
  if (day <= 10) return "early";
  if (day <= 20) return "mid";
  return "late";
}

// Building an Intl.DateTimeFormat costs far more than formatting with one (a page of events formats
// hundreds of dates), so each zone's formatters are built once and reused. Bounded: zones come from
// requests (`?tz=`), validated, but there is no need to keep every one ever asked for.
const FORMATTER_LIMIT = 200;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(kind: "zone" | "instant", timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}\n${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter =
      kind === "zone"
        ? new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
        : new Intl.DateTimeFormat("en-GB", {
            timeZone,
            year: "numeric",
            month: "short",
            day: "numeric",
            hour: "2-digit",
            minute: "2-digit",
            second: "2-digit",
            hourCycle: "h23",
          });
    if (formatters.size >= FORMATTER_LIMIT) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

/** The zone's short name at that instant ("UTC", "EDT", "GMT+2"). */
export function zoneAbbreviation(at: Date, timeZone: string): string {
  const part = formatterFor("zone", timeZone)
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

function formatInstant(at: Date, timeZone: string, precision: "exact" | "minute" | "hour"): string {
  const parts = Object.fromEntries(
    formatterFor("instant", timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const date = `${Number(parts.day)} ${parts.month?.slice(0, 3)} ${parts.year}`;
  const zone = zoneAbbreviation(at, timeZone);
  if (precision === "exact") return `${date}, ${parts.hour}:${parts.minute}:${parts.second} ${zone}`;
  if (precision === "minute") return `${date}, ${parts.hour}:${parts.minute} ${zone}`;
  return `${date}, ${parts.hour}:00–${parts.hour}:59 ${zone}`;
}

/**
 * A dating as people read it: "15 Jun 2023", "Jun 2023", "≈ mid-Jun 2023", "13–20 Jun 2023",
 * "15 Jun 2023, 14:03 UTC". `timeZone` (IANA) applies to instants only.
 */
export function formatDating(dating: Dating, timeZone = "UTC"): string {
  const at = toDate(dating.occurredAt);
  if (Number.isNaN(at.getTime())) return "unknown date";
  switch (dating.precision) {
    case "exact":
    case "minute":
    case "hour":
      return formatInstant(at, timeZone, dating.precision);
    case "day":
      return formatDay(calendarParts(at));
    case "month": {
      const p = calendarParts(at);
      return `${monthName(p.month)} ${p.year}`;
    }
    case "year":
      return String(calendarParts(at).year);
    case "approximate": {
      const p = calendarParts(at);
      return `≈ ${approximatePart(p.day)}-${monthName(p.month)} ${p.year}`;
    }
    case "range": {
      const from = calendarParts(at);
      const until = dating.occurredUntil ? toDate(dating.occurredUntil) : null;
      if (!until || Number.isNaN(until.getTime())) return `from ${formatDay(from)}`;
      return formatRange(from, calendarParts(until));
    }
  }
}

/** Machine-readable value for a <time dateTime> attribute that does not overstate precision. */
export function dateTimeAttribute(dating: Dating): string {
  const at = toDate(dating.occurredAt);
  const iso = at.toISOString();
  switch (dating.precision) {
    case "exact":
    case "minute":
    case "hour":
      return iso;
    case "month":
      return iso.slice(0, 7);
    case "year":
      return iso.slice(0, 4);
    default:
      return iso.slice(0, 10);
  }
}

const DAY_MS = 86_400_000;

/** Whole days between two calendar dates, or fractional days between instants. */
export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}

/** "32 days", "1 day", "36 hours", "≈ 2.5 days". */
export function formatDuration(ms: number): string {
  const negative = ms < 0;
  const abs = Math.abs(ms);
  let text: string;
  if (abs < DAY_MS * 2 && abs % DAY_MS !== 0) {
    const hours = Math.round(abs / 3_600_000);
    text = `${hours} hour${hours === 1 ? "" : "s"}`;
  } else {
    const days = abs / DAY_MS;
    const rounded = Number.isInteger(days) ? days : Math.round(days * 10) / 10;
    text = `${Number.isInteger(days) ? "" : "≈ "}${rounded} day${rounded === 1 ? "" : "s"}`;
  }
  return negative ? `−${text}` : text;
}

/** True for an IANA zone name the runtime knows ("UTC", "Europe/London"). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.length <= 64;
  } catch {
    return false;
  }
}

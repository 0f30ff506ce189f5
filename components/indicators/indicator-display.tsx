// Small pieces every indicator view shares: how a first/last-seen instant reads, how an API error
// reads, and the URL of the indicator API.
import { ApiError } from "@/lib/api-client";
import { INDICATOR_TYPES, typeLabel } from "@/lib/indicators/types";
import { formatDating } from "@/lib/time/format";
import type { FieldErrors } from "../ui/field";

export function indicatorsApi(incident: string): string {
  return `/api/v1/incidents/${encodeURIComponent(incident)}/indicators`;
}

const SEEN_CACHE_SIZE = 5_000;
const seenCache = new Map<string, string>();

/**
 * First/last seen are instants. Most are a UTC day as published (stored as UTC midnight): those read as
 * the date only, so no time of day is invented; anything else reads to the minute in UTC.
 */
export function formatSeen(iso: string | null): string {
  if (!iso) return "—";
  const cached = seenCache.get(iso);
  if (cached) return cached;
  const text = iso.endsWith("T00:00:00.000Z")
    ? formatDating({ occurredAt: iso, precision: "day" })
    : formatDating({ occurredAt: iso, precision: "minute" }, "UTC");
  // Formatting builds Intl formatters; rows scrolled into view again reuse the text.
  if (seenCache.size >= SEEN_CACHE_SIZE) seenCache.clear();
  seenCache.set(iso, text);
  return text;
}

/** The 422 details of the API mapped onto form fields (`organizationIds.0` → `organizationIds`). */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  const result: FieldErrors = {};
  for (const detail of error.details) {
    const key = detail.field?.split(".")[0];
    // Under the field's own label, a message that starts by naming the field says it twice.
    if (key && !result[key]) result[key] = detail.message.replace(new RegExp(`^${key}: `), "");
  }
  return result;
}

/** What went wrong and, where the API said, which field; with the request id to quote. */
export function errorText(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  if (error.status === 0) return error.message;
  const field = error.details[0]?.field;
  const where = field && !error.message.includes(field) ? ` (${field}: ${error.details[0]?.message})` : "";
  const request = error.status >= 500 && error.requestId ? ` Request id: ${error.requestId}.` : "";
  return `${error.message}${where}${request}`;
}

export function ErrorNote({ error, fallback }: { error: unknown; fallback: string }) {
  return (
    <p
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {errorText(error, fallback)}
    </p>
  );
}

export { INDICATOR_TYPES };

/** The human label of a type word as the API sends it ("user-agent" → "User agent"). */
export function indicatorTypeLabel(type: string): string {
  const word = INDICATOR_TYPES.find((t) => t === type);
  return word ? typeLabel(word) : type;
}

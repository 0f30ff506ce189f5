// How pages turn domain errors into responses: a record the actor may not see answers exactly like a
// missing one (404), so pages never reveal what exists. And how list pages read their filters from the URL.
import { notFound } from "next/navigation";
import type { z } from "zod";
import { AppError } from "../errors.ts";

export async function loadOr404<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof AppError && (error.status === 404 || error.status === 403)) notFound();
    throw error;
  }
}

/** A page's query string as Next hands it over. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** A query parameter's first value, trimmed; an empty one counts as absent. */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

/**
 * The filters a list page read from its URL, checked with the API's own schema: a bad one is dropped
 * (never guessed at) and `problem` says which and why, for the page to show.
 */
export function checkPageFilters<F extends { [K in keyof F]: string | undefined }>(
  requested: F,
  schema: z.ZodType,
): { filters: F; problem: string | null } {
  const parsed = schema.safeParse(requested);
  const issues = parsed.success ? [] : parsed.error.issues;
  const bad = new Set(issues.map((issue) => String(issue.path[0])));
  const filters = Object.fromEntries(
    Object.entries(requested).filter(([key, value]) => value !== undefined && !bad.has(key)),
  ) as F;
  const problem =
    issues.length > 0 ? issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") : null;
  return { filters, problem };
}

// Small helpers shared by commands: which linked ids were not found, and dropping fields a PATCH left out.
import type { ErrorDetail } from "../errors.ts";

/** One detail per id that is not among the rows found, naming the list entry (`organizationIds.2`). */
export function missingLinks(
  field: string,
  ids: readonly string[],
  found: readonly { id: string }[],
  what: string,
): ErrorDetail[] {
  const known = new Set(found.map((row) => row.id));
  return ids.flatMap((id, index) =>
    known.has(id)
      ? []
      : [{ field: `${field}.${index}`, value: id, message: `${id} is not ${what} of this incident` }],
  );
}

/** The entries whose value is not undefined: what a partial update sets. */
export function definedOnly<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

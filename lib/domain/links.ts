// Small helpers shared by commands: which linked ids were not found, and dropping fields a PATCH left out.
import { invalidInput, type ErrorDetail } from "../errors.ts";
import type { Tx } from "./tx.ts";

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

/**
 * Every linked id must be a record of this incident; one of another incident (or none) is refused with
 * 422 naming each list entry, organizations first, then events, then indicators. One query after the
 * other: a transaction is one connection.
 */
export async function assertLinksInIncident(
  tx: Tx,
  incidentId: string,
  links: {
    organizationIds?: readonly string[];
    eventIds?: readonly string[];
    indicatorIds?: readonly string[];
  },
): Promise<void> {
  const organizationIds = links.organizationIds ?? [];
  const eventIds = links.eventIds ?? [];
  const indicatorIds = links.indicatorIds ?? [];
  const where = (ids: readonly string[]) => ({
    where: { id: { in: [...ids] }, incidentId },
    select: { id: true },
  });
  const organizations =
    organizationIds.length > 0 ? await tx.affectedOrganization.findMany(where(organizationIds)) : [];
  const events = eventIds.length > 0 ? await tx.timelineEvent.findMany(where(eventIds)) : [];
  const indicators = indicatorIds.length > 0 ? await tx.indicator.findMany(where(indicatorIds)) : [];
  const details = [
    ...missingLinks("organizationIds", organizationIds, organizations, "an affected organization"),
    ...missingLinks("eventIds", eventIds, events, "a timeline event"),
    ...missingLinks("indicatorIds", indicatorIds, indicators, "an indicator"),
  ];
  if (details.length > 0) throw invalidInput(details);
}

/**
 * A relation's nested `create` for a new record, or undefined (left out) when there is nothing to link.
 * With no nested writes Prisma inserts the record with one `INSERT … RETURNING`; with any, even an empty
 * list, it inserts and then reads the row back, one more round trip inside the transaction.
 */
export function nestedCreate<T>(rows: readonly T[]): { create: T[] } | undefined {
  return rows.length > 0 ? { create: [...rows] } : undefined;
}

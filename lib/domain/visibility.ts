// What an agency user may see of an incident's shared records (events, indicators): the one TLP rule.
// CLEAR and GREEN; AMBER and AMBER+STRICT only when linked to its own organization; never RED; and
// never a record linked to another organization, whose text may name that victim (README Decision 11).
import type { Actor } from "../auth/actor.ts";

/** A Prisma `where` fragment for records with an `organizations` link relation. */
export function agencyVisibleWhere(actor: { organizationId: string }) {
  return {
    organizations: { none: { organizationId: { not: actor.organizationId } } },
    OR: [
      { tlp: { in: ["CLEAR" as const, "GREEN" as const] } },
      {
        tlp: { in: ["AMBER" as const, "AMBER_STRICT" as const] },
        organizations: { some: { organizationId: actor.organizationId } },
      },
    ],
  };
}

export function isBoundAgencyUser(actor: Actor): actor is Actor & { organizationId: string } {
  return actor.role === "agency" && actor.organizationId !== null;
}

/**
 * The same rule for one record already loaded (its TLP key and linked organization ids), for links
 * shown inside another record: an event an agency user may see can link an indicator it may not.
 */
export function isVisibleToAgency(
  record: { tlp: string; organizationIds: readonly string[] },
  organizationId: string,
): boolean {
  if (record.organizationIds.some((id) => id !== organizationId)) return false;
  if (record.tlp === "CLEAR" || record.tlp === "GREEN") return true;
  if (record.tlp === "AMBER" || record.tlp === "AMBER_STRICT")
    return record.organizationIds.includes(organizationId);
  return false;
}

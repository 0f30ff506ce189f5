// Which indicators an actor may see: staff see all of an incident's; an agency user sees CLEAR and
// GREEN ones, and AMBER / AMBER+STRICT ones linked to its own organization, never RED, and never one
// linked to another organization (that link would reveal another victim).
import type { Actor } from "../../auth/actor.ts";
import { can } from "../../auth/permissions.ts";
import { forbidden } from "../../errors.ts";

export function indicatorScope(actor: Actor, incidentId: string) {
  if (can(actor, "incident:read")) return { incidentId };
  if (actor.role === "agency" && actor.organizationId) {
    return {
      incidentId,
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
  throw forbidden("read indicators");
}

// Which timeline events an actor may see. Staff roles see every event of an incident; an agency
// user sees CLEAR and GREEN events, and AMBER / AMBER+STRICT ones linked to its own organization,
// never RED, and never an event linked to another organization: its text may name that victim.
// The organization comes from the session (actor), never from the request.
import type { Actor } from "../../auth/actor.ts";
import { can } from "../../auth/permissions.ts";
import { forbidden } from "../../errors.ts";

export function timelineEventScope(actor: Actor, incidentId: string) {
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
  throw forbidden("read the timeline");
}

/** Agency users never see internal notes, nor links to other organizations. */
export function seesInternalFields(actor: Actor): boolean {
  return can(actor, "incident:read");
}

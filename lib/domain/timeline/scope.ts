// Which timeline events an actor may see: staff roles every event of an incident; an agency user
// what the shared visibility rule allows (lib/domain/visibility.ts). The organization comes from the
// session (actor), never from the request.
import type { Actor } from "../../auth/actor.ts";
import { can } from "../../auth/permissions.ts";
import { forbidden } from "../../errors.ts";
import { agencyVisibleWhere, isBoundAgencyUser } from "../visibility.ts";

export function timelineEventScope(actor: Actor, incidentId: string) {
  if (can(actor, "incident:read")) return { incidentId };
  if (isBoundAgencyUser(actor)) return { incidentId, ...agencyVisibleWhere(actor) };
  throw forbidden("read the timeline");
}

/** Agency users never see internal notes, nor links to other organizations. */
export function seesInternalFields(actor: Actor): boolean {
  return can(actor, "incident:read");
}

// Which affected organizations an actor may see: staff see all of an incident's; an agency user
// only its own, taken from the session. Another organization answers exactly like a missing one.
import type { Actor } from "../../auth/actor.ts";
import { can } from "../../auth/permissions.ts";
import { forbidden } from "../../errors.ts";

export function organizationScope(actor: Actor, incidentId?: string) {
  if (can(actor, "incident:read")) return incidentId ? { incidentId } : {};
  if (actor.role === "agency" && actor.organizationId) {
    return { id: actor.organizationId, ...(incidentId ? { incidentId } : {}) };
  }
  throw forbidden("read affected organizations");
}

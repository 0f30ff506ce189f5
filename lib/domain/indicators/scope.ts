// Which indicators an actor may see: staff all of an incident's; an agency user what the shared
// visibility rule allows (lib/domain/visibility.ts).
import type { Actor } from "../../auth/actor.ts";
import { can } from "../../auth/permissions.ts";
import { forbidden } from "../../errors.ts";
import { agencyVisibleWhere, isBoundAgencyUser } from "../visibility.ts";

export function indicatorScope(actor: Actor, incidentId: string) {
  if (can(actor, "incident:read")) return { incidentId };
  if (isBoundAgencyUser(actor)) return { incidentId, ...agencyVisibleWhere(actor) };
  throw forbidden("read indicators");
}

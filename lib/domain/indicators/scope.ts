// Which indicators an actor may see: staff all of an incident's; an agency user what the shared
// visibility rule allows (lib/domain/visibility.ts). Also which incident an indicator route may
// address: staff any; an agency user only the incident of its own organization.
import type { Actor } from "../../auth/actor.ts";
import { can } from "../../auth/permissions.ts";
import { forbidden } from "../../errors.ts";
import { incidentRefWhere } from "../incidents/scope.ts";
import { agencyVisibleWhere, isBoundAgencyUser } from "../visibility.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function indicatorScope(actor: Actor, incidentId: string) {
  if (can(actor, "incident:read")) return { incidentId };
  if (isBoundAgencyUser(actor)) return { incidentId, ...agencyVisibleWhere(actor) };
  throw forbidden("read indicators");
}

/** `where` for the incident an indicator route names (id or slug). */
export function indicatorIncidentWhere(actor: Actor, ref: string) {
  if (can(actor, "incident:read")) return incidentRefWhere(actor, ref);
  if (isBoundAgencyUser(actor)) {
    // Another incident answers like a missing one.
    return {
      ...(UUID.test(ref) ? { id: ref.toLowerCase() } : { slug: ref }),
      organizations: { some: { id: actor.organizationId } },
    };
  }
  throw forbidden("read indicators");
}

/** Sightings an actor may read: staff all of an incident's; an agency user its own organization's. */
export function sightingScope(actor: Actor, incidentId: string) {
  if (can(actor, "incident:read")) return { incidentId };
  if (isBoundAgencyUser(actor)) return { incidentId, organizationId: actor.organizationId };
  throw forbidden("read sightings");
}

// Which findings an actor may see: staff (admin, responder, executive) all of an incident's. Agency
// users never see findings, not even that they exist: the domain refuses them (403), and pages answer
// 404 like for any refused record (loadOr404).
import type { Actor } from "../../auth/actor.ts";
import { can } from "../../auth/permissions.ts";
import { forbidden } from "../../errors.ts";

export function findingScope(actor: Actor, incidentId: string) {
  if (can(actor, "incident:read")) return { incidentId };
  throw forbidden("read findings");
}

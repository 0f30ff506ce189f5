// Who may read an incident's audit trail: staff with `audit:read` (admin, responder, executive), every
// entry of the incident. Agency users are refused (403) before anything is looked up.
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";

export function auditScope(actor: Actor, incidentId: string) {
  assertCan(actor, "audit:read");
  return { incidentId };
}

// Whose tokens an actor may see and revoke: only its own, whatever its role. Someone else's token
// answers exactly like one that does not exist (404).
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";

export function apiTokenScope(actor: Actor) {
  assertCan(actor, "token:manage-own");
  return { userId: actor.userId };
}

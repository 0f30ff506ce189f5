// Which incidents an actor may read, and how a URL's {incident} (id or slug) finds one.
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `where` for one incident by id or slug; staff roles see every incident. */
export function incidentRefWhere(actor: Actor, ref: string) {
  assertCan(actor, "incident:read");
  return UUID.test(ref) ? { id: ref.toLowerCase() } : { slug: ref };
}

export function incidentListWhere(actor: Actor) {
  assertCan(actor, "incident:read");
  return {};
}

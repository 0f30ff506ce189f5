// Establishes the actor of a page, action or route handler. Each of them calls this itself:
// layouts and the proxy are conveniences, never the security boundary.
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { Actor } from "./actor.ts";
import { authOptions } from "./options.ts";
import { loadSessionActor } from "../domain/users/authentication.ts";

/** The signed-in actor, or null. Cached per request so a page and its layout share one lookup. */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) return null;
  return loadSessionActor({ userId: session.user.id, sessionVersion: session.user.sessionVersion });
});

/** For pages: the actor, or a redirect to the sign-in page. */
export async function requireUser(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  return actor;
}

/** Where a user lands after signing in. */
export function homePathFor(actor: Pick<Actor, "role">, firstIncident: string | null): string {
  if (actor.role === "agency") return "/portal";
  if (actor.role === "executive") return "/dashboard";
  return firstIncident ? `/incidents/${firstIncident}/timeline` : "/incidents";
}

// Checking credentials and turning a session back into an Actor on every request.
import { db } from "../../db/client.ts";
import type { Actor } from "../../auth/actor.ts";
import { dummyPasswordHash, verifyPassword } from "./passwords.ts";

export interface SessionClaims {
  userId: string;
  sessionVersion: number;
}

/** Null when the email is unknown, the password wrong or the user disabled: callers say nothing more. */
export async function verifyCredentials(
  email: string,
  password: string,
): Promise<(Actor & { sessionVersion: number }) | null> {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() } });
  // Verify against a dummy hash for unknown emails so timing does not reveal which emails exist.
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !ok || user.disabledAt) return null;
  await db().user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organizationId: user.organizationId,
    readOnly: false,
    sessionVersion: user.sessionVersion,
  };
}

/**
 * The actor behind a session, read fresh from the database so that a disabled user or a session
 * signed out elsewhere is refused on its next request, not when the JWT expires.
 */
export async function loadSessionActor(claims: SessionClaims): Promise<Actor | null> {
  const user = await db().user.findUnique({ where: { id: claims.userId } });
  if (!user || user.disabledAt || user.sessionVersion !== claims.sessionVersion) return null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organizationId: user.organizationId,
    readOnly: false,
  };
}

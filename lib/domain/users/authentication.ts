// Checking credentials (under the sign-in rate limits) and turning a session back into an Actor on
// every request.
import { db } from "../../db/client.ts";
import type { Actor } from "../../auth/actor.ts";
import { dummyPasswordHash, verifyPassword } from "./passwords.ts";
import { markSignInSucceeded, normalizeAttemptEmail, reserveSignInAttempt } from "./rate-limit.ts";

export interface SessionClaims {
  userId: string;
  sessionVersion: number;
}

export type SignedInActor = Actor & { sessionVersion: number };

/** Null when the email is unknown, the password wrong or the user disabled: callers say nothing more. */
export async function verifyCredentials(email: string, password: string): Promise<SignedInActor | null> {
  const user = await db().user.findUnique({ where: { email: normalizeAttemptEmail(email) } });
  // Verify against a dummy hash for unknown emails so timing does not reveal which emails exist.
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !ok || user.disabledAt) return null;
  // Raw, so a sign-in does not move updatedAt (which an admin's pending change is checked against).
  await db().$executeRaw`UPDATE app_user SET last_sign_in_at = now() WHERE id = ${user.id}::uuid`;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organizationId: user.organizationId,
    readOnly: false,
    mustChangePassword: user.mustChangePassword,
    sessionVersion: user.sessionVersion,
  };
}

export type SignInOutcome =
  | { kind: "signed-in"; actor: SignedInActor }
  | { kind: "refused" }
  | { kind: "rate-limited"; retryAfterSeconds: number };

/**
 * A sign-in attempt as the credentials callback makes it: counted against the account and the client
 * address before the password is checked (unknown emails too), refused unchecked over the limit.
 */
export async function attemptSignIn(
  input: { email: string; password: string; ip: string },
  now = new Date(),
): Promise<SignInOutcome> {
  const reserved = await reserveSignInAttempt({ email: input.email, ip: input.ip }, now);
  if ("retryAfterSeconds" in reserved)
    return { kind: "rate-limited", retryAfterSeconds: reserved.retryAfterSeconds };
  const actor = await verifyCredentials(input.email, input.password);
  if (!actor) return { kind: "refused" };
  await markSignInSucceeded(reserved.reservation);
  return { kind: "signed-in", actor };
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
    mustChangePassword: user.mustChangePassword,
  };
}

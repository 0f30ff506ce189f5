// Establishes the actor of a page, action or route handler. Each of them calls this itself:
// layouts and the proxy are conveniences, never the security boundary. Pages know only the session
// cookie; API route handlers also take an API token (getApiActor).
import { decode, getToken, type JWT, type JWTDecodeParams } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { cache } from "react";
import type { Actor } from "./actor.ts";
import { authOptions } from "./options.ts";
import { authenticateApiToken } from "../domain/tokens/authentication.ts";
import { noteRequestUser } from "../http/request-log.ts";
import { loadSessionActor, type SessionClaims } from "../domain/users/authentication.ts";
import { AppError } from "../errors.ts";

// A browser sends the same session cookie with every request until next-auth rolls it. Decrypting it
// (a key derivation, then AES-GCM) is a pure function of the cookie and the secret, so the payload is
// kept, bounded, and reused until the token's own expiry. A cookie that fails to decrypt is never
// kept. This only skips repeated decryption: getActor still re-reads the user on every request, which
// is what refuses a disabled user or a signed-out session.
const DECODED_LIMIT = 1_000;
const decoded = new Map<string, JWT>();

async function decodeOnce(params: JWTDecodeParams): Promise<JWT | null> {
  const { token } = params;
  if (!token) return null;
  const known = decoded.get(token);
  if (known && typeof known.exp === "number" && Date.now() < known.exp * 1000) return known;
  decoded.delete(token);
  const payload = await decode(params);
  if (payload && typeof payload.exp === "number") {
    if (decoded.size >= DECODED_LIMIT) {
      const oldest = decoded.keys().next();
      if (!oldest.done) decoded.delete(oldest.value);
    }
    decoded.set(token, payload);
  }
  return payload;
}

/**
 * The claims in next-auth's session cookie, decrypted and checked for expiry. getToken does only
 * that; getServerSession would run next-auth's whole session endpoint on every request (a CSRF
 * token, the callbacks, and a freshly encrypted cookie that a route handler or server component
 * then throws away). getToken is given the cookies alone, so an `Authorization: Bearer` header is
 * never taken for a session; it picks the cookie name (`__Secure-` under an https NEXTAUTH_URL) as
 * NextAuth does, and answers null for a missing, tampered or expired token.
 */
async function sessionClaims(): Promise<SessionClaims | null> {
  const token = await getToken({
    // getToken reads `cookies.getAll()` (a chunked cookie too) and `headers.authorization`.
    req: { cookies: await cookies(), headers: {} } as unknown as NextRequest,
    secret: authOptions.secret,
    decode: decodeOnce,
  });
  if (!token?.sub) return null;
  return { userId: token.sub, sessionVersion: token.sessionVersion };
}

/** The signed-in actor, or null. Cached per request so a page and its layout share one lookup. */
export const getActor = cache(async (): Promise<Actor | null> => {
  const claims = await sessionClaims();
  const actor = claims ? await loadSessionActor(claims) : null;
  if (actor) noteRequestUser(actor.userId);
  return actor;
});

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * For API route handlers only: an `Authorization: Bearer <API token>` header when the request sends
 * one, else the session cookie. A request that sends an Authorization header is judged by it alone: a
 * malformed, unknown, revoked or expired token, or a disabled user's, is refused (401) even when a
 * session cookie came along. Pages never call this, so a token never opens a page.
 */
export async function getApiActor(authorization: string | null): Promise<Actor | null> {
  if (authorization === null) return getActor();
  const secret = BEARER.exec(authorization)?.[1];
  if (!secret) {
    throw new AppError(
      "unauthenticated",
      "The Authorization header must be `Bearer <API token>`; create a token under Settings → API tokens.",
      401,
    );
  }
  return authenticateApiToken(secret);
}

/** For pages: the actor, or a redirect to the sign-in page. */
export async function requireUser(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  // A temporary password set by an admin: nothing but choosing a new one (lib/domain/users).
  if (actor.mustChangePassword) redirect("/account/password");
  return actor;
}

/** Where a user lands after signing in. */
export function homePathFor(actor: Pick<Actor, "role">, firstIncident: string | null): string {
  if (actor.role === "agency") return "/portal";
  if (actor.role === "executive") return "/dashboard";
  return firstIncident ? `/incidents/${firstIncident}/timeline` : "/incidents";
}

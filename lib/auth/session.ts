// Establishes the actor of a page, action or route handler. Each of them calls this itself:
// layouts and the proxy are conveniences, never the security boundary.
import { decode, getToken, type JWT, type JWTDecodeParams } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { cache } from "react";
import type { Actor } from "./actor.ts";
import { authOptions } from "./options.ts";
import { loadSessionActor, type SessionClaims } from "../domain/users/authentication.ts";

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
  return claims ? loadSessionActor(claims) : null;
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

// Turning `Authorization: Bearer <secret>` into an Actor on every API request: one statement reads the
// token with its user (by the secret's hash), so a revoked or expired token, or a disabled user, is
// refused at once. lastUsedAt is written at most once a minute per token, not on every request.
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { log } from "../../log.ts";
import { hashTokenSecret, isWellFormedTokenSecret } from "./secret.ts";

/** lastUsedAt is moved only when it is older than this. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const refused = (message: string) => new AppError("unauthenticated", message, 401);

/**
 * The actor behind a bearer secret, or a 401 saying why not. The messages tell the token's holder
 * what happened to it (they hold the secret); an unknown secret says nothing more than that.
 */
export async function authenticateApiToken(secret: string, now = new Date()): Promise<Actor> {
  if (!isWellFormedTokenSecret(secret)) {
    throw refused("The bearer token is malformed: send the whole API token (dwell_…) as created.");
  }
  const token = await db().apiToken.findUnique({
    where: { tokenHash: hashTokenSecret(secret) },
    select: {
      id: true,
      readOnly: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          role: true,
          organizationId: true,
          disabledAt: true,
          mustChangePassword: true,
        },
      },
    },
  });
  if (!token) throw refused("The API token is not valid.");
  if (token.revokedAt) throw refused("This API token was revoked.");
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) {
    throw refused(`This API token expired at ${token.expiresAt.toISOString()}.`);
  }
  if (token.user.disabledAt) throw refused("The account this API token belongs to is disabled.");

  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await recordUse(token.id, now);
  }
  return {
    userId: token.user.id,
    email: token.user.email,
    name: token.user.name,
    role: token.user.role,
    organizationId: token.user.organizationId,
    readOnly: token.readOnly,
    tokenId: token.id,
    ...(token.user.mustChangePassword ? { mustChangePassword: true } : {}),
  };
}

/** Conditional, so concurrent requests of one token write it once; a failure never fails the request. */
async function recordUse(tokenId: string, now: Date): Promise<void> {
  const threshold = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  try {
    await db().apiToken.updateMany({
      where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: threshold } }] },
      data: { lastUsedAt: now },
    });
  } catch (error) {
    log("warn", "could not record an API token's last use", {
      tokenId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

// Creating and revoking one's own API tokens. Each is one transaction with one audit entry, which
// names the token (id, name, prefix, read-only, expiry) but never holds its secret or hash.
import { actorLabel, type Actor } from "../../auth/actor.ts";
import { AppError, conflict, invalidInput, notFound } from "../../errors.ts";
import type { CreateApiToken } from "../../validation/tokens.ts";
import { recordAudit } from "../audit/record.ts";
import { runMutation, type IdempotencyRequest, type MutationResult } from "../mutation.ts";
import type { Tx } from "../tx.ts";
import { API_TOKEN_SELECT, toApiTokenDto, type ApiTokenDto, type CreatedApiTokenDto } from "./dto.ts";
import { apiTokenScope } from "./scope.ts";
import { displayPrefixOf, generateTokenSecret, hashTokenSecret } from "./secret.ts";

/** Active (neither revoked nor expired) tokens one user may hold at once. */
export const MAX_ACTIVE_TOKENS_PER_USER = 50;

export type TokenResult = MutationResult & { replayed: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const tokenNotFound = () => notFound("The API token");

/** Roles whose tokens are always read-only (the spec: executives hold read-only tokens). */
const READ_ONLY_ROLES: ReadonlySet<Actor["role"]> = new Set(["executive"]);

export function mayCreateWritableToken(actor: Pick<Actor, "role">): boolean {
  return !READ_ONLY_ROLES.has(actor.role);
}

/** Two requests of one user that create or revoke tokens run one after the other. */
async function lockUserTokens(tx: Tx, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`api_token\n${userId}`}, 0))`;
}

function auditView(token: ApiTokenDto) {
  return {
    name: token.name,
    prefix: token.prefix,
    readOnly: token.readOnly,
    expiresAt: token.expiresAt,
    revokedAt: token.revokedAt,
  };
}

/**
 * Creates a token for the actor (201 with its secret, which is shown this once and never stored).
 * Not under an Idempotency-Key: a stored answer would keep the secret.
 */
export function createApiToken(
  actor: Actor,
  input: CreateApiToken,
  options: { requestId: string | null },
): Promise<TokenResult> {
  return runMutation(async (tx) => {
    const scope = apiTokenScope(actor);
    if (actor.tokenId) {
      // A leaked token that could mint others would outlive its own revocation.
      throw new AppError(
        "forbidden",
        "API tokens are created from a signed-in session (Settings → API tokens), not with another token.",
        403,
      );
    }
    const readOnly = input.readOnly ?? !mayCreateWritableToken(actor);
    if (!readOnly && !mayCreateWritableToken(actor)) {
      throw invalidInput([
        { field: "readOnly", message: "readOnly must be true: your role may hold read-only tokens only" },
      ]);
    }
    await lockUserTokens(tx, actor.userId);
    const now = new Date();
    const active = { ...scope, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
    const sameName = await tx.apiToken.findFirst({
      where: { ...active, name: { equals: input.name, mode: "insensitive" } },
      select: { id: true },
    });
    if (sameName) {
      throw conflict(`You already have an active token named "${input.name}"; choose another name.`, [
        { field: "name", message: "is already the name of one of your active tokens" },
      ]);
    }
    const count = await tx.apiToken.count({ where: active });
    if (count >= MAX_ACTIVE_TOKENS_PER_USER) {
      throw conflict(
        `You already hold ${MAX_ACTIVE_TOKENS_PER_USER} active tokens; revoke one you no longer use first.`,
      );
    }

    const secret = generateTokenSecret();
    const row = await tx.apiToken.create({
      data: {
        userId: actor.userId,
        name: input.name,
        tokenHash: hashTokenSecret(secret),
        prefix: displayPrefixOf(secret),
        readOnly,
        expiresAt: input.expiresAt ?? null,
      },
      select: API_TOKEN_SELECT,
    });
    const token = toApiTokenDto(row, now);
    await recordAudit(tx, {
      incidentId: null,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "api_token.create",
      entityType: "api_token",
      entityId: token.id,
      after: auditView(token),
      requestId: options.requestId,
    });
    const body: CreatedApiTokenDto = { ...token, secret };
    return { status: 201, body };
  });
}

/**
 * Revokes one of the actor's tokens (200 with it); it is refused from the next request on. A token
 * that was already revoked answers as it is and writes nothing; someone else's answers 404.
 */
export function revokeApiToken(
  actor: Actor,
  tokenId: string,
  options: { idempotency?: IdempotencyRequest; requestId: string | null },
): Promise<TokenResult> {
  return runMutation(async (tx) => {
    const scope = apiTokenScope(actor);
    const id = tokenId.toLowerCase();
    if (!UUID.test(id)) throw tokenNotFound();
    await lockUserTokens(tx, actor.userId);
    const before = await tx.apiToken.findFirst({ where: { ...scope, id }, select: API_TOKEN_SELECT });
    if (!before) throw tokenNotFound();
    if (before.revokedAt) return { status: 200, body: toApiTokenDto(before) };
    const row = await tx.apiToken.update({
      where: { id },
      data: { revokedAt: new Date() },
      select: API_TOKEN_SELECT,
    });
    const token = toApiTokenDto(row);
    await recordAudit(tx, {
      incidentId: null,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: "api_token.revoke",
      entityType: "api_token",
      entityId: token.id,
      before: auditView(toApiTokenDto(before)),
      after: auditView(token),
      requestId: options.requestId,
    });
    return { status: 200, body: token };
  }, options.idempotency);
}

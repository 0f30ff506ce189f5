// API tokens against a real Postgres: the secret is answered once and only its hash is stored, one
// audit entry per create and revoke (never the secret or hash), bearer authentication refuses
// revoked, expired and disabled users' tokens at once, read-only tokens keep read permissions only,
// and nobody reaches another user's tokens.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { can } from "../../auth/permissions.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import {
  ApiTokenListQuerySchema,
  CreateApiTokenSchema,
  type CreateApiTokenInput,
} from "../../validation/tokens.ts";
import { LAST_USED_RESOLUTION_MS, authenticateApiToken } from "./authentication.ts";
import { createApiToken, revokeApiToken } from "./commands.ts";
import type { ApiTokenDto, CreatedApiTokenDto } from "./dto.ts";
import { listApiTokens } from "./queries.ts";
import { generateTokenSecret, hashTokenSecret } from "./secret.ts";

const run = randomUUID().slice(0, 8);
let responder: Actor;
let otherResponder: Actor;
let executive: Actor;
let agencyUser: Actor;
let organizationId: string;

async function captureError(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected an AppError, but the call succeeded.");
}

async function makeUser(role: Actor["role"], organization: string | null = null): Promise<Actor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@tokens-test.example`;
  const user = await db().user.create({
    data: { email, name: `${role} ${run}`, role, organizationId: organization, passwordHash: "unused" },
  });
  return { userId: user.id, email, name: user.name, role, organizationId: organization, readOnly: false };
}

let names = 0;
const uniqueName = (label = "script") => `${label} ${run}-${++names}`;

async function create(actor: Actor, input: Partial<CreateApiTokenInput> = {}): Promise<CreatedApiTokenDto> {
  const result = await createApiToken(actor, CreateApiTokenSchema.parse({ name: uniqueName(), ...input }), {
    requestId: null,
  });
  expect(result.status).toBe(201);
  return result.body as CreatedApiTokenDto;
}

const revoke = (actor: Actor, id: string) => revokeApiToken(actor, id, { requestId: null });

const auditEntries = (entityId: string) =>
  db().auditEntry.findMany({ where: { entityType: "api_token", entityId }, orderBy: { id: "asc" } });

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);

beforeAll(async () => {
  const incident = await db().incident.create({
    data: { slug: `tokens-test-${run}`, name: "Tokens test incident", publicSummary: "Test." },
  });
  const organization = await db().affectedOrganization.create({
    data: {
      incidentId: incident.id,
      name: `Tokens test agency ${run}`,
      kind: "government",
      determinedAffectedAt: new Date("2023-06-16T00:00:00Z"),
    },
  });
  organizationId = organization.id;
  [responder, otherResponder, executive, agencyUser] = await Promise.all([
    makeUser("responder"),
    makeUser("responder"),
    makeUser("executive"),
    makeUser("agency", organizationId),
  ]);
});

afterAll(async () => {
  await db().$disconnect();
});

describe("createApiToken", () => {
  it("answers the secret once, stores only its SHA-256, and writes one audit entry without either", async () => {
    const token = await create(responder, { name: uniqueName("SIEM export") });
    expect(token.secret).toMatch(/^dwell_[A-Za-z0-9_-]{43}$/);
    expect(token.prefix).toBe(token.secret.slice(0, 12));
    expect(token).toMatchObject({ readOnly: false, status: "active", lastUsedAt: null, revokedAt: null });

    const stored = await db().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(stored.tokenHash).toBe(hashTokenSecret(token.secret));
    expect(JSON.stringify(stored)).not.toContain(token.secret);

    const listed = await listApiTokens(responder, ApiTokenListQuerySchema.parse({}));
    const item = listed.items.find((t) => t.id === token.id);
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty("secret");
    expect(JSON.stringify(listed)).not.toContain(stored.tokenHash);
    expect(JSON.stringify(listed)).not.toContain(token.secret);

    const entries = await auditEntries(token.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "api_token.create",
      actorId: responder.userId,
      incidentId: null,
    });
    const serialized = JSON.stringify(entries[0], (_k, v: unknown) =>
      typeof v === "bigint" ? String(v) : v,
    );
    expect(serialized).not.toContain(token.secret);
    expect(serialized).not.toContain(stored.tokenHash);
    expect(serialized).toContain(token.prefix);
  });

  it("gives executives read-only tokens, and refuses them a writable one naming readOnly", async () => {
    const token = await create(executive);
    expect(token.readOnly).toBe(true);
    const error = await captureError(() => create(executive, { readOnly: false }));
    expect(error.status).toBe(422);
    expect(error.details?.[0]?.field).toBe("readOnly");
  });

  it("refuses agency users (403) and requests authenticated by a token", async () => {
    expect((await captureError(() => create(agencyUser))).status).toBe(403);
    expect(
      (await captureError(() => listApiTokens(agencyUser, ApiTokenListQuerySchema.parse({})))).status,
    ).toBe(403);
    const token = await create(responder);
    const viaToken = await authenticateApiToken(token.secret);
    const error = await captureError(() => create(viaToken));
    expect(error.status).toBe(403);
    expect(error.userMessage).toMatch(/signed-in session/);
  });

  it("refuses a second active token with the same name (409 naming the field), but not after revoking it", async () => {
    const name = uniqueName("Backup");
    const first = await create(responder, { name });
    const error = await captureError(() => create(responder, { name: name.toUpperCase() }));
    expect(error.status).toBe(409);
    expect(error.details?.[0]?.field).toBe("name");
    // Another user may use the name.
    await create(otherResponder, { name });
    await revoke(responder, first.id);
    expect((await create(responder, { name })).name).toBe(name);
  });
});

describe("CreateApiTokenSchema", () => {
  const problem = (input: unknown) => {
    const parsed = CreateApiTokenSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    return parsed.error?.issues[0];
  };

  it("names the field of a missing, empty or too long name", () => {
    expect(problem({})?.message).toBe("name is required");
    expect(problem({ name: "   " })?.message).toBe("name is required");
    expect(problem({ name: "x".repeat(101) })?.message).toBe("name must be at most 100 characters");
    expect(problem({ name: "tab\there" })?.message).toBe("name must not contain control characters");
  });

  it("refuses unknown fields by name", () => {
    expect(problem({ name: "ok", scope: "admin" })?.message).toBe('unknown field "scope" in a token');
  });

  it("takes an expiry in the future, at most 366 days ahead, or null", () => {
    expect(problem({ name: "ok", expiresAt: "2023-06-16T00:00:00Z" })?.message).toBe(
      "expiresAt must be in the future",
    );
    expect(problem({ name: "ok", expiresAt: inMinutes(60 * 24 * 367).toISOString() })?.message).toMatch(
      /at most 366 days ahead/,
    );
    expect(problem({ name: "ok", expiresAt: "2027-01-31" })?.message).toMatch(/date-time with an offset/);
    expect(problem({ name: "ok", readOnly: "yes" })?.message).toBe("readOnly must be true or false");
    expect(CreateApiTokenSchema.parse({ name: " ok ", expiresAt: null })).toEqual({
      name: "ok",
      expiresAt: null,
    });
  });
});

describe("authenticateApiToken", () => {
  it("is the token's user with its role and scope, and records the last use at most once a minute", async () => {
    // Agency users create no tokens; one made directly shows the scope travels with the user.
    const agencySecret = generateTokenSecret();
    const agencyToken = await db().apiToken.create({
      data: {
        userId: agencyUser.userId,
        name: uniqueName("agency"),
        tokenHash: hashTokenSecret(agencySecret),
        prefix: agencySecret.slice(0, 12),
      },
    });
    const agency = await authenticateApiToken(agencySecret);
    expect(agency).toMatchObject({
      userId: agencyUser.userId,
      role: "agency",
      organizationId,
      readOnly: false,
      tokenId: agencyToken.id,
    });

    const token = await create(responder);
    const t0 = new Date();
    const actor = await authenticateApiToken(token.secret, t0);
    expect(actor).toMatchObject({
      userId: responder.userId,
      role: "responder",
      readOnly: false,
      tokenId: token.id,
    });
    const lastUsed = async () =>
      (await db().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt;
    expect((await lastUsed())?.getTime()).toBe(t0.getTime());
    await authenticateApiToken(token.secret, new Date(t0.getTime() + 5_000));
    expect((await lastUsed())?.getTime()).toBe(t0.getTime());
    const later = new Date(t0.getTime() + LAST_USED_RESOLUTION_MS + 1_000);
    await authenticateApiToken(token.secret, later);
    expect((await lastUsed())?.getTime()).toBe(later.getTime());
  });

  it("gives a read-only token the read permissions only", async () => {
    const token = await create(responder, { readOnly: true });
    const actor = await authenticateApiToken(token.secret);
    expect(actor.readOnly).toBe(true);
    expect(can(actor, "incident:read")).toBe(true);
    expect(can(actor, "interchange:export")).toBe(true);
    expect(can(actor, "timeline:write")).toBe(false);
    expect(can(actor, "indicator:write")).toBe(false);
    expect(can(actor, "token:manage-own")).toBe(false);
  });

  it("refuses malformed and unknown secrets with 401", async () => {
    for (const secret of ["", "dwell_short", "not-a-token", `dwell_${"x".repeat(44)}`]) {
      const error = await captureError(() => authenticateApiToken(secret));
      expect(error).toMatchObject({ status: 401, code: "unauthenticated" });
      expect(error.userMessage).toMatch(/malformed/);
    }
    const unknown = await captureError(() => authenticateApiToken(`dwell_${"B".repeat(43)}`));
    expect(unknown).toMatchObject({
      status: 401,
      code: "unauthenticated",
      userMessage: "The API token is not valid.",
    });
  });

  it("refuses an expired token at once", async () => {
    const token = await create(responder, { expiresAt: inMinutes(5).toISOString() });
    expect(token.expiresAt).not.toBeNull();
    await authenticateApiToken(token.secret);
    const error = await captureError(() => authenticateApiToken(token.secret, inMinutes(6)));
    expect(error.status).toBe(401);
    expect(error.userMessage).toMatch(/expired/);
    await db().apiToken.update({
      where: { id: token.id },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    const listed = await listApiTokens(responder, ApiTokenListQuerySchema.parse({ limit: "200" }));
    expect(listed.items.find((t) => t.id === token.id)?.status).toBe("expired");
  });

  it("refuses a disabled user's token on its next request", async () => {
    const user = await makeUser("responder");
    const token = await create(user);
    await authenticateApiToken(token.secret);
    await db().user.update({ where: { id: user.userId }, data: { disabledAt: new Date() } });
    const error = await captureError(() => authenticateApiToken(token.secret));
    expect(error.status).toBe(401);
    expect(error.userMessage).toMatch(/disabled/);
  });
});

describe("revokeApiToken", () => {
  it("revokes one's own token with one audit entry; the token is refused from then on", async () => {
    const token = await create(responder);
    const result = await revoke(responder, token.id);
    expect(result.status).toBe(200);
    const revoked = result.body as ApiTokenDto;
    expect(revoked).toMatchObject({ id: token.id, status: "revoked" });
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked).not.toHaveProperty("secret");

    const error = await captureError(() => authenticateApiToken(token.secret));
    expect(error).toMatchObject({ status: 401, userMessage: "This API token was revoked." });

    const entries = await auditEntries(token.id);
    expect(entries.map((e) => e.action)).toEqual(["api_token.create", "api_token.revoke"]);
    const stored = await db().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    const serialized = JSON.stringify(entries, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    expect(serialized).not.toContain(token.secret);
    expect(serialized).not.toContain(stored.tokenHash);

    // Revoking it again changes nothing and writes nothing.
    const again = await revoke(responder, token.id);
    expect(again.status).toBe(200);
    expect((again.body as ApiTokenDto).revokedAt).toBe(revoked.revokedAt);
    expect(await auditEntries(token.id)).toHaveLength(2);
  });

  it("answers someone else's token exactly like an unknown one (404) and changes nothing", async () => {
    const token = await create(otherResponder);
    const others = await captureError(() => revoke(responder, token.id));
    const unknown = await captureError(() => revoke(responder, randomUUID()));
    const garbage = await captureError(() => revoke(responder, "not-an-id"));
    for (const error of [others, unknown, garbage]) {
      expect(error).toMatchObject({
        status: 404,
        code: "not_found",
        userMessage: "The API token was not found.",
      });
    }
    const stored = await db().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(stored.revokedAt).toBeNull();
    expect(await auditEntries(token.id)).toHaveLength(1);
    await authenticateApiToken(token.secret);
  });

  it("refuses a read-only token and agency users (403)", async () => {
    const token = await create(responder, { readOnly: true });
    const readOnly = await authenticateApiToken(token.secret);
    expect((await captureError(() => revoke(readOnly, token.id))).status).toBe(403);
    expect((await captureError(() => revoke(agencyUser, token.id))).status).toBe(403);
  });
});

describe("listApiTokens", () => {
  it("lists only one's own tokens, newest first, in keyset pages", async () => {
    const user = await makeUser("admin");
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1) made.push((await create(user)).id);
    await create(otherResponder);
    const first = await listApiTokens(user, ApiTokenListQuerySchema.parse({ limit: "2" }));
    expect(first.items.map((t) => t.id)).toEqual([made[2], made[1]]);
    expect(first.nextCursor).not.toBeNull();
    const second = await listApiTokens(
      user,
      ApiTokenListQuerySchema.parse({ limit: "2", cursor: first.nextCursor ?? "" }),
    );
    expect(second.items.map((t) => t.id)).toEqual([made[0]]);
    expect(second.nextCursor).toBeNull();
  });
});

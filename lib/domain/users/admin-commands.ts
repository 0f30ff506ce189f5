// What admins do to users (create, change, disable and enable, reset a password) and what every user
// does to their own password. Each is one transaction with one audit entry that never holds a
// password or its hash. Admin changes are serialized (an advisory lock) so two admins cannot disable
// the last two enabled admins at once.
import { createHmac, randomInt } from "node:crypto";
import { actorLabel, type Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { requireAuthSecret } from "../../env.ts";
import { AppError, conflict, invalidInput, notFound } from "../../errors.ts";
import { db } from "../../db/client.ts";
import { recordAudit } from "../audit/record.ts";
import { runMutation, type IdempotencyRequest, type MutationResult } from "../mutation.ts";
import type { Tx } from "../tx.ts";
import { createUser } from "./commands.ts";
import type { UserDto } from "./dto.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { passwordProblem } from "./password-policy.ts";
import { readUserDto } from "./queries.ts";
import { markSignInSucceeded, reserveSignInAttempt, rateLimitMessage } from "./rate-limit.ts";
import type { ChangeOwnPassword, CreateUserRequest, PasswordReset, UpdateUser } from "./validation.ts";

export interface UserMutationOptions {
  idempotency?: IdempotencyRequest;
  requestId: string | null;
}

export type UserResult = MutationResult & { replayed: boolean };

const USERS_LOCK = 7_305_013;
const userNotFound = () => notFound("The user");

async function lockUsers(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${USERS_LOCK}::bigint)`;
}

/**
 * Idempotency keys remember a hash of the request body; a body holding a password would leave an
 * unsalted fast hash of it in the database. Password fields are replaced by an HMAC under the
 * server's secret first, so "same request" still means the same password.
 */
export function withoutSecrets(
  idempotency: IdempotencyRequest | undefined,
  input: Record<string, unknown>,
  secretFields: readonly string[],
): IdempotencyRequest | undefined {
  if (!idempotency) return undefined;
  const secret = requireAuthSecret();
  const safe: Record<string, unknown> = { ...input };
  for (const field of secretFields) {
    const value = safe[field];
    if (typeof value === "string") safe[field] = createHmac("sha256", secret).update(value).digest("hex");
  }
  const sorted = Object.fromEntries(Object.entries(safe).sort(([a], [b]) => a.localeCompare(b)));
  return { ...idempotency, body: JSON.stringify(sorted) };
}

// ---------------------------------------------------------------- create

export function createUserAsAdmin(
  actor: Actor,
  input: CreateUserRequest,
  options: UserMutationOptions,
): Promise<UserResult> {
  return runMutation(
    async (tx) => {
      assertCan(actor, "user:manage");
      const { mustChangePassword, ...fields } = input;
      const created = await createUser(
        tx,
        fields,
        { actorId: actor.userId, actorLabel: actorLabel(actor), requestId: options.requestId },
        { mustChangePassword: mustChangePassword ?? true },
      );
      const user = await readUserDto(tx, created.id);
      return { status: 201, body: user };
    },
    withoutSecrets(options.idempotency, input, ["password"]),
  );
}

// ---------------------------------------------------------------- change, disable, enable

function staleError(current: { updatedAt: Date }, sent: string) {
  return conflict(
    `This user was changed at ${current.updatedAt.toISOString()}, after you read it; reload and apply your change again.`,
    [
      {
        field: "updatedAt",
        value: sent,
        message: `the user was last changed at ${current.updatedAt.toISOString()}`,
      },
    ],
  );
}

async function otherEnabledAdmins(tx: Tx, exceptId: string): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabledAt: null, id: { not: exceptId } } });
}

async function incidentOfOrganization(tx: Tx, organizationId: string | null): Promise<string | null> {
  if (!organizationId) return null;
  const organization = await tx.affectedOrganization.findUnique({
    where: { id: organizationId },
    select: { incidentId: true },
  });
  return organization?.incidentId ?? null;
}

export function updateUser(
  actor: Actor,
  userId: string,
  input: UpdateUser,
  options: UserMutationOptions,
): Promise<UserResult> {
  return runMutation(async (tx) => {
    assertCan(actor, "user:manage");
    await lockUsers(tx);
    const before = await readUserDto(tx, userId);
    if (!before) throw userNotFound();
    const stored = await tx.user.findUniqueOrThrow({
      where: { id: before.id },
      select: { updatedAt: true, organizationId: true },
    });
    if (stored.updatedAt.getTime() !== Date.parse(input.updatedAt)) throw staleError(stored, input.updatedAt);

    const role = input.role ?? before.role;
    // Leaving the agency role unbinds; any other role may not be bound.
    const organizationId =
      input.organizationId !== undefined
        ? input.organizationId
        : role === "agency"
          ? stored.organizationId
          : null;
    const disabled = input.disabled ?? before.disabled;
    const name = input.name ?? before.name;

    if (role === "agency" && !organizationId) {
      throw invalidInput([{ field: "organizationId", message: "is required for agency users" }]);
    }
    if (role !== "agency" && organizationId) {
      throw invalidInput([{ field: "organizationId", message: "may be set only for agency users" }]);
    }
    if (organizationId && organizationId !== stored.organizationId) {
      if (!(await incidentOfOrganization(tx, organizationId))) {
        throw invalidInput([
          { field: "organizationId", message: "does not match any affected organization" },
        ]);
      }
    }
    const self = before.id === actor.userId;
    if (self && disabled && !before.disabled) {
      throw conflict("You cannot disable your own account; another admin can.", [
        { field: "disabled", message: "not for your own account" },
      ]);
    }
    if (self && role !== before.role) {
      throw conflict("You cannot change your own role; another admin can.", [
        { field: "role", message: "not for your own account" },
      ]);
    }
    const losesAdmin = before.role === "admin" && !before.disabled && (role !== "admin" || disabled);
    if (losesAdmin && (await otherEnabledAdmins(tx, before.id)) === 0) {
      throw conflict(
        `${before.email} is the last enabled admin: make another user an admin before ${disabled ? "disabling" : "changing the role of"} this one.`,
        [{ field: disabled ? "disabled" : "role", message: "would leave no enabled admin" }],
      );
    }

    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (name !== before.name) changes.name = { from: before.name, to: name };
    if (role !== before.role) changes.role = { from: before.role, to: role };
    if (organizationId !== stored.organizationId) {
      changes.organizationId = { from: stored.organizationId, to: organizationId };
    }
    if (disabled !== before.disabled) changes.disabled = { from: before.disabled, to: disabled };
    if (Object.keys(changes).length === 0) return { status: 200, body: before };

    const updated = await tx.user.updateMany({
      where: { id: before.id, updatedAt: stored.updatedAt },
      data: {
        name,
        role,
        organizationId,
        ...(changes.disabled ? { disabledAt: disabled ? new Date() : null } : {}),
        // Disabling ends every session at its next request (a re-enabled user signs in again).
        ...(changes.disabled && disabled ? { sessionVersion: { increment: 1 } } : {}),
      },
    });
    if (updated.count === 0) {
      const current = await tx.user.findUniqueOrThrow({
        where: { id: before.id },
        select: { updatedAt: true },
      });
      throw staleError(current, input.updatedAt);
    }
    const after = await readUserDto(tx, before.id);
    if (!after) throw userNotFound();

    const onlyDisabled = Object.keys(changes).length === 1 && changes.disabled;
    const pick = (side: "from" | "to") =>
      Object.fromEntries(Object.entries(changes).map(([field, change]) => [field, change[side]]));
    await recordAudit(tx, {
      incidentId:
        (await incidentOfOrganization(tx, organizationId)) ??
        (await incidentOfOrganization(tx, stored.organizationId)),
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: onlyDisabled ? (disabled ? "user.disable" : "user.enable") : "user.update",
      entityType: "user",
      entityId: before.id,
      before: { email: before.email, ...pick("from") },
      after: { email: before.email, ...pick("to") },
      requestId: options.requestId,
    });
    return { status: 200, body: after };
  }, options.idempotency);
}

// ---------------------------------------------------------------- password reset by an admin

// Without look-alike characters (0/O, 1/l/I), in groups a person can read out or type.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** 20 random characters in five groups (≈ 99 bits). */
export function generateTemporaryPassword(): string {
  const chars = Array.from({ length: 20 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8, 12, 16].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

export interface PasswordResetBody {
  user: UserDto;
  /** Only when generated, and only in the first answer: a repeat with the same Idempotency-Key gets null. */
  temporaryPassword: string | null;
}

/**
 * Sets a temporary password (the admin's, or a generated one shown once), asks for a new one at the
 * next sign-in, and ends the user's sessions.
 */
export async function resetUserPassword(
  actor: Actor,
  userId: string,
  input: PasswordReset,
  options: UserMutationOptions,
): Promise<MutationResult & { replayed: boolean; body: PasswordResetBody }> {
  const temporaryPassword = input.generate ? generateTemporaryPassword() : (input.password as string);
  const result = await runMutation(
    async (tx) => {
      assertCan(actor, "user:manage");
      const user = await readUserDto(tx, userId);
      if (!user) throw userNotFound();
      if (user.id === actor.userId) {
        throw conflict("Change your own password on the account page (/account/password), not by a reset.");
      }
      const problem = passwordProblem(temporaryPassword, user.email);
      if (problem) throw invalidInput([{ field: "password", message: problem }]);
      await tx.user.update({
        where: { id: user.id },
        data: {
          passwordHash: await hashPassword(temporaryPassword),
          mustChangePassword: true,
          sessionVersion: { increment: 1 },
        },
      });
      const after = await readUserDto(tx, user.id);
      if (!after) throw userNotFound();
      await recordAudit(tx, {
        incidentId: after.organization?.incident.id ?? null,
        actorId: actor.userId,
        actorLabel: actorLabel(actor),
        action: "user.password_reset",
        entityType: "user",
        entityId: user.id,
        after: { email: user.email, mustChangePassword: true, generated: Boolean(input.generate) },
        requestId: options.requestId,
      });
      // The stored answer (for Idempotency-Key repeats) never holds the password.
      return { status: 200, body: { user: after, temporaryPassword: null } satisfies PasswordResetBody };
    },
    withoutSecrets(options.idempotency, input, ["password"]),
  );
  const body = result.body as PasswordResetBody;
  return {
    ...result,
    body: { ...body, temporaryPassword: input.generate && !result.replayed ? temporaryPassword : null },
  };
}

// ---------------------------------------------------------------- the user's own password

/**
 * Changes the signed-in user's password after checking the current one (counted like a sign-in
 * attempt, so a borrowed session cannot guess it). Clears must-change-password and ends every other
 * session: the caller signs in again with the new password to carry on.
 */
export async function changeOwnPassword(
  actor: Actor,
  input: ChangeOwnPassword,
  options: UserMutationOptions & { ip: string },
): Promise<UserResult> {
  // A password is changed by the person, in a browser session: a leaked API token must not be able to
  // take over the account that way, even with the current password guessed alongside.
  if (actor.tokenId) {
    throw new AppError(
      "session_required",
      "Passwords are changed while signed in, not with an API token.",
      403,
    );
  }
  const stored = await db().user.findUnique({
    where: { id: actor.userId },
    select: { passwordHash: true, email: true },
  });
  if (!stored) throw userNotFound();
  const reserved = await reserveSignInAttempt({ email: stored.email, ip: options.ip });
  if ("retryAfterSeconds" in reserved) {
    throw new AppError("rate_limited", rateLimitMessage(reserved.retryAfterSeconds), 429, [
      { field: "currentPassword", message: "too many wrong attempts" },
    ]);
  }
  if (!(await verifyPassword(stored.passwordHash, input.currentPassword))) {
    throw invalidInput([{ field: "currentPassword", message: "is not your current password" }]);
  }
  await markSignInSucceeded(reserved.reservation);
  const problem = passwordProblem(input.newPassword, stored.email);
  if (problem) throw invalidInput([{ field: "newPassword", message: problem }]);
  const passwordHash = await hashPassword(input.newPassword);

  return runMutation(
    async (tx) => {
      const updated = await tx.user.updateMany({
        // Unchanged since it was checked: a reset in between wins and this change is refused.
        where: { id: actor.userId, passwordHash: stored.passwordHash, disabledAt: null },
        data: { passwordHash, mustChangePassword: false, sessionVersion: { increment: 1 } },
      });
      if (updated.count === 0) {
        throw conflict("Your password was changed or reset meanwhile; sign in again and retry.");
      }
      const after = await readUserDto(tx, actor.userId);
      if (!after) throw userNotFound();
      await recordAudit(tx, {
        incidentId: after.organization?.incident.id ?? null,
        actorId: actor.userId,
        actorLabel: actorLabel(actor),
        action: "user.password_change",
        entityType: "user",
        entityId: actor.userId,
        after: { email: after.email, mustChangePassword: false },
        requestId: options.requestId,
      });
      return { status: 200, body: { changed: true, signInAgain: true } };
    },
    withoutSecrets(options.idempotency, input, ["currentPassword", "newPassword", "confirmPassword"]),
  );
}

// Admin user management and the user's own password change against a real Postgres: role and binding
// rules, the last-admin and self rules, disabling, resets, stale updates, one audit entry per change.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import {
  changeOwnPassword,
  createUserAsAdmin,
  resetUserPassword,
  updateUser,
  withoutSecrets,
} from "./admin-commands.ts";
import { attemptSignIn, loadSessionActor } from "./authentication.ts";
import type { UserDto } from "./dto.ts";
import { getUser, listUsers } from "./queries.ts";
import { assertNoPendingPasswordChange } from "./pending-password-change.ts";
import { CreateUserRequestSchema, UserListQuerySchema, type CreateUserRequest } from "./validation.ts";

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "an entirely different passphrase";
const opts = { requestId: null };
const run = randomUUID().slice(0, 8);
let serial = 0;
const email = (label: string) => `${label}-${run}-${(serial += 1)}@admin-test.example`;
/** Each test signs in from its own address, so the per-address limit never crosses tests. */
const ip = () => `198.51.100.${(serial += 1) % 250}`;

let admin: Actor;
let organizationId: string;
let incidentId: string;

async function captureError(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected an AppError, but the call succeeded.");
}

async function create(overrides: Partial<CreateUserRequest> = {}, by: Actor = admin): Promise<UserDto> {
  const input = CreateUserRequestSchema.parse({
    email: email("user"),
    name: "Test User",
    role: "responder",
    password: PASSWORD,
    mustChangePassword: false,
    ...overrides,
  });
  const result = await createUserAsAdmin(by, input, opts);
  expect(result.status).toBe(201);
  return result.body as UserDto;
}

const auditOf = (entityId: string) =>
  db().auditEntry.findMany({ where: { entityType: "user", entityId }, orderBy: { id: "asc" } });

function actorOf(user: UserDto): Actor {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organizationId: user.organization?.id ?? null,
    readOnly: false,
  };
}

beforeAll(async () => {
  const incident = await db().incident.create({
    data: { slug: `admin-test-${run}`, name: "Admin test incident", publicSummary: "Test." },
  });
  incidentId = incident.id;
  const organization = await db().affectedOrganization.create({
    data: {
      incidentId,
      name: "Test agency",
      kind: "government",
      determinedAffectedAt: new Date("2023-06-16T00:00:00Z"),
    },
  });
  organizationId = organization.id;
  const row = await db().user.create({
    data: { email: email("root"), name: "Root Admin", role: "admin", passwordHash: "x" },
  });
  admin = {
    userId: row.id,
    email: row.email,
    name: row.name,
    role: "admin",
    organizationId: null,
    readOnly: false,
  };
});

afterAll(async () => {
  await db().$disconnect();
});

describe("creating users", () => {
  it("binds an agency user to an organization, answers it with its incident, writes one audit entry without secrets", async () => {
    const user = await create({ role: "agency", organizationId, mustChangePassword: undefined });
    expect(user).toMatchObject({
      role: "agency",
      organization: { id: organizationId, name: "Test agency", incident: { id: incidentId } },
      disabled: false,
      mustChangePassword: true,
    });
    const entries = await auditOf(user.id);
    expect(entries.map((e) => e.action)).toEqual(["user.create"]);
    expect(entries[0]?.actorId).toBe(admin.userId);
    expect(JSON.stringify(entries, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(
      /argon2|correct horse/i,
    );
  });

  it("refuses an existing email (409, email), an unknown organization (422, organizationId), nothing stored", async () => {
    const user = await create();
    const duplicate = await captureError(() => create({ email: user.email.toUpperCase(), name: "Other" }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.details?.map((d) => d.field)).toEqual(["email"]);

    const orphanEmail = email("orphan");
    const orphan = await captureError(() =>
      create({ email: orphanEmail, role: "agency", organizationId: randomUUID() }),
    );
    expect(orphan.status).toBe(422);
    expect(orphan.details?.map((d) => d.field)).toEqual(["organizationId"]);
    expect(await db().user.count({ where: { email: orphanEmail } })).toBe(0);
  });

  it("names role and password in the schema's errors", () => {
    const result = CreateUserRequestSchema.safeParse({
      email: "ada.lovelace@example.org",
      name: "Ada",
      role: "root",
      password: "ada.lovelace-2024",
    });
    expect(result.success).toBe(false);
    const fields = result.error?.issues.map((i) => i.path.join("."));
    expect(fields).toContain("role");
  });

  it("refuses a password containing the email's name part, and a common one", () => {
    const parse = (password: string) =>
      CreateUserRequestSchema.safeParse({
        email: "ada.lovelace@example.org",
        name: "Ada",
        role: "admin",
        password,
      });
    expect(parse("ada.lovelace-rocks").error?.issues[0]).toMatchObject({
      path: ["password"],
      message: "must not contain the name part of the email address",
    });
    expect(parse("qwerty123456").error?.issues[0]?.path).toEqual(["password"]);
    expect(parse("analytical engine notes").success).toBe(true);
  });

  it("is for admins only", async () => {
    const responder = actorOf(await create());
    const error = await captureError(() => create({}, responder));
    expect(error.status).toBe(403);
    expect((await captureError(() => listUsers(responder, UserListQuerySchema.parse({})))).status).toBe(403);
  });
});

describe("listing", () => {
  it("pages by email with a keyset cursor and filters", async () => {
    const made = [
      await create({ name: `Pager ${run}` }),
      await create({ name: `Pager ${run}` }),
      await create({ name: `Pager ${run}` }),
    ];
    const first = await listUsers(admin, UserListQuerySchema.parse({ q: `Pager ${run}`, limit: "2" }));
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await listUsers(
      admin,
      UserListQuerySchema.parse({ q: `Pager ${run}`, limit: "2", cursor: first.nextCursor ?? "" }),
    );
    expect([...first.items, ...second.items].map((u) => u.email)).toEqual(made.map((u) => u.email).sort());
    expect(second.nextCursor).toBeNull();
    const disabledOnly = await listUsers(
      admin,
      UserListQuerySchema.parse({ q: `Pager ${run}`, status: "disabled" }),
    );
    expect(disabledOnly.items).toEqual([]);
  });
});

describe("changing, disabling and enabling", () => {
  it("disables (ending sessions at the next request) and re-enables, one audit entry each", async () => {
    const user = await create();
    const signedIn = await attemptSignIn({ email: user.email, password: PASSWORD, ip: ip() });
    expect(signedIn.kind).toBe("signed-in");
    const version = signedIn.kind === "signed-in" ? signedIn.actor.sessionVersion : -1;
    expect(await loadSessionActor({ userId: user.id, sessionVersion: version })).not.toBeNull();

    const disabled = (await updateUser(admin, user.id, { disabled: true, updatedAt: user.updatedAt }, opts))
      .body as UserDto;
    expect(disabled.disabled).toBe(true);
    expect(await loadSessionActor({ userId: user.id, sessionVersion: version })).toBeNull();
    expect((await attemptSignIn({ email: user.email, password: PASSWORD, ip: ip() })).kind).toBe("refused");

    const enabled = (
      await updateUser(admin, user.id, { disabled: false, updatedAt: disabled.updatedAt }, opts)
    ).body as UserDto;
    expect(enabled.disabled).toBe(false);
    expect((await attemptSignIn({ email: user.email, password: PASSWORD, ip: ip() })).kind).toBe("signed-in");
    expect((await auditOf(user.id)).map((e) => e.action)).toEqual([
      "user.create",
      "user.disable",
      "user.enable",
    ]);
  });

  it("refuses a stale updatedAt with 409 and changes nothing", async () => {
    const user = await create();
    await updateUser(admin, user.id, { name: "Renamed", updatedAt: user.updatedAt }, opts);
    const error = await captureError(() =>
      updateUser(admin, user.id, { name: "Late writer", updatedAt: user.updatedAt }, opts),
    );
    expect(error.status).toBe(409);
    expect(error.details?.[0]?.field).toBe("updatedAt");
    expect((await getUser(admin, user.id)).name).toBe("Renamed");
  });

  it("changes the role and binding: agency needs an organization, other roles are unbound", async () => {
    const user = await create();
    const missing = await captureError(() =>
      updateUser(admin, user.id, { role: "agency", updatedAt: user.updatedAt }, opts),
    );
    expect(missing.status).toBe(422);
    expect(missing.details?.[0]?.field).toBe("organizationId");
    const bound = (
      await updateUser(admin, user.id, { role: "agency", organizationId, updatedAt: user.updatedAt }, opts)
    ).body as UserDto;
    expect(bound.organization?.id).toBe(organizationId);
    const back = (await updateUser(admin, user.id, { role: "executive", updatedAt: bound.updatedAt }, opts))
      .body as UserDto;
    expect(back).toMatchObject({ role: "executive", organization: null });
    const entries = await auditOf(user.id);
    expect(entries.at(-1)).toMatchObject({
      action: "user.update",
      before: { email: user.email, role: "agency", organizationId },
      after: { email: user.email, role: "executive", organizationId: null },
    });
  });

  it("refuses disabling oneself, changing one's own role, and leaving no enabled admin (409)", async () => {
    const other = await create({ role: "admin" });
    const otherActor = actorOf(other);
    const self = await captureError(() =>
      updateUser(otherActor, other.id, { disabled: true, updatedAt: other.updatedAt }, opts),
    );
    expect(self.status).toBe(409);
    expect(self.userMessage).toMatch(/your own account/);
    const ownRole = await captureError(() =>
      updateUser(otherActor, other.id, { role: "responder", updatedAt: other.updatedAt }, opts),
    );
    expect(ownRole.status).toBe(409);

    // Leave exactly one enabled admin: `other`. Then nobody may disable or demote it.
    const admins = await db().user.findMany({
      where: { role: "admin", disabledAt: null, id: { not: other.id } },
    });
    await db().user.updateMany({
      where: { id: { in: admins.map((a) => a.id) } },
      data: { disabledAt: new Date() },
    });
    try {
      const last = await captureError(() =>
        updateUser(admin, other.id, { disabled: true, updatedAt: other.updatedAt }, opts),
      );
      expect(last.status).toBe(409);
      expect(last.userMessage).toMatch(/last enabled admin/);
      const demote = await captureError(() =>
        updateUser(admin, other.id, { role: "responder", updatedAt: other.updatedAt }, opts),
      );
      expect(demote.status).toBe(409);
    } finally {
      await db().user.updateMany({
        where: { id: { in: admins.map((a) => a.id) } },
        data: { disabledAt: null },
      });
    }
  });

  it("answers an unknown id with 404", async () => {
    const error = await captureError(() =>
      updateUser(admin, randomUUID(), { name: "x", updatedAt: new Date().toISOString() }, opts),
    );
    expect(error.status).toBe(404);
  });
});

describe("password resets and the own change", () => {
  it("generates a temporary password shown once, ends sessions, and requires a change first", async () => {
    const user = await create();
    const before = await attemptSignIn({ email: user.email, password: PASSWORD, ip: ip() });
    const oldVersion = before.kind === "signed-in" ? before.actor.sessionVersion : -1;

    const reset = await resetUserPassword(admin, user.id, { generate: true }, opts);
    const temporary = reset.body.temporaryPassword;
    expect(temporary).toMatch(/^[a-z2-9-]{24}$/);
    expect(reset.body.user.mustChangePassword).toBe(true);
    expect(await loadSessionActor({ userId: user.id, sessionVersion: oldVersion })).toBeNull();
    expect((await attemptSignIn({ email: user.email, password: PASSWORD, ip: ip() })).kind).toBe("refused");

    const signedIn = await attemptSignIn({ email: user.email, password: temporary ?? "", ip: ip() });
    expect(signedIn.kind).toBe("signed-in");
    if (signedIn.kind !== "signed-in") return;
    const session = await loadSessionActor({
      userId: user.id,
      sessionVersion: signedIn.actor.sessionVersion,
    });
    expect(session?.mustChangePassword).toBe(true);
    expect(() => assertNoPendingPasswordChange(session ?? {}, "/api/v1/incidents")).toThrow(
      expect.objectContaining({ status: 403, code: "password_change_required" }),
    );
    expect(() => assertNoPendingPasswordChange(session ?? {}, "/api/v1/account/password")).not.toThrow();

    const actor = actorOf(user);
    const wrong = await captureError(() =>
      changeOwnPassword(
        actor,
        { currentPassword: "not it at all", newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
        { ...opts, ip: ip() },
      ),
    );
    expect(wrong.details?.[0]?.field).toBe("currentPassword");
    const weak = await captureError(() =>
      changeOwnPassword(
        actor,
        { currentPassword: temporary ?? "", newPassword: "qwerty123456", confirmPassword: "qwerty123456" },
        { ...opts, ip: ip() },
      ),
    );
    expect(weak.details?.[0]?.field).toBe("newPassword");

    const changed = await changeOwnPassword(
      actor,
      { currentPassword: temporary ?? "", newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      { ...opts, ip: ip() },
    );
    expect(changed.status).toBe(200);
    // The session that changed it is stale too: the browser signs in again with the new password.
    expect(
      await loadSessionActor({ userId: user.id, sessionVersion: signedIn.actor.sessionVersion }),
    ).toBeNull();
    const again = await attemptSignIn({ email: user.email, password: NEW_PASSWORD, ip: ip() });
    expect(again.kind === "signed-in" && again.actor.mustChangePassword).toBe(false);

    const actions = (await auditOf(user.id)).map((e) => e.action);
    expect(actions).toEqual(["user.create", "user.password_reset", "user.password_change"]);
    const text = JSON.stringify(await auditOf(user.id), (_k, v: unknown) =>
      typeof v === "bigint" ? String(v) : v,
    );
    expect(text).not.toContain(temporary);
    expect(text).not.toContain(NEW_PASSWORD);
  });

  it("refuses a weak temporary password naming password, and a reset of one's own account", async () => {
    const user = await create();
    const weak = await captureError(() =>
      resetUserPassword(admin, user.id, { password: "password1234" }, opts),
    );
    expect(weak.status).toBe(422);
    expect(weak.details?.[0]?.field).toBe("password");
    const own = await captureError(() => resetUserPassword(admin, admin.userId, { generate: true }, opts));
    expect(own.status).toBe(409);
  });

  it("keeps passwords out of what an Idempotency-Key remembers", () => {
    process.env.NEXTAUTH_SECRET ??= "0123456789abcdef0123456789abcdef";
    const key = {
      principalId: "p",
      key: "k",
      method: "POST",
      path: "/x",
      body: `{"password":"${PASSWORD}"}`,
    };
    const safe = withoutSecrets(key, { password: PASSWORD, generate: false }, ["password"]);
    expect(safe?.body).not.toContain(PASSWORD);
    expect(withoutSecrets(key, { password: PASSWORD }, ["password"])?.body).toBe(
      withoutSecrets(key, { password: PASSWORD }, ["password"])?.body,
    );
  });
});

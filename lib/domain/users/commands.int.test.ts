// createUser against a real Postgres: validation, conflicts, organization binding and its audit entry.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "../../db/client.ts";
import { requireDatabaseUrl } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { createUser, createUserInNewTransaction } from "./commands.ts";
import { verifyPassword } from "./passwords.ts";
import { CreateUserSchema, type CreateUserInput } from "./validation.ts";

const databaseUrl = requireDatabaseUrl();
const audit = { actorId: null, actorLabel: "test (users)" };
const PASSWORD = "correct horse battery staple";

let db: Db;
let organizationId: string;
let incidentId: string;

const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@users-test.example`;

function userInput(overrides: Partial<CreateUserInput> = {}): CreateUserInput {
  return {
    email: uniqueEmail("user"),
    name: "Ada Lovelace",
    role: "admin",
    password: PASSWORD,
    ...overrides,
  };
}

async function captureError(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected an AppError, but the call succeeded.");
}

async function countUserAudit(entityIds?: string[]): Promise<number> {
  return db.auditEntry.count({
    where: { action: "user.create", ...(entityIds ? { entityId: { in: entityIds } } : {}) },
  });
}

beforeAll(async () => {
  db = createPrismaClient(databaseUrl);
  const incident = await db.incident.create({
    data: {
      slug: `users-test-${randomUUID().slice(0, 8)}`,
      name: "Users test incident",
      publicSummary: "Test.",
    },
  });
  incidentId = incident.id;
  const organization = await db.affectedOrganization.create({
    data: {
      incidentId,
      name: "Test agency",
      kind: "government",
      determinedAffectedAt: new Date("2023-06-16T00:00:00Z"),
    },
  });
  organizationId = organization.id;
});

afterAll(async () => {
  await db.$disconnect();
});

describe("createUser", () => {
  it("stores a lower-cased email and an argon2id hash, with one audit entry that holds neither password nor hash", async () => {
    const email = uniqueEmail("Mixed.Case");
    const user = await createUserInNewTransaction(
      databaseUrl,
      userInput({ email: `  ${email.toUpperCase()} ` }),
    );

    expect(user.email).toBe(email.toLowerCase());
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored.passwordHash, PASSWORD)).toBe(true);

    const entries = await db.auditEntry.findMany({ where: { entityType: "user", entityId: user.id } });
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({
      action: "user.create",
      actorId: null,
      actorLabel: "system (user:create command)",
    });
    const serialized = JSON.stringify(entry, (_key, value: unknown) =>
      typeof value === "bigint" ? value.toString() : value,
    );
    expect(serialized).not.toContain(PASSWORD);
    expect(serialized).not.toContain(stored.passwordHash);
    expect(serialized).not.toMatch(/argon2/i);
    expect(serialized).not.toMatch(/password/i);
  });

  it("writes the audit entry in the caller's transaction: a rollback removes the user and the entry", async () => {
    const email = uniqueEmail("rolled-back");
    const auditBefore = await countUserAudit();
    await expect(
      db.$transaction(async (tx) => {
        await createUser(tx, userInput({ email }), audit);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");

    expect(await db.user.count({ where: { email } })).toBe(0);
    expect(await countUserAudit()).toBe(auditBefore);
  });

  it("refuses an email that exists (in any case) with 409 and stores nothing", async () => {
    const email = uniqueEmail("taken");
    const first = await createUserInNewTransaction(databaseUrl, userInput({ email }));
    const auditBefore = await countUserAudit();

    const error = await captureError(() =>
      createUserInNewTransaction(
        databaseUrl,
        userInput({ email: email.toUpperCase(), name: "Someone else" }),
      ),
    );

    expect(error.status).toBe(409);
    expect(error.code).toBe("conflict");
    expect(error.userMessage).toBe(`A user with email ${email} already exists.`);
    expect(await db.user.findMany({ where: { email }, select: { id: true, name: true } })).toEqual([
      { id: first.id, name: "Ada Lovelace" },
    ]);
    expect(await countUserAudit()).toBe(auditBefore);
  });

  it("binds an agency user to its organization and files the entry under that organization's incident", async () => {
    const user = await createUserInNewTransaction(databaseUrl, userInput({ role: "agency", organizationId }));

    expect(user).toMatchObject({ role: "agency", organizationId });
    const entry = await db.auditEntry.findFirstOrThrow({ where: { entityType: "user", entityId: user.id } });
    expect(entry.incidentId).toBe(incidentId);
  });

  it("refuses an agency user without an organization with 422 naming organizationId", async () => {
    const email = uniqueEmail("agency");
    const error = await captureError(() =>
      createUserInNewTransaction(databaseUrl, userInput({ email, role: "agency" })),
    );

    expect(error.status).toBe(422);
    expect(error.code).toBe("invalid_input");
    expect(error.details).toEqual([{ field: "organizationId", message: "is required for agency users" }]);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses an organization that does not exist with 422 naming organizationId", async () => {
    const email = uniqueEmail("orphan");
    const error = await captureError(() =>
      createUserInNewTransaction(
        databaseUrl,
        userInput({ email, role: "agency", organizationId: randomUUID() }),
      ),
    );

    expect(error.status).toBe(422);
    expect(error.details?.map((detail) => detail.field)).toEqual(["organizationId"]);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses an organization for a role other than agency", async () => {
    const error = await captureError(() =>
      createUserInNewTransaction(databaseUrl, userInput({ role: "responder", organizationId })),
    );

    expect(error.status).toBe(422);
    expect(error.details?.map((detail) => detail.field)).toEqual(["organizationId"]);
  });

  it.each(["password1234", "Password1234", "123456789012", "qwertyuiopas", "dwell-demo-2023"])(
    "refuses the common or published password %s with 422 naming password",
    async (password) => {
      const email = uniqueEmail("common");
      const error = await captureError(() =>
        createUserInNewTransaction(databaseUrl, userInput({ email, password })),
      );

      expect(error.status).toBe(422);
      expect(error.details?.map((detail) => detail.field)).toEqual(["password"]);
      expect(error.userMessage).toMatch(/^password: /);
      expect(await db.user.count({ where: { email } })).toBe(0);
    },
  );

  it("accepts the demo password only when the demo seed asks for it", async () => {
    const user = await db.$transaction((tx) =>
      createUser(tx, userInput({ password: "dwell-demo-2023" }), audit, { allowDemoPassword: true }),
    );
    expect(user.role).toBe("admin");
  });
});

describe("CreateUserSchema", () => {
  it("names every field at fault", () => {
    const result = CreateUserSchema.safeParse({
      email: "not-an-email",
      name: "",
      role: "root",
      organizationId: "nope",
      password: "short",
    });
    expect(result.success).toBe(false);
    const fields = new Set(result.error?.issues.map((issue) => issue.path.join(".")));
    expect([...fields].sort()).toEqual(["email", "name", "organizationId", "password", "role"]);
  });

  it("limits the password to 12..256 characters", () => {
    const parse = (password: string) => CreateUserSchema.safeParse(userInput({ password })).success;
    const varied = (length: number) => "fjdkslaqpwoe vmb".repeat(20).slice(0, length);
    expect(parse(varied(12))).toBe(true);
    expect(parse(varied(11))).toBe(false);
    expect(parse(varied(256))).toBe(true);
    expect(parse(varied(257))).toBe(false);
  });
});

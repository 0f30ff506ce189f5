// Creating users: the admin CLI, the demo seed and the admin screen all come through here.
import type { ZodError } from "zod";
import { createPrismaClient } from "../../db/client.ts";
import { conflict, invalidInput, type ErrorDetail } from "../../errors.ts";
import { recordAudit } from "../audit/record.ts";
import type { Tx } from "../tx.ts";
import { hashPassword } from "./passwords.ts";
import { CreateUserSchema, DemoAccountSchema, type CreateUserInput } from "./validation.ts";

export interface AuditActor {
  actorId: string | null;
  actorLabel: string;
  requestId?: string | null;
}

export interface CreatedUser {
  id: string;
  email: string;
  name: string;
  role: "admin" | "responder" | "executive" | "agency";
  organizationId: string | null;
  createdAt: Date;
}

export interface CreateUserOptions {
  /** Demo seed only: accept the published demo password, which every other caller must refuse. */
  allowDemoPassword?: boolean;
  /** The user must choose a new password at first sign-in (users an admin made with a password they know). */
  mustChangePassword?: boolean;
}

const CREATED_USER_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  organizationId: true,
  createdAt: true,
} as const;

export function describeIssues(issues: ZodError["issues"]): ErrorDetail[] {
  return issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join(".") : undefined,
    message: issue.message,
  }));
}

/** Creates a user and its `user.create` audit entry in the caller's transaction. */
export async function createUser(
  tx: Tx,
  input: CreateUserInput,
  audit: AuditActor,
  options: CreateUserOptions = {},
): Promise<CreatedUser> {
  const schema = options.allowDemoPassword ? DemoAccountSchema : CreateUserSchema;
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(describeIssues(parsed.error.issues));
  const { email, name, role, password } = parsed.data;
  const organizationId = parsed.data.organizationId ?? null;

  const existing = await tx.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw duplicateEmail(email);

  let incidentId: string | null = null;
  if (organizationId) {
    const organization = await tx.affectedOrganization.findUnique({
      where: { id: organizationId },
      select: { incidentId: true },
    });
    if (!organization) {
      throw invalidInput([{ field: "organizationId", message: "does not match any affected organization" }]);
    }
    incidentId = organization.incidentId;
  }

  const passwordHash = await hashPassword(password);
  let user: CreatedUser;
  try {
    user = await tx.user.create({
      data: {
        email,
        name,
        role,
        organizationId,
        passwordHash,
        mustChangePassword: options.mustChangePassword ?? false,
      },
      select: CREATED_USER_SELECT,
    });
  } catch (error) {
    // Another request created the same email between the check above and this insert.
    if ((error as { code?: string }).code === "P2002") throw duplicateEmail(email);
    throw error;
  }

  // The audit entry names who and what; the password and its hash never leave the user row.
  await recordAudit(tx, {
    incidentId,
    actorId: audit.actorId,
    actorLabel: audit.actorLabel,
    action: "user.create",
    entityType: "user",
    entityId: user.id,
    after: {
      email: user.email,
      name: user.name,
      role: user.role,
      organizationId: user.organizationId,
      ...(options.mustChangePassword ? { mustChangePassword: true } : {}),
    },
    requestId: audit.requestId ?? null,
  });
  return user;
}

/** For the CLI: one transaction of its own on a short-lived client. */
export async function createUserInNewTransaction(
  databaseUrl: string,
  input: CreateUserInput,
  audit: AuditActor = { actorId: null, actorLabel: "system (user:create command)" },
): Promise<CreatedUser> {
  const db = createPrismaClient(databaseUrl);
  try {
    return await db.$transaction((tx) => createUser(tx, input, audit));
  } finally {
    await db.$disconnect();
  }
}

function duplicateEmail(email: string) {
  return conflict(`A user with email ${email} already exists.`, [
    { field: "email", message: "is already taken" },
  ]);
}

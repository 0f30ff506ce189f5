// The one schema for creating a user, shared by the command, the CLI and (later) the admin form.
import { z } from "zod";
import { strictOptions } from "../../validation/timeline.ts";
import { passwordProblem } from "./password-policy.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, ROLES } from "./vocabulary.ts";

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, ROLES } from "./vocabulary.ts";
export { isCommonPassword } from "./password-policy.ts";

const lengthCheckedPassword = z
  .string({ error: "is required" })
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

const CreateUserFields = z.object({
  email: z
    .string({ error: "is required" })
    .trim()
    .toLowerCase()
    .max(254, "must be at most 254 characters")
    .pipe(z.email("must be a valid email address")),
  name: z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(200, "must be at most 200 characters"),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }),
  organizationId: z.uuid("must be a UUID").nullish(),
  password: lengthCheckedPassword,
});

type CreateUserFieldsShape = z.infer<typeof CreateUserFields>;

function checkRoleAndOrganization(
  value: Pick<CreateUserFieldsShape, "email" | "role" | "organizationId" | "password">,
  ctx: z.RefinementCtx,
): void {
  // Agency users see one organization's view only; binding any other role to one would mean nothing.
  if (value.role === "agency" && !value.organizationId) {
    ctx.addIssue({ code: "custom", path: ["organizationId"], message: "is required for agency users" });
  }
  if (value.role !== "agency" && value.organizationId) {
    ctx.addIssue({
      code: "custom",
      path: ["organizationId"],
      message: "may be set only for agency users",
    });
  }
}

function checkPassword(value: Pick<CreateUserFieldsShape, "email" | "password">, ctx: z.RefinementCtx): void {
  const problem = passwordProblem(value.password, value.email);
  if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
}

export const CreateUserSchema = CreateUserFields.superRefine((value, ctx) => {
  checkRoleAndOrganization(value, ctx);
  checkPassword(value, ctx);
});

export type CreateUser = z.infer<typeof CreateUserSchema>;
export type CreateUserInput = z.input<typeof CreateUserSchema>;

/**
 * Only for the demo seed: the same rules except that the published demo password is accepted.
 * Nothing a person types reaches this schema.
 */
export const DemoAccountSchema = CreateUserFields.extend({ password: lengthCheckedPassword }).superRefine(
  checkRoleAndOrganization,
);

// ---------------------------------------------------------------- the admin screen and the API

/** POST /api/v1/users: the creation fields, and whether the user must choose a new password first. */
export const CreateUserRequestSchema = CreateUserFields.extend({
  mustChangePassword: z.boolean({ error: "must be true or false" }).optional(),
}).superRefine((value, ctx) => {
  checkRoleAndOrganization(value, ctx);
  checkPassword(value, ctx);
});

export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

/**
 * PATCH /api/v1/users/{id}: what an admin may change, with the `updatedAt` the admin read (users have
 * no version column: the last change's time serves, to the millisecond).
 */
export const UpdateUserSchema = z.strictObject(
  {
    name: CreateUserFields.shape.name.optional(),
    role: CreateUserFields.shape.role.optional(),
    organizationId: z.uuid("must be a UUID").nullable().optional(),
    disabled: z.boolean({ error: "must be true or false" }).optional(),
    updatedAt: z.iso.datetime({ offset: true, error: "must be the updatedAt you read (an ISO date-time)" }),
  },
  strictOptions("a user change"),
);

export type UpdateUser = z.infer<typeof UpdateUserSchema>;

/** POST /api/v1/users/{id}/password-reset: a temporary password the admin chose, or one generated. */
export const PasswordResetSchema = z
  .strictObject({
    password: lengthCheckedPassword.optional(),
    generate: z.boolean({ error: "must be true or false" }).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.generate && value.password !== undefined) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "leave it out when generate is true" });
    }
    if (!value.generate && value.password === undefined) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "is required unless generate is true" });
    }
  });

export type PasswordReset = z.infer<typeof PasswordResetSchema>;

/** POST /api/v1/account/password: the signed-in user's own change. */
export const ChangeOwnPasswordSchema = z
  .strictObject({
    currentPassword: z.string({ error: "is required" }).min(1, "is required").max(1024),
    newPassword: lengthCheckedPassword,
    confirmPassword: z.string({ error: "is required" }),
  })
  .superRefine((value, ctx) => {
    if (value.confirmPassword !== value.newPassword) {
      ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "does not match the new password" });
    }
    if (value.newPassword === value.currentPassword) {
      ctx.addIssue({
        code: "custom",
        path: ["newPassword"],
        message: "must differ from the current password",
      });
    }
  });

export type ChangeOwnPassword = z.infer<typeof ChangeOwnPasswordSchema>;

function optionalWord<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T[number] | undefined => {
      const value = raw?.trim().toLowerCase() ?? "";
      if (value === "") return undefined;
      if (!(values as readonly string[]).includes(value)) {
        ctx.addIssue({ code: "custom", message: `${field} must be one of ${values.join(", ")}` });
        return z.NEVER;
      }
      return value as T[number];
    });
}

export const USER_STATUSES = ["enabled", "disabled"] as const;

export const UserListQuerySchema = z.object({
  q: z.string().trim().max(200, "q must be at most 200 characters").optional(),
  role: optionalWord("role", ROLES),
  status: optionalWord("status", USER_STATUSES),
  cursor: z.string().max(400).optional(),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(200, "limit must be at most 200")
    .default(50),
});

export type UserListQuery = z.infer<typeof UserListQuerySchema>;
export type UserListQueryInput = z.input<typeof UserListQuerySchema>;

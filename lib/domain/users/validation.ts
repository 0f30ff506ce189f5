// The one schema for creating a user, shared by the command, the CLI and (later) the admin form.
import { z } from "zod";

export const ROLES = ["admin", "responder", "executive", "agency"] as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

// Passwords of the allowed length that top public breach lists, compared case-insensitively: the length
// rule alone would let them through, and they are the first ones an attacker tries.
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "000000000000",
  "00000000000000",
  "098765432109",
  "111111111111",
  "123123123123",
  "123456789012",
  "1234567890123",
  "12345678901234",
  "123456789123",
  "1234qwerasdf",
  "1q2w3e4r5t6y",
  "1qaz2wsx3edc",
  "987654321098",
  "abc123456789",
  "abcd12345678",
  "abcdefghijkl",
  "admin1234567",
  "administrator",
  "administrator1",
  "asdfghjkl123",
  "baseball1234",
  "changeme1234",
  "changeme123!",
  "dragon123456",
  "football1234",
  "iloveyou1234",
  "letmein12345",
  "master123456",
  "monkey123456",
  "mypassword123",
  "p@ssw0rd1234",
  "p@ssword1234",
  "passw0rd1234",
  "password1234",
  "password12345",
  "password123456",
  "password1234!",
  "passwordpassword",
  "princess1234",
  "q1w2e3r4t5y6",
  "qazwsxedcrfv",
  "qwerty123456",
  "qwertyqwerty",
  "qwertyuiop12",
  "qwertyuiop123",
  "qwertyuiopas",
  "secret123456",
  "starwars1234",
  "sunshine1234",
  "superman1234",
  "trustno1trustno1",
  "welcome12345",
  "welcome123456",
  "zaq12wsxcde3",
  // The demo accounts' password is printed in the README, so it is as guessable as any of the above.
  "dwell-demo-2023",
]);

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.trim().toLowerCase());
}

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
  password: lengthCheckedPassword.refine(
    (password) => !isCommonPassword(password),
    "is too common or publicly known; choose another",
  ),
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
  if (value.password.trim().toLowerCase() === value.email) {
    ctx.addIssue({ code: "custom", path: ["password"], message: "must not be the email address" });
  }
}

export const CreateUserSchema = CreateUserFields.superRefine(checkRoleAndOrganization);

export type CreateUser = z.infer<typeof CreateUserSchema>;
export type CreateUserInput = z.input<typeof CreateUserSchema>;

/**
 * Only for the demo seed: the same rules except that the published demo password is accepted.
 * Nothing a person types reaches this schema.
 */
export const DemoAccountSchema = CreateUserFields.extend({ password: lengthCheckedPassword }).superRefine(
  checkRoleAndOrganization,
);

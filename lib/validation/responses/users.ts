// Response schemas of the user administration routes and the own-password change.
import { z } from "zod";
import type { PasswordResetBody } from "../../domain/users/admin-commands.ts";
import type { UserDto, UserPage } from "../../domain/users/dto.ts";
import { ROLES } from "../../domain/users/vocabulary.ts";
import type { AllTrue, Matches } from "./check.ts";
import { isoInstant } from "./common.ts";

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    organization: z
      .object({
        id: z.string(),
        name: z.string(),
        incident: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
      })
      .nullable()
      .meta({ description: "Agency users: the one affected organization they see, with its incident." }),
    disabled: z.boolean(),
    disabledAt: isoInstant().nullable(),
    mustChangePassword: z.boolean(),
    lastSignInAt: isoInstant().nullable(),
    createdAt: isoInstant(),
    updatedAt: isoInstant().meta({
      description: "Send it back with a PATCH: a change made since answers 409.",
    }),
  })
  .meta({ id: "User" });

export const UserPageSchema = z
  .object({ items: z.array(UserSchema), nextCursor: z.string().nullable() })
  .meta({ id: "UserPage" });

export const PasswordResetResponseSchema = z
  .object({
    user: UserSchema,
    temporaryPassword: z
      .string()
      .nullable()
      .meta({ description: "Only when generated, and only in the first answer (a replay gets null)." }),
  })
  .meta({ id: "PasswordResetResult" });

export const PasswordChangedSchema = z
  .object({ changed: z.literal(true), signInAgain: z.literal(true) })
  .meta({ id: "PasswordChanged", description: "Every session of the user has ended; sign in again." });

export type ResponseSchemaChecks = AllTrue<
  [
    Matches<typeof UserSchema, UserDto>,
    Matches<typeof UserPageSchema, UserPage>,
    Matches<typeof PasswordResetResponseSchema, PasswordResetBody>,
  ]
>;

// zod schemas for API tokens: creating one (the settings page and POST /api/v1/tokens) and listing
// one's own. Every message names the field.
import { z } from "zod";
import { requiredLine, typeError } from "./text.ts";
import { strictOptions } from "./timeline.ts";
import { TOKEN_MAX_LIFETIME_DAYS, TOKEN_NAME_MAX_LENGTH } from "../domain/tokens/vocabulary.ts";

export {
  TOKEN_EXPIRY_CHOICES,
  TOKEN_MAX_LIFETIME_DAYS,
  TOKEN_NAME_MAX_LENGTH,
} from "../domain/tokens/vocabulary.ts";

const DAY_MS = 86_400_000;
/** An expiry must leave the token at least this long to live (a typo of the past year is refused). */
const MIN_LIFETIME_MS = 60_000;

/** An ISO 8601 date-time with an offset, in the future and at most a year and a day ahead; null: never. */
const expiresAtField = z
  .union([z.null(), z.string()], {
    error: typeError("expiresAt", "a date-time with an offset such as 2027-01-31T00:00:00Z, or null"),
  })
  .optional()
  .transform((raw, ctx): Date | null => {
    const value = raw?.trim() ?? "";
    if (value === "") return null;
    if (!z.iso.datetime({ offset: true }).safeParse(value).success) {
      ctx.addIssue({
        code: "custom",
        message: "expiresAt must be a date-time with an offset, such as 2027-01-31T00:00:00Z",
      });
      return z.NEVER;
    }
    const at = new Date(value);
    const now = Date.now();
    if (at.getTime() < now + MIN_LIFETIME_MS) {
      ctx.addIssue({ code: "custom", message: "expiresAt must be in the future" });
      return z.NEVER;
    }
    if (at.getTime() > now + TOKEN_MAX_LIFETIME_DAYS * DAY_MS) {
      ctx.addIssue({
        code: "custom",
        message: `expiresAt must be at most ${TOKEN_MAX_LIFETIME_DAYS} days ahead (or null for a token that never expires)`,
      });
      return z.NEVER;
    }
    return at;
  });

export const CreateApiTokenSchema = z.strictObject(
  {
    name: requiredLine("name", TOKEN_NAME_MAX_LENGTH),
    readOnly: z.boolean({ error: typeError("readOnly", "true or false") }).optional(),
    expiresAt: expiresAtField,
  },
  strictOptions("a token"),
);

export type CreateApiToken = z.infer<typeof CreateApiTokenSchema>;
export type CreateApiTokenInput = z.input<typeof CreateApiTokenSchema>;

export const ApiTokenListQuerySchema = z.object({
  cursor: z.string().max(400, "cursor must be at most 400 characters").optional(),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(200, "limit must be at most 200")
    .default(50),
});

export type ApiTokenListQuery = z.infer<typeof ApiTokenListQuerySchema>;

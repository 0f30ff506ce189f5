// Response schemas of the API-token routes.
import { z } from "zod";
import type { ApiTokenDto, CreatedApiTokenDto } from "../../domain/tokens/dto.ts";
import type { Page } from "../../domain/paging.ts";
import type { AllTrue, Matches } from "./check.ts";
import { isoInstant } from "./common.ts";

export const ApiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: "The first characters of the secret (`dwell_` and 6 more)." }),
    readOnly: z.boolean(),
    status: z.enum(["active", "expired", "revoked"]),
    createdAt: isoInstant(),
    lastUsedAt: isoInstant().nullable(),
    expiresAt: isoInstant().nullable(),
    revokedAt: isoInstant().nullable(),
  })
  .meta({ id: "ApiToken" });

export const CreatedApiTokenSchema = ApiTokenSchema.extend({
  secret: z.string().meta({ description: "The token itself: shown in this answer only, never stored." }),
}).meta({ id: "CreatedApiToken" });

export const ApiTokenPageSchema = z
  .object({ items: z.array(ApiTokenSchema), nextCursor: z.string().nullable() })
  .meta({ id: "ApiTokenPage" });

export type ResponseSchemaChecks = AllTrue<
  [
    Matches<typeof ApiTokenSchema, ApiTokenDto>,
    Matches<typeof CreatedApiTokenSchema, CreatedApiTokenDto>,
    Matches<typeof ApiTokenPageSchema, Page<ApiTokenDto>>,
  ]
>;

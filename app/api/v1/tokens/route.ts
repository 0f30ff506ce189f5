// The caller's own API tokens: list them (GET), create one (POST; its secret is in this answer only).
import { createApiToken } from "@/lib/domain/tokens/commands";
import { listApiTokens } from "@/lib/domain/tokens/queries";
import { invalidInput } from "@/lib/errors";
import { authedRoute, mutationRoute, parseQuery } from "@/lib/http/route";
import { ApiTokenListQuerySchema, CreateApiTokenSchema } from "@/lib/validation/tokens";

export const dynamic = "force-dynamic";

export const GET = authedRoute(async ({ req, actor }) =>
  listApiTokens(actor, parseQuery(req, ApiTokenListQuerySchema)),
);

export const POST = mutationRoute<Record<string, never>, typeof CreateApiTokenSchema>(
  CreateApiTokenSchema,
  async ({ actor, input, idempotency, requestId }) => {
    // A replayed answer would have to be stored, and this one holds the secret, which is never stored.
    if (idempotency) {
      throw invalidInput(
        [
          {
            field: "Idempotency-Key",
            message:
              "is not accepted when creating a token: its answer holds the secret, which Dwell never stores",
          },
        ],
        "Send this request without an Idempotency-Key: a token's secret is never stored, so its answer cannot be replayed. If a retry made a second token, revoke the one you do not use.",
        400,
      );
    }
    return createApiToken(actor, input, { requestId });
  },
  "token:manage-own",
);

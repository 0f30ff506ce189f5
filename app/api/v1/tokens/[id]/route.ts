// Revoking one of the caller's own API tokens; someone else's, or an unknown id, answers 404.
import type { z } from "zod";
import { revokeApiToken } from "@/lib/domain/tokens/commands";
import { mutationRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const DELETE = mutationRoute<{ id: string }, z.ZodType>(
  null,
  async ({ params, actor, idempotency, requestId }) =>
    revokeApiToken(actor, params.id, { idempotency, requestId }),
  "token:manage-own",
);

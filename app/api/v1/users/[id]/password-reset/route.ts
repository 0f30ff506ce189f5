// An admin sets a temporary password (`{ "password" }`) or has one generated (`{ "generate": true }`,
// shown once in the answer); the user must choose a new one at the next sign-in.
import { resetUserPassword } from "@/lib/domain/users/admin-commands";
import { PasswordResetSchema } from "@/lib/domain/users/validation";
import { mutationRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = mutationRoute<{ id: string }, typeof PasswordResetSchema>(
  PasswordResetSchema,
  ({ params, actor, input, idempotency, requestId }) =>
    resetUserPassword(actor, params.id, input, { idempotency, requestId }),
  "user:manage",
);

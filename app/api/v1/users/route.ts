// Users, for admins: the list (keyset on email; filters `q`, `role`, `status`), and creating one (POST).
import { createUserAsAdmin } from "@/lib/domain/users/admin-commands";
import { listUsers } from "@/lib/domain/users/queries";
import { CreateUserRequestSchema, UserListQuerySchema } from "@/lib/domain/users/validation";
import { authedRoute, mutationRoute, parseQuery } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = authedRoute(async ({ req, actor }) =>
  listUsers(actor, parseQuery(req, UserListQuerySchema)),
);

export const POST = mutationRoute<Record<string, never>, typeof CreateUserRequestSchema>(
  CreateUserRequestSchema,
  ({ actor, input, idempotency, requestId }) => createUserAsAdmin(actor, input, { idempotency, requestId }),
  "user:manage",
);

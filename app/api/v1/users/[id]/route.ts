// One user, for admins: read (GET); change name, role, organization binding, or disable and enable
// (PATCH, carrying the `updatedAt` read).
import { updateUser } from "@/lib/domain/users/admin-commands";
import { getUser } from "@/lib/domain/users/queries";
import { UpdateUserSchema } from "@/lib/domain/users/validation";
import { authedRoute, mutationRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type UserParams = { id: string };

export const GET = authedRoute<UserParams>(async ({ params, actor }) => getUser(actor, params.id));

export const PATCH = mutationRoute<UserParams, typeof UpdateUserSchema>(
  UpdateUserSchema,
  ({ params, actor, input, idempotency, requestId }) =>
    updateUser(actor, params.id, input, { idempotency, requestId }),
  "user:manage",
);

// The signed-in user's own password: `{ currentPassword, newPassword, confirmPassword }`. The one API
// route a user with a temporary password may call. Ends the user's other sessions; sign in again after.
import { changeOwnPassword } from "@/lib/domain/users/admin-commands";
import { clientIp } from "@/lib/domain/users/client-ip";
import { ChangeOwnPasswordSchema } from "@/lib/domain/users/validation";
import { mutationRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = mutationRoute<Record<string, never>, typeof ChangeOwnPasswordSchema>(
  ChangeOwnPasswordSchema,
  ({ req, actor, input, idempotency, requestId }) =>
    changeOwnPassword(actor, input, { idempotency, requestId, ip: clientIp(req.headers) }),
);

// An agency user acknowledges its organization's notice or confirms remediation:
// `{ to: "acknowledged" | "remediated", at?, note?, version }`. The organization comes from the session.
import { recordPortalNotification } from "@/lib/domain/portal/commands";
import { mutationRoute } from "@/lib/http/route";
import { PortalNotificationSchema } from "@/lib/validation/organizations";

export const dynamic = "force-dynamic";

export const POST = mutationRoute<Record<string, never>, typeof PortalNotificationSchema>(
  PortalNotificationSchema,
  async ({ actor, input, idempotency, requestId }) =>
    recordPortalNotification(actor, input, { idempotency, requestId }),
  "notification:acknowledge",
);

// A notification move of one organization: `{ to, at, channel?, note?, evidence?, version }`.
import { findIncident } from "@/lib/domain/incidents/queries";
import { recordNotificationMove } from "@/lib/domain/organizations/commands";
import { mutationRoute } from "@/lib/http/route";
import { NotificationMoveSchema } from "@/lib/validation/organizations";

export const dynamic = "force-dynamic";

export const POST = mutationRoute<{ incident: string; id: string }, typeof NotificationMoveSchema>(
  NotificationMoveSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findIncident(actor, params.incident);
    return recordNotificationMove(actor, incident.id, params.id, input, { idempotency, requestId });
  },
  "notification:move",
);

// The incident's notification deadline regime: PUT `{ hours, version }` with the incident's version.
import { findIncident } from "@/lib/domain/incidents/queries";
import { updateNotificationRegime } from "@/lib/domain/organizations/commands";
import { mutationRoute } from "@/lib/http/route";
import { NotificationRegimeSchema } from "@/lib/validation/organizations";

export const dynamic = "force-dynamic";

export const PUT = mutationRoute<{ incident: string }, typeof NotificationRegimeSchema>(
  NotificationRegimeSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findIncident(actor, params.incident);
    return updateNotificationRegime(actor, incident.id, input, { idempotency, requestId });
  },
  "organization:write",
);

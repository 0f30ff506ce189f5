// Several notification moves at once (`{ moves: [{ organizationId, version, to, at, … }] }`), each in
// its own transaction; answers 200 with one `{ organizationId, status, organization? , error? }` per entry.
import { findIncident } from "@/lib/domain/incidents/queries";
import { recordNotificationMoves } from "@/lib/domain/organizations/commands";
import { mutationRoute } from "@/lib/http/route";
import { BulkNotificationSchema } from "@/lib/validation/organizations";

export const dynamic = "force-dynamic";

export const POST = mutationRoute<{ incident: string }, typeof BulkNotificationSchema>(
  BulkNotificationSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findIncident(actor, params.incident);
    return recordNotificationMoves(actor, incident.id, input, { idempotency, requestId });
  },
  "notification:move",
);

// The incident's timeline: list events (GET) and add one (POST).
import { findIncident } from "@/lib/domain/incidents/queries";
import { createTimelineEvent } from "@/lib/domain/timeline/commands";
import { listTimelineEvents } from "@/lib/domain/timeline/queries";
import { authedRoute, mutationRoute, parseQuery } from "@/lib/http/route";
import { CreateEventSchema, EventListQuerySchema } from "@/lib/validation/timeline";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ req, params, actor }) => {
  const incident = await findIncident(actor, params.incident);
  return listTimelineEvents(actor, incident.id, parseQuery(req, EventListQuerySchema));
});

export const POST = mutationRoute<{ incident: string }, typeof CreateEventSchema>(
  CreateEventSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findIncident(actor, params.incident);
    return createTimelineEvent(actor, incident.id, input, { idempotency, requestId });
  },
  "timeline:write",
);

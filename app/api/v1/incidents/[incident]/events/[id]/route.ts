// One timeline event: read (GET), change with its version (PATCH), delete (DELETE ?version=n).
import type { z } from "zod";
import { findIncident } from "@/lib/domain/incidents/queries";
import { deleteTimelineEvent, updateTimelineEvent } from "@/lib/domain/timeline/commands";
import { getTimelineEvent } from "@/lib/domain/timeline/queries";
import { authedRoute, mutationRoute, parseQuery } from "@/lib/http/route";
import { DeleteEventQuerySchema, UpdateEventSchema } from "@/lib/validation/timeline";

export const dynamic = "force-dynamic";

type EventParams = { incident: string; id: string };

export const GET = authedRoute<EventParams>(async ({ params, actor }) => {
  const incident = await findIncident(actor, params.incident);
  return getTimelineEvent(actor, incident.id, params.id);
});

export const PATCH = mutationRoute<EventParams, typeof UpdateEventSchema>(
  UpdateEventSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findIncident(actor, params.incident);
    return updateTimelineEvent(actor, incident.id, params.id, input, { idempotency, requestId });
  },
  "timeline:write",
);

// The version travels in the query, not a body: DELETE bodies are dropped by some clients and proxies.
export const DELETE = mutationRoute<EventParams, z.ZodType>(
  null,
  async ({ req, params, actor, idempotency, requestId }) => {
    const { version } = parseQuery(req, DeleteEventQuerySchema);
    const incident = await findIncident(actor, params.incident);
    return deleteTimelineEvent(actor, incident.id, params.id, {
      // The key's request hash covers the path and body only; fold the version in so the same key
      // with another version is refused rather than replayed.
      idempotency: idempotency && { ...idempotency, body: version === undefined ? "" : `version=${version}` },
      requestId,
      version,
    });
  },
  "timeline:write",
);

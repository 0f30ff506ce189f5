// One indicator: read (GET), change with its version (PATCH), delete (DELETE ?version=n).
import type { z } from "zod";
import { deleteIndicator, updateIndicator } from "@/lib/domain/indicators/commands";
import { findIndicatorIncident, getIndicator } from "@/lib/domain/indicators/queries";
import { authedRoute, mutationRoute, parseQuery } from "@/lib/http/route";
import { DeleteIndicatorQuerySchema, UpdateIndicatorSchema } from "@/lib/validation/indicators";

export const dynamic = "force-dynamic";

type IndicatorParams = { incident: string; id: string };

export const GET = authedRoute<IndicatorParams>(async ({ params, actor }) => {
  const incident = await findIndicatorIncident(actor, params.incident);
  return getIndicator(actor, incident.id, params.id);
});

export const PATCH = mutationRoute<IndicatorParams, typeof UpdateIndicatorSchema>(
  UpdateIndicatorSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findIndicatorIncident(actor, params.incident);
    return updateIndicator(actor, incident.id, params.id, input, { idempotency, requestId });
  },
  "indicator:write",
);

export const DELETE = mutationRoute<IndicatorParams, z.ZodType>(
  null,
  async ({ req, params, actor, idempotency, requestId }) => {
    const { version } = parseQuery(req, DeleteIndicatorQuerySchema);
    const incident = await findIndicatorIncident(actor, params.incident);
    return deleteIndicator(actor, incident.id, params.id, {
      idempotency: idempotency && { ...idempotency, body: version === undefined ? "" : `version=${version}` },
      requestId,
      version,
    });
  },
  "indicator:write",
);

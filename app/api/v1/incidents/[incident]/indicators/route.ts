// The incident's indicators: list them with filters and keyset paging (GET), add one (POST).
import { createIndicator } from "@/lib/domain/indicators/commands";
import { findIndicatorIncident, listIndicators } from "@/lib/domain/indicators/queries";
import { authedRoute, mutationRoute, parseQuery } from "@/lib/http/route";
import { CreateIndicatorSchema, IndicatorListQuerySchema } from "@/lib/validation/indicators";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ req, params, actor }) => {
  const incident = await findIndicatorIncident(actor, params.incident);
  return listIndicators(actor, incident.id, parseQuery(req, IndicatorListQuerySchema));
});

export const POST = mutationRoute<{ incident: string }, typeof CreateIndicatorSchema>(
  CreateIndicatorSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findIndicatorIncident(actor, params.incident);
    return createIndicator(actor, incident.id, input, { idempotency, requestId });
  },
  "indicator:write",
);

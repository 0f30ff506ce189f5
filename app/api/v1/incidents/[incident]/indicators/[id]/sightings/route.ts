// Sightings of one indicator: list them (GET; agency users their own organization's) and report one (POST).
import { reportSighting } from "@/lib/domain/indicators/commands";
import { findIndicatorIncident, listSightings } from "@/lib/domain/indicators/queries";
import { authedRoute, mutationRoute } from "@/lib/http/route";
import { CreateSightingSchema } from "@/lib/validation/indicators";

export const dynamic = "force-dynamic";

type IndicatorParams = { incident: string; id: string };

export const GET = authedRoute<IndicatorParams>(async ({ params, actor }) => {
  const incident = await findIndicatorIncident(actor, params.incident);
  return listSightings(actor, incident.id, params.id);
});

export const POST = mutationRoute<IndicatorParams, typeof CreateSightingSchema>(
  CreateSightingSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findIndicatorIncident(actor, params.incident);
    return reportSighting(actor, incident.id, params.id, input, { idempotency, requestId });
  },
  "sighting:report",
);

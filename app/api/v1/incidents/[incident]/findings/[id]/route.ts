// One finding: read (GET), change with its version (PATCH).
import { updateFinding } from "@/lib/domain/findings/commands";
import { findFindingIncident, getFinding } from "@/lib/domain/findings/queries";
import { authedRoute, mutationRoute } from "@/lib/http/route";
import { UpdateFindingSchema } from "@/lib/validation/findings";

export const dynamic = "force-dynamic";

type FindingParams = { incident: string; id: string };

export const GET = authedRoute<FindingParams>(async ({ params, actor }) => {
  const incident = await findFindingIncident(actor, params.incident);
  return getFinding(actor, incident.id, params.id);
});

export const PATCH = mutationRoute<FindingParams, typeof UpdateFindingSchema>(
  UpdateFindingSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findFindingIncident(actor, params.incident);
    return updateFinding(actor, incident.id, params.id, input, { idempotency, requestId });
  },
  "finding:write",
);

// The incident's findings: list them with filters, full-text search and keyset paging (GET), write one (POST).
import { createFinding } from "@/lib/domain/findings/commands";
import { findFindingIncident, listFindings } from "@/lib/domain/findings/queries";
import { authedRoute, mutationRoute, parseQuery } from "@/lib/http/route";
import { CreateFindingSchema, FindingListQuerySchema } from "@/lib/validation/findings";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ req, params, actor }) => {
  const incident = await findFindingIncident(actor, params.incident);
  return listFindings(actor, incident.id, parseQuery(req, FindingListQuerySchema));
});

export const POST = mutationRoute<{ incident: string }, typeof CreateFindingSchema>(
  CreateFindingSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findFindingIncident(actor, params.incident);
    return createFinding(actor, incident.id, input, { idempotency, requestId });
  },
  "finding:write",
);

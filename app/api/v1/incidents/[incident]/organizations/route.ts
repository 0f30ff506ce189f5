// The incident's affected organizations: list them (GET, staff) and add one (POST).
import { findIncident } from "@/lib/domain/incidents/queries";
import { createOrganization } from "@/lib/domain/organizations/commands";
import { listOrganizations } from "@/lib/domain/organizations/queries";
import { authedRoute, mutationRoute, parseQuery } from "@/lib/http/route";
import { CreateOrganizationSchema, OrganizationListQuerySchema } from "@/lib/validation/organizations";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ req, params, actor }) => {
  const incident = await findIncident(actor, params.incident);
  return listOrganizations(actor, incident.id, parseQuery(req, OrganizationListQuerySchema));
});

export const POST = mutationRoute<{ incident: string }, typeof CreateOrganizationSchema>(
  CreateOrganizationSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findIncident(actor, params.incident);
    return createOrganization(actor, incident.id, input, { idempotency, requestId });
  },
  "organization:write",
);

// One affected organization: read it with its notification history (GET), change it with its version (PATCH).
import { findIncident } from "@/lib/domain/incidents/queries";
import { updateOrganization } from "@/lib/domain/organizations/commands";
import { getOrganization } from "@/lib/domain/organizations/queries";
import { authedRoute, mutationRoute } from "@/lib/http/route";
import { UpdateOrganizationSchema } from "@/lib/validation/organizations";

export const dynamic = "force-dynamic";

type OrganizationParams = { incident: string; id: string };

export const GET = authedRoute<OrganizationParams>(async ({ params, actor }) => {
  const incident = await findIncident(actor, params.incident);
  return getOrganization(actor, incident.id, params.id);
});

export const PATCH = mutationRoute<OrganizationParams, typeof UpdateOrganizationSchema>(
  UpdateOrganizationSchema,
  async ({ params, actor, input, idempotency, requestId }) => {
    const incident = await findIncident(actor, params.incident);
    return updateOrganization(actor, incident.id, params.id, input, { idempotency, requestId });
  },
  "organization:write",
);

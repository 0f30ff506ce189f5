// The read-only notification overview (GET): counts by state and deadline status, the overdue and
// at-risk lists, and time to notify per organization. Staff roles, executives included.
import { findIncident } from "@/lib/domain/incidents/queries";
import { getNotificationOverview } from "@/lib/domain/organizations/queries";
import { authedRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ params, actor }) => {
  const incident = await findIncident(actor, params.incident);
  return getNotificationOverview(actor, incident.id);
});

import { authedRoute } from "@/lib/http/route";
import { getIncidentDashboard } from "@/lib/domain/dashboard/queries";

export const dynamic = "force-dynamic";

/** One incident's dashboard data. */
export const GET = authedRoute<{ incident: string }>(async ({ actor, params }) =>
  getIncidentDashboard(actor, params.incident),
);

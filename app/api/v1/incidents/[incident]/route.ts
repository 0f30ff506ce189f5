import { getIncidentOverview } from "@/lib/domain/incidents/queries";
import { authedRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ params, actor }) =>
  getIncidentOverview(actor, params.incident),
);

// Dwell time and the other durations, overall and per affected organization, recomputed per request.
import { getIncidentMetrics } from "@/lib/domain/metrics/queries";
import { authedRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ params, actor }) =>
  getIncidentMetrics(actor, params.incident),
);

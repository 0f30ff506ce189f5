// Timeline chart data: event counts per time bucket and lane (≤ max points, only non-empty buckets).
import { findIncident } from "@/lib/domain/incidents/queries";
import { getTimelineBuckets } from "@/lib/domain/timeline/buckets";
import { authedRoute, parseQuery } from "@/lib/http/route";
import { TimelineBucketQuerySchema } from "@/lib/validation/metrics";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ req, params, actor }) => {
  const incident = await findIncident(actor, params.incident);
  return getTimelineBuckets(actor, incident.id, parseQuery(req, TimelineBucketQuerySchema));
});

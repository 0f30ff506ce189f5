// Search across the incident: events, findings, indicators and organizations, grouped by kind (staff only).
import { findIncident } from "@/lib/domain/incidents/queries";
import { searchIncident } from "@/lib/domain/search/queries";
import { authedRoute, parseQuery } from "@/lib/http/route";
import { SearchQuerySchema } from "@/lib/validation/search";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ req, params, actor }) => {
  const incident = await findIncident(actor, params.incident);
  const { q } = parseQuery(req, SearchQuerySchema);
  return searchIncident(actor, incident.id, q);
});

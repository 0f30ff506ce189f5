// One finding's history: its audit entries, newest first, as before → after per changed field.
import { findFindingIncident, getFindingHistory } from "@/lib/domain/findings/queries";
import { authedRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string; id: string }>(async ({ params, actor }) => {
  const incident = await findFindingIncident(actor, params.incident);
  return { items: await getFindingHistory(actor, incident.id, params.id), nextCursor: null };
});

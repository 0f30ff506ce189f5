// The incident's audit trail: every change, newest first, with filters and keyset paging.
import { findAuditIncident, listAuditEntries } from "@/lib/domain/audit/queries";
import { authedRoute, parseQuery } from "@/lib/http/route";
import { AuditListQuerySchema } from "@/lib/validation/audit";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ req, params, actor }) => {
  const incident = await findAuditIncident(actor, params.incident);
  return listAuditEntries(actor, incident.id, parseQuery(req, AuditListQuerySchema));
});

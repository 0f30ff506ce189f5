// Bulk import (POST): pasted text, CSV or a STIX 2.1 bundle as the raw body (at most 32 MB), with
// `dryRun=true` for the review step. Answers created / updated / unchanged / duplicates and per-line errors.
import { assertCan } from "@/lib/auth/permissions";
import { importIndicators } from "@/lib/domain/indicators/import";
import { findIndicatorIncident } from "@/lib/domain/indicators/queries";
import { assertSameOrigin, authedRoute, parseQuery } from "@/lib/http/route";
import { importFormatOf, limitedBody } from "@/lib/http/upload";
import { ImportQuerySchema } from "@/lib/validation/indicators";

export const dynamic = "force-dynamic";

export const POST = authedRoute<{ incident: string }>(async ({ req, params, actor, requestId }) => {
  assertSameOrigin(req);
  // Early answer for roles that may never import; the domain checks again.
  assertCan(actor, "interchange:import");
  const query = parseQuery(req, ImportQuerySchema);
  const format = importFormatOf(req, query.format);
  const incident = await findIndicatorIncident(actor, params.incident);
  const result = await importIndicators(actor, incident.id, limitedBody(req), {
    ...query,
    format,
    requestId,
  });
  return Response.json(result, {
    status: result.dryRun ? 200 : 201,
    headers: { "cache-control": "no-store" },
  });
});

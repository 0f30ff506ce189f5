// Export (GET ?format=stix|csv[&organization=id]): the incident's indicators as a STIX 2.1 bundle or
// CSV download, streamed; with an organization (and always for agency users) only what it may see.
import { exportIndicators } from "@/lib/domain/indicators/export";
import { findIndicatorIncident } from "@/lib/domain/indicators/queries";
import { authedRoute, parseQuery } from "@/lib/http/route";
import { ExportQuerySchema } from "@/lib/validation/indicators";

export const dynamic = "force-dynamic";

export const GET = authedRoute<{ incident: string }>(async ({ req, params, actor }) => {
  const query = parseQuery(req, ExportQuerySchema);
  const incident = await findIndicatorIncident(actor, params.incident);
  const file = await exportIndicators(actor, incident, query);
  const encoder = new TextEncoder();
  const chunks = file.chunks[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return?.(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
});

// The incident report as a PDF, rendered from the print view by headless Chromium on the server;
// 503 with a clear message where the server has no Chromium.
import { renderReportPdf } from "@/lib/domain/report/pdf";
import { readEnv } from "@/lib/env";
import { authedRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = authedRoute<{ incident: string }>(async ({ actor, params, req }) => {
  const configured = readEnv().NEXTAUTH_URL;
  const origin = configured ? new URL(configured).origin : req.nextUrl.origin;
  const pdf = await renderReportPdf(actor, params.incident, {
    origin,
    cookieHeader: req.headers.get("cookie"),
  });
  return new Response(new Uint8Array(pdf.bytes), {
    status: 200,
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${pdf.filename}"`,
      "cache-control": "no-store",
    },
  });
});

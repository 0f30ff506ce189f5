// The API described as an OpenAPI 3.1 document, generated from the routes' own zod schemas (lib/openapi).
// Public: it describes the API, not data. The readable version is the /api-docs page.
import { getOpenApiDocument } from "@/lib/openapi/document";
import { publicRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () =>
  Response.json(getOpenApiDocument(), { headers: { "cache-control": "public, max-age=300" } }),
);

// Any /api/v1 address that is not a route answers in the API's error shape, not with an HTML page.
import { AppError } from "@/lib/errors";
import { publicRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const notARoute = publicRoute(async ({ req }) => {
  throw new AppError("not_found", `There is no API route ${req.method} ${req.nextUrl.pathname}.`, 404);
});

export { notARoute as GET, notARoute as POST, notARoute as PUT, notARoute as PATCH, notARoute as DELETE };

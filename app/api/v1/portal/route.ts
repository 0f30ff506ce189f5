import { getPortalView } from "@/lib/domain/portal/queries";
import { authedRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = authedRoute(async ({ actor }) => getPortalView(actor));

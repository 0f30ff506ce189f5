import { authedRoute } from "@/lib/http/route";
import { getDashboard } from "@/lib/domain/dashboard/queries";

export const dynamic = "force-dynamic";

/** Every open incident's dashboard data: the same figures the /dashboard page shows. */
export const GET = authedRoute(async ({ actor }) => getDashboard(actor));

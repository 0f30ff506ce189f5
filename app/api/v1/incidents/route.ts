import { listIncidents } from "@/lib/domain/incidents/queries";
import { authedRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = authedRoute(async ({ actor }) => ({ items: await listIncidents(actor), nextCursor: null }));

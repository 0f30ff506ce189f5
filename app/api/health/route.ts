import { NextResponse } from "next/server";
import { checkDatabase } from "@/lib/domain/health";
import { publicRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => {
  const ok = await checkDatabase();
  return NextResponse.json(
    ok ? { status: "ok", db: "ok" } : { status: "degraded", db: "unreachable" },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});

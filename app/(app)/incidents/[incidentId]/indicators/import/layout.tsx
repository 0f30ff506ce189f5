import type { ReactNode } from "react";
import { assertCan } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { loadOr404 } from "@/lib/http/page";

// The access check sits here, above loading.tsx, so a refused import page still answers 404
// (README Decisions 4 and 12): readers without import rights get what every refused page gets.
export default async function ImportIndicatorsLayout({ children }: { children: ReactNode }) {
  const actor = await requireUser();
  await loadOr404(async () => {
    assertCan(actor, "indicator:write");
    assertCan(actor, "interchange:import");
  });
  return children;
}

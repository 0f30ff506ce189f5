import type { ReactNode } from "react";
import { assertCan } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { loadOr404 } from "@/lib/http/page";

// The access check sits here, above loading.tsx, so a refused audit page still answers 404
// (README Decisions 4 and 12).
export default async function AuditLayout({ children }: { children: ReactNode }) {
  const actor = await requireUser();
  await loadOr404(async () => assertCan(actor, "audit:read"));
  return children;
}

import type { ReactNode } from "react";
import { assertCan } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { loadOr404 } from "@/lib/http/page";

// The access check sits here, above loading.tsx, so an agency user opening the page gets a real 404
// (README Decisions 4 and 12); the page's query checks again.
export default async function ApiTokensLayout({ children }: { children: ReactNode }) {
  const actor = await requireUser();
  await loadOr404(async () => assertCan(actor, "token:manage-own"));
  return children;
}

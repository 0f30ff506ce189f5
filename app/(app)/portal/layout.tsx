import type { ReactNode } from "react";
import { assertCan } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { loadOr404 } from "@/lib/http/page";

// The access check sits here, above loading.tsx, so staff opening the portal get a real 404 (README
// Decisions 4 and 12); the page checks again through getPortalView.
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await requireUser();
  await loadOr404(async () => assertCan(actor, "portal:read"));
  return children;
}

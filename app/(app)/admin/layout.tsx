import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";

// Checked here, above the pages' loading skeletons, so a refused page still answers 404 (README
// Decisions 12 and 30). The pages and the API check again.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await requireUser();
  if (!can(actor, "user:manage")) notFound();
  return children;
}

import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";

// The access check sits above the page's loading skeleton, so a refused user gets a real 404
// (README Decision 12).
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requireUser();
  if (!can(actor, "dashboard:read")) notFound();
  return children;
}

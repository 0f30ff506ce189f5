import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";

// Checked above the report's loading skeleton so a refused user gets a real 404 (README Decision 12).
export default async function ReportLayout({ children }: { children: ReactNode }) {
  const actor = await requireUser();
  if (!can(actor, "dashboard:read")) notFound();
  return children;
}

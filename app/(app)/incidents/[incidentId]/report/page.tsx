import type { Metadata } from "next";
import { IncidentReport } from "@/components/report/incident-report";
import { requireUser } from "@/lib/auth/session";
import { getIncidentReport } from "@/lib/domain/report/queries";
import { loadOr404 } from "@/lib/http/page";

export const metadata: Metadata = { title: "Report" };

export default async function ReportPage({ params }: { params: Promise<{ incidentId: string }> }) {
  const actor = await requireUser();
  const { incidentId } = await params;
  const report = await loadOr404(() => getIncidentReport(actor, incidentId));
  return <IncidentReport report={report} />;
}

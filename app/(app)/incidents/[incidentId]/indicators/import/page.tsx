import type { Metadata } from "next";
import { IndicatorImport } from "@/components/indicators/indicator-import";
import { requireUser } from "@/lib/auth/session";
import { findIncident } from "@/lib/domain/incidents/queries";
import { loadOr404 } from "@/lib/http/page";

export const metadata: Metadata = { title: "Import indicators" };

export default async function ImportIndicatorsPage({ params }: { params: Promise<{ incidentId: string }> }) {
  const actor = await requireUser();
  const { incidentId } = await params;
  const incident = await loadOr404(() => findIncident(actor, incidentId));
  return <IndicatorImport incident={incident.slug} />;
}

import { redirect } from "next/navigation";

export default async function IncidentIndex({ params }: { params: Promise<{ incidentId: string }> }) {
  const { incidentId } = await params;
  redirect(`/incidents/${encodeURIComponent(incidentId)}/timeline`);
}

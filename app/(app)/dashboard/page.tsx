import type { Metadata } from "next";
import { IncidentDashboard } from "@/components/dashboard/incident-dashboard";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUser } from "@/lib/auth/session";
import { listDashboardIncidents } from "@/lib/domain/dashboard/queries";
import { loadOr404 } from "@/lib/http/page";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const actor = await requireUser();
  // The layout refuses first; this keeps a refused render (pages render beside their layout) a 404 too.
  const incidents = await loadOr404(() => listDashboardIncidents(actor));
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Executive dashboard</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Open incidents, computed from current data on every load. Published figures name their source and
          date.
        </p>
      </div>
      {incidents.length === 0 ? (
        <EmptyState title="No open incidents">
          Closed incidents stay readable from the incident list.
        </EmptyState>
      ) : (
        incidents.map((incident) => <IncidentDashboard key={incident.id} actor={actor} incident={incident} />)
      )}
    </div>
  );
}

import type { ReactNode } from "react";
import { IncidentTabs } from "@/components/layout/incident-tabs";
import { Badge } from "@/components/ui/badge";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { findIncident } from "@/lib/domain/incidents/queries";
import { loadOr404 } from "@/lib/http/page";

// Sections of an incident that exist today; each later capability adds its own tab.
const TABS = [
  { segment: "timeline", label: "Timeline" },
  { segment: "indicators", label: "Indicators" },
  { segment: "organizations", label: "Organizations" },
  { segment: "findings", label: "Findings" },
  { segment: "search", label: "Search" },
];
const AUDIT_TAB = { segment: "audit", label: "Audit trail" };

export default async function IncidentLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ incidentId: string }>;
}) {
  const actor = await requireUser();
  const { incidentId } = await params;
  const incident = await loadOr404(() => findIncident(actor, incidentId));
  return (
    <div className="space-y-5">
      <div>
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={incident.status === "open" ? "red" : "neutral"}>{incident.status}</Badge>
          {incident.actor ? <Badge tone="neutral">Actor: {incident.actor}</Badge> : null}
          {incident.isDemo ? <Badge>demo data</Badge> : null}
        </div>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Incident</p>
        <p className="text-xl font-semibold tracking-tight">{incident.name}</p>
      </div>
      <IncidentTabs
        base={`/incidents/${incident.slug}`}
        tabs={can(actor, "audit:read") ? [...TABS, AUDIT_TAB] : TABS}
      />
      {children}
    </div>
  );
}

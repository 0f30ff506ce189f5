import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Badge } from "@/components/ui/badge";
import { requireUser } from "@/lib/auth/session";
import { listIncidents } from "@/lib/domain/incidents/queries";
import { loadOr404 } from "@/lib/http/page";

export const metadata: Metadata = { title: "Incidents" };

export default async function IncidentsPage() {
  const actor = await requireUser();
  const incidents = await loadOr404(() => listIncidents(actor));
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Incidents</h1>
      {incidents.length === 0 ? (
        <EmptyState title="No incidents yet">
          Load the demo incident with <code className="font-mono">npm run db:seed -- --demo</code>, or create incidents
          through the API once it is available to your role.
        </EmptyState>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2">
          {incidents.map((incident) => (
            <li key={incident.id}>
              <Card className="p-4">
                <div className="flex items-center gap-2">
                  <Badge tone={incident.status === "open" ? "red" : "neutral"}>{incident.status}</Badge>
                  {incident.isDemo ? <Badge>demo data</Badge> : null}
                </div>
                <h2 className="mt-2 text-lg font-semibold">
                  <Link href={`/incidents/${incident.slug}/timeline`} className="hover:underline">
                    {incident.name}
                  </Link>
                </h2>
                <p className="mt-1 line-clamp-3 text-sm text-slate-600 dark:text-slate-400">{incident.publicSummary}</p>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

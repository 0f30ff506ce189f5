import type { Metadata } from "next";
import { IndicatorsExplorer } from "@/components/indicators/indicators-explorer";
import { FilterProblem } from "@/components/ui/filter-problem";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import type { IndicatorPage } from "@/lib/domain/indicators/dto";
import { listIndicators } from "@/lib/domain/indicators/queries";
import { findIncident } from "@/lib/domain/incidents/queries";
import { listOrganizations } from "@/lib/domain/organizations/queries";
import { AppError } from "@/lib/errors";
import { checkPageFilters, firstParam, loadOr404, type SearchParams } from "@/lib/http/page";
import type { IndicatorFilters } from "@/lib/query-keys";
import { IndicatorListQuerySchema } from "@/lib/validation/indicators";
import { OrganizationListQuerySchema } from "@/lib/validation/organizations";

export const metadata: Metadata = { title: "Indicators" };

export default async function IndicatorsPage({
  params,
  searchParams,
}: {
  params: Promise<{ incidentId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requireUser();
  const { incidentId } = await params;
  const raw = await searchParams;
  const incident = await loadOr404(() => findIncident(actor, incidentId));

  const requested: IndicatorFilters = {
    type: firstParam(raw.type),
    tlp: firstParam(raw.tlp),
    q: firstParam(raw.q),
    sort: firstParam(raw.sort),
  };
  const { filters, problem } = checkPageFilters(requested, IndicatorListQuerySchema);

  const canWrite = can(actor, "indicator:write");
  const [firstPage, organizations] = await Promise.all([
    // The first page is rendered here (readable before any script runs); the table pages on from it.
    // If it fails, the browser asks the API again and shows that error with what to do.
    listIndicators(actor, incident.id, IndicatorListQuerySchema.parse({ ...filters, limit: "100" })).catch(
      (error: unknown): IndicatorPage | null => {
        if (error instanceof AppError) return null;
        throw error;
      },
    ),
    canWrite
      ? listOrganizations(actor, incident.id, OrganizationListQuerySchema.parse({ limit: "500" })).then(
          (page) => page.items.map((org) => ({ id: org.id, name: org.name })),
        )
      : Promise.resolve([]),
  ]);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">Indicators of compromise</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Unique per incident by type and normalized value. First and last seen in UTC.
        </p>
      </div>
      <FilterProblem problem={problem} />
      <IndicatorsExplorer
        incident={incident.slug}
        filters={filters}
        initialPage={firstPage}
        canWrite={canWrite}
        canImport={canWrite && can(actor, "interchange:import")}
        canExport={can(actor, "interchange:export")}
        organizations={organizations}
      />
    </div>
  );
}

import type { Metadata } from "next";
import { AuditExplorer } from "@/components/audit/audit-explorer";
import { FilterProblem } from "@/components/ui/filter-problem";
import { requireUser } from "@/lib/auth/session";
import type { AuditPage } from "@/lib/domain/audit/dto";
import { findAuditIncident, listAuditEntries, listAuditFilterOptions } from "@/lib/domain/audit/queries";
import { AppError } from "@/lib/errors";
import { checkPageFilters, firstParam, loadOr404, type SearchParams } from "@/lib/http/page";
import { AUDIT_FILTER_KEYS, AuditListQuerySchema, type AuditFilters } from "@/lib/validation/audit";

export const metadata: Metadata = { title: "Audit trail" };

export default async function AuditTrailPage({
  params,
  searchParams,
}: {
  params: Promise<{ incidentId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requireUser();
  const { incidentId } = await params;
  const raw = await searchParams;
  const incident = await loadOr404(() => findAuditIncident(actor, incidentId));

  const requested: AuditFilters = Object.fromEntries(
    AUDIT_FILTER_KEYS.map((key) => [key, firstParam(raw[key])]),
  );
  const { filters, problem } = checkPageFilters(requested, AuditListQuerySchema);

  const [firstPage, options] = await Promise.all([
    loadOr404(() =>
      listAuditEntries(actor, incident.id, AuditListQuerySchema.parse({ ...filters, limit: "50" })).catch(
        (error: unknown): AuditPage | null => {
          // Refusals become the not-found page; anything else the browser asks the API again for.
          if (error instanceof AppError && error.status !== 403 && error.status !== 404) return null;
          throw error;
        },
      ),
    ),
    listAuditFilterOptions(actor, incident.id),
  ]);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">Audit trail</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Every change to this incident, newest first: who, when, and what changed. Times in UTC.
        </p>
      </div>
      <FilterProblem problem={problem} />
      <AuditExplorer incident={incident.slug} filters={filters} initialPage={firstPage} options={options} />
    </div>
  );
}

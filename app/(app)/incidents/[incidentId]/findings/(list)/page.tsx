import type { Metadata } from "next";
import { FindingsExplorer } from "@/components/findings/findings-explorer";
import { FilterProblem } from "@/components/ui/filter-problem";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import type { FindingLinkOptions, FindingPage } from "@/lib/domain/findings/dto";
import { listFindingLinkOptions, listFindings } from "@/lib/domain/findings/queries";
import { findIncident } from "@/lib/domain/incidents/queries";
import { AppError } from "@/lib/errors";
import { checkPageFilters, firstParam, loadOr404, type SearchParams } from "@/lib/http/page";
import type { FindingFilters } from "@/lib/query-keys";
import { FindingListQuerySchema } from "@/lib/validation/findings";

export const metadata: Metadata = { title: "Findings" };

const NO_OPTIONS: FindingLinkOptions = { events: [], indicators: [], organizations: [] };

export default async function FindingsPage({
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
  // Agency users never see findings: the domain refuses them, and the page answers 404.
  const canWrite = can(actor, "finding:write");

  const requested: FindingFilters = {
    status: firstParam(raw.status),
    severity: firstParam(raw.severity),
    q: firstParam(raw.q),
  };
  const { filters, problem } = checkPageFilters(requested, FindingListQuerySchema);

  const [firstPage, linkOptions] = await Promise.all([
    loadOr404(() =>
      listFindings(actor, incident.id, FindingListQuerySchema.parse({ ...filters, limit: "50" })).catch(
        (error: unknown): FindingPage | null => {
          // Refusals become the not-found page; anything else the browser asks the API again for.
          if (error instanceof AppError && error.status !== 403 && error.status !== 404) return null;
          throw error;
        },
      ),
    ),
    canWrite ? listFindingLinkOptions(actor, incident.id) : Promise.resolve(NO_OPTIONS),
  ]);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">Findings</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          What the responders concluded, with severity, confidence and evidence. Times in UTC.
        </p>
      </div>
      <FilterProblem problem={problem} />
      <FindingsExplorer
        incident={incident.slug}
        filters={filters}
        initialPage={firstPage}
        canWrite={canWrite}
        linkOptions={linkOptions}
      />
    </div>
  );
}

import type { Metadata } from "next";
import { FindingsExplorer } from "@/components/findings/findings-explorer";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import type { FindingLinkOptions, FindingPage } from "@/lib/domain/findings/dto";
import { listFindingLinkOptions, listFindings } from "@/lib/domain/findings/queries";
import { findIncident } from "@/lib/domain/incidents/queries";
import { AppError } from "@/lib/errors";
import { loadOr404 } from "@/lib/http/page";
import type { FindingFilters } from "@/lib/query-keys";
import { FindingListQuerySchema } from "@/lib/validation/findings";

export const metadata: Metadata = { title: "Findings" };

type SearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value) || undefined;

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
    status: first(raw.status),
    severity: first(raw.severity),
    q: first(raw.q),
  };
  // Filters are checked with the API's own schema; a bad one is reported and dropped, not guessed at.
  const parsed = FindingListQuerySchema.safeParse(requested);
  const badFields = new Set(parsed.success ? [] : parsed.error.issues.map((issue) => String(issue.path[0])));
  const filters = Object.fromEntries(
    Object.entries(requested).filter(([key, value]) => value !== undefined && !badFields.has(key)),
  ) as FindingFilters;

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
      {!parsed.success ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          Some filters were not applied:{" "}
          {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}.
        </p>
      ) : null}
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

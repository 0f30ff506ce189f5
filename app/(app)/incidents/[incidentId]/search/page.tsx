import type { Metadata } from "next";
import { SearchBox, SearchResultsView } from "@/components/search/search-results";
import { requireUser } from "@/lib/auth/session";
import { findIncident } from "@/lib/domain/incidents/queries";
import { searchIncident } from "@/lib/domain/search/queries";
import { loadOr404 } from "@/lib/http/page";
import { SearchQuerySchema } from "@/lib/validation/search";

export const metadata: Metadata = { title: "Search" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function SearchPage({
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
  const q = (Array.isArray(raw.q) ? raw.q[0] : raw.q) ?? "";
  const parsed = SearchQuerySchema.safeParse({ q });
  const results = parsed.success
    ? await loadOr404(() => searchIncident(actor, incident.id, parsed.data.q))
    : null;

  return (
    <div className="space-y-6">
      <h1 className="text-lg font-semibold">Search</h1>
      <SearchBox incident={incident.slug} q={q} />
      {q.trim() !== "" && !parsed.success ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {parsed.error.issues[0]?.message}
        </p>
      ) : null}
      {results ? (
        <SearchResultsView incident={incident.slug} results={results} />
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Finds timeline events, findings, indicators and organizations of this incident, at most 20 of each.
        </p>
      )}
    </div>
  );
}

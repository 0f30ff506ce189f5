import type { Metadata } from "next";
import { KeyFigures, MilestoneList } from "@/components/timeline/key-figures";
import { OrganizationKeyTimes } from "@/components/timeline/organization-key-times";
import { TimelineExplorer } from "@/components/timeline/timeline-explorer";
import { FilterProblem } from "@/components/ui/filter-problem";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { getIncidentOverview } from "@/lib/domain/incidents/queries";
import { getIncidentMetrics } from "@/lib/domain/metrics/queries";
import { listTimelineFilterOptions } from "@/lib/domain/timeline/filter-options";
import { DURATION_LABELS, MILESTONE_LABELS } from "@/lib/domain/timeline/milestones";
import { checkPageFilters, firstParam, loadOr404, type SearchParams } from "@/lib/http/page";
import type { EventFilters } from "@/lib/query-keys";
import { formatDuration, isValidTimeZone } from "@/lib/time/format";
import { EventListQuerySchema } from "@/lib/validation/timeline";

export const metadata: Metadata = { title: "Timeline" };

/** Date inputs of the no-JavaScript form arrive as fromDate/toDate (YYYY-MM-DD). */
function dateParam(raw: SearchParams, name: "from" | "to"): string | undefined {
  const direct = firstParam(raw[name]);
  if (direct) return direct;
  const day = firstParam(raw[`${name}Date`]);
  return day ? `${day}T${name === "from" ? "00:00:00.000" : "23:59:59.999"}Z` : undefined;
}

export default async function TimelinePage({
  params,
  searchParams,
}: {
  params: Promise<{ incidentId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requireUser();
  const { incidentId } = await params;
  const raw = await searchParams;
  const overview = await loadOr404(() => getIncidentOverview(actor, incidentId));
  const [options, metrics] = await Promise.all([
    listTimelineFilterOptions(actor, overview.id),
    // By the same reference as the layout and the overview, so the incident is read once per render.
    getIncidentMetrics(actor, incidentId),
  ]);

  const requested: EventFilters = {
    lane: firstParam(raw.lane),
    phase: firstParam(raw.phase),
    q: firstParam(raw.q),
    from: dateParam(raw, "from"),
    to: dateParam(raw, "to"),
    org: firstParam(raw.org),
    indicator: firstParam(raw.indicator),
    technique: firstParam(raw.technique),
  };
  const { filters, problem } = checkPageFilters(requested, EventListQuerySchema);

  const zoneParam = firstParam(raw.tz);
  const timeZone = zoneParam && isValidTimeZone(zoneParam) ? zoneParam : overview.timeZone;
  const view = firstParam(raw.view) === "chronological" ? "chronological" : "phases";

  const { firstActivity, detection } = overview.milestones;
  const dwell = overview.durations.find((d) => d.name === "dwell");
  const gap =
    firstActivity && detection && dwell
      ? {
          from: firstActivity.occurredAt.toISOString(),
          to: detection.occurredAt.toISOString(),
          label: `${DURATION_LABELS.dwell.toLowerCase()} ${formatDuration(dwell.ms)}`,
        }
      : null;
  const chartMilestones = Object.values(overview.milestones)
    .filter((m) => m !== null)
    .map((m) => ({ label: MILESTONE_LABELS[m.kind], at: m.occurredAt.toISOString() }));

  return (
    <div className="space-y-6">
      <section aria-labelledby="key-times" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 id="key-times" className="text-lg font-semibold">
            Key times
          </h1>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Computed from the timeline. Dates are shown as the sources gave them; times of day in {timeZone}.
          </p>
        </div>
        <KeyFigures durations={overview.durations} milestones={overview.milestones} timeZone={timeZone} />
        <MilestoneList milestones={overview.milestones} timeZone={timeZone} />
        <details className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <summary className="cursor-pointer px-4 py-2.5 text-sm font-medium">
            Key times per organization ({metrics.organizations.length})
          </summary>
          <div className="border-t border-slate-200 dark:border-slate-800">
            <OrganizationKeyTimes organizations={metrics.organizations} timeZone={timeZone} />
          </div>
        </details>
      </section>

      <FilterProblem problem={problem} />

      <TimelineExplorer
        incident={overview.slug}
        timeZone={timeZone}
        filters={filters}
        view={view}
        canEdit={can(actor, "timeline:write")}
        options={options}
        milestones={chartMilestones}
        gap={gap}
        eventCount={overview.counts.events}
      />
    </div>
  );
}

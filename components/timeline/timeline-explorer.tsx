"use client";

// The interactive timeline: the two-lane chart (lazy), filters kept in the URL, and the event list —
// one virtualized, keyset-paged list in time order, or one section per phase. Live changes from other
// responders arrive through the incident's event stream.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import dynamic from "next/dynamic";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useLayoutEffect, useRef, useState } from "react";
import type { TimelineFilterOptions } from "@/lib/domain/timeline/filter-options";
import type { TimelineEventDto } from "@/lib/domain/timeline/queries";
import { PHASES } from "@/lib/domain/vocabulary";
import { apiFetch, ApiError } from "@/lib/api-client";
import { queryKeys, type EventFilters } from "@/lib/query-keys";
import { formatDating } from "@/lib/time/format";
import type { ChartMilestone } from "../charts/timeline-chart";
import { PHASE_COLOURS } from "../charts/phase-colours";
import { Button, buttonClasses } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Skeleton } from "../ui/skeleton";
import { EventEditorDialog } from "./event-editor";
import { EventItem } from "./event-item";
import { TimelineFilterBar } from "./timeline-filter-bar";
import { useIncidentStream } from "./use-incident-stream";

const TimelineChart = dynamic(() => import("../charts/timeline-chart"), {
  ssr: false,
  loading: () => <Skeleton className="h-[260px] w-full" />,
});

interface Page {
  items: TimelineEventDto[];
  nextCursor: string | null;
}

interface BucketsResponse {
  from: string;
  to: string;
  bucketSeconds: number;
  buckets: {
    start: string;
    adversary: number;
    response: number;
    phases: Partial<Record<string, { adversary: number; response: number }>>;
  }[];
  total: { adversary: number; response: number };
}

export interface TimelineExplorerProps {
  incident: string;
  timeZone: string;
  filters: EventFilters;
  view: "phases" | "chronological";
  canEdit: boolean;
  options: TimelineFilterOptions;
  milestones: ChartMilestone[];
  gap: { from: string; to: string; label: string } | null;
  eventCount: number;
}

const PAGE_SIZE = 100;
const PHASE_PAGE_SIZE = 25;

function eventsUrl(incident: string, filters: EventFilters, limit: number, cursor?: string | null) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return `/api/v1/incidents/${encodeURIComponent(incident)}/events?${params.toString()}`;
}

function useEventPages(incident: string, filters: EventFilters, limit: number) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.eventList(incident, filters), limit],
    queryFn: ({ pageParam }) => apiFetch<Page>(eventsUrl(incident, filters, limit, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

function ErrorNote({ error }: { error: unknown }) {
  const message = error instanceof ApiError ? error.message : "The events could not be loaded.";
  return (
    <p
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {message} {error instanceof ApiError && error.details[0]?.field ? `(${error.details[0].field})` : null}
    </p>
  );
}

function ListSkeleton() {
  return (
    <div role="status" className="space-y-2">
      <span className="sr-only">Loading events…</span>
      {Array.from({ length: 5 }, (_, i) => (
        <Skeleton key={i} className="h-16" />
      ))}
    </div>
  );
}

/** One list in time order, virtualized against the window and paged by keyset as it scrolls. */
function ChronologicalList({
  incident,
  filters,
  timeZone,
  onEdit,
}: {
  incident: string;
  filters: EventFilters;
  timeZone: string;
  onEdit?: (event: TimelineEventDto) => void;
}) {
  const query = useEventPages(incident, filters, PAGE_SIZE);
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  // The list starts below the key times, chart and filters: the window virtualizer must know how far
  // down, or it renders the rows for the wrong part of the page.
  const listRef = useRef<HTMLOListElement | null>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const measure = () =>
      setScrollMargin((listRef.current?.getBoundingClientRect().top ?? 0) + window.scrollY);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [query.isPending]);
  const virtualizer = useWindowVirtualizer({
    count: items.length + (query.hasNextPage ? 1 : 0),
    estimateSize: () => 150,
    overscan: 8,
    scrollMargin,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const last = virtualItems.at(-1);
  if (last && last.index >= items.length - 1 && query.hasNextPage && !query.isFetchingNextPage) {
    void query.fetchNextPage();
  }
  if (query.isPending) return <ListSkeleton />;
  if (query.isError) return <ErrorNote error={query.error} />;
  if (items.length === 0) return <NoEvents filtered={Object.values(filters).some(Boolean)} />;
  return (
    <ol
      ref={listRef}
      aria-label="Events in time order"
      className="relative"
      style={{ height: virtualizer.getTotalSize() }}
    >
      {virtualItems.map((row) => {
        const event = items[row.index];
        return (
          <div
            key={row.key}
            data-index={row.index}
            ref={virtualizer.measureElement}
            className="absolute top-0 left-0 w-full border-b border-slate-200 dark:border-slate-800"
            style={{ transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)` }}
          >
            {event ? (
              <EventItem event={event} timeZone={timeZone} onEdit={onEdit} />
            ) : (
              <p className="py-4 text-sm text-slate-600 dark:text-slate-400" role="status">
                Loading more events…
              </p>
            )}
          </div>
        );
      })}
    </ol>
  );
}

function PhaseSection({
  incident,
  filters,
  phase,
  timeZone,
  onEdit,
}: {
  incident: string;
  filters: EventFilters;
  phase: string;
  timeZone: string;
  onEdit?: (event: TimelineEventDto) => void;
}) {
  const query = useEventPages(incident, { ...filters, phase }, PHASE_PAGE_SIZE);
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  if (query.isPending) return <Skeleton className="h-16" />;
  if (query.isError) return <ErrorNote error={query.error} />;
  if (items.length === 0) return null;
  const id = `phase-${phase.replace(/\s+/g, "-")}`;
  return (
    <section aria-labelledby={id}>
      <h3
        id={id}
        className="mb-1 text-sm font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400"
      >
        {phase}
      </h3>
      <ol className="divide-y divide-slate-200 dark:divide-slate-800">
        {items.map((event) => (
          <EventItem key={event.id} event={event} timeZone={timeZone} onEdit={onEdit} />
        ))}
      </ol>
      {query.hasNextPage ? (
        <Button
          variant="secondary"
          className="mt-2"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {query.isFetchingNextPage ? "Loading…" : `Show more ${phase} events`}
        </Button>
      ) : null}
    </section>
  );
}

function PhaseLegend() {
  return (
    <ul aria-label="Phase colours" className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs">
      {PHASES.map(([, label]) => (
        <li key={label} className="flex items-center gap-1.5">
          <span
            aria-hidden="true"
            className="inline-block h-3 w-3 rounded-sm"
            style={{ backgroundColor: PHASE_COLOURS[label] }}
          />
          {label}
        </li>
      ))}
    </ul>
  );
}

/** In the by-phase view every section may be empty under the filters: say so once. */
function AnyMatch({ incident, filters }: { incident: string; filters: EventFilters }) {
  const query = useEventPages(incident, filters, 1);
  if (query.data && query.data.pages[0]?.items.length === 0) return <NoEvents filtered />;
  return null;
}

function NoEvents({ filtered }: { filtered: boolean }) {
  return filtered ? (
    <EmptyState title="No events match these filters">
      Try another lane, phase or date range, or fewer search words. Reset clears every filter.
    </EmptyState>
  ) : (
    <EmptyState title="No events yet">
      This incident has no timeline events. Responders add the first one with “Add event”; it appears here for
      everyone at once.
    </EmptyState>
  );
}

export function TimelineExplorer(props: TimelineExplorerProps) {
  const { incident, timeZone, filters, view, canEdit, options, milestones, gap, eventCount } = props;
  const router = useRouter();
  const pathname = usePathname();
  const streamStatus = useIncidentStream(incident);
  const [editing, setEditing] = useState<TimelineEventDto | "new" | null>(null);

  const setParams = useCallback(
    (changes: Record<string, string | undefined>) => {
      const params = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value) params.set(key, value);
        else params.delete(key);
      }
      params.delete("cursor");
      router.replace(`${pathname}?${params.toString()}`, { scroll: false });
    },
    [pathname, router],
  );

  const bucketRange = { lane: filters.lane, phase: filters.phase };
  const buckets = useQuery({
    queryKey: queryKeys.buckets(incident, bucketRange),
    queryFn: () => {
      // The API allows up to 1000 points; a chart a screen wide reads best with fewer, wider bars.
      const params = new URLSearchParams({ max: "160" });
      if (filters.lane) params.set("lane", filters.lane);
      if (filters.phase) params.set("phase", filters.phase);
      return apiFetch<BucketsResponse>(
        `/api/v1/incidents/${encodeURIComponent(incident)}/timeline/buckets?${params.toString()}`,
      );
    },
  });

  const formatTick = useCallback(
    (ms: number) => formatDating({ occurredAt: new Date(ms), precision: "day" }, timeZone),
    [timeZone],
  );
  const onEdit = canEdit ? (event: TimelineEventDto) => setEditing(event) : undefined;
  const zoomed = Boolean(filters.from || filters.to);

  return (
    <div className="space-y-6">
      <Card aria-labelledby="chart-heading">
        <CardHeader
          id="chart-heading"
          title="Adversary and response over time"
          description="Adversary events above the line, response events below. Drag the handles under the chart to zoom; the list follows."
          actions={
            zoomed ? (
              <Button variant="secondary" onClick={() => setParams({ from: undefined, to: undefined })}>
                Reset zoom
              </Button>
            ) : null
          }
        />
        <figure className="p-4">
          {buckets.isError ? (
            <ErrorNote error={buckets.error} />
          ) : buckets.data ? (
            buckets.data.buckets.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">No events to chart yet.</p>
            ) : (
              <TimelineChart
                buckets={buckets.data.buckets}
                from={buckets.data.from}
                to={buckets.data.to}
                bucketSeconds={buckets.data.bucketSeconds}
                milestones={milestones}
                gap={gap}
                formatTick={formatTick}
                selection={{ from: filters.from, to: filters.to }}
                onZoom={(range) => setParams(range)}
                labelledBy="chart-heading"
                describedBy="chart-caption"
              />
            )
          ) : (
            <Skeleton className="h-[260px] w-full" />
          )}
          {buckets.data ? <PhaseLegend /> : null}
          {buckets.data ? (
            <figcaption id="chart-caption" className="mt-2 text-xs text-slate-600 dark:text-slate-400">
              {buckets.data.total.adversary} adversary and {buckets.data.total.response} response events from{" "}
              {formatTick(Date.parse(buckets.data.from))} to {formatTick(Date.parse(buckets.data.to))}, in
              bars of{" "}
              {buckets.data.bucketSeconds >= 86_400
                ? `${Math.round(buckets.data.bucketSeconds / 86_400)} day(s)`
                : `${Math.round(buckets.data.bucketSeconds / 3600)} hour(s)`}
              .{gap ? ` Shaded: ${gap.label}.` : ""} Milestones are listed under Key times.
            </figcaption>
          ) : null}
        </figure>
      </Card>

      <Card aria-labelledby="events-heading">
        <CardHeader
          id="events-heading"
          title="Timeline events"
          description={`${eventCount} events in this incident. Dates as the sources gave them; times of day in ${timeZone}.`}
          actions={
            <div className="flex items-center gap-3">
              <span className="text-xs text-slate-600 dark:text-slate-400" role="status" aria-live="polite">
                {streamStatus === "live"
                  ? "● Live"
                  : streamStatus === "reconnecting"
                    ? "Reconnecting…"
                    : "Connecting…"}
              </span>
              {canEdit ? (
                <button type="button" className={buttonClasses("primary")} onClick={() => setEditing("new")}>
                  Add event
                </button>
              ) : null}
            </div>
          }
        />
        <div className="space-y-4 p-4">
          <TimelineFilterBar
            key={JSON.stringify([filters, view, timeZone])}
            filters={filters}
            view={view}
            timeZone={timeZone}
            options={options}
            onChange={setParams}
          />
          {eventCount === 0 ? (
            <NoEvents filtered={false} />
          ) : view === "chronological" ? (
            <ChronologicalList incident={incident} filters={filters} timeZone={timeZone} onEdit={onEdit} />
          ) : filters.phase ? (
            <PhaseSection
              incident={incident}
              filters={filters}
              phase={filters.phase}
              timeZone={timeZone}
              onEdit={onEdit}
            />
          ) : (
            <>
              <AnyMatch incident={incident} filters={filters} />
              {PHASES.map(([, label]) => (
                <PhaseSection
                  key={label}
                  incident={incident}
                  filters={filters}
                  phase={label}
                  timeZone={timeZone}
                  onEdit={onEdit}
                />
              ))}
            </>
          )}
        </div>
      </Card>

      {canEdit && editing ? (
        <EventEditorDialog
          incident={incident}
          event={editing === "new" ? null : editing}
          options={options}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </div>
  );
}

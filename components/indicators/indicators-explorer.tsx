"use client";

// The incident's indicators: filters and sort kept in the URL, one table virtualized against the
// window and paged by keyset as it scrolls (only the rows on screen are in the DOM, and each page is
// one indexed query however deep), a detail dialog per row, and for writers adding, editing and
// deleting. Live changes arrive through the incident's event stream.
import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import type { ChangeNotice } from "@/lib/domain/changes";
import type { IndicatorDto, IndicatorPage } from "@/lib/domain/indicators/dto";
import { apiFetch, apiRequest } from "@/lib/api-client";
import { queryKeys, type IndicatorFilters } from "@/lib/query-keys";
import { useIncidentStream } from "../timeline/use-incident-stream";
import { TlpBadge } from "../ui/badge";
import { Button, buttonClasses } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { ModalDialog } from "../ui/modal-dialog";
import { Skeleton } from "../ui/skeleton";
import { IndicatorDetailDialog } from "./indicator-detail";
import {
  errorText,
  ErrorNote,
  fieldErrorsOf,
  formatSeen,
  indicatorsApi,
  indicatorTypeLabel as typeLabel,
} from "./indicator-display";
import { IndicatorFilterBar } from "./indicator-filter-bar";
import { IndicatorForm, type IndicatorFormBody, type OrganizationOption } from "./indicator-form";

const PAGE_SIZE = 100;
/** Up to this many loaded pages a change refetches them all; beyond, the list offers a reload instead. */
const REFETCH_PAGES = 3;
const COLUMNS = 10;

type Pages = InfiniteData<IndicatorPage, string | null>;

export interface IndicatorsExplorerProps {
  incident: string;
  filters: IndicatorFilters;
  /** The first page, rendered on the server for these filters (null if it could not be). */
  initialPage: IndicatorPage | null;
  canWrite: boolean;
  canImport: boolean;
  canExport: boolean;
  organizations: OrganizationOption[];
}

function listUrl(incident: string, filters: IndicatorFilters, cursor: string | null) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  params.set("limit", String(PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return `${indicatorsApi(incident)}?${params.toString()}`;
}

function sourceLabel(source: string): string {
  try {
    return new URL(source).hostname.replace(/^www\./, "");
  } catch {
    return source;
  }
}

function Linked({ indicator }: { indicator: IndicatorDto }) {
  const { events, organizations } = indicator;
  if (events.length === 0 && organizations.length === 0) return <span>—</span>;
  return (
    <>
      {events.length > 0 ? (
        <span className="block whitespace-nowrap">
          {events.length} {events.length === 1 ? "event" : "events"}
        </span>
      ) : null}
      {organizations.length > 0 ? (
        <span className="block" title={organizations.map((o) => o.name).join(", ")}>
          {organizations.length <= 2
            ? organizations.map((o) => o.name).join(", ")
            : `${organizations[0]?.name}, +${organizations.length - 1} more`}
        </span>
      ) : null}
    </>
  );
}

/** Memoized: while scrolling, only rows that come into view render. */
const IndicatorRow = memo(function IndicatorRow({
  indicator,
  index,
  measure,
  onOpen,
}: {
  indicator: IndicatorDto;
  index: number;
  measure: (node: HTMLTableRowElement | null) => void;
  onOpen: (indicator: IndicatorDto) => void;
}) {
  return (
    <tr
      ref={measure}
      data-index={index}
      aria-rowindex={index + 2}
      data-testid="indicator-row"
      className="align-top hover:bg-slate-50 dark:hover:bg-slate-800/40"
    >
      <th
        scope="row"
        className="sticky left-0 z-10 max-w-[14rem] min-w-[10rem] bg-white px-3 py-2 text-left font-mono text-xs font-medium break-all sm:max-w-[22rem] sm:min-w-[13rem] dark:bg-slate-900"
      >
        {indicator.value}
      </th>
      <td className="px-3 py-2 text-xs whitespace-nowrap">{typeLabel(indicator.type)}</td>
      <td className="px-3 py-2 text-xs whitespace-nowrap tabular-nums">
        {indicator.firstSeenAt || indicator.lastSeenAt ? (
          <>
            <span className="block">
              <span className="sr-only">First seen </span>
              {formatSeen(indicator.firstSeenAt)}
            </span>
            <span className="block text-slate-600 dark:text-slate-400">
              <span className="sr-only">Last seen </span>
              <span aria-hidden="true">to </span>
              {formatSeen(indicator.lastSeenAt)}
            </span>
          </>
        ) : (
          "—"
        )}
      </td>
      <td className="px-3 py-2 text-xs tabular-nums">{indicator.confidence ?? "—"}</td>
      <td className="px-3 py-2">
        <TlpBadge tlp={indicator.tlp} />
      </td>
      <td className="max-w-xs min-w-[9rem] px-3 py-2 text-xs">
        <span className="line-clamp-3 break-words" title={indicator.description ?? undefined}>
          {indicator.description ?? "—"}
        </span>
      </td>
      <td className="max-w-[9rem] px-3 py-2 text-xs break-words">
        {indicator.source ? (
          /^https?:\/\//.test(indicator.source) ? (
            <a
              href={indicator.source}
              target="_blank"
              rel="noopener noreferrer"
              className="text-indigo-700 underline dark:text-indigo-300"
            >
              {sourceLabel(indicator.source)}
            </a>
          ) : (
            <span className="line-clamp-2">{indicator.source}</span>
          )
        ) : (
          "—"
        )}
      </td>
      <td className="min-w-[6rem] px-3 py-2 text-xs">
        <Linked indicator={indicator} />
      </td>
      <td className="px-3 py-2 text-xs tabular-nums">{indicator.sightingsCount}</td>
      <td className="px-3 py-2 whitespace-nowrap">
        <Button
          variant="ghost"
          onClick={() => onOpen(indicator)}
          aria-label={`Details of ${indicator.value}`}
        >
          Details
        </Button>
      </td>
    </tr>
  );
});

function TableSkeleton() {
  return (
    <div role="status" className="space-y-2">
      <span className="sr-only">Loading indicators…</span>
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} className="h-12" />
      ))}
    </div>
  );
}

/** The table; rows outside the window are replaced by two spacer rows, so it stays a real table. */
function useIndicatorPages(incident: string, filters: IndicatorFilters, initialPage: IndicatorPage | null) {
  return useInfiniteQuery({
    queryKey: queryKeys.indicatorList(incident, filters),
    queryFn: ({ pageParam }) => apiFetch<IndicatorPage>(listUrl(incident, filters, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    ...(initialPage ? { initialData: { pages: [initialPage], pageParams: [null] } } : {}),
  });
}

function IndicatorTable({
  query,
  onOpen,
  empty,
}: {
  query: ReturnType<typeof useIndicatorPages>;
  onOpen: (indicator: IndicatorDto) => void;
  empty: ReactNode;
}) {
  // Recomputed only when a page arrives, not on every scroll frame (deep scrolls hold many pages).
  const pages = query.data?.pages;
  const items = useMemo(() => pages?.flatMap((page) => page.items) ?? [], [pages]);

  // The table starts below the header and filters: the window virtualizer must know how far down.
  const bodyRef = useRef<HTMLTableSectionElement | null>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const measure = () =>
      setScrollMargin((bodyRef.current?.getBoundingClientRect().top ?? 0) + window.scrollY);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [query.isPending]);

  const virtualizer = useWindowVirtualizer({
    count: items.length + (query.hasNextPage ? 1 : 0),
    estimateSize: () => 64,
    overscan: 10,
    scrollMargin,
    // Server rendering has no window: render the first screenful.
    initialRect: { width: 1280, height: 960 },
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = query;
  useEffect(() => {
    if (lastIndex >= items.length - 1 && hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, isError, fetchNextPage]);

  if (query.isPending) return <TableSkeleton />;
  if (query.isError && items.length === 0)
    return (
      <div className="space-y-2">
        <ErrorNote
          error={query.error}
          fallback="The indicators could not be loaded. Check your connection, then try again."
        />
        <Button variant="secondary" onClick={() => void query.refetch()}>
          Try again
        </Button>
      </div>
    );
  if (items.length === 0) return <>{empty}</>;

  const first = virtualItems[0];
  const last = virtualItems.at(-1);
  const paddingTop = first ? first.start - virtualizer.options.scrollMargin : 0;
  const paddingBottom = last ? virtualizer.getTotalSize() - (last.end - virtualizer.options.scrollMargin) : 0;

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table
        className="w-full text-left text-sm"
        aria-rowcount={(query.data?.pages[0]?.total ?? items.length) + 1}
      >
        <caption className="sr-only">Indicators of this incident</caption>
        <thead className="bg-slate-50 text-xs text-slate-600 uppercase dark:bg-slate-800/50 dark:text-slate-400">
          <tr aria-rowindex={1}>
            <th
              scope="col"
              className="sticky left-0 z-10 bg-slate-50 px-3 py-2 dark:bg-[color-mix(in_oklab,var(--color-slate-800)_50%,var(--color-slate-900))]"
            >
              Value
            </th>
            <th scope="col" className="px-3 py-2">
              Type
            </th>
            <th scope="col" className="px-3 py-2 whitespace-nowrap">
              First / last seen
            </th>
            <th scope="col" className="px-3 py-2">
              Confidence
            </th>
            <th scope="col" className="px-3 py-2">
              TLP
            </th>
            <th scope="col" className="px-3 py-2">
              Description
            </th>
            <th scope="col" className="px-3 py-2">
              Source
            </th>
            <th scope="col" className="px-3 py-2">
              Linked
            </th>
            <th scope="col" className="px-3 py-2">
              Sightings
            </th>
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody ref={bodyRef} className="divide-y divide-slate-200 dark:divide-slate-800">
          {paddingTop > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={COLUMNS} style={{ height: paddingTop, padding: 0 }} />
            </tr>
          ) : null}
          {virtualItems.map((row) => {
            const indicator = items[row.index];
            return indicator ? (
              <IndicatorRow
                key={indicator.id}
                indicator={indicator}
                index={row.index}
                measure={virtualizer.measureElement}
                onOpen={onOpen}
              />
            ) : (
              <tr key="more" ref={virtualizer.measureElement} data-index={row.index}>
                <td colSpan={COLUMNS} className="px-3 py-3 text-sm text-slate-600 dark:text-slate-400">
                  {query.isError ? (
                    <span role="alert">
                      {errorText(query.error, "The next indicators could not be loaded.")}{" "}
                      <Button variant="secondary" onClick={() => void query.fetchNextPage()}>
                        Try again
                      </Button>
                    </span>
                  ) : (
                    <span role="status">Loading more indicators…</span>
                  )}
                </td>
              </tr>
            );
          })}
          {paddingBottom > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={COLUMNS} style={{ height: paddingBottom, padding: 0 }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function AddIndicatorDialog({
  incident,
  organizations,
  onClose,
  onAdded,
}: {
  incident: string;
  organizations: OrganizationOption[];
  onClose: () => void;
  onAdded: (indicator: IndicatorDto, created: boolean) => void;
}) {
  const mutation = useMutation({
    mutationFn: (body: IndicatorFormBody) =>
      apiRequest<IndicatorDto>(indicatorsApi(incident), {
        method: "POST",
        json: body,
        headers: { "idempotency-key": crypto.randomUUID() },
      }),
    onSuccess: ({ status, body }) => onAdded(body, status === 201),
  });
  return (
    <ModalDialog
      title="Add an indicator"
      description="If the incident already holds it (same type and value), the stored one is kept and its first and last seen are widened."
      size="lg"
      onClose={onClose}
    >
      <IndicatorForm
        indicator={null}
        organizations={organizations}
        errors={fieldErrorsOf(mutation.error)}
        message={
          mutation.error ? errorText(mutation.error, "The indicator could not be added. Try again.") : null
        }
        pending={mutation.isPending}
        submitLabel="Add indicator"
        onSubmit={(body) => mutation.mutate(body)}
        onCancel={onClose}
      />
    </ModalDialog>
  );
}

export function IndicatorsExplorer({
  incident,
  filters,
  initialPage,
  canWrite,
  canImport,
  canExport,
  organizations,
}: IndicatorsExplorerProps) {
  const router = useRouter();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<IndicatorDto | null>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [outdated, setOutdated] = useState(false);
  const listKey = queryKeys.indicatorList(incident, filters);

  const setParams = useCallback(
    (changes: Record<string, string | undefined>) => {
      const params = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value) params.set(key, value);
        else params.delete(key);
      }
      params.delete("cursor");
      setOutdated(false);
      router.replace(params.size > 0 ? `${pathname}?${params.toString()}` : pathname, { scroll: false });
    },
    [pathname, router],
  );

  /** Brings the list up to date after a change: quietly when few pages are loaded, else on request. */
  const refreshList = useCallback(() => {
    const data = queryClient.getQueryData<Pages>(listKey);
    const small = (data?.pages.length ?? 0) <= REFETCH_PAGES;
    void queryClient.invalidateQueries({
      queryKey: [...queryKeys.indicators(incident), "list"],
      refetchType: small ? "active" : "none",
    });
    if (!small) setOutdated(true);
  }, [queryClient, incident, listKey]);

  const reloadList = useCallback(() => {
    // Keep only the first page, then refetch it: the list starts over from the top.
    queryClient.setQueryData<Pages>(listKey, (old) =>
      old ? { pages: old.pages.slice(0, 1), pageParams: old.pageParams.slice(0, 1) } : old,
    );
    void queryClient.invalidateQueries({ queryKey: listKey });
    setOutdated(false);
  }, [queryClient, listKey]);

  const onStreamChange = useCallback(
    (change: ChangeNotice | null) => {
      // Indicator rows show linked events and organizations, so their changes count too.
      if (change === null || change.entity !== "finding") refreshList();
    },
    [refreshList],
  );
  const streamStatus = useIncidentStream(incident, onStreamChange);

  /** Shows a saved or deleted indicator in every loaded page at once, before any refetch. */
  const patchLoaded = useCallback(
    (saved: IndicatorDto | null, id: string) => {
      queryClient.setQueriesData<Pages>({ queryKey: [...queryKeys.indicators(incident), "list"] }, (old) =>
        old
          ? {
              ...old,
              pages: old.pages.map((page) => ({
                ...page,
                items: saved
                  ? page.items.map((item) => (item.id === id ? saved : item))
                  : page.items.filter((item) => item.id !== id),
              })),
            }
          : old,
      );
      if (saved) queryClient.setQueryData(queryKeys.indicator(incident, id), saved);
      refreshList();
    },
    [queryClient, incident, refreshList],
  );

  const query = useIndicatorPages(incident, filters, initialPage);
  const total = query.data?.pages[0]?.total;
  const filtered = Boolean(filters.type || filters.tlp || filters.q);
  const api = indicatorsApi(incident);
  const importHref = `/incidents/${encodeURIComponent(incident)}/indicators/import`;

  const empty = filtered ? (
    <EmptyState title="No indicator matches these filters">
      Choose another type or TLP, or search for part of a value. Reset clears every filter.
    </EmptyState>
  ) : (
    <EmptyState
      title="No indicators yet"
      action={
        canWrite ? (
          <div className="flex flex-wrap justify-center gap-2">
            {canImport ? (
              <Link href={importHref} className={buttonClasses("primary")}>
                Import indicators
              </Link>
            ) : null}
            <Button variant="secondary" onClick={() => setAdding(true)}>
              Add indicator
            </Button>
          </div>
        ) : null
      }
    >
      {canWrite
        ? "Import a list or add one: paste indicators from a report (defanged values such as 203.0.113[.]7 are fine), upload a CSV file or a STIX 2.1 bundle, or add a single indicator."
        : "Responders import or add indicators as the investigation finds them; they appear here at once."}
    </EmptyState>
  );

  return (
    <Card aria-labelledby="indicators-heading">
      <CardHeader
        id="indicators-heading"
        title="Indicators"
        description={
          <span data-testid="indicator-total">
            {total === undefined || total === null
              ? "Counting indicators…"
              : `${total.toLocaleString("en-US")} ${total === 1 ? "indicator" : "indicators"}${filtered ? " match these filters" : ""}`}
          </span>
        }
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-xs text-slate-600 dark:text-slate-400" role="status" aria-live="polite">
              {streamStatus === "live"
                ? "● Live"
                : streamStatus === "reconnecting"
                  ? "Reconnecting…"
                  : "Connecting…"}
            </span>
            {canExport ? (
              <>
                <a href={`${api}/export?format=stix`} download className={buttonClasses("secondary")}>
                  Export STIX 2.1
                </a>
                <a href={`${api}/export?format=csv`} download className={buttonClasses("secondary")}>
                  Export CSV
                </a>
              </>
            ) : null}
            {canImport ? (
              <Link href={importHref} className={buttonClasses("secondary")}>
                Import indicators
              </Link>
            ) : null}
            {canWrite ? <Button onClick={() => setAdding(true)}>Add indicator</Button> : null}
          </div>
        }
      />
      <div className="space-y-4 p-4">
        <IndicatorFilterBar key={JSON.stringify(filters)} filters={filters} onChange={setParams} />
        {notice ? (
          <p
            role="status"
            className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-200"
          >
            <span>{notice}</span>
            <Button variant="ghost" onClick={() => setNotice(null)} aria-label="Dismiss">
              ✕
            </Button>
          </p>
        ) : null}
        {outdated ? (
          <p
            role="status"
            className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-200"
          >
            <span>Indicators changed since this list was loaded.</span>
            <Button variant="secondary" onClick={reloadList}>
              Reload the list
            </Button>
          </p>
        ) : null}
        <IndicatorTable query={query} onOpen={setOpen} empty={empty} />
      </div>

      {open ? (
        <IndicatorDetailDialog
          incident={incident}
          indicator={open}
          canWrite={canWrite}
          organizations={organizations}
          onClose={() => setOpen(null)}
          onChanged={(saved, id) => {
            patchLoaded(saved, id);
            if (!saved) setNotice("Indicator deleted.");
          }}
        />
      ) : null}
      {canWrite && adding ? (
        <AddIndicatorDialog
          incident={incident}
          organizations={organizations}
          onClose={() => setAdding(false)}
          onAdded={(indicator, created) => {
            setAdding(false);
            setNotice(
              created
                ? `Added ${indicator.value}.`
                : `${indicator.value} was already stored; its first and last seen were widened.`,
            );
            refreshList();
          }}
        />
      ) : null}
    </Card>
  );
}

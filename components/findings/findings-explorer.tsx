"use client";

// The incident's findings: filters in the URL (a plain GET form), the list paged by keyset, and for
// writers a dialog to write or change one. Live changes arrive through the incident's event stream.
import { useInfiniteQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useState, type ReactNode } from "react";
import { apiFetch } from "@/lib/api-client";
import type { ChangeNotice } from "@/lib/domain/changes";
import type { FindingDto, FindingLinkOptions, FindingPage } from "@/lib/domain/findings/dto";
import { FINDING_SEVERITIES, FINDING_STATUSES } from "@/lib/domain/findings/vocabulary";
import { queryKeys, type FindingFilters } from "@/lib/query-keys";
import { ErrorNote } from "../indicators/indicator-display";
import { useIncidentStream } from "../timeline/use-incident-stream";
import { Badge } from "../ui/badge";
import { Button, buttonClasses } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { inputClass } from "../ui/modal-dialog";
import { SeverityBadge, StatusBadge, findingsApi, formatInstant } from "./finding-display";
import { FindingForm } from "./finding-form";
import { FindingHistoryDialog } from "./finding-history";

const PAGE_SIZE = 50;

function listUrl(incident: string, filters: FindingFilters, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  params.set("limit", String(PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return `${findingsApi(incident)}?${params}`;
}

export function FindingsExplorer({
  incident,
  filters,
  initialPage,
  canWrite,
  linkOptions,
}: {
  incident: string;
  filters: FindingFilters;
  initialPage: FindingPage | null;
  canWrite: boolean;
  linkOptions: FindingLinkOptions;
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<FindingDto | "new" | null>(null);
  const [historyOf, setHistoryOf] = useState<FindingDto | null>(null);

  const query = useInfiniteQuery({
    queryKey: queryKeys.findingList(incident, filters),
    queryFn: ({ pageParam }) => apiFetch<FindingPage>(listUrl(incident, filters, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    ...(initialPage ? { initialData: { pages: [initialPage], pageParams: [null] } } : {}),
  });

  const onChange = useCallback(
    (notice: ChangeNotice | null) => {
      if (notice && notice.entity !== "finding") return;
      void queryClient.invalidateQueries({ queryKey: queryKeys.findings(incident) });
    },
    [incident, queryClient],
  );
  const status = useIncidentStream(incident, onChange);

  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(filters.q || filters.status || filters.severity);

  function onSaved(saved: FindingDto) {
    setEditing(null);
    // Shown at once; the list refetches in the background to place it.
    queryClient.setQueryData<InfiniteData<FindingPage, string | null>>(
      queryKeys.findingList(incident, filters),
      (data) =>
        data && {
          ...data,
          pages: data.pages.map((page, index) => ({
            ...page,
            items:
              index === 0 && !page.items.some((f) => f.id === saved.id)
                ? [saved, ...page.items]
                : page.items.map((f) => (f.id === saved.id ? saved : f)),
          })),
        },
    );
    void queryClient.invalidateQueries({ queryKey: queryKeys.findings(incident) });
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <form method="get" aria-label="Filter findings" className="flex flex-wrap items-end gap-3">
          <label className="text-sm font-medium">
            Search findings
            <input type="search" name="q" defaultValue={filters.q ?? ""} className={inputClass} />
          </label>
          <label className="text-sm font-medium">
            Status
            <select name="status" defaultValue={filters.status ?? ""} className={inputClass}>
              <option value="">Any status</option>
              {FINDING_STATUSES.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium">
            Severity
            <select name="severity" defaultValue={filters.severity ?? ""} className={inputClass}>
              <option value="">Any severity</option>
              {FINDING_SEVERITIES.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={buttonClasses("secondary")}>
            Apply
          </button>
          {filtered ? (
            <Link href={`/incidents/${incident}/findings`} className={buttonClasses("ghost")}>
              Clear
            </Link>
          ) : null}
        </form>
        <div className="flex items-center gap-3">
          <span className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
            {status === "live" ? "Live" : status === "connecting" ? "Connecting…" : "Reconnecting…"}
          </span>
          {canWrite ? <Button onClick={() => setEditing("new")}>New finding</Button> : null}
        </div>
      </div>

      {query.isError && items.length === 0 ? (
        <ErrorNote error={query.error} fallback="The findings could not be loaded." />
      ) : null}

      {items.length === 0 && !query.isPending && !query.isError ? (
        filtered ? (
          <EmptyState title="No findings match">Change or clear the filters.</EmptyState>
        ) : (
          <EmptyState
            title="No findings yet"
            action={
              canWrite ? <Button onClick={() => setEditing("new")}>Write the first finding</Button> : null
            }
          >
            A finding is what the responders concluded, how sure they are, and on what evidence.
          </EmptyState>
        )
      ) : (
        <ul className="space-y-3" aria-label="Findings">
          {items.map((finding) => (
            <li key={finding.id}>
              <FindingCard
                incident={incident}
                finding={finding}
                canWrite={canWrite}
                onEdit={() => setEditing(finding)}
                onHistory={() => setHistoryOf(finding)}
              />
            </li>
          ))}
        </ul>
      )}

      {query.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() => void query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? "Loading…" : "Load more findings"}
        </Button>
      ) : null}

      {editing ? (
        <FindingForm
          incident={incident}
          finding={editing === "new" ? null : editing}
          options={linkOptions}
          onClose={() => setEditing(null)}
          onSaved={onSaved}
        />
      ) : null}
      {historyOf ? (
        <FindingHistoryDialog incident={incident} finding={historyOf} onClose={() => setHistoryOf(null)} />
      ) : null}
    </div>
  );
}

function FindingCard({
  incident,
  finding,
  canWrite,
  onEdit,
  onHistory,
}: {
  incident: string;
  finding: FindingDto;
  canWrite: boolean;
  onEdit: () => void;
  onHistory: () => void;
}) {
  const base = `/incidents/${incident}`;
  const headingId = `finding-${finding.id}-title`;
  return (
    <article
      id={`finding-${finding.id}`}
      aria-labelledby={headingId}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id={headingId} className="text-base font-semibold">
            {finding.title}
          </h2>
          <div className="mt-1 flex flex-wrap gap-1.5">
            <SeverityBadge severity={finding.severity} />
            <StatusBadge status={finding.status} />
            <Badge title="Confidence">confidence: {finding.confidence}</Badge>
          </div>
        </div>
        <div className="flex gap-2">
          <Button variant="ghost" onClick={onHistory} aria-label={`History of ${finding.title}`}>
            History
          </Button>
          {canWrite ? (
            <Button variant="secondary" onClick={onEdit} aria-label={`Edit ${finding.title}`}>
              Edit
            </Button>
          ) : null}
        </div>
      </div>
      <div
        className="mt-3 text-sm text-slate-800 dark:text-slate-200 [&_a]:text-indigo-700 [&_a]:underline dark:[&_a]:text-indigo-300 [&_code]:font-mono [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_ol]:list-decimal [&_ol]:pl-5 [&_p]:my-1.5 [&_ul]:list-disc [&_ul]:pl-5"
        // Rendered and sanitized on the server (lib/markdown/render.ts).
        dangerouslySetInnerHTML={{ __html: finding.bodyHtml }}
      />
      <dl className="mt-3 grid gap-x-4 gap-y-2 text-sm sm:grid-cols-2">
        {finding.events.length ? (
          <LinkList label="Events">
            {finding.events.map((e) => (
              <li key={e.id}>
                <Link className="underline" href={`${base}/timeline?q=${encodeURIComponent(e.title)}`}>
                  {e.title}
                </Link>
              </li>
            ))}
          </LinkList>
        ) : null}
        {finding.indicators.length ? (
          <LinkList label="Indicators">
            {finding.indicators.map((i) => (
              <li key={i.id}>
                <Link
                  className="font-mono underline"
                  href={`${base}/indicators?q=${encodeURIComponent(i.value)}`}
                >
                  {i.value}
                </Link>{" "}
                <span className="text-slate-600 dark:text-slate-400">({i.type})</span>
              </li>
            ))}
          </LinkList>
        ) : null}
        {finding.organizations.length ? (
          <LinkList label="Organizations">
            {finding.organizations.map((o) => (
              <li key={o.id}>
                <Link className="underline" href={`${base}/organizations?q=${encodeURIComponent(o.name)}`}>
                  {o.name}
                </Link>
              </li>
            ))}
          </LinkList>
        ) : null}
        {finding.techniques.length ? (
          <LinkList label="ATT&CK techniques">
            {finding.techniques.map((t) => (
              <li key={t.id}>
                <span className="font-mono">{t.id}</span> {t.name}
              </li>
            ))}
          </LinkList>
        ) : null}
        {finding.evidence.length ? (
          <LinkList label="Evidence">
            {finding.evidence.map((e) => (
              <li key={e.id}>
                {e.description} — <span className="break-all">{e.location}</span>
                {e.sha256 ? (
                  <span className="block font-mono text-xs break-all text-slate-600 dark:text-slate-400">
                    sha256 {e.sha256}
                  </span>
                ) : null}
              </li>
            ))}
          </LinkList>
        ) : null}
      </dl>
      <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">
        Version {finding.version} · changed {finding.updatedBy ? `by ${finding.updatedBy} ` : ""}
        <time dateTime={finding.updatedAt}>{formatInstant(finding.updatedAt)}</time>
      </p>
    </article>
  );
}

function LinkList({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="font-medium">{label}</dt>
      <dd>
        <ul className="space-y-0.5">{children}</ul>
      </dd>
    </div>
  );
}

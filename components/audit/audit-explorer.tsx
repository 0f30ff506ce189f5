"use client";

// The incident's audit trail: filters in the URL (a plain GET form), entries newest first paged by
// keyset, each with who, when, what record, and what changed (before → after per field). Every value
// is shown as text: entries keep what people typed, markdown and hostile strings included.
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useId, useState } from "react";
import { apiFetch } from "@/lib/api-client";
import type { ChangeNotice } from "@/lib/domain/changes";
import type { AuditEntryDto, AuditFilterOptions, AuditPage } from "@/lib/domain/audit/dto";
import type { AuditFieldChange } from "@/lib/domain/audit/diff";
import { queryKeys } from "@/lib/query-keys";
import { formatDating } from "@/lib/time/format";
import type { AuditFilters } from "@/lib/validation/audit";
import { ErrorNote } from "../indicators/indicator-display";
import { useIncidentStream } from "../timeline/use-incident-stream";
import { Badge, type Tone } from "../ui/badge";
import { Button, buttonClasses } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { FilterInput, FilterSelect } from "../ui/filter-field";
import { actionLabel, entityHref, entityLabel } from "./audit-labels";

const PAGE_SIZE = 50;
/** Values longer than this (or with more lines) are shortened until the reader expands them. */
const SHORT_CHARS = 240;
const SHORT_LINES = 6;

const auditApi = (incident: string) => `/api/v1/incidents/${encodeURIComponent(incident)}/audit`;
/** Under the incident's key, so whatever refreshes the incident refreshes its trail too. */
const auditKey = (incident: string, filters: AuditFilters) =>
  [...queryKeys.incident(incident), "audit", filters] as const;

function listUrl(incident: string, filters: AuditFilters, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  params.set("limit", String(PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return `${auditApi(incident)}?${params}`;
}

const formatAt = (iso: string) => formatDating({ occurredAt: iso, precision: "exact" }, "UTC");

/** The URL's bound as a datetime-local value (UTC): a date alone covers that whole day. */
function localValue(value: string | undefined, bound: "from" | "to"): string {
  if (!value) return "";
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T${bound === "from" ? "00:00" : "23:59"}`;
  const plain = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)$/.exec(value);
  if (plain) return `${plain[1]}T${plain[2]}`;
  const parsed = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(parsed.getTime()) ? "" : parsed.toISOString().slice(0, 19);
}

export function AuditExplorer({
  incident,
  filters,
  initialPage,
  options,
}: {
  incident: string;
  filters: AuditFilters;
  initialPage: AuditPage | null;
  options: AuditFilterOptions;
}) {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: auditKey(incident, filters),
    queryFn: ({ pageParam }) => apiFetch<AuditPage>(listUrl(incident, filters, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    ...(initialPage ? { initialData: { pages: [initialPage], pageParams: [null] } } : {}),
  });

  // Every change writes an entry: any notice (or a reconnect) means the trail may have grown.
  const onChange = useCallback(
    (_notice: ChangeNotice | null) => {
      void queryClient.invalidateQueries({ queryKey: auditKey(incident, filters) });
    },
    [incident, filters, queryClient],
  );
  const status = useIncidentStream(incident, onChange);

  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.values(filters).some(Boolean);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <form
          method="get"
          aria-label="Filter the audit trail"
          className="grid w-full grid-cols-1 gap-3 sm:grid-cols-2 lg:w-auto lg:grid-cols-[repeat(3,minmax(0,11rem))_repeat(2,minmax(0,14rem))_auto]"
        >
          <FilterSelect
            label="User"
            name="actor"
            defaultValue={filters.actor ?? ""}
            empty="Anyone"
            options={options.actors}
          />
          <FilterSelect
            label="Record"
            name="entity"
            defaultValue={filters.entity ?? ""}
            empty="Any kind"
            options={options.entityTypes.map((type) => ({ value: type, label: entityLabel(type) }))}
          />
          <FilterSelect
            label="Action"
            name="action"
            defaultValue={filters.action ?? ""}
            empty="Any action"
            options={options.actions.map((action) => ({ value: action, label: actionLabel(action) }))}
          />
          <FilterInput
            label="From (UTC)"
            type="datetime-local"
            step={1}
            name="from"
            defaultValue={localValue(filters.from, "from")}
          />
          <FilterInput
            label="To (UTC)"
            type="datetime-local"
            step={1}
            name="to"
            defaultValue={localValue(filters.to, "to")}
          />
          <div className="flex items-end gap-2">
            <button type="submit" className={buttonClasses("secondary")}>
              Apply
            </button>
            {filtered ? (
              <Link href={`/incidents/${incident}/audit`} className={buttonClasses("ghost")}>
                Clear
              </Link>
            ) : null}
          </div>
        </form>
        <span className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
          {status === "live" ? "Live" : status === "connecting" ? "Connecting…" : "Reconnecting…"}
        </span>
      </div>

      {query.isError && items.length === 0 ? (
        <ErrorNote error={query.error} fallback="The audit trail could not be loaded." />
      ) : null}

      {query.isPending && items.length === 0 ? (
        <div role="status" className="space-y-3">
          <span className="sr-only">Loading the audit trail…</span>
          <div className="h-28 animate-pulse rounded-lg bg-slate-200 dark:bg-slate-800" />
          <div className="h-28 animate-pulse rounded-lg bg-slate-200 dark:bg-slate-800" />
        </div>
      ) : items.length === 0 && !query.isError ? (
        filtered ? (
          <EmptyState
            title="No changes match"
            action={
              <Link href={`/incidents/${incident}/audit`} className={buttonClasses("secondary")}>
                Clear the filters
              </Link>
            }
          >
            No entry of this incident&apos;s audit trail matches these filters. Widen the time range or choose
            another user, record or action.
          </EmptyState>
        ) : (
          <EmptyState title="No changes recorded yet">
            Every change to this incident&apos;s timeline, organizations, indicators and findings is recorded
            here with who made it and what it changed. Nothing has been changed yet.
          </EmptyState>
        )
      ) : (
        <ol className="space-y-3" aria-label="Audit entries">
          {items.map((entry) => (
            <li key={entry.id}>
              <AuditEntryCard incident={incident} entry={entry} />
            </li>
          ))}
        </ol>
      )}

      {query.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() => void query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? "Loading…" : "Load older entries"}
        </Button>
      ) : items.length > 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {filtered ? "That is every matching entry." : "That is the whole trail."}
        </p>
      ) : null}
      {query.isError && items.length > 0 ? (
        <ErrorNote error={query.error} fallback="Older entries could not be loaded." />
      ) : null}
    </div>
  );
}

const KIND_TONES: Record<AuditEntryDto["kind"], Tone> = {
  create: "green",
  update: "blue",
  delete: "red",
  none: "neutral",
};

function AuditEntryCard({ incident, entry }: { incident: string; entry: AuditEntryDto }) {
  const headingId = `audit-${entry.id}-title`;
  const { entity } = entry;
  const name = entity.label ?? entity.id;
  return (
    <article
      aria-labelledby={headingId}
      data-testid="audit-entry"
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={headingId} className="flex flex-wrap items-center gap-2 text-base font-semibold">
            <Badge tone={KIND_TONES[entry.kind]}>{entry.action}</Badge>
            <span>{actionLabel(entry.action)}</span>
          </h2>
          <p className="mt-1 text-sm break-words">
            <span className="text-slate-600 dark:text-slate-400">{entityLabel(entity.type)}: </span>
            {entity.link ? (
              <Link className="underline" href={entityHref(incident, entity.link)}>
                {name}
              </Link>
            ) : (
              <span>{name}</span>
            )}
            {!entity.exists && ["event", "finding", "indicator", "organization"].includes(entity.type) ? (
              <span className="text-slate-600 dark:text-slate-400"> (no longer exists)</span>
            ) : null}
          </p>
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          <time dateTime={entry.at}>{formatAt(entry.at)}</time>
        </p>
      </div>
      <p className="mt-1 text-sm">
        <span className="text-slate-600 dark:text-slate-400">By </span>
        {entry.actor.name ? (
          <>
            <span className="font-medium">{entry.actor.name}</span>{" "}
            <span className="text-slate-600 dark:text-slate-400">({entry.actor.label})</span>
          </>
        ) : (
          <span className="font-medium">{entry.actor.label}</span>
        )}
      </p>
      <Changes kind={entry.kind} changes={entry.changes} />
      <p className="mt-2 text-xs break-all text-slate-600 dark:text-slate-400">
        Request id:{" "}
        {entry.requestId ? (
          <code className="font-mono">{entry.requestId}</code>
        ) : (
          "none (not made through the API)"
        )}
      </p>
    </article>
  );
}

function Changes({ kind, changes }: { kind: AuditEntryDto["kind"]; changes: AuditFieldChange[] }) {
  if (changes.length === 0) {
    return <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">No field changed.</p>;
  }
  const single = kind === "create" || kind === "delete";
  return (
    <div className="mt-2 overflow-x-auto">
      <table className="w-full table-fixed text-left text-sm">
        <caption className="sr-only">
          {kind === "create" ? "Values written" : kind === "delete" ? "Values removed" : "Fields changed"}
        </caption>
        <thead>
          <tr className="text-slate-600 dark:text-slate-400">
            <th scope="col" className="w-28 py-1 pr-2 font-medium sm:w-40">
              Field
            </th>
            {single ? (
              <th scope="col" className="py-1 font-medium">
                {kind === "create" ? "Value" : "Value before deletion"}
              </th>
            ) : (
              <>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Before
                </th>
                <th scope="col" className="py-1 font-medium">
                  After
                </th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <tr key={change.field} className="border-t border-slate-100 align-top dark:border-slate-800">
              <th scope="row" className="py-1 pr-2 font-medium break-words">
                {change.field}
              </th>
              {single ? (
                <td className="py-1">
                  <Value value={kind === "create" ? change.after : change.before} />
                </td>
              ) : (
                <>
                  <td className="py-1 pr-2">
                    <Value value={change.before} />
                  </td>
                  <td className="py-1">
                    <Value value={change.after} />
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One value as plain text, shortened when long until the reader asks for all of it. */
function Value({ value }: { value: string | null }) {
  const [expanded, setExpanded] = useState(false);
  const id = useId();
  if (value === null || value === "")
    return <span className="text-slate-500 italic dark:text-slate-400">none</span>;
  const lines = value.split("\n");
  const isLong = value.length > SHORT_CHARS || lines.length > SHORT_LINES;
  const shown =
    !isLong || expanded ? value : `${lines.slice(0, SHORT_LINES).join("\n").slice(0, SHORT_CHARS)}…`;
  return (
    <div>
      <span id={id} className="block font-mono text-xs break-words whitespace-pre-wrap">
        {shown}
      </span>
      {isLong ? (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded((v) => !v)}
          className="mt-1 text-xs font-medium text-indigo-700 underline dark:text-indigo-300"
        >
          {expanded ? "Show less" : `Show all (${value.length.toLocaleString("en")} characters)`}
        </button>
      ) : null}
    </div>
  );
}

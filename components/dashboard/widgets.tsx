// The dashboard's widgets. Each is a server component given plain data; the page wraps each one in its
// own Suspense boundary. Every figure is text; the one chart has its numbers in a table beside it.
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { isHeadlineGroup, type FigureGroupDto } from "@/lib/domain/dashboard/figures";
import type { IncidentPhase } from "@/lib/domain/dashboard/phase";
import type {
  DataStampDto,
  FindingStatusKey,
  IndicatorTypeCountDto,
  WeeklyEventsDto,
} from "@/lib/domain/dashboard/queries";
import type { NotificationOverviewDto } from "@/lib/domain/organizations/queries";
import { formatDating, formatDuration, type Precision } from "@/lib/time/format";
import { cn } from "../ui/cn";
import { WeeklyEventsChartLazy } from "./weekly-events-chart-lazy";

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

export function WidgetSkeleton({ label, className }: { label: string; className?: string }) {
  return (
    <div
      role="status"
      aria-live="polite"
      className={cn("rounded-lg border border-slate-200 p-4 dark:border-slate-800", className)}
    >
      <span className="sr-only">Loading {label}…</span>
      <Skeleton className="h-5 w-1/3" />
      <Skeleton className="mt-3 h-24 w-full" />
    </div>
  );
}

export function DataStamp({ data, computedAt }: { data: DataStampDto; computedAt: string }) {
  const { counts } = data;
  return (
    <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="data-stamp">
      Computed {utc(computedAt)} from {counts.events.toLocaleString("en-US")} events,{" "}
      {counts.organizations.toLocaleString("en-US")} organizations,{" "}
      {counts.indicators.toLocaleString("en-US")} indicators, {counts.findings.toLocaleString("en-US")}{" "}
      findings and {counts.sourcedFigures} sourced figures; last change{" "}
      {data.lastChangeAt ? utc(data.lastChangeAt) : "never"}.
    </p>
  );
}

export function PhaseSteps({ phase, timeZone }: { phase: IncidentPhase; timeZone: string }) {
  return (
    <div>
      <p className="text-sm">
        Phase: <strong data-testid="incident-phase">{phase.currentLabel}</strong>
      </p>
      <ol className="mt-2 grid gap-2 sm:grid-cols-3 lg:grid-cols-6" aria-label="Response phases">
        {phase.steps.map((step) => {
          const isCurrent = step.phase === phase.current;
          return (
            <li
              key={step.phase}
              aria-current={isCurrent ? "step" : undefined}
              className={cn(
                "rounded-md border p-2 text-sm",
                isCurrent
                  ? "border-indigo-600 font-semibold dark:border-indigo-400"
                  : "border-slate-200 dark:border-slate-800",
                step.reachedAt ? "" : "text-slate-500 dark:text-slate-400",
              )}
            >
              <span className="block">{step.label}</span>
              <span className="block text-xs font-normal tabular-nums">
                {step.reachedAt
                  ? formatDating(
                      { occurredAt: step.reachedAt, precision: (step.precision ?? "exact") as Precision },
                      timeZone,
                    )
                  : "not reached"}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

const STATE_ORDER = [
  "pending",
  "notified",
  "delivered",
  "acknowledged",
  "remediated",
  "closed",
  "failed",
] as const;

export function NotificationFunnel({ overview }: { overview: NotificationOverviewDto }) {
  const max = Math.max(1, ...STATE_ORDER.map((state) => overview.byState[state]));
  const deadlineList = (title: string, entries: NotificationOverviewDto["overdue"], over: boolean) => (
    <div>
      <h4 className="text-sm font-semibold">
        {title} ({entries.length})
      </h4>
      {entries.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">None.</p>
      ) : (
        <ul className="mt-1 space-y-0.5 text-sm">
          {entries.map((entry) => (
            <li key={entry.id} className="flex justify-between gap-2">
              <span>{entry.name}</span>
              <span
                className={over ? "text-red-700 dark:text-red-300" : "text-amber-800 dark:text-amber-300"}
              >
                {over ? `${formatDuration(-entry.marginMs)} over` : `${formatDuration(entry.marginMs)} left`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <div>
        <h4 className="text-sm font-semibold">Organizations by notification state ({overview.total})</h4>
        <table className="mt-1 w-full text-sm" data-testid="notification-funnel">
          <caption className="sr-only">Affected organizations by notification state</caption>
          <tbody>
            {STATE_ORDER.map((state) => (
              <tr key={state}>
                <th
                  scope="row"
                  className="w-28 py-0.5 text-left font-normal text-slate-600 dark:text-slate-400"
                >
                  {state}
                </th>
                <td className="py-0.5">
                  <span
                    aria-hidden="true"
                    className="block h-3 rounded-sm bg-indigo-500 dark:bg-indigo-400"
                    style={{
                      width: `${(overview.byState[state] / max) * 100}%`,
                      minWidth: overview.byState[state] ? 4 : 0,
                    }}
                  />
                </td>
                <td className="w-10 py-0.5 text-right font-medium tabular-nums">{overview.byState[state]}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
          Deadline {overview.deadlineHours} h from determination; median time to notify{" "}
          {overview.timeToNotifyStats.fromDetermination.medianMs === null
            ? "—"
            : formatDuration(overview.timeToNotifyStats.fromDetermination.medianMs)}{" "}
          from determination.
        </p>
      </div>
      <div className="space-y-3">
        {deadlineList("Overdue", overview.overdue, true)}
        {deadlineList("At risk (under 24 h left)", overview.atRisk, false)}
      </div>
    </div>
  );
}

function CountTable({
  caption,
  rows,
  testId,
}: {
  caption: string;
  rows: Array<[string, number]>;
  testId: string;
}) {
  const max = Math.max(1, ...rows.map(([, count]) => count));
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <tbody>
        {rows.map(([label, count]) => (
          <tr key={label}>
            <th scope="row" className="w-36 py-0.5 text-left font-normal text-slate-600 dark:text-slate-400">
              {label}
            </th>
            <td className="py-0.5">
              <span
                aria-hidden="true"
                className="block h-3 rounded-sm bg-slate-500 dark:bg-slate-400"
                style={{ width: `${(count / max) * 100}%`, minWidth: count ? 4 : 0 }}
              />
            </td>
            <td className="w-12 py-0.5 text-right font-medium tabular-nums">
              {count.toLocaleString("en-US")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function IndicatorsByType({ rows }: { rows: IndicatorTypeCountDto[] }) {
  if (rows.length === 0)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No indicators yet.</p>;
  return (
    <CountTable
      caption="Indicators by type"
      rows={rows.map((r) => [r.type, r.count])}
      testId="indicators-by-type"
    />
  );
}

export function FindingsByStatus({ counts }: { counts: Record<FindingStatusKey, number> }) {
  return (
    <CountTable
      caption="Findings by status"
      rows={[
        ["draft", counts.draft],
        ["confirmed", counts.confirmed],
        ["dismissed", counts.dismissed],
      ]}
      testId="findings-by-status"
    />
  );
}

export function EventsPerWeek({ weekly }: { weekly: WeeklyEventsDto }) {
  if (weekly.buckets.length === 0)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No events yet.</p>;
  const width =
    weekly.bucketSeconds === 604_800 ? "week" : `${Math.round((weekly.bucketSeconds ?? 0) / 86_400)} days`;
  return (
    <div>
      <div aria-hidden="true">
        <WeeklyEventsChartLazy buckets={weekly.buckets} />
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer">
          Table: events per {width} by lane ({weekly.total.adversary.toLocaleString("en-US")} adversary,{" "}
          {weekly.total.response.toLocaleString("en-US")} response)
        </summary>
        <table className="mt-2 w-full text-sm tabular-nums" data-testid="events-per-week-table">
          <caption className="sr-only">Events per {width} by lane, UTC, weeks starting Monday</caption>
          <thead>
            <tr>
              <th scope="col" className="text-left">
                {width === "week" ? "Week of" : "From"}
              </th>
              <th scope="col" className="text-right">
                Adversary
              </th>
              <th scope="col" className="text-right">
                Response
              </th>
            </tr>
          </thead>
          <tbody>
            {weekly.buckets
              .filter((b) => b.adversary + b.response > 0)
              .map((b) => (
                <tr key={b.start}>
                  <td>{b.start.slice(0, 10)}</td>
                  <td className="text-right">{b.adversary.toLocaleString("en-US")}</td>
                  <td className="text-right">{b.response.toLocaleString("en-US")}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}

function FigureGroupList({ groups }: { groups: FigureGroupDto[] }) {
  return (
    <ul className="grid gap-3 md:grid-cols-2">
      {groups.map((group) => (
        <li
          key={group.key}
          className="rounded-md border border-slate-200 p-3 text-sm [overflow-wrap:anywhere] dark:border-slate-800"
          data-testid="figure-group"
        >
          <p className="flex flex-wrap items-center gap-2 font-medium">
            {group.title}
            {group.disagree ? <Badge tone="amber">sources disagree</Badge> : null}
          </p>
          <ul className="mt-1 space-y-1">
            {group.figures.map((figure) => (
              <li key={figure.key}>
                <span className="text-lg font-semibold tabular-nums">{figure.display}</span>{" "}
                <span className="text-slate-700 dark:text-slate-300">
                  per{" "}
                  <a href={figure.source.url} rel="noopener noreferrer nofollow" className="underline">
                    {figure.source.name}
                  </a>
                  {figure.sourceDate ? `, ${figure.sourceDate}` : ", date not recorded"}
                </span>
                {group.figures.length > 1 || figure.label !== group.title ? (
                  <span className="block text-xs text-slate-600 dark:text-slate-400">{figure.label}</span>
                ) : null}
                {figure.note ? (
                  <span className="block text-xs text-slate-600 dark:text-slate-400">{figure.note}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

/**
 * Published figures with source and date. On the dashboard (`collapse`) the headline quantities and any
 * the sources disagree on are shown; the rest sit behind a disclosure. The report shows them all.
 */
export function SourcedFigures({
  groups,
  collapse = false,
}: {
  groups: FigureGroupDto[];
  collapse?: boolean;
}) {
  if (groups.length === 0)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No sourced figures recorded.</p>;
  const shown = collapse ? groups.filter((g) => isHeadlineGroup(g) || g.disagree) : groups;
  const rest = collapse ? groups.filter((g) => !shown.includes(g)) : [];
  return (
    <div className="space-y-3" data-testid="sourced-figures">
      <FigureGroupList groups={shown} />
      {rest.length > 0 ? (
        <details>
          <summary className="cursor-pointer text-sm">{rest.length} more figures from sources</summary>
          <div className="mt-2">
            <FigureGroupList groups={rest} />
          </div>
        </details>
      ) : null}
    </div>
  );
}

export function Widget({
  title,
  children,
  className,
}: {
  title: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Card className={cn("break-inside-avoid", className)}>
      <CardHeader title={title} />
      <div className="p-4">{children}</div>
    </Card>
  );
}

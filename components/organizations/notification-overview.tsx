// The executives' notification picture: funnel by state, overdue and at-risk lists, and how long
// notification took. Server-rendered from getNotificationOverview; every figure is also plain text.
import { Card, CardHeader } from "@/components/ui/card";
import type { NotificationOverviewDto } from "@/lib/domain/organizations/queries";
import { formatDuration } from "@/lib/time/format";

const STATE_ORDER = [
  "pending",
  "notified",
  "delivered",
  "acknowledged",
  "remediated",
  "closed",
  "failed",
] as const;

function stat(ms: number | null): string {
  return ms === null ? "—" : formatDuration(ms);
}

function DeadlineList({
  title,
  entries,
  empty,
  over,
}: {
  title: string;
  entries: NotificationOverviewDto["overdue"];
  empty: string;
  over: boolean;
}) {
  return (
    <div>
      <h3 className="text-sm font-semibold">
        {title} ({entries.length})
      </h3>
      {entries.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{empty}</p>
      ) : (
        <ul className="mt-1 space-y-1 text-sm">
          {entries.map((entry) => (
            <li key={entry.id} className="flex flex-wrap justify-between gap-2">
              <span>{entry.name}</span>
              <span
                className={
                  over
                    ? "font-medium text-red-700 dark:text-red-300"
                    : "font-medium text-amber-800 dark:text-amber-300"
                }
              >
                {over ? `${formatDuration(-entry.marginMs)} over` : `${formatDuration(entry.marginMs)} left`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function NotificationOverview({ overview }: { overview: NotificationOverviewDto }) {
  const { fromDetermination, fromDetection } = overview.timeToNotifyStats;
  return (
    <Card aria-labelledby="overview-heading">
      <CardHeader
        id="overview-heading"
        title="Notification overview"
        description={`${overview.total} organizations; deadlines as of ${new Date(overview.computedAt).toISOString().slice(0, 16).replace("T", " ")} UTC.`}
      />
      <div className="grid gap-6 p-4 md:grid-cols-3">
        <div>
          <h3 className="text-sm font-semibold">By state</h3>
          <dl className="mt-1 grid grid-cols-[1fr_auto] gap-x-4 gap-y-0.5 text-sm">
            {STATE_ORDER.map((state) => (
              <div key={state} className="contents">
                <dt className="text-slate-600 dark:text-slate-400">{state}</dt>
                <dd className="text-right font-medium tabular-nums">{overview.byState[state]}</dd>
              </div>
            ))}
          </dl>
        </div>
        <div className="space-y-4">
          <DeadlineList title="Overdue" entries={overview.overdue} empty="None overdue." over />
          <DeadlineList
            title="At risk"
            entries={overview.atRisk}
            empty="None under 24 hours from its deadline."
            over={false}
          />
        </div>
        <div>
          <h3 className="text-sm font-semibold">Time to notify</h3>
          <dl className="mt-1 grid grid-cols-[1fr_auto] gap-x-4 gap-y-0.5 text-sm">
            <dt className="text-slate-600 dark:text-slate-400">From determination, median</dt>
            <dd className="text-right font-medium">{stat(fromDetermination.medianMs)}</dd>
            <dt className="text-slate-600 dark:text-slate-400">From determination, longest</dt>
            <dd className="text-right font-medium">{stat(fromDetermination.maxMs)}</dd>
            <dt className="text-slate-600 dark:text-slate-400">From detection, median</dt>
            <dd className="text-right font-medium">{stat(fromDetection.medianMs)}</dd>
            <dt className="text-slate-600 dark:text-slate-400">From detection, longest</dt>
            <dd className="text-right font-medium">{stat(fromDetection.maxMs)}</dd>
          </dl>
          <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
            {fromDetermination.known} of {overview.total} organizations notified so far.
          </p>
        </div>
      </div>
    </Card>
  );
}

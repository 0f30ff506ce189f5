import {
  DURATION_LABELS,
  MILESTONE_LABELS,
  type KeyDuration,
  type Milestones,
} from "@/lib/domain/timeline/milestones";
import { formatDuration } from "@/lib/time/format";
import { EventDate } from "./event-date";

/** Dwell time and the response times, each with the milestones it was measured between. */
export function KeyFigures({
  durations,
  milestones,
  timeZone,
}: {
  durations: KeyDuration[];
  milestones: Milestones;
  timeZone: string;
}) {
  if (durations.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Key times appear once the timeline has a first adversary activity and a detection event.
      </p>
    );
  }
  return (
    <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
      {durations.map((d) => {
        const from = milestones[d.from];
        const to = milestones[d.to];
        return (
          <div
            key={d.name}
            className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
          >
            <dt className="text-sm text-slate-600 dark:text-slate-400">{DURATION_LABELS[d.name]}</dt>
            <dd className="mt-1">
              <span className="text-2xl font-semibold tabular-nums">{formatDuration(d.ms)}</span>
              {from && to ? (
                <span className="mt-1 block text-xs text-slate-600 dark:text-slate-400">
                  {MILESTONE_LABELS[d.from]} <EventDate dating={from} timeZone={timeZone} /> →{" "}
                  {MILESTONE_LABELS[d.to].toLowerCase()} <EventDate dating={to} timeZone={timeZone} />
                </span>
              ) : null}
              {d.alternatives.map((alternative, index) => (
                <span key={index} className="mt-1 block text-xs text-amber-800 dark:text-amber-300">
                  {formatDuration(alternative.ms)} with the{" "}
                  {alternative.changed === "from"
                    ? MILESTONE_LABELS[d.from].toLowerCase()
                    : MILESTONE_LABELS[d.to].toLowerCase()}{" "}
                  dated <EventDate dating={alternative.alternative} timeZone={timeZone} /> by another source
                </span>
              ))}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

export function MilestoneList({ milestones, timeZone }: { milestones: Milestones; timeZone: string }) {
  const entries = Object.values(milestones).filter((m) => m !== null);
  return (
    <ol className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3" aria-label="Milestones">
      {entries.map((m) => (
        <li
          key={m.kind}
          className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800"
          data-testid={`milestone-${m.kind}`}
        >
          <p className="text-xs font-medium tracking-wide text-slate-600 uppercase dark:text-slate-400">
            {MILESTONE_LABELS[m.kind]}
          </p>
          <p className="mt-0.5 font-semibold tabular-nums">
            <EventDate dating={m} timeZone={timeZone} />
          </p>
          <p className="mt-0.5 text-slate-700 dark:text-slate-300">{m.title}</p>
          <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">Chosen as: {m.basis}</p>
        </li>
      ))}
    </ol>
  );
}

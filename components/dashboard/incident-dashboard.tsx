// One open incident on the dashboard: each widget loads its own data behind its own Suspense boundary,
// so a slow widget never holds up the others.
import Link from "next/link";
import { Suspense } from "react";
import { KeyFigures, MilestoneList } from "@/components/timeline/key-figures";
import type { Actor } from "@/lib/auth/actor";
import {
  getDataStamp,
  getEventsPerWeek,
  getFindingsByStatus,
  getIndicatorsByType,
  getKeyTimes,
  getSourcedFigures,
} from "@/lib/domain/dashboard/queries";
import type { IncidentSummary } from "@/lib/domain/incidents/queries";
import { getNotificationOverview } from "@/lib/domain/organizations/queries";
import {
  DataStamp,
  EventsPerWeek,
  FindingsByStatus,
  IndicatorsByType,
  NotificationFunnel,
  PhaseSteps,
  SourcedFigures,
  Widget,
  WidgetSkeleton,
} from "./widgets";

interface Props {
  actor: Actor;
  incident: IncidentSummary;
}

async function StampWidget({ actor, incident }: Props) {
  const data = await getDataStamp(actor, incident.id);
  return <DataStamp data={data} computedAt={new Date().toISOString()} />;
}

async function KeyTimesWidget({ actor, incident }: Props) {
  const keyTimes = await getKeyTimes(actor, incident.id);
  return (
    <Widget title="Phase and key times">
      <div className="space-y-4" data-testid="key-times">
        <PhaseSteps phase={keyTimes.phase} timeZone={incident.timeZone} />
        <KeyFigures
          durations={keyTimes.durations}
          milestones={keyTimes.milestones}
          timeZone={incident.timeZone}
        />
        <details>
          <summary className="cursor-pointer text-sm">Milestone dates and how each was chosen</summary>
          <div className="mt-2">
            <MilestoneList milestones={keyTimes.milestones} timeZone={incident.timeZone} />
          </div>
        </details>
      </div>
    </Widget>
  );
}

async function NotificationWidget({ actor, incident }: Props) {
  const overview = await getNotificationOverview(actor, incident.id);
  return (
    <Widget title="Notification">
      <NotificationFunnel overview={overview} />
    </Widget>
  );
}

async function FiguresWidget({ actor, incident }: Props) {
  const groups = await getSourcedFigures(actor, incident.id);
  return (
    <Widget title="Figures from published sources">
      <SourcedFigures groups={groups} collapse />
    </Widget>
  );
}

async function WeeklyWidget({ actor, incident }: Props) {
  const weekly = await getEventsPerWeek(actor, incident.id);
  return (
    <Widget title="Events per week by lane">
      <EventsPerWeek weekly={weekly} />
    </Widget>
  );
}

async function IndicatorsWidget({ actor, incident }: Props) {
  const rows = await getIndicatorsByType(actor, incident.id);
  return (
    <Widget title="Indicators by type">
      <IndicatorsByType rows={rows} />
    </Widget>
  );
}

async function FindingsWidget({ actor, incident }: Props) {
  const counts = await getFindingsByStatus(actor, incident.id);
  return (
    <Widget title="Findings by status">
      <FindingsByStatus counts={counts} />
    </Widget>
  );
}

export function IncidentDashboard({ actor, incident }: Props) {
  const headingId = `incident-${incident.slug}`;
  return (
    <section aria-labelledby={headingId} className="space-y-4" data-testid="incident-dashboard">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          {incident.name}
        </h2>
        <p className="flex gap-4 text-sm">
          <Link href={`/incidents/${incident.slug}/timeline`} className="underline">
            Timeline
          </Link>
          <Link href={`/incidents/${incident.slug}/report`} className="underline">
            Report
          </Link>
        </p>
      </div>
      <Suspense fallback={<p className="text-xs text-slate-500 dark:text-slate-400">Counting the data…</p>}>
        <StampWidget actor={actor} incident={incident} />
      </Suspense>
      <Suspense fallback={<WidgetSkeleton label="key times" className="h-64" />}>
        <KeyTimesWidget actor={actor} incident={incident} />
      </Suspense>
      <div className="grid gap-4 lg:grid-cols-2">
        <Suspense fallback={<WidgetSkeleton label="notifications" />}>
          <NotificationWidget actor={actor} incident={incident} />
        </Suspense>
        <Suspense fallback={<WidgetSkeleton label="sourced figures" />}>
          <FiguresWidget actor={actor} incident={incident} />
        </Suspense>
      </div>
      <Suspense fallback={<WidgetSkeleton label="events per week" className="h-64" />}>
        <WeeklyWidget actor={actor} incident={incident} />
      </Suspense>
      <div className="grid gap-4 lg:grid-cols-2">
        <Suspense fallback={<WidgetSkeleton label="indicators" />}>
          <IndicatorsWidget actor={actor} incident={incident} />
        </Suspense>
        <Suspense fallback={<WidgetSkeleton label="findings" />}>
          <FindingsWidget actor={actor} incident={incident} />
        </Suspense>
      </div>
    </section>
  );
}

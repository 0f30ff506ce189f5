// The printable incident report. Plain server-rendered HTML with print rules: no navigation, one
// section per page, black on white whatever the screen theme. The PDF route prints this very page.
import { KeyFigures, MilestoneList } from "@/components/timeline/key-figures";
import type { IncidentReportDto } from "@/lib/domain/report/queries";
import { formatDating } from "@/lib/time/format";
import { buttonClasses } from "../ui/button";
import {
  DataStamp,
  IndicatorsByType,
  NotificationFunnel,
  PhaseSteps,
  SourcedFigures,
} from "../dashboard/widgets";
import { PrintButton } from "./print-button";

// Print rules for what this page does not own (the app header, the incident tabs) and a black-and-white
// rendering of everything; inline because they apply to this page only.
const PRINT_CSS = `
@media print {
  @page { margin: 15mm 12mm; }
  html, html.dark, body { background: #fff !important; color: #000 !important; color-scheme: light; }
  body header, nav, [data-print="hide"], a[href="#main"] { display: none !important; }
  main { max-width: none !important; padding: 0 !important; }
  main *, main *::before, main *::after {
    color: #000 !important; background: transparent !important; box-shadow: none !important;
    border-color: #777 !important;
  }
  details > summary { list-style: none; }
  details > summary::-webkit-details-marker { display: none; }
  .report-section { break-inside: auto; }
  .report-section + .report-section { break-before: page; }
  .report-section :is(h1, h2) { break-after: avoid; }
  tr, li { break-inside: avoid; }
  a { text-decoration: none !important; }
}
`;

function Section({
  id,
  title,
  level = 2,
  children,
}: {
  id: string;
  title: string;
  /** 1 for the report's first section: its title is the page's heading. */
  level?: 1 | 2;
  children: React.ReactNode;
}) {
  const Heading = level === 1 ? "h1" : "h2";
  return (
    <section
      aria-labelledby={`report-${id}`}
      className="report-section space-y-3"
      data-testid={`report-${id}`}
    >
      <Heading
        id={`report-${id}`}
        className="border-b border-slate-300 pb-1 text-lg font-semibold dark:border-slate-700"
      >
        {title}
      </Heading>
      {children}
    </section>
  );
}

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

export function IncidentReport({ report }: { report: IncidentReportDto }) {
  const { incident, keyTimes } = report;
  const zone = incident.timeZone;
  return (
    <article className="space-y-8 text-sm" data-testid="incident-report">
      <style>{PRINT_CSS}</style>
      <div className="flex flex-wrap items-center justify-between gap-2" data-print="hide">
        <p className="text-slate-600 dark:text-slate-400">
          Print view: each section starts a new page on paper.
        </p>
        <div className="flex gap-2">
          <PrintButton />
          <a
            href={`/api/v1/incidents/${incident.slug}/report/pdf`}
            className={buttonClasses("primary", "no-underline")}
            download
          >
            Download PDF
          </a>
        </div>
      </div>

      <Section id="summary" level={1} title={`Incident report: ${incident.name}`}>
        <p>{incident.publicSummary}</p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="font-medium">Status</dt>
          <dd>{incident.status}</dd>
          {incident.actor ? (
            <>
              <dt className="font-medium">Actor</dt>
              <dd>{incident.actor}</dd>
            </>
          ) : null}
          <dt className="font-medium">Phase</dt>
          <dd>{keyTimes.phase.currentLabel}</dd>
          <dt className="font-medium">Generated</dt>
          <dd data-testid="report-generated-at">{utc(report.generatedAt)}</dd>
        </dl>
        <DataStamp data={report.data} computedAt={report.generatedAt} />
      </Section>

      <Section id="metrics" title="Milestones and metrics">
        <PhaseSteps phase={keyTimes.phase} timeZone={zone} />
        <KeyFigures durations={keyTimes.durations} milestones={keyTimes.milestones} timeZone={zone} />
        <MilestoneList milestones={keyTimes.milestones} timeZone={zone} />
        <h3 className="font-semibold">Figures from published sources</h3>
        <SourcedFigures groups={report.sourcedFigures} />
      </Section>

      <Section id="timeline" title="Timeline">
        <p className="text-slate-600 dark:text-slate-400">
          {report.events.truncated
            ? `The first ${report.events.items.length.toLocaleString("en-US")} of ${report.events.total.toLocaleString("en-US")} events, in time order.`
            : `All ${report.events.total.toLocaleString("en-US")} events, in time order.`}{" "}
          Dates as the sources gave them; times of day in {zone}.
        </p>
        {report.events.items.length === 0 ? (
          <p>No events yet.</p>
        ) : (
          <table className="w-full border-collapse text-xs">
            <thead>
              <tr className="border-b border-slate-300 text-left dark:border-slate-700">
                <th scope="col" className="py-1 pr-2">
                  When
                </th>
                <th scope="col" className="py-1 pr-2">
                  Lane
                </th>
                <th scope="col" className="py-1 pr-2">
                  Phase
                </th>
                <th scope="col" className="py-1">
                  Event
                </th>
              </tr>
            </thead>
            <tbody>
              {report.events.items.map((event) => (
                <tr
                  key={event.id}
                  className="border-b border-slate-100 align-top dark:border-slate-800"
                  data-testid="report-event"
                >
                  <td className="py-0.5 pr-2 whitespace-nowrap tabular-nums">{formatDating(event, zone)}</td>
                  <td className="py-0.5 pr-2">{event.lane}</td>
                  <td className="py-0.5 pr-2 whitespace-nowrap">{event.phase}</td>
                  <td className="py-0.5">{event.title}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section id="organizations" title="Organizations and notification status">
        <NotificationFunnel overview={report.notifications} />
        {report.organizations.length === 0 ? (
          <p>No affected organizations yet.</p>
        ) : (
          <table className="w-full border-collapse text-xs">
            <thead>
              <tr className="border-b border-slate-300 text-left dark:border-slate-700">
                <th scope="col" className="py-1 pr-2">
                  Organization
                </th>
                <th scope="col" className="py-1 pr-2">
                  Kind
                </th>
                <th scope="col" className="py-1 pr-2">
                  Country
                </th>
                <th scope="col" className="py-1 pr-2">
                  Determined affected
                </th>
                <th scope="col" className="py-1 pr-2">
                  Notification
                </th>
                <th scope="col" className="py-1">
                  Deadline
                </th>
              </tr>
            </thead>
            <tbody>
              {report.organizations.map((org) => (
                <tr
                  key={org.id}
                  className="border-b border-slate-100 align-top dark:border-slate-800"
                  data-testid="report-organization"
                >
                  <td className="py-0.5 pr-2">{org.name}</td>
                  <td className="py-0.5 pr-2">{org.kind}</td>
                  <td className="py-0.5 pr-2">{org.country ?? "—"}</td>
                  <td className="py-0.5 pr-2 tabular-nums">{org.determinedAffectedAt.slice(0, 10)}</td>
                  <td className="py-0.5 pr-2">
                    {org.notificationState}
                    {org.notificationStateAt ? ` (${org.notificationStateAt.slice(0, 10)})` : ""}
                  </td>
                  <td className="py-0.5">{org.deadlineStatus ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section id="indicators" title="Indicators by type">
        <IndicatorsByType rows={report.indicatorsByType} />
      </Section>

      <Section id="findings" title="Confirmed findings">
        {report.confirmedFindings.length === 0 ? (
          <p>
            No confirmed findings yet ({report.findingsByStatus.draft} draft,{" "}
            {report.findingsByStatus.dismissed} dismissed).
          </p>
        ) : (
          <ol className="space-y-4">
            {report.confirmedFindings.map((finding) => (
              <li key={finding.id} className="break-inside-avoid">
                <h3 className="font-semibold">{finding.title}</h3>
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  Severity {finding.severity}, confidence {finding.confidence}; last changed{" "}
                  {utc(finding.updatedAt)}
                </p>
                <div className="prose-sm mt-1" dangerouslySetInnerHTML={{ __html: finding.bodyHtml }} />
              </li>
            ))}
          </ol>
        )}
      </Section>
    </article>
  );
}

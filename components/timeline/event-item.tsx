import type { TimelineEventDto } from "@/lib/domain/timeline/queries";
import { Badge, TlpBadge } from "../ui/badge";
import { EventDate } from "./event-date";

const VERIFICATION_TONES = { primary: "green", secondary: "blue", unverified: "amber" } as const;

function sourceLabel(source: string): string {
  try {
    const url = new URL(source);
    return url.hostname.replace(/^www\./, "");
  } catch {
    return source;
  }
}

function SourceLink({ source }: { source: string }) {
  return /^https?:\/\//.test(source) ? (
    <a
      href={source}
      target="_blank"
      rel="noopener noreferrer"
      className="text-indigo-700 underline dark:text-indigo-300"
    >
      {sourceLabel(source)}
    </a>
  ) : (
    <span>{source}</span>
  );
}

export function LaneBadge({ lane }: { lane: TimelineEventDto["lane"] }) {
  return lane === "adversary" ? <Badge tone="red">Adversary</Badge> : <Badge tone="blue">Response</Badge>;
}

export function EventItem({
  event,
  timeZone,
  onEdit,
}: {
  event: TimelineEventDto;
  timeZone: string;
  /** Given only to people who may edit: the server refuses everyone else anyway. */
  onEdit?: (event: TimelineEventDto) => void;
}) {
  return (
    <li
      className={`border-l-4 py-3 pr-2 pl-4 ${event.lane === "adversary" ? "border-red-500 dark:border-red-400" : "border-sky-500 dark:border-sky-400"}`}
      data-testid="timeline-event"
      data-lane={event.lane}
    >
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-semibold tabular-nums">
          <EventDate dating={event} timeZone={timeZone} />
        </span>
        <LaneBadge lane={event.lane} />
        <Badge>{event.phase}</Badge>
        {event.milestone ? (
          <Badge tone="indigo">Milestone: {event.milestone.replace(/_/g, " ")}</Badge>
        ) : null}
        <TlpBadge tlp={event.tlp} />
        {onEdit ? (
          <button
            type="button"
            onClick={() => onEdit(event)}
            className="ml-auto rounded px-2 py-0.5 text-xs font-medium text-indigo-700 underline hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
            aria-label={`Edit event: ${event.title}`}
          >
            Edit
          </button>
        ) : null}
      </div>
      <p className="mt-1 font-medium">{event.title}</p>
      {event.descriptionHtml ? (
        // Rendered from markdown and sanitized on the server (lib/markdown/render.ts).
        <div
          className="prose-sm mt-1 text-sm text-slate-700 dark:text-slate-300 [&_a]:text-indigo-700 [&_a]:underline dark:[&_a]:text-indigo-300 [&_code]:font-mono [&_ol]:list-decimal [&_ol]:pl-5 [&_ul]:list-disc [&_ul]:pl-5"
          dangerouslySetInnerHTML={{ __html: event.descriptionHtml }}
        />
      ) : null}
      {event.alternatives.length > 0 ? (
        <div className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm dark:border-amber-800 dark:bg-amber-950/50">
          <p className="font-medium">Sources disagree on this date</p>
          <ul className="mt-1 space-y-1">
            <li>
              Used here: <EventDate dating={event} timeZone={timeZone} /> —{" "}
              <SourceLink source={event.source} />
            </li>
            {event.alternatives.map((alternative) => (
              <li key={alternative.id}>
                Alternative: <EventDate dating={alternative} timeZone={timeZone} /> —{" "}
                <SourceLink source={alternative.source} />
                {alternative.note ? (
                  <span className="text-slate-700 dark:text-slate-300"> · {alternative.note}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <dl className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
        <div className="flex items-center gap-1">
          <dt>Source</dt>
          <dd className="flex items-center gap-1">
            <SourceLink source={event.source} />
            <Badge tone={VERIFICATION_TONES[event.verification]}>{event.verification}</Badge>
            {event.additionalSources.length > 0 ? <span>+{event.additionalSources.length} more</span> : null}
          </dd>
        </div>
        {event.sourceTimeZone ? (
          <div className="flex gap-1">
            <dt>Source time zone</dt>
            <dd>{event.sourceTimeZone}</dd>
          </div>
        ) : null}
        {event.organizations.length > 0 ? (
          <div className="flex gap-1">
            <dt>Organizations</dt>
            <dd>{event.organizations.map((o) => o.name).join(", ")}</dd>
          </div>
        ) : null}
        {event.indicators.length > 0 ? (
          <div className="flex gap-1">
            <dt>Indicators</dt>
            <dd className="font-mono">{event.indicators.map((i) => i.value).join(", ")}</dd>
          </div>
        ) : null}
        {event.techniques.length > 0 ? (
          <div className="flex gap-1">
            <dt>ATT&amp;CK</dt>
            <dd>{event.techniques.map((t) => `${t.id} ${t.name}`).join("; ")}</dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}

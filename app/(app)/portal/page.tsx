import type { Metadata } from "next";
import { DeadlineSummary, NotificationStateBadge } from "@/components/portal/notification-status";
import { PortalActions } from "@/components/portal/portal-actions";
import { PortalIndicators } from "@/components/portal/portal-indicators";
import { EventItem } from "@/components/timeline/event-item";
import { EventDate } from "@/components/timeline/event-date";
import { Card, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { getPortalView } from "@/lib/domain/portal/queries";
import { organizationKindLabel } from "@/lib/domain/vocabulary";
import { loadOr404 } from "@/lib/http/page";

export const metadata: Metadata = { title: "Your organization" };

const NEXT_STEPS: Record<string, string> = {
  pending: "You have not been notified yet. Responders will record the notice here when they send it.",
  notified: "Read the notice and the indicators below, then hunt for them in your mail and sign-in logs.",
  delivered:
    "Your notice was delivered. Hunt for the indicators below and tell the responders what you find.",
  acknowledged: "Thank you for acknowledging. Hunt for the indicators below and report any sighting.",
  remediated: "You confirmed remediation. Keep watching for the indicators below.",
  closed: "This notification is closed. No further action is expected.",
  failed: "Delivery of your notice failed; the responders will try again.",
};

export default async function PortalPage() {
  const actor = await requireUser();
  const view = await loadOr404(() => getPortalView(actor));
  const org = view.organization;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-600 dark:text-slate-400">Your organization</p>
        <h1 className="text-2xl font-semibold tracking-tight">{org.name}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {organizationKindLabel(org.kind)}
          {org.sector ? ` · ${org.sector}` : ""}
          {org.country ? ` · ${org.country}` : ""}
        </p>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2" aria-labelledby="incident-heading">
          <CardHeader
            id="incident-heading"
            title={view.incident.name}
            description="What happened, as shared with affected organizations."
          />
          <p className="px-4 py-3 text-sm whitespace-pre-line">{view.incident.publicSummary}</p>
        </Card>
        <Card aria-labelledby="notification-heading">
          <CardHeader id="notification-heading" title="Your notification" />
          <div className="space-y-3 px-4 py-3">
            <p className="flex items-center gap-2 text-sm">
              State: <NotificationStateBadge state={org.notificationState} />
            </p>
            <DeadlineSummary deadline={view.deadline} hours={view.incident.deadlineHours} />
            <p className="text-sm text-slate-700 dark:text-slate-300">{NEXT_STEPS[org.notificationState]}</p>
            <PortalActions state={org.notificationState} version={org.version} />
          </div>
        </Card>
      </div>

      <Card aria-labelledby="history-heading">
        <CardHeader id="history-heading" title="Notification history" />
        {view.history.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-600 dark:text-slate-400">
            No notification has been recorded yet.
          </p>
        ) : (
          <ol className="divide-y divide-slate-200 dark:divide-slate-800">
            {view.history.map((move) => (
              <li key={move.id} className="px-4 py-3 text-sm">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="font-semibold tabular-nums">
                    <EventDate dating={{ occurredAt: move.at, precision: move.atPrecision }} timeZone="UTC" />
                  </span>
                  {move.fromState ? <NotificationStateBadge state={move.fromState} /> : null}
                  <span aria-hidden="true">→</span>
                  <span className="sr-only">to</span>
                  <NotificationStateBadge state={move.toState} />
                  {move.madeBy ? <span>by {move.madeBy}</span> : null}
                  {move.channel ? <span>via {move.channel.replace(/_/g, " ")}</span> : null}
                </p>
                {move.note ? <p className="mt-1 text-slate-700 dark:text-slate-300">{move.note}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </Card>

      <PortalIndicators incident={view.incident.slug} organizationId={org.id} indicators={view.indicators} />

      <Card aria-labelledby="portal-timeline-heading">
        <CardHeader
          id="portal-timeline-heading"
          title="Timeline"
          description={
            view.eventsTruncated
              ? `The first ${view.events.length} events you may see.`
              : `${view.events.length} events you may see.`
          }
        />
        <ol className="divide-y divide-slate-200 px-4 dark:divide-slate-800">
          {view.events.map((event) => (
            <EventItem key={event.id} event={event} timeZone="UTC" />
          ))}
        </ol>
      </Card>
    </div>
  );
}

import type { OrganizationMetricsDto } from "@/lib/domain/metrics/organization-metrics";
import { organizationKindLabel } from "@/lib/domain/vocabulary";
import { formatDuration } from "@/lib/time/format";
import { NotificationStateBadge } from "../portal/notification-status";
import { Badge, type Tone } from "../ui/badge";
import { EventDate } from "./event-date";

const DEADLINE_TONES: Record<string, Tone> = {
  "on time": "green",
  "at risk": "amber",
  overdue: "red",
  met: "green",
  missed: "amber",
};

function Duration({ ms }: { ms: number | null }) {
  return ms === null ? (
    <span className="text-slate-500 dark:text-slate-400">unknown</span>
  ) : (
    <>{formatDuration(ms)}</>
  );
}

/** Key times of each affected organization, with where each figure came from. */
export function OrganizationKeyTimes({
  organizations,
  timeZone,
}: {
  organizations: OrganizationMetricsDto[];
  timeZone: string;
}) {
  if (organizations.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        No affected organizations are recorded yet; their key times appear here once they are.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Key times per affected organization</caption>
        <thead className="bg-slate-50 text-xs text-slate-600 uppercase dark:bg-slate-800/50 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2">
              Organization
            </th>
            <th scope="col" className="px-3 py-2">
              First known access
            </th>
            <th scope="col" className="px-3 py-2">
              Dwell time
            </th>
            <th scope="col" className="px-3 py-2">
              Notified
            </th>
            <th scope="col" className="px-3 py-2">
              Time to notify (from detection)
            </th>
            <th scope="col" className="px-3 py-2">
              Notice deadline
            </th>
            <th scope="col" className="px-3 py-2">
              State
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {organizations.map((org) => (
            <tr key={org.id}>
              <th scope="row" className="px-3 py-2 font-medium">
                {org.name}
                <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">
                  {organizationKindLabel(org.kind)}
                </span>
              </th>
              <td className="px-3 py-2 whitespace-nowrap">
                {org.firstAccess ? (
                  <span title={org.firstAccess.eventTitle ?? "From the organization's record"}>
                    <EventDate
                      dating={{
                        occurredAt: org.firstAccess.at,
                        precision: org.firstAccess.precision ?? "day",
                      }}
                      timeZone={timeZone}
                    />
                    <span className="block text-xs text-slate-500 dark:text-slate-400">
                      {org.firstAccess.basis}
                    </span>
                  </span>
                ) : (
                  <span className="text-slate-500 dark:text-slate-400">not known</span>
                )}
              </td>
              <td className="px-3 py-2 whitespace-nowrap tabular-nums">
                <Duration ms={org.durations.dwell.ms} />
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                {org.notified ? (
                  <EventDate
                    dating={{ occurredAt: org.notified.at, precision: org.notified.precision }}
                    timeZone={timeZone}
                  />
                ) : (
                  "not yet"
                )}
              </td>
              <td className="px-3 py-2 whitespace-nowrap tabular-nums">
                <Duration ms={org.durations.timeToNotifyFromDetection.ms} />
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                <Badge tone={DEADLINE_TONES[org.deadline.status] ?? "neutral"}>{org.deadline.status}</Badge>
                <span className="ml-1 text-xs text-slate-600 dark:text-slate-400">
                  {org.deadline.hours} h
                </span>
              </td>
              <td className="px-3 py-2">
                <NotificationStateBadge state={org.notificationState} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

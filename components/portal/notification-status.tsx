import type { PortalView } from "@/lib/domain/portal/queries";
import { formatDating, formatDuration } from "@/lib/time/format";
import { Badge, type Tone } from "../ui/badge";

const STATE_TONES: Record<string, Tone> = {
  pending: "amber",
  notified: "blue",
  delivered: "blue",
  acknowledged: "green",
  remediated: "green",
  closed: "neutral",
  failed: "red",
};

const DEADLINE_TONES: Record<string, Tone> = {
  "on time": "green",
  "at risk": "amber",
  overdue: "red",
  met: "green",
  missed: "amber",
};

export function NotificationStateBadge({ state }: { state: string }) {
  return <Badge tone={STATE_TONES[state] ?? "neutral"}>{state}</Badge>;
}

export function DeadlineBadge({ status }: { status: string }) {
  return <Badge tone={DEADLINE_TONES[status] ?? "neutral"}>{status}</Badge>;
}

export function DeadlineSummary({ deadline, hours }: { deadline: PortalView["deadline"]; hours: number }) {
  const due = formatDating({ occurredAt: deadline.dueAt, precision: "minute" });
  let text: string;
  switch (deadline.status) {
    case "on time":
    case "at risk":
      text = `${formatDuration(deadline.marginMs)} left (due ${due})`;
      break;
    case "overdue":
      text = `${formatDuration(-deadline.marginMs)} over (was due ${due})`;
      break;
    case "met":
      text = `Notified ${formatDuration(deadline.marginMs)} before the ${hours}-hour deadline`;
      break;
    case "missed":
      text = `Notified ${formatDuration(-deadline.marginMs)} after the ${hours}-hour deadline`;
      break;
  }
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm">
      <DeadlineBadge status={deadline.status} />
      <span>{text}</span>
    </p>
  );
}

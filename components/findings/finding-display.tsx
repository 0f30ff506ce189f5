// Small pieces every finding view shares: the API's URL, badge tones and how an instant reads.
import { formatDating } from "@/lib/time/format";
import { Badge, type Tone } from "../ui/badge";

export function findingsApi(incident: string): string {
  return `/api/v1/incidents/${encodeURIComponent(incident)}/findings`;
}

const SEVERITY_TONES: Record<string, Tone> = {
  informational: "neutral",
  low: "blue",
  medium: "amber",
  high: "red",
  critical: "black",
};

const STATUS_TONES: Record<string, Tone> = { draft: "neutral", confirmed: "green", dismissed: "amber" };

export function SeverityBadge({ severity }: { severity: string }) {
  return (
    <Badge tone={SEVERITY_TONES[severity] ?? "neutral"} title="Severity">
      {severity}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={STATUS_TONES[status] ?? "neutral"} title="Status">
      {status}
    </Badge>
  );
}

/** An instant (creation, change) to the minute, in UTC with the zone named. */
export function formatInstant(iso: string): string {
  return formatDating({ occurredAt: iso, precision: "minute" }, "UTC");
}

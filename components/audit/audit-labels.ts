// Words for what the audit trail stores as codes: record kinds and actions. Unknown codes (a new
// command's action) are shown as stored rather than hidden.
import type { AuditEntityLink } from "@/lib/domain/audit/dto";

const ENTITY_LABELS: Record<string, string> = {
  event: "Timeline event",
  finding: "Finding",
  indicator: "Indicator",
  organization: "Organization",
  incident: "Incident",
  sighting: "Sighting",
  import: "Indicator import",
  user: "User",
  token: "API token",
  api_token: "API token",
};

const ACTION_LABELS: Record<string, string> = {
  "event.create": "Event created",
  "event.update": "Event changed",
  "event.delete": "Event deleted",
  "finding.create": "Finding written",
  "finding.update": "Finding changed",
  "organization.create": "Organization added",
  "organization.update": "Organization changed",
  "notification.move": "Notification moved",
  "incident.regime": "Notification deadline changed",
  "incident.seed": "Demo data loaded",
  "indicator.create": "Indicator added",
  "indicator.merge": "Indicator re-added (merged)",
  "indicator.update": "Indicator changed",
  "indicator.delete": "Indicator deleted",
  "indicator.import": "Indicators imported",
  "sighting.create": "Sighting reported",
  "user.create": "User created",
  "user.update": "User changed",
  "user.disable": "User disabled",
  "user.enable": "User enabled",
  "user.password_reset": "Password reset by an admin",
  "user.password_change": "Own password changed",
  "api_token.create": "API token created",
  "api_token.revoke": "API token revoked",
};

export function entityLabel(type: string): string {
  return ENTITY_LABELS[type] ?? type;
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/** Where a record can be seen: its page, searched for it. */
export function entityHref(incident: string, link: AuditEntityLink): string {
  // The lists take at most 200 characters of search text.
  return `/incidents/${incident}/${link.page}?q=${encodeURIComponent(link.q.slice(0, 200))}`;
}

// The API's registry: one entry per route file and HTTP method under app/api/v1, naming the same zod
// schemas the route hands to parseQuery and mutationRoute, and the response schemas of what it answers.
// lib/openapi/document.ts turns it into the OpenAPI document; document.test.ts holds it to the route files.
import type { z } from "zod";
import { CreateFindingSchema, FindingListQuerySchema, UpdateFindingSchema } from "../validation/findings.ts";
import {
  CreateIndicatorSchema,
  CreateSightingSchema,
  DeleteIndicatorQuerySchema,
  ExportQuerySchema,
  ImportQuerySchema,
  IndicatorListQuerySchema,
  UpdateIndicatorSchema,
} from "../validation/indicators.ts";
import { AuditListQuerySchema } from "../validation/audit.ts";
import { TimelineBucketQuerySchema } from "../validation/metrics.ts";
import {
  BulkNotificationSchema,
  CreateOrganizationSchema,
  NotificationMoveSchema,
  NotificationRegimeSchema,
  OrganizationListQuerySchema,
  PortalNotificationSchema,
  UpdateOrganizationSchema,
} from "../validation/organizations.ts";
import { SearchQuerySchema } from "../validation/search.ts";
import { ApiTokenListQuerySchema, CreateApiTokenSchema } from "../validation/tokens.ts";
import {
  ChangeOwnPasswordSchema,
  CreateUserRequestSchema,
  PasswordResetSchema,
  UpdateUserSchema,
  UserListQuerySchema,
} from "../domain/users/validation.ts";
import { AuditPageSchema } from "../validation/responses/audit.ts";
import {
  CreateEventSchema,
  DeleteEventQuerySchema,
  EventListQuerySchema,
  UpdateEventSchema,
} from "../validation/timeline.ts";
import { DeletedSchema } from "../validation/responses/common.ts";
import { DashboardSchema, IncidentDashboardSchema } from "../validation/responses/dashboard.ts";
import { FindingHistorySchema, FindingPageSchema, FindingSchema } from "../validation/responses/findings.ts";
import { IncidentListSchema, IncidentOverviewSchema } from "../validation/responses/incidents.ts";
import {
  ImportResultSchema,
  IndicatorPageSchema,
  IndicatorSchema,
  SightingListSchema,
  SightingSchema,
} from "../validation/responses/indicators.ts";
import { IncidentMetricsSchema } from "../validation/responses/metrics.ts";
import {
  BulkNotificationResponseSchema,
  NotificationMoveResponseSchema,
  NotificationOverviewSchema,
  NotificationRegimeResponseSchema,
  OrganizationDetailSchema,
  OrganizationPageSchema,
  OrganizationSchema,
} from "../validation/responses/organizations.ts";
import { PortalMoveResponseSchema, PortalViewSchema } from "../validation/responses/portal.ts";
import { SearchResultsSchema } from "../validation/responses/search.ts";
import { ApiTokenPageSchema, ApiTokenSchema, CreatedApiTokenSchema } from "../validation/responses/tokens.ts";
import {
  PasswordChangedSchema,
  PasswordResetResponseSchema,
  UserPageSchema,
  UserSchema,
} from "../validation/responses/users.ts";
import {
  TimelineBucketsSchema,
  TimelineEventDetailSchema,
  TimelineEventPageSchema,
} from "../validation/responses/timeline.ts";

export const API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/** Tags group operations in the document and on /api-docs, in this order. */
export const API_TAGS = [
  { name: "Incidents", description: "Incidents with their milestones, key durations and counts." },
  { name: "Timeline", description: "The investigation timeline: events, chart buckets, live changes." },
  { name: "Organizations", description: "Affected organizations and their notification." },
  {
    name: "Indicators",
    description: "Indicators of compromise, sightings, import and export (CSV, STIX 2.1).",
  },
  { name: "Findings", description: "What the responders concluded, with evidence and history." },
  { name: "Search", description: "Search across an incident (staff)." },
  { name: "Dashboard", description: "The executive dashboard's figures, metrics and the report." },
  { name: "Portal", description: "An agency user's own view of its organization." },
  { name: "Audit", description: "The audit trail of changes." },
  { name: "Users", description: "Accounts (administrators)." },
  { name: "Tokens", description: "API tokens for `Authorization: Bearer`." },
  { name: "Meta", description: "This description of the API." },
] as const;
export type ApiTag = (typeof API_TAGS)[number]["name"];

/** A success answer: JSON described by a zod schema, or another media type with a plain schema. */
export interface SuccessResponse {
  status: 200 | 201 | 204;
  description: string;
  schema?: z.ZodType;
  /** Non-JSON answers (downloads, streams): media type → OpenAPI schema object. */
  content?: Record<string, { schema: Record<string, unknown> }>;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

export interface ApiOperation {
  method: ApiMethod;
  /** OpenAPI path template: `[incident]` in the folder is `{incident}` here. */
  path: string;
  /** The route file, relative to the project root. */
  file: string;
  tag: ApiTag;
  summary: string;
  description?: string;
  /** Needs no session or token. */
  isPublic?: boolean;
  /** The schema the route passes to parseQuery. */
  query?: z.ZodType;
  /** The JSON body schema the route passes to mutationRoute. */
  body?: z.ZodType;
  /** A raw upload instead of JSON: accepted media types. */
  upload?: { contentTypes: readonly string[]; description: string };
  /** A state-changing request: refused cross-site (403) and, unless false, takes an Idempotency-Key. */
  mutation?: { idempotencyKey: boolean };
  /** Refused with 409 when the `version` sent is stale (or another conflict applies). */
  conflicts?: string;
  responses: SuccessResponse[];
  /** Statuses beyond those the wrapper's rules imply (see document.ts: errorStatuses). */
  extraErrors?: ErrorStatus[];
}

const INCIDENT = "/api/v1/incidents/{incident}";
const incidentFile = (rest: string) => `app/api/v1/incidents/[incident]/${rest}route.ts`;
const json = (
  status: SuccessResponse["status"],
  description: string,
  schema: z.ZodType,
): SuccessResponse => ({
  status,
  description,
  schema,
});
const idempotent = { idempotencyKey: true } as const;
const STALE_VERSION =
  "A stale `version`: someone changed the record since it was read (the answer names who and when).";

export const API_OPERATIONS: readonly ApiOperation[] = [
  // ------------------------------------------------------------------ meta
  {
    method: "GET",
    path: "/api/v1/openapi.json",
    file: "app/api/v1/openapi.json/route.ts",
    tag: "Meta",
    summary: "This API as an OpenAPI 3.1 document",
    description: "Generated from the same zod schemas the routes validate with. Readable at /api-docs.",
    isPublic: true,
    responses: [
      {
        status: 200,
        description: "The OpenAPI 3.1 document.",
        content: {
          "application/json": { schema: { type: "object", description: "An OpenAPI 3.1 document." } },
        },
      },
    ],
  },

  // ------------------------------------------------------------------ incidents
  {
    method: "GET",
    path: "/api/v1/incidents",
    file: "app/api/v1/incidents/route.ts",
    tag: "Incidents",
    summary: "List incidents",
    description: "The incidents the caller may read (agency users: their own organization's).",
    responses: [json(200, "The incidents, oldest first, on one page.", IncidentListSchema)],
  },
  {
    method: "GET",
    path: INCIDENT,
    file: incidentFile(""),
    tag: "Incidents",
    summary: "Get an incident",
    description: "One incident with its milestones, key durations and counts.",
    responses: [json(200, "The incident.", IncidentOverviewSchema)],
  },

  // ------------------------------------------------------------------ timeline
  {
    method: "GET",
    path: `${INCIDENT}/events`,
    file: incidentFile("events/"),
    tag: "Timeline",
    summary: "List timeline events",
    description:
      "Keyset-paged, oldest first. List items carry what the timeline shows (`descriptionHtml`); the full record is at GET …/events/{id}.",
    query: EventListQuerySchema,
    responses: [json(200, "A page of events.", TimelineEventPageSchema)],
  },
  {
    method: "POST",
    path: `${INCIDENT}/events`,
    file: incidentFile("events/"),
    tag: "Timeline",
    summary: "Add a timeline event",
    body: CreateEventSchema,
    mutation: idempotent,
    responses: [json(201, "The event as stored.", TimelineEventDetailSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/events/{id}`,
    file: incidentFile("events/[id]/"),
    tag: "Timeline",
    summary: "Get a timeline event",
    responses: [json(200, "The event in full.", TimelineEventDetailSchema)],
  },
  {
    method: "PATCH",
    path: `${INCIDENT}/events/{id}`,
    file: incidentFile("events/[id]/"),
    tag: "Timeline",
    summary: "Change a timeline event",
    description: "Carries the `version` read; a dating is sent whole (`occurredAt` with `precision`).",
    body: UpdateEventSchema,
    mutation: idempotent,
    conflicts: STALE_VERSION,
    responses: [json(200, "The event as changed.", TimelineEventDetailSchema)],
  },
  {
    method: "DELETE",
    path: `${INCIDENT}/events/{id}`,
    file: incidentFile("events/[id]/"),
    tag: "Timeline",
    summary: "Delete a timeline event",
    description: "`?version=n` refuses a stale delete with 409; without it the event is deleted as it is.",
    query: DeleteEventQuerySchema,
    mutation: idempotent,
    conflicts: STALE_VERSION,
    responses: [json(200, "The event was deleted.", DeletedSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/timeline/buckets`,
    file: incidentFile("timeline/buckets/"),
    tag: "Timeline",
    summary: "Count events per time bucket",
    description: "Counts per bucket and lane on a fixed UTC grid, at most `max` non-empty buckets (staff).",
    query: TimelineBucketQuerySchema,
    responses: [json(200, "The buckets.", TimelineBucketsSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/stream`,
    file: incidentFile("stream/"),
    tag: "Timeline",
    summary: "Follow changes (server-sent events)",
    description:
      "A `ready` event once subscribed, then one `change` event per committed change of the incident, and a heartbeat comment every 15 s.",
    responses: [
      {
        status: 200,
        description: "An endless event stream.",
        content: { "text/event-stream": { schema: { type: "string" } } },
      },
    ],
  },

  // ------------------------------------------------------------------ organizations
  {
    method: "GET",
    path: `${INCIDENT}/organizations`,
    file: incidentFile("organizations/"),
    tag: "Organizations",
    summary: "List affected organizations",
    description: "Staff only. Comma-separated filters; `sort` with a leading `-` for descending.",
    query: OrganizationListQuerySchema,
    responses: [json(200, "A page of organizations.", OrganizationPageSchema)],
  },
  {
    method: "POST",
    path: `${INCIDENT}/organizations`,
    file: incidentFile("organizations/"),
    tag: "Organizations",
    summary: "Add an affected organization",
    body: CreateOrganizationSchema,
    mutation: idempotent,
    conflicts: "An organization of that name already exists in the incident.",
    responses: [json(201, "The organization as stored.", OrganizationSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/organizations/{id}`,
    file: incidentFile("organizations/[id]/"),
    tag: "Organizations",
    summary: "Get an affected organization",
    description: "With its notification history.",
    responses: [json(200, "The organization and every move.", OrganizationDetailSchema)],
  },
  {
    method: "PATCH",
    path: `${INCIDENT}/organizations/{id}`,
    file: incidentFile("organizations/[id]/"),
    tag: "Organizations",
    summary: "Change an affected organization",
    body: UpdateOrganizationSchema,
    mutation: idempotent,
    conflicts: STALE_VERSION,
    responses: [json(200, "The organization as changed.", OrganizationSchema)],
  },
  {
    method: "POST",
    path: `${INCIDENT}/organizations/{id}/notification`,
    file: incidentFile("organizations/[id]/notification/"),
    tag: "Organizations",
    summary: "Record a notification move",
    description: "`{ to, at, channel?, note?, evidence?, version }`; the move also becomes a timeline event.",
    body: NotificationMoveSchema,
    mutation: idempotent,
    conflicts: STALE_VERSION,
    responses: [json(200, "The organization after the move, and the move.", NotificationMoveResponseSchema)],
  },
  {
    method: "POST",
    path: `${INCIDENT}/organizations/notifications`,
    file: incidentFile("organizations/notifications/"),
    tag: "Organizations",
    summary: "Record several notification moves",
    description:
      "Each move in its own transaction; the answer has one result (status, organization or error) per move.",
    body: BulkNotificationSchema,
    mutation: idempotent,
    responses: [json(200, "One result per move.", BulkNotificationResponseSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/organizations/overview`,
    file: incidentFile("organizations/overview/"),
    tag: "Organizations",
    summary: "Notification overview",
    description:
      "Counts by state and deadline status, overdue and at-risk lists, time to notify (staff, executives included).",
    responses: [json(200, "The overview.", NotificationOverviewSchema)],
  },
  {
    method: "PUT",
    path: `${INCIDENT}/notification-regime`,
    file: incidentFile("notification-regime/"),
    tag: "Organizations",
    summary: "Set the notification deadline",
    description: "`{ hours, version }` with the incident's version.",
    body: NotificationRegimeSchema,
    mutation: idempotent,
    conflicts: STALE_VERSION,
    responses: [json(200, "The incident's new regime.", NotificationRegimeResponseSchema)],
  },

  // ------------------------------------------------------------------ indicators
  {
    method: "GET",
    path: `${INCIDENT}/indicators`,
    file: incidentFile("indicators/"),
    tag: "Indicators",
    summary: "List indicators",
    query: IndicatorListQuerySchema,
    responses: [json(200, "A page of indicators; `total` on the first page.", IndicatorPageSchema)],
  },
  {
    method: "POST",
    path: `${INCIDENT}/indicators`,
    file: incidentFile("indicators/"),
    tag: "Indicators",
    summary: "Add an indicator",
    description: "Re-adding a known (type, normalized value) answers 200 with it, first/last seen widened.",
    body: CreateIndicatorSchema,
    mutation: idempotent,
    responses: [
      json(201, "The indicator as stored.", IndicatorSchema),
      json(200, "The indicator was already known; its dates were widened and links added.", IndicatorSchema),
    ],
  },
  {
    method: "GET",
    path: `${INCIDENT}/indicators/{id}`,
    file: incidentFile("indicators/[id]/"),
    tag: "Indicators",
    summary: "Get an indicator",
    responses: [json(200, "The indicator.", IndicatorSchema)],
  },
  {
    method: "PATCH",
    path: `${INCIDENT}/indicators/{id}`,
    file: incidentFile("indicators/[id]/"),
    tag: "Indicators",
    summary: "Change an indicator",
    description: "Carries `version`; `type` travels with `value`.",
    body: UpdateIndicatorSchema,
    mutation: idempotent,
    conflicts: STALE_VERSION,
    responses: [json(200, "The indicator as changed.", IndicatorSchema)],
  },
  {
    method: "DELETE",
    path: `${INCIDENT}/indicators/{id}`,
    file: incidentFile("indicators/[id]/"),
    tag: "Indicators",
    summary: "Delete an indicator",
    query: DeleteIndicatorQuerySchema,
    mutation: idempotent,
    conflicts: STALE_VERSION,
    responses: [json(200, "The indicator was deleted.", DeletedSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/indicators/{id}/sightings`,
    file: incidentFile("indicators/[id]/sightings/"),
    tag: "Indicators",
    summary: "List sightings of an indicator",
    description: "Newest first; agency users read their own organization's only.",
    responses: [json(200, "The sightings.", SightingListSchema)],
  },
  {
    method: "POST",
    path: `${INCIDENT}/indicators/{id}/sightings`,
    file: incidentFile("indicators/[id]/sightings/"),
    tag: "Indicators",
    summary: "Report a sighting",
    description: "Agency users report for their own organization; staff name `organizationId`.",
    body: CreateSightingSchema,
    mutation: idempotent,
    responses: [json(201, "The sighting as stored.", SightingSchema)],
  },
  {
    method: "POST",
    path: `${INCIDENT}/indicators/import`,
    file: incidentFile("indicators/import/"),
    tag: "Indicators",
    summary: "Import indicators",
    description:
      "The raw body (≤ 32 MB): pasted text, CSV, or a STIX 2.1 bundle; `format` wins over the Content-Type. `dryRun=true` reviews and stores nothing. Problems never block good lines; a file-level problem stores nothing (422). Two imports into one incident run one after the other (409 `import_busy` after 10 minutes).",
    query: ImportQuerySchema,
    upload: {
      contentTypes: ["text/plain", "text/csv", "application/stix+json", "application/json"],
      description:
        "Pasted text (text/plain), a CSV file (text/csv), or a STIX 2.1 bundle (application/stix+json or application/json).",
    },
    mutation: { idempotencyKey: false },
    conflicts: "Another import into the incident kept running for 10 minutes (`import_busy`).",
    responses: [
      json(201, "What the import stored.", ImportResultSchema),
      json(200, "A dry run: what would be stored (`items`), nothing stored.", ImportResultSchema),
    ],
  },
  {
    method: "GET",
    path: `${INCIDENT}/indicators/export`,
    file: incidentFile("indicators/export/"),
    tag: "Indicators",
    summary: "Export indicators",
    description:
      "A STIX 2.1 bundle or CSV download; with `organization` (always, for agency users) only what that organization may see.",
    query: ExportQuerySchema,
    responses: [
      {
        status: 200,
        description: "The file, as an attachment.",
        content: {
          "application/stix+json": { schema: { type: "object", description: "A STIX 2.1 bundle." } },
          "text/csv": { schema: { type: "string" } },
        },
      },
    ],
  },

  // ------------------------------------------------------------------ findings
  {
    method: "GET",
    path: `${INCIDENT}/findings`,
    file: incidentFile("findings/"),
    tag: "Findings",
    summary: "List findings",
    description: "Most recently changed first; `q` is full text over title and body (staff only).",
    query: FindingListQuerySchema,
    responses: [json(200, "A page of findings.", FindingPageSchema)],
  },
  {
    method: "POST",
    path: `${INCIDENT}/findings`,
    file: incidentFile("findings/"),
    tag: "Findings",
    summary: "Write a finding",
    body: CreateFindingSchema,
    mutation: idempotent,
    responses: [json(201, "The finding as stored.", FindingSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/findings/{id}`,
    file: incidentFile("findings/[id]/"),
    tag: "Findings",
    summary: "Get a finding",
    responses: [json(200, "The finding.", FindingSchema)],
  },
  {
    method: "PATCH",
    path: `${INCIDENT}/findings/{id}`,
    file: incidentFile("findings/[id]/"),
    tag: "Findings",
    summary: "Change a finding",
    body: UpdateFindingSchema,
    mutation: idempotent,
    conflicts: STALE_VERSION,
    responses: [json(200, "The finding as changed.", FindingSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/findings/{id}/history`,
    file: incidentFile("findings/[id]/history/"),
    tag: "Findings",
    summary: "A finding's history",
    description: "Its changes from the audit trail, newest first, before → after per field.",
    responses: [json(200, "The history on one page.", FindingHistorySchema)],
  },

  // ------------------------------------------------------------------ search
  {
    method: "GET",
    path: `${INCIDENT}/search`,
    file: incidentFile("search/"),
    tag: "Search",
    summary: "Search an incident",
    description:
      "Events, findings, indicators and organizations matching `q` (full text, trigram, and an exact indicator match after refanging), at most 20 per kind (staff only).",
    query: SearchQuerySchema,
    responses: [json(200, "Matches grouped by kind.", SearchResultsSchema)],
  },

  // ------------------------------------------------------------------ dashboard, metrics, report
  {
    method: "GET",
    path: "/api/v1/dashboard",
    file: "app/api/v1/dashboard/route.ts",
    tag: "Dashboard",
    summary: "The executive dashboard",
    description: "Every open incident's dashboard data: the figures /dashboard shows.",
    responses: [json(200, "The dashboard.", DashboardSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/dashboard`,
    file: incidentFile("dashboard/"),
    tag: "Dashboard",
    summary: "One incident's dashboard",
    responses: [json(200, "The incident's dashboard data.", IncidentDashboardSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/metrics`,
    file: incidentFile("metrics/"),
    tag: "Dashboard",
    summary: "Dwell time and the other durations",
    description:
      "Milestones, key durations, per-organization times and counts by state, recomputed per request.",
    responses: [json(200, "The metrics.", IncidentMetricsSchema)],
  },
  {
    method: "GET",
    path: `${INCIDENT}/report/pdf`,
    file: incidentFile("report/pdf/"),
    tag: "Dashboard",
    summary: "The incident report as PDF",
    description:
      "Rendered by headless Chromium on the server; 503 `pdf_unavailable` where the server has none.",
    responses: [
      {
        status: 200,
        description: "The PDF, as an attachment.",
        content: { "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } } },
      },
    ],
  },

  // ------------------------------------------------------------------ portal
  {
    method: "GET",
    path: "/api/v1/portal",
    file: "app/api/v1/portal/route.ts",
    tag: "Portal",
    summary: "The agency's own view",
    description:
      "Its organization, notification, deadline, and what it may see of the incident (agency users).",
    responses: [json(200, "The portal view.", PortalViewSchema)],
  },
  {
    method: "POST",
    path: "/api/v1/portal/notification",
    file: "app/api/v1/portal/notification/route.ts",
    tag: "Portal",
    summary: "Acknowledge the notice or confirm remediation",
    description:
      '`{ to: "acknowledged" | "remediated", at?, note?, version }`; the organization comes from the session.',
    body: PortalNotificationSchema,
    mutation: idempotent,
    conflicts: STALE_VERSION,
    responses: [json(200, "The organization after the move, and the move.", PortalMoveResponseSchema)],
  },

  // ------------------------------------------------------------------ audit
  {
    method: "GET",
    path: `${INCIDENT}/audit`,
    file: incidentFile("audit/"),
    tag: "Audit",
    summary: "The incident's audit trail",
    description: "Every change, newest first, filtered by who, what kind of record, which action and when.",
    query: AuditListQuerySchema,
    responses: [json(200, "A page of audit entries.", AuditPageSchema)],
  },

  // ------------------------------------------------------------------ users (administrators)
  {
    method: "GET",
    path: "/api/v1/users",
    file: "app/api/v1/users/route.ts",
    tag: "Users",
    summary: "List users",
    description: "Keyset-paged by email; filters `q`, `role`, `status` (administrators).",
    query: UserListQuerySchema,
    responses: [json(200, "A page of users.", UserPageSchema)],
  },
  {
    method: "POST",
    path: "/api/v1/users",
    file: "app/api/v1/users/route.ts",
    tag: "Users",
    summary: "Create a user",
    body: CreateUserRequestSchema,
    mutation: idempotent,
    conflicts: "A user with that email already exists.",
    responses: [json(201, "The user as stored.", UserSchema)],
  },
  {
    method: "GET",
    path: "/api/v1/users/{id}",
    file: "app/api/v1/users/[id]/route.ts",
    tag: "Users",
    summary: "Get a user",
    responses: [json(200, "The user.", UserSchema)],
  },
  {
    method: "PATCH",
    path: "/api/v1/users/{id}",
    file: "app/api/v1/users/[id]/route.ts",
    tag: "Users",
    summary: "Change a user",
    description: "Name, role, organization binding, or disable and enable; carries the `updatedAt` read.",
    body: UpdateUserSchema,
    mutation: idempotent,
    conflicts:
      "The user changed since `updatedAt` was read, or the change would leave no enabled administrator.",
    responses: [json(200, "The user as changed.", UserSchema)],
  },
  {
    method: "POST",
    path: "/api/v1/users/{id}/password-reset",
    file: "app/api/v1/users/[id]/password-reset/route.ts",
    tag: "Users",
    summary: "Set a temporary password",
    description:
      "`{ password }`, or `{ generate: true }` to have one generated (shown once in the answer); the user must choose a new one at the next sign-in.",
    body: PasswordResetSchema,
    mutation: idempotent,
    responses: [json(200, "The user, and the generated password if asked for.", PasswordResetResponseSchema)],
  },
  {
    method: "POST",
    path: "/api/v1/account/password",
    file: "app/api/v1/account/password/route.ts",
    tag: "Users",
    summary: "Change your own password",
    description:
      "`{ currentPassword, newPassword, confirmPassword }`. The one route a user with a temporary password may call; ends every session of the user.",
    body: ChangeOwnPasswordSchema,
    mutation: idempotent,
    extraErrors: [429],
    responses: [json(200, "Changed; sign in again.", PasswordChangedSchema)],
  },

  // ------------------------------------------------------------------ API tokens
  {
    method: "GET",
    path: "/api/v1/tokens",
    file: "app/api/v1/tokens/route.ts",
    tag: "Tokens",
    summary: "List your API tokens",
    query: ApiTokenListQuerySchema,
    responses: [json(200, "A page of the caller's tokens (never their secrets).", ApiTokenPageSchema)],
  },
  {
    method: "POST",
    path: "/api/v1/tokens",
    file: "app/api/v1/tokens/route.ts",
    tag: "Tokens",
    summary: "Create an API token",
    description:
      "The answer holds the secret, once: it is never stored, so this route refuses an `Idempotency-Key` (400).",
    body: CreateApiTokenSchema,
    mutation: { idempotencyKey: false },
    responses: [json(201, "The token with its secret.", CreatedApiTokenSchema)],
  },
  {
    method: "DELETE",
    path: "/api/v1/tokens/{id}",
    file: "app/api/v1/tokens/[id]/route.ts",
    tag: "Tokens",
    summary: "Revoke an API token",
    description:
      "One of the caller's own; another user's, or an unknown id, answers 404. Revoking twice changes nothing.",
    mutation: idempotent,
    responses: [json(200, "The token, revoked.", ApiTokenSchema)],
  },
];

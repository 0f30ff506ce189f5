// The authorization matrix's registry: one entry per (route file, HTTP method) for every route handler
// under app/api and every page under app. Each entry says which URL reaches it, what the permission
// table (lib/auth/permissions.ts) requires, which kind of id it addresses, how a request is built, and
// what a principal that may use it gets. The spec (authorization-matrix.spec.ts) fails when a route or
// method exists without an entry here, so a new route must say who may call it before it ships.
//
// Requests of allowed principals are built to fail harmlessly after the authorization and scope
// checks (a stale `version`, a name that already exists, a link to an unknown record, a dry-run
// import, a re-add that changes nothing), so the seeded database is left exactly as it was found.
import type { Role } from "../lib/auth/actor.ts";
import type { Permission } from "../lib/auth/permissions.ts";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const PRINCIPALS = [
  "anonymous",
  "admin",
  "responder",
  "executive",
  "state",
  "commerce",
  "disabled",
  // The responder again, through API tokens (`Authorization: Bearer`, no cookie): one that may write,
  // one read-only. Tokens open no page (those answer like anonymous).
  "responder-token",
  "read-only-token",
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

/** What the id parameter of a route names. `incident` when `{incident}` is the route's only id. */
export type IdKind = "incident" | "organization" | "event" | "indicator";

/**
 * Which record an id-taking request names: the principal's own (for agency users: their organization,
 * or an indicator they may see), another organization's (State's for Commerce and vice versa), or an
 * id that was never a record.
 */
export type Target = "own" | "other" | "unknown";

/** Who may call a route, in the permission table's words. */
export type Access =
  | { public: true }
  /** Every one of these. */
  | { all: readonly Permission[] }
  /** At least one of these (agency users reach some routes with `portal:read` instead of `incident:read`). */
  | { any: readonly Permission[] };

/** What a request should get. */
export interface Expectation {
  status: number;
  /** API refusals: the error code. */
  code?: string;
  /** Redirects: the path the Location header names. */
  location?: string;
  /** An extra check of a JSON answer: what is wrong with it, or null. */
  check?: (json: unknown) => string | null;
}

/** Facts the spec discovered (through the staff API) or made for the run. */
export interface World {
  incident: { slug: string; id: string };
  organizations: Record<"state" | "commerce", { id: string; name: string }>;
  /** Events linked to that organization only. */
  events: Record<"state" | "commerce", string>;
  /** AMBER indicators linked to that organization only (made for the run: the seed's are all CLEAR). */
  indicators: Record<"state" | "commerce", string>;
  /** A seeded indicator: re-adding it as it is answers 200 and changes nothing. */
  existingIndicator: { type: string; value: string };
  /** Put into sighting locations this run might create, so the clean-up can find them. */
  marker: string;
}

export interface CellContext {
  principal: PrincipalName;
  /** The role behind the session; null for anonymous. A disabled user keeps its role but has no session. */
  role: Role | null;
  /** Whether the server will establish an actor (false for anonymous and the disabled user). */
  signedIn: boolean;
  target: Target;
  /** The id substituted for the entry's id parameter (the incident ref for `incident` routes). */
  id: string;
  world: World;
}

export interface RequestPlan {
  query?: Record<string, string>;
  json?: unknown;
  raw?: { body: string; contentType: string };
}

export interface RouteEntry {
  /** The file, relative to the project root. */
  file: string;
  method: HttpMethod;
  kind: "api" | "page";
  /** `{incident}` is the incident (slug or id), `{id}` the id parameter. */
  url: string;
  access: Access;
  /** The kind of id the route addresses; none for routes without ids. */
  id?: IdKind;
  /** Where `{id}` travels when it is not in the path: the query string (written in `url`) or the body. */
  idIn?: "query" | "body";
  request?: (ctx: CellContext) => RequestPlan;
  /** What a principal allowed by `access` (everybody, for public routes) gets for a record it may address. */
  allowed: (ctx: CellContext) => Expectation;
  /** What an allowed principal gets for an unknown id; by default 404 (`not_found` for the API). */
  unknown?: (ctx: CellContext) => Expectation;
  /** Server-sent events: read the status and headers, then hang up. */
  stream?: boolean;
}

/** An old version no record will reach in a test run: an update carrying it is refused with 409. */
export const STALE_VERSION = 999_999;

const INCIDENT_API = "/api/v1/incidents/{incident}";
const ok = (): Expectation => ({ status: 200 });
const conflict = (): Expectation => ({ status: 409, code: "conflict" });
const now = () => new Date().toISOString();
/** A valid event that links an organization no incident has: refused with 422 after every access check. */
const eventWithUnknownLink = (ctx: CellContext) => ({
  occurredAt: "2023-06-22",
  precision: "day",
  lane: "response",
  phase: "investigation",
  title: `authorization matrix ${ctx.world.marker}`,
  source: "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a",
  verification: "primary",
  tlp: "CLEAR",
  organizationIds: ["00000000-0000-4000-8000-00000000a11c"],
});
const firstResult =
  (status: number) =>
  (json: unknown): string | null => {
    const results = (json as { results?: { status: number }[] }).results;
    return results?.[0]?.status === status
      ? null
      : `expected results[0].status ${status}, got ${JSON.stringify(results)}`;
  };
const isSightingList = (json: unknown) => (Array.isArray(json) ? null : "expected a list of sightings");

const INCIDENT_READ = { all: ["incident:read"] } as const;
/** Indicator reads: staff with `incident:read`, agency users (their own incident, scoped) with `portal:read`. */
const INDICATOR_READ = { any: ["incident:read", "portal:read"] } as const;

export const ROUTES: readonly RouteEntry[] = [
  // ------------------------------------------------------------------ public routes
  {
    file: "app/api/health/route.ts",
    method: "GET",
    kind: "api",
    url: "/api/health",
    access: { public: true },
    allowed: ok,
  },
  {
    file: "app/api/auth/[...nextauth]/route.ts",
    method: "GET",
    kind: "api",
    url: "/api/auth/csrf",
    access: { public: true },
    allowed: ok,
  },
  {
    // No CSRF token: next-auth sends the caller back to its sign-in page and changes no session.
    file: "app/api/auth/[...nextauth]/route.ts",
    method: "POST",
    kind: "api",
    url: "/api/auth/callback/credentials",
    access: { public: true },
    allowed: () => ({ status: 302, location: "/api/auth/signin" }),
  },
  ...HTTP_METHODS.map((method): RouteEntry => ({
    // Unknown API addresses answer in the API's error shape, for everybody.
    file: "app/api/v1/[...path]/route.ts",
    method,
    kind: "api",
    url: "/api/v1/authorization-matrix-no-such-route",
    access: { public: true },
    allowed: () => ({ status: 404, code: "not_found" }),
  })),
  {
    // The API's description (OpenAPI 3.1): no data, so public like its readable page.
    file: "app/api/v1/openapi.json/route.ts",
    method: "GET",
    kind: "api",
    url: "/api/v1/openapi.json",
    access: { public: true },
    allowed: () => ({
      status: 200,
      check: (json) =>
        (json as { openapi?: string }).openapi?.startsWith("3.1") ? null : "expected an OpenAPI 3.1 document",
    }),
  },
  {
    file: "app/api-docs/page.tsx",
    method: "GET",
    kind: "page",
    url: "/api-docs",
    access: { public: true },
    allowed: ok,
  },

  // ------------------------------------------------------------------ incidents
  {
    file: "app/api/v1/incidents/route.ts",
    method: "GET",
    kind: "api",
    url: "/api/v1/incidents",
    access: INCIDENT_READ,
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/route.ts",
    method: "GET",
    kind: "api",
    url: INCIDENT_API,
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/metrics/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/metrics`,
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/timeline/buckets/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/timeline/buckets?max=50`,
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/stream/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/stream`,
    access: INCIDENT_READ,
    id: "incident",
    stream: true,
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/notification-regime/route.ts",
    method: "PUT",
    kind: "api",
    url: `${INCIDENT_API}/notification-regime`,
    access: { all: ["organization:write"] },
    id: "incident",
    request: () => ({ json: { hours: 72, version: STALE_VERSION } }),
    allowed: conflict,
  },

  // ------------------------------------------------------------------ timeline events
  {
    file: "app/api/v1/incidents/[incident]/events/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/events?limit=5`,
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/events/route.ts",
    method: "POST",
    kind: "api",
    url: `${INCIDENT_API}/events`,
    access: { all: ["timeline:write"] },
    id: "incident",
    request: (ctx) => ({ json: eventWithUnknownLink(ctx) }),
    allowed: () => ({ status: 422, code: "invalid_input" }),
  },
  {
    file: "app/api/v1/incidents/[incident]/events/[id]/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/events/{id}`,
    access: INCIDENT_READ,
    id: "event",
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/events/[id]/route.ts",
    method: "PATCH",
    kind: "api",
    url: `${INCIDENT_API}/events/{id}`,
    access: { all: ["timeline:write"] },
    id: "event",
    request: () => ({ json: { title: "authorization matrix (never saved)", version: STALE_VERSION } }),
    allowed: conflict,
  },
  {
    // Always with a version: without one the event would be deleted as it stands.
    file: "app/api/v1/incidents/[incident]/events/[id]/route.ts",
    method: "DELETE",
    kind: "api",
    url: `${INCIDENT_API}/events/{id}?version=${STALE_VERSION}`,
    access: { all: ["timeline:write"] },
    id: "event",
    allowed: conflict,
  },

  // ------------------------------------------------------------------ affected organizations
  {
    file: "app/api/v1/incidents/[incident]/organizations/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/organizations`,
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    // A name the incident already has.
    file: "app/api/v1/incidents/[incident]/organizations/route.ts",
    method: "POST",
    kind: "api",
    url: `${INCIDENT_API}/organizations`,
    access: { all: ["organization:write"] },
    id: "incident",
    request: (ctx) => ({
      json: { name: ctx.world.organizations.state.name, kind: "government", country: "US" },
    }),
    allowed: conflict,
  },
  {
    file: "app/api/v1/incidents/[incident]/organizations/overview/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/organizations/overview`,
    access: { all: ["incident:read", "dashboard:read"] },
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/api/v1/dashboard/route.ts",
    method: "GET",
    kind: "api",
    url: "/api/v1/dashboard",
    access: { all: ["dashboard:read"] },
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/dashboard/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/dashboard`,
    access: { all: ["incident:read", "dashboard:read"] },
    id: "incident",
    allowed: ok,
  },
  {
    // Rendered by headless Chromium on the server; 503 (pdf_unavailable) where the server has none.
    file: "app/api/v1/incidents/[incident]/report/pdf/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/report/pdf`,
    access: { all: ["incident:read", "dashboard:read"] },
    id: "incident",
    // Printed from the report page with the caller's cookie: API tokens are told to use a session.
    allowed: (ctx) => (ctx.principal.endsWith("-token") ? { status: 403, code: "session_required" } : ok()),
  },
  {
    // Each entry is answered on its own: the request succeeds (200) and the entry carries the refusal.
    file: "app/api/v1/incidents/[incident]/organizations/notifications/route.ts",
    method: "POST",
    kind: "api",
    url: `${INCIDENT_API}/organizations/notifications`,
    access: { all: ["notification:move"] },
    id: "organization",
    idIn: "body",
    request: (ctx) => ({
      json: { moves: [{ organizationId: ctx.id, to: "delivered", at: now(), version: STALE_VERSION }] },
    }),
    allowed: () => ({ status: 200, check: firstResult(409) }),
    unknown: () => ({ status: 200, check: firstResult(404) }),
  },
  {
    file: "app/api/v1/incidents/[incident]/organizations/[id]/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/organizations/{id}`,
    access: INCIDENT_READ,
    id: "organization",
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/organizations/[id]/route.ts",
    method: "PATCH",
    kind: "api",
    url: `${INCIDENT_API}/organizations/{id}`,
    access: { all: ["organization:write"] },
    id: "organization",
    request: () => ({ json: { sector: "authorization matrix (never saved)", version: STALE_VERSION } }),
    allowed: conflict,
  },
  {
    file: "app/api/v1/incidents/[incident]/organizations/[id]/notification/route.ts",
    method: "POST",
    kind: "api",
    url: `${INCIDENT_API}/organizations/{id}/notification`,
    access: { all: ["notification:move"] },
    id: "organization",
    request: () => ({ json: { to: "delivered", at: now(), channel: "email", version: STALE_VERSION } }),
    allowed: conflict,
  },

  // ------------------------------------------------------------------ indicators
  {
    file: "app/api/v1/incidents/[incident]/indicators/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/indicators?limit=200`,
    access: INDICATOR_READ,
    id: "incident",
    allowed: ok,
  },
  {
    // Re-adding a stored (type, value) with nothing new answers 200 with it and writes nothing.
    file: "app/api/v1/incidents/[incident]/indicators/route.ts",
    method: "POST",
    kind: "api",
    url: `${INCIDENT_API}/indicators`,
    access: { all: ["indicator:write"] },
    id: "incident",
    request: (ctx) => ({ json: { ...ctx.world.existingIndicator } }),
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/indicators/import/route.ts",
    method: "POST",
    kind: "api",
    url: `${INCIDENT_API}/indicators/import?dryRun=true`,
    access: { all: ["interchange:import", "indicator:write"] },
    id: "incident",
    request: () => ({ raw: { body: "198.51.100.7\n", contentType: "text/plain" } }),
    allowed: ok,
  },
  {
    // Staff may name any organization of the incident; an agency user only its own.
    file: "app/api/v1/incidents/[incident]/indicators/export/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/indicators/export?format=csv&organization={id}`,
    access: { any: ["interchange:export", "portal:read"] },
    id: "organization",
    idIn: "query",
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/indicators/[id]/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/indicators/{id}`,
    access: INDICATOR_READ,
    id: "indicator",
    allowed: ok,
  },
  {
    file: "app/api/v1/incidents/[incident]/indicators/[id]/route.ts",
    method: "PATCH",
    kind: "api",
    url: `${INCIDENT_API}/indicators/{id}`,
    access: { all: ["indicator:write"] },
    id: "indicator",
    request: () => ({ json: { description: "authorization matrix (never saved)", version: STALE_VERSION } }),
    allowed: conflict,
  },
  {
    // Always with a version: without one the indicator would be deleted as it stands.
    file: "app/api/v1/incidents/[incident]/indicators/[id]/route.ts",
    method: "DELETE",
    kind: "api",
    url: `${INCIDENT_API}/indicators/{id}?version=${STALE_VERSION}`,
    access: { all: ["indicator:write"] },
    id: "indicator",
    allowed: conflict,
  },
  {
    file: "app/api/v1/incidents/[incident]/indicators/[id]/sightings/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/indicators/{id}/sightings`,
    access: INDICATOR_READ,
    id: "indicator",
    allowed: () => ({ status: 200, check: isSightingList }),
  },
  {
    // Staff without `organizationId`: refused (422) after the indicator was found. An agency user's
    // report has no harmless refusal after the scope check, so its own indicator gets a future
    // `seenAt` (422, after the permission check); other and unknown indicators get a valid report,
    // which must answer 404 alike (the location carries the run marker for the clean-up).
    file: "app/api/v1/incidents/[incident]/indicators/[id]/sightings/route.ts",
    method: "POST",
    kind: "api",
    url: `${INCIDENT_API}/indicators/{id}/sightings`,
    access: { all: ["sighting:report"] },
    id: "indicator",
    request: (ctx) => ({
      json:
        ctx.role === "agency" && ctx.target === "own"
          ? { seenAt: "2999-01-01T00:00:00Z" }
          : {
              seenAt: "2023-06-20T10:00:00Z",
              location: `authorization matrix ${ctx.world.marker}`,
            },
    }),
    allowed: () => ({ status: 422, code: "invalid_input" }),
  },

  // ------------------------------------------------------------------ findings
  // Findings are staff records: agency users are refused (403) before any finding is looked up. The
  // seed has no finding and the registry has no finding id kind, so `{id}` routes are registered by
  // their incident: `{id}` is then the incident's ref, never a finding id (404 after every access check).
  {
    file: "app/api/v1/incidents/[incident]/findings/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/findings?limit=5`,
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    // A link to an organization no incident has: refused with 422 after every access check.
    file: "app/api/v1/incidents/[incident]/findings/route.ts",
    method: "POST",
    kind: "api",
    url: `${INCIDENT_API}/findings`,
    access: { all: ["finding:write"] },
    id: "incident",
    request: (ctx) => ({
      json: {
        title: `authorization matrix ${ctx.world.marker}`,
        body: "Never saved.",
        severity: "low",
        confidence: "low",
        organizationIds: ["00000000-0000-4000-8000-00000000a11c"],
      },
    }),
    allowed: () => ({ status: 422, code: "invalid_input" }),
  },
  {
    file: "app/api/v1/incidents/[incident]/findings/[id]/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/findings/{id}`,
    access: INCIDENT_READ,
    id: "incident",
    allowed: () => ({ status: 404, code: "not_found" }),
  },
  {
    file: "app/api/v1/incidents/[incident]/findings/[id]/route.ts",
    method: "PATCH",
    kind: "api",
    url: `${INCIDENT_API}/findings/{id}`,
    access: { all: ["finding:write"] },
    id: "incident",
    request: () => ({ json: { title: "authorization matrix (never saved)", version: STALE_VERSION } }),
    allowed: () => ({ status: 404, code: "not_found" }),
  },
  {
    file: "app/api/v1/incidents/[incident]/findings/[id]/history/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/findings/{id}/history`,
    access: INCIDENT_READ,
    id: "incident",
    allowed: () => ({ status: 404, code: "not_found" }),
  },

  // ------------------------------------------------------------------ audit trail
  {
    // Staff with `audit:read` (executives too); agency users are refused (403) before any lookup.
    file: "app/api/v1/incidents/[incident]/audit/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/audit?limit=5`,
    access: { all: ["incident:read", "audit:read"] },
    id: "incident",
    allowed: ok,
  },

  // ------------------------------------------------------------------ search
  {
    // Staff only: agency users may see part of an incident, and search would reveal the rest.
    file: "app/api/v1/incidents/[incident]/search/route.ts",
    method: "GET",
    kind: "api",
    url: `${INCIDENT_API}/search?q=51.89.156%5B.%5D153`,
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },

  // ------------------------------------------------------------------ agency portal
  {
    file: "app/api/v1/portal/route.ts",
    method: "GET",
    kind: "api",
    url: "/api/v1/portal",
    access: { all: ["portal:read"] },
    allowed: ok,
  },
  {
    file: "app/api/v1/portal/notification/route.ts",
    method: "POST",
    kind: "api",
    url: "/api/v1/portal/notification",
    access: { all: ["notification:acknowledge"] },
    request: () => ({ json: { to: "acknowledged", version: STALE_VERSION } }),
    allowed: conflict,
  },

  // ------------------------------------------------------------------ users (admins) and the own password
  // The registry has no user id kind: `{id}` routes name a user id that was never a record (404 after
  // every access check), so nothing is changed, reset or disabled.
  {
    file: "app/api/v1/users/route.ts",
    method: "GET",
    kind: "api",
    url: "/api/v1/users?limit=5",
    access: { all: ["user:manage"] },
    allowed: ok,
  },
  {
    // An email that exists: refused with 409 after the permission and password checks.
    file: "app/api/v1/users/route.ts",
    method: "POST",
    kind: "api",
    url: "/api/v1/users",
    access: { all: ["user:manage"] },
    request: () => ({
      json: {
        email: "admin@dwell.example",
        name: "Authorization matrix (never saved)",
        role: "responder",
        password: "authorization matrix never saved",
      },
    }),
    allowed: conflict,
  },
  {
    file: "app/api/v1/users/[id]/route.ts",
    method: "GET",
    kind: "api",
    url: "/api/v1/users/00000000-0000-4000-8000-00000000a11c",
    access: { all: ["user:manage"] },
    allowed: () => ({ status: 404, code: "not_found" }),
  },
  {
    file: "app/api/v1/users/[id]/route.ts",
    method: "PATCH",
    kind: "api",
    url: "/api/v1/users/00000000-0000-4000-8000-00000000a11c",
    access: { all: ["user:manage"] },
    request: () => ({ json: { disabled: true, updatedAt: now() } }),
    allowed: () => ({ status: 404, code: "not_found" }),
  },
  {
    file: "app/api/v1/users/[id]/password-reset/route.ts",
    method: "POST",
    kind: "api",
    url: "/api/v1/users/00000000-0000-4000-8000-00000000a11c/password-reset",
    access: { all: ["user:manage"] },
    request: () => ({ json: { generate: true } }),
    allowed: () => ({ status: 404, code: "not_found" }),
  },
  {
    // Every signed-in user's own password (no permission: "public" to the registry, but sessions
    // only). A repeat that does not match is refused (422) before the current password is checked,
    // so no sign-in attempt is counted.
    file: "app/api/v1/account/password/route.ts",
    method: "POST",
    kind: "api",
    url: "/api/v1/account/password",
    access: { public: true },
    request: () => ({
      json: {
        currentPassword: "not checked",
        newPassword: "authorization matrix never saved",
        confirmPassword: "something else entirely",
      },
    }),
    allowed: (ctx) =>
      ctx.signedIn ? { status: 422, code: "invalid_input" } : { status: 401, code: "unauthenticated" },
  },

  // ------------------------------------------------------------------ API tokens (one's own)
  // Tokens have no id kind: DELETE names a token id that was never a record (404 after every access
  // check), and POST sends an expiry in the past (422), so no token is made or revoked.
  {
    file: "app/api/v1/tokens/route.ts",
    method: "GET",
    kind: "api",
    url: "/api/v1/tokens?limit=5",
    access: { all: ["token:manage-own"] },
    allowed: ok,
  },
  {
    file: "app/api/v1/tokens/route.ts",
    method: "POST",
    kind: "api",
    url: "/api/v1/tokens",
    access: { all: ["token:manage-own"] },
    request: () => ({
      json: { name: "authorization matrix (never saved)", expiresAt: "2023-06-16T00:00:00Z" },
    }),
    allowed: () => ({ status: 422, code: "invalid_input" }),
  },
  {
    file: "app/api/v1/tokens/[id]/route.ts",
    method: "DELETE",
    kind: "api",
    url: "/api/v1/tokens/00000000-0000-4000-8000-00000000a11c",
    access: { all: ["token:manage-own"] },
    request: () => ({}),
    allowed: () => ({ status: 404, code: "not_found" }),
  },

  // ------------------------------------------------------------------ pages
  {
    file: "app/(auth)/login/page.tsx",
    method: "GET",
    kind: "page",
    url: "/login",
    access: { public: true },
    allowed: (ctx) => (ctx.signedIn ? { status: 307, location: "/" } : { status: 200 }),
  },
  {
    file: "app/page.tsx",
    method: "GET",
    kind: "page",
    url: "/",
    access: { any: ["incident:read", "portal:read"] },
    allowed: (ctx) => ({
      status: 307,
      location:
        ctx.role === "agency"
          ? "/portal"
          : ctx.role === "executive"
            ? "/dashboard"
            : `/incidents/${ctx.world.incident.slug}/timeline`,
    }),
  },
  {
    file: "app/(app)/incidents/page.tsx",
    method: "GET",
    kind: "page",
    url: "/incidents",
    access: INCIDENT_READ,
    allowed: ok,
  },
  {
    file: "app/(app)/incidents/[incidentId]/page.tsx",
    method: "GET",
    kind: "page",
    url: "/incidents/{incident}",
    access: INCIDENT_READ,
    id: "incident",
    allowed: (ctx) => ({ status: 307, location: `/incidents/${ctx.id}/timeline` }),
  },
  {
    file: "app/(app)/incidents/[incidentId]/timeline/page.tsx",
    method: "GET",
    kind: "page",
    url: "/incidents/{incident}/timeline",
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/(app)/incidents/[incidentId]/organizations/page.tsx",
    method: "GET",
    kind: "page",
    url: "/incidents/{incident}/organizations",
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/(app)/incidents/[incidentId]/indicators/(list)/page.tsx",
    method: "GET",
    kind: "page",
    url: "/incidents/{incident}/indicators",
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/(app)/incidents/[incidentId]/indicators/import/page.tsx",
    method: "GET",
    kind: "page",
    url: "/incidents/{incident}/indicators/import",
    access: { all: ["incident:read", "indicator:write", "interchange:import"] },
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/(app)/incidents/[incidentId]/report/page.tsx",
    method: "GET",
    kind: "page",
    url: "/incidents/{incident}/report",
    access: { all: ["incident:read", "dashboard:read"] },
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/(app)/dashboard/page.tsx",
    method: "GET",
    kind: "page",
    url: "/dashboard",
    access: { all: ["dashboard:read"] },
    allowed: ok,
  },
  {
    file: "app/(app)/settings/tokens/page.tsx",
    method: "GET",
    kind: "page",
    url: "/settings/tokens",
    access: { all: ["token:manage-own"] },
    allowed: ok,
  },
  {
    file: "app/(app)/incidents/[incidentId]/findings/(list)/page.tsx",
    method: "GET",
    kind: "page",
    url: "/incidents/{incident}/findings",
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/(app)/incidents/[incidentId]/audit/page.tsx",
    method: "GET",
    kind: "page",
    url: "/incidents/{incident}/audit",
    access: { all: ["incident:read", "audit:read"] },
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/(app)/incidents/[incidentId]/search/page.tsx",
    method: "GET",
    kind: "page",
    url: "/incidents/{incident}/search?q=storm",
    access: INCIDENT_READ,
    id: "incident",
    allowed: ok,
  },
  {
    file: "app/(app)/portal/page.tsx",
    method: "GET",
    kind: "page",
    url: "/portal",
    access: { all: ["portal:read"] },
    allowed: ok,
  },
  {
    file: "app/(app)/admin/users/page.tsx",
    method: "GET",
    kind: "page",
    url: "/admin/users",
    access: { all: ["user:manage"] },
    allowed: ok,
  },
  {
    // Every signed-in user (no permission needed).
    file: "app/(account)/account/password/page.tsx",
    method: "GET",
    kind: "page",
    url: "/account/password",
    access: { all: [] },
    allowed: ok,
  },
];

/**
 * Authorization bugs the matrix found and that are not fixed yet. A listed cell must still answer
 * `got` (the spec fails once it is fixed, so the entry is removed) and is flagged in the summary.
 */
export interface KnownDeviation {
  file: string;
  method: HttpMethod;
  principals: readonly PrincipalName[];
  expected: number;
  got: number;
  why: string;
}

export const KNOWN_DEVIATIONS: readonly KnownDeviation[] = [];

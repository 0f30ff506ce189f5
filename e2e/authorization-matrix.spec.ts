// The authorization matrix: every route handler and page (e2e/route-matrix.ts) × every principal
// (anonymous, admin, responder, executive, agency users of State and Commerce, a disabled user, and the
// responder through a writable and a read-only API token) × the record it names (its own, another
// organization's, an unknown id), each checked against the permission
// table (lib/auth/permissions.ts) and the agency scope rules: another organization's record answers
// exactly like a missing one. Also: the registry covers every route, agency answers carry no internal
// fields and no other organization, and cross-site writes are refused. Requests that pass the checks
// fail harmlessly (see route-matrix.ts), and the database must be left exactly as found.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import type { Role } from "../lib/auth/actor.ts";
import { PERMISSIONS, permissionsOf } from "../lib/auth/permissions.ts";
import {
  COMMERCE_NAME,
  databaseFingerprint,
  deleteSightingsByLocation,
  INCIDENT,
  RUN_MARKER,
  signInRequestContext,
  STATE_NAME,
  withE2eClient,
} from "./fixtures";
import {
  HTTP_METHODS,
  KNOWN_DEVIATIONS,
  PRINCIPALS,
  ROUTES,
  type Access,
  type CellContext,
  type Expectation,
  type HttpMethod,
  type PrincipalName,
  type RouteEntry,
  type Target,
  type World,
} from "./route-matrix";

// ---------------------------------------------------------------- principals

type OrgKey = "state" | "commerce";

interface Principal {
  name: PrincipalName;
  role: Role | null;
  signedIn: boolean;
  /** The organization whose records count as "own" (for staff and anonymous: State's). */
  own: OrgKey;
  request: APIRequestContext;
  /** The session cookie, for the server-sent-events route (read with fetch, then hung up). */
  cookie: string;
  /** API token principals: the secret sent as `Authorization: Bearer`, and whether it is read-only. */
  bearer?: string;
  readOnly?: boolean;
}

const ACCOUNTS: Partial<Record<PrincipalName, { email: string; role: Role; own: OrgKey }>> = {
  admin: { email: "admin@dwell.example", role: "admin", own: "state" },
  responder: { email: "responder@dwell.example", role: "responder", own: "state" },
  executive: { email: "executive@dwell.example", role: "executive", own: "state" },
  state: { email: "state@agency.example", role: "agency", own: "state" },
  commerce: { email: "commerce@agency.example", role: "agency", own: "commerce" },
};
const DISABLED_EMAIL = `authz-disabled-${RUN_MARKER}@dwell.example`;
const UNKNOWN_ID = randomUUID();
const OTHER: Record<OrgKey, OrgKey> = { state: "commerce", commerce: "state" };

// ---------------------------------------------------------------- state shared by the tests

let baseURL = "";
let root = "";
let world: World;
const principals = new Map<PrincipalName, Principal>();
let fingerprintBefore: Record<string, string> | undefined;
/** What the disabled user got before it was disabled (its session worked). */
let disabledBefore = 0;
/** Every organization of the incident, from the staff API. */
let organizations: { id: string; name: string }[] = [];
/** Ids of events linked to an organization other than the key's (hidden from that agency user). */
const hiddenEventIds: Record<OrgKey, string[]> = { state: [], commerce: [] };
/** Internal notes of records (staff API), which no agency answer may contain. */
let internalNotes: string[] = [];
const scratchIndicatorIds: string[] = [];
const scratchTokenIds: string[] = [];

// ---------------------------------------------------------------- helpers

interface Answer {
  status: number;
  location: string | null;
  contentType: string;
  text: string;
  json: unknown;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorOf(answer: Answer): { code?: string; message?: string } | undefined {
  return (answer.json as { error?: { code?: string; message?: string } } | undefined)?.error;
}

function permits(role: Role, access: Access, readOnly = false): boolean {
  if ("public" in access) return true;
  const held = permissionsOf({ role, readOnly });
  return "all" in access
    ? access.all.every((p) => held.includes(p))
    : access.any.some((p) => held.includes(p));
}

function targetsOf(entry: RouteEntry): Target[] {
  if (!entry.id) return ["own"];
  // There is one incident: no other organization's incident to name.
  if (entry.id === "incident") return ["own", "unknown"];
  return ["own", "other", "unknown"];
}

function idFor(entry: RouteEntry, principal: Principal, target: Target): string {
  if (!entry.id) return "";
  if (target === "unknown") return UNKNOWN_ID;
  if (entry.id === "incident") return world.incident.slug;
  const key = target === "own" ? principal.own : OTHER[principal.own];
  if (entry.id === "organization") return world.organizations[key].id;
  if (entry.id === "event") return world.events[key];
  return world.indicators[key];
}

function urlFor(entry: RouteEntry, ctx: CellContext): string {
  const incident = entry.id === "incident" ? ctx.id : world.incident.slug;
  return entry.url.replaceAll("{incident}", encodeURIComponent(incident)).replaceAll("{id}", ctx.id);
}

/** What the permission table and the scope rules say this request must get. */
function expectationFor(entry: RouteEntry, ctx: CellContext): Expectation {
  if ("public" in entry.access) return entry.allowed(ctx);
  if (!ctx.signedIn) {
    return entry.kind === "api"
      ? { status: 401, code: "unauthenticated" }
      : { status: 307, location: "/login" };
  }
  if (!ctx.role || !permits(ctx.role, entry.access, principals.get(ctx.principal)?.readOnly)) {
    // Pages map a refusal to the not-found page (README Decision 4).
    return entry.kind === "api" ? { status: 403, code: "forbidden" } : { status: 404 };
  }
  // Another organization's record answers exactly like a missing one for agency users.
  if (ctx.target === "unknown" || (ctx.target === "other" && ctx.role === "agency")) {
    return (
      entry.unknown?.(ctx) ?? (entry.kind === "api" ? { status: 404, code: "not_found" } : { status: 404 })
    );
  }
  return entry.allowed(ctx);
}

async function send(principal: Principal, entry: RouteEntry, url: string, ctx: CellContext): Promise<Answer> {
  const plan = entry.request?.(ctx) ?? {};
  const query = plan.query ? `${url.includes("?") ? "&" : "?"}${new URLSearchParams(plan.query)}` : "";
  if (entry.stream) {
    // An open event stream never ends: read the status and headers, then hang up.
    const controller = new AbortController();
    const response = await fetch(`${baseURL}${url}${query}`, {
      method: entry.method,
      headers: principal.bearer
        ? { authorization: `Bearer ${principal.bearer}` }
        : principal.cookie
          ? { cookie: principal.cookie }
          : {},
      redirect: "manual",
      signal: controller.signal,
    });
    const contentType = response.headers.get("content-type") ?? "";
    const text = contentType.includes("json") ? await response.text() : "";
    controller.abort();
    return { status: response.status, location: null, contentType, text, json: parseJson(text) };
  }
  const response = await principal.request.fetch(`${url}${query}`, {
    method: entry.method,
    maxRedirects: 0,
    failOnStatusCode: false,
    ...(plan.json !== undefined ? { data: plan.json } : {}),
    ...(plan.raw ? { data: plan.raw.body, headers: { "content-type": plan.raw.contentType } } : {}),
  });
  const text = await response.text();
  const location = response.headers()["location"];
  return {
    status: response.status(),
    location: location ? new URL(location, baseURL).pathname : null,
    contentType: response.headers()["content-type"] ?? "",
    text,
    json: parseJson(text),
  };
}

/** What is wrong with an answer, or null. */
function judge(entry: RouteEntry, expected: Expectation, answer: Answer): string | null {
  const got = `${answer.status}${errorOf(answer)?.code ? ` ${errorOf(answer)?.code}` : ""}${answer.location ? ` → ${answer.location}` : ""}`;
  const want = `${expected.status}${expected.code ? ` ${expected.code}` : ""}${expected.location ? ` → ${expected.location}` : ""}`;
  const problem =
    answer.status !== expected.status ||
    (expected.code !== undefined && errorOf(answer)?.code !== expected.code) ||
    (expected.location !== undefined && answer.location !== expected.location);
  if (problem) return `expected ${want}, got ${got}: ${answer.text.slice(0, 200)}`;
  // Refusals use the API's error shape and never carry a stack trace.
  if (entry.kind === "api" && answer.status >= 400) {
    if (typeof errorOf(answer)?.code !== "string")
      return `an error without { error: { code } }: ${answer.text.slice(0, 200)}`;
    if (/\bat .*\.(ts|js|tsx):\d+/.test(answer.text))
      return `a stack trace in the answer: ${answer.text.slice(0, 200)}`;
  }
  if (expected.check) return expected.check(answer.json);
  return null;
}

/** The refusal of an agency answer, with the id it named replaced, so two answers compare. */
function comparable(answer: Answer, id: string): string {
  const error = errorOf(answer) as Record<string, unknown> | undefined;
  const shape = error ? { ...error, requestId: undefined } : { body: answer.text };
  return `${answer.status} ${JSON.stringify(shape).replaceAll(id, "{id}")}`;
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

function routeKey(entry: { file: string; method: string }): string {
  return `${entry.method} ${entry.file}`;
}

/** The URL path a route file serves: route groups dropped, `[x]` → `{x}`, catch-alls → `*`. */
function templateOf(file: string): string {
  const segments = file
    .replace(/^app\//, "")
    .replace(/(^|\/)(route|page)\.[jt]sx?$/, "")
    .split("/")
    .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment))
    .map((segment) => {
      if (segment.startsWith("[...")) return "*";
      if (segment === "[incidentId]") return "{incident}";
      return segment.startsWith("[") ? `{${segment.slice(1, -1)}}` : segment;
    });
  return `/${segments.join("/")}`;
}

/** Every (route file, method) under app/: pages answer GET; route files their exported HTTP methods. */
function discoverRoutes(): { file: string; method: string }[] {
  const found: { file: string; method: string }[] = [];
  const files = readdirSync(path.join(root, "app"), { recursive: true, encoding: "utf8" })
    .map((relative) => `app/${relative.split(path.sep).join("/")}`)
    .filter((file) => /(^|\/)(route|page)\.[jt]sx?$/.test(file))
    .sort();
  for (const file of files) {
    if (/(^|\/)page\.[jt]sx?$/.test(file)) {
      found.push({ file, method: "GET" });
      continue;
    }
    const text = readFileSync(path.join(root, file), "utf8");
    const methods = new Set<string>();
    const verb = "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS";
    for (const match of text.matchAll(
      new RegExp(`export\\s+(?:const|let|var|async\\s+function|function)\\s+(${verb})\\b`, "g"),
    )) {
      methods.add(match[1] as string);
    }
    for (const match of text.matchAll(/export\s*\{([^}]*)\}/g)) {
      for (const part of (match[1] as string).split(",")) {
        const exported =
          part
            .trim()
            .split(/\s+as\s+/)
            .pop()
            ?.trim() ?? "";
        if (new RegExp(`^(${verb})$`).test(exported)) methods.add(exported);
      }
    }
    if (methods.size === 0) found.push({ file, method: "(no HTTP method found)" });
    for (const method of methods) found.push({ file, method });
  }
  return found;
}

async function staffGet<T>(url: string): Promise<T> {
  const admin = principals.get("admin");
  if (!admin) throw new Error("the admin principal is not signed in");
  const response = await admin.request.get(url);
  expect(response.status(), `${url}: ${await response.text()}`).toBe(200);
  return (await response.json()) as T;
}

// ---------------------------------------------------------------- set-up and clean-up

test.describe("authorization matrix", () => {
  test.beforeAll(async ({ playwright }, testInfo) => {
    test.setTimeout(60_000);
    baseURL = String(testInfo.project.use.baseURL ?? "");
    root = path.resolve(testInfo.config.rootDir, "..");
    fingerprintBefore = await databaseFingerprint();

    // Principals: the demo accounts, signed in through next-auth's credentials callback.
    const signedIn = await Promise.all(
      Object.entries(ACCOUNTS).map(async ([name, account]) => {
        const request = await signInRequestContext(baseURL, account.email);
        return { name: name as PrincipalName, account, request };
      }),
    );
    for (const { name, account, request } of signedIn) {
      principals.set(name, await principalOf(name, account.role, account.own, request, true));
    }
    const anonymous = await playwright.request.newContext({ baseURL });
    principals.set("anonymous", await principalOf("anonymous", null, "state", anonymous, false));

    // What the run addresses, through the staff API.
    const incident = await staffGet<{ id: string; slug: string }>(`/api/v1/incidents/${INCIDENT}`);
    const orgPage = await staffGet<{ items: { id: string; name: string; internalNote?: string | null }[] }>(
      `/api/v1/incidents/${INCIDENT}/organizations?limit=500`,
    );
    organizations = orgPage.items.map(({ id, name }) => ({ id, name }));
    const byName = (name: string) => {
      const org = organizations.find((o) => o.name === name);
      if (!org) throw new Error(`organization ${name} is not in the incident`);
      return org;
    };
    const events = await staffGet<{
      items: { id: string; tlp: string; internalNote?: string | null; organizations: { id: string }[] }[];
    }>(`/api/v1/incidents/${INCIDENT}/events?limit=500`);
    const indicators = await staffGet<{
      items: { type: string; value: string; internalNote?: string | null; organizations: unknown[] }[];
    }>(`/api/v1/incidents/${INCIDENT}/indicators?limit=200`);
    const orgIds = { state: byName(STATE_NAME).id, commerce: byName(COMMERCE_NAME).id };
    const linkedOnlyTo = (key: OrgKey) => {
      const only = events.items.filter(
        (e) => e.organizations.length === 1 && e.organizations[0]?.id === orgIds[key],
      );
      // AMBER first: the records the TLP rule shares only with the linked organization.
      const event = only.find((e) => e.tlp.startsWith("AMBER")) ?? only[0];
      if (!event) throw new Error(`no event is linked to ${key} only`);
      return event.id;
    };
    for (const key of ["state", "commerce"] as const) {
      hiddenEventIds[key] = events.items
        .filter((e) => e.organizations.some((o) => o.id !== orgIds[key]))
        .map((e) => e.id);
    }
    internalNotes = [...orgPage.items, ...events.items, ...indicators.items]
      .map((record) => record.internalNote ?? "")
      .filter((note) => note.trim().length >= 12);
    const existing = indicators.items.find((i) => i.organizations.length === 0) ?? indicators.items[0];
    if (!existing) throw new Error("the incident has no indicators");

    // The seeded indicators are all CLEAR and linked to nobody: one AMBER indicator linked to each
    // agency's organization only is made for the run (SQL, no audit entry) and removed in afterAll.
    const scratch = await withE2eClient(async (client) => {
      const made: Record<OrgKey, string> = { state: "", commerce: "" };
      for (const key of ["state", "commerce"] as const) {
        const value = `authz-${RUN_MARKER}-${key}.example.com`;
        const row = await client.query<{ id: string }>(
          `INSERT INTO indicator (id, incident_id, type, value, normalized_value, tlp, description,
                                  internal_note, version, created_at, updated_at)
           VALUES (gen_random_uuid(), $1, 'domain', $2, $2, 'AMBER', $3, $4, 1, now(), now()) RETURNING id`,
          [
            incident.id,
            value,
            `Authorization matrix scratch indicator (${RUN_MARKER})`,
            `Internal note of the authorization matrix, never for agencies ${RUN_MARKER} ${key}`,
          ],
        );
        made[key] = row.rows[0]?.id ?? "";
        scratchIndicatorIds.push(made[key]);
        await client.query(
          "INSERT INTO indicator_organization (indicator_id, organization_id) VALUES ($1, $2)",
          [made[key], orgIds[key]],
        );
        internalNotes.push(
          `Internal note of the authorization matrix, never for agencies ${RUN_MARKER} ${key}`,
        );
      }
      return made;
    });

    world = {
      incident: { slug: incident.slug, id: incident.id },
      organizations: { state: byName(STATE_NAME), commerce: byName(COMMERCE_NAME) },
      events: { state: linkedOnlyTo("state"), commerce: linkedOnlyTo("commerce") },
      indicators: scratch,
      existingIndicator: { type: existing.type, value: existing.value },
      marker: RUN_MARKER,
    };

    // The disabled user: a responder made for the run with the demo password's hash, signed in while
    // enabled, then disabled; its session must be refused from the next request on.
    await withE2eClient((client) =>
      client.query(
        `INSERT INTO app_user (id, email, name, password_hash, role, created_at, updated_at)
         SELECT gen_random_uuid(), $1, 'Authorization matrix (disabled)', password_hash, 'responder', now(), now()
           FROM app_user WHERE email = 'responder@dwell.example'`,
        [DISABLED_EMAIL],
      ),
    );
    const disabled = await signInRequestContext(baseURL, DISABLED_EMAIL);
    disabledBefore = (await disabled.get("/api/v1/incidents")).status();
    await withE2eClient((client) =>
      client.query("UPDATE app_user SET disabled_at = now() WHERE email = $1", [DISABLED_EMAIL]),
    );
    principals.set("disabled", await principalOf("disabled", "responder", "state", disabled, false));

    // The responder's API tokens, made for the run with SQL (no audit entry) and removed in afterAll.
    for (const [name, readOnly] of [
      ["responder-token", false],
      ["read-only-token", true],
    ] as const) {
      const secret = `dwell_${randomBytes(32).toString("base64url")}`;
      const row = await withE2eClient((client) =>
        client.query<{ id: string }>(
          `INSERT INTO api_token (id, user_id, name, token_hash, prefix, read_only, created_at)
           SELECT gen_random_uuid(), id, $2, $3, $4, $5, now() FROM app_user WHERE email = $1 RETURNING id`,
          [
            "responder@dwell.example",
            `authorization matrix ${RUN_MARKER} ${name}`,
            createHash("sha256").update(secret).digest("hex"),
            secret.slice(0, 12),
            readOnly,
          ],
        ),
      );
      scratchTokenIds.push(row.rows[0]?.id ?? "");
      const request = await playwright.request.newContext({
        baseURL,
        extraHTTPHeaders: { authorization: `Bearer ${secret}` },
      });
      const principal = await principalOf(name, "responder", "state", request, true);
      principals.set(name, { ...principal, bearer: secret, readOnly });
    }
  });

  test.afterAll(async () => {
    for (const principal of principals.values()) await principal.request.dispose();
    principals.clear();
    await deleteSightingsByLocation(RUN_MARKER);
    await withE2eClient(async (client) => {
      if (scratchIndicatorIds.length > 0) {
        await client.query("DELETE FROM indicator WHERE id = ANY($1::uuid[])", [scratchIndicatorIds]);
      }
      await client.query("DELETE FROM app_user WHERE email = $1", [DISABLED_EMAIL]);
      await client.query("DELETE FROM api_token WHERE id = ANY($1::uuid[])", [scratchTokenIds]);
    });
    scratchIndicatorIds.length = 0;
    scratchTokenIds.length = 0;
    // Everything the run made is gone and nothing else changed: no record, version, audit entry.
    if (fingerprintBefore) expect(await databaseFingerprint()).toEqual(fingerprintBefore);
  });

  // ---------------------------------------------------------------- the tests

  test("the registry has one entry per route file and HTTP method, and nothing else", () => {
    const registered = new Set(ROUTES.map(routeKey));
    const present = discoverRoutes();
    const missing = present.filter((route) => !registered.has(routeKey(route))).map(routeKey);
    const presentKeys = new Set(present.map((route) => routeKey(route)));
    const stale = ROUTES.filter((entry) => !presentKeys.has(routeKey(entry))).map(routeKey);
    const duplicates = ROUTES.map(routeKey).filter((key, index, all) => all.indexOf(key) !== index);
    expect(missing, "routes without an entry in e2e/route-matrix.ts: add one").toEqual([]);
    expect(stale, "entries for routes that no longer exist").toEqual([]);
    expect(duplicates, "entries registered twice").toEqual([]);

    // Each entry's URL is served by its file, and names only permissions the table knows.
    for (const entry of ROUTES) {
      const template = templateOf(entry.file);
      // A route without an id kind (users, tokens) names a literal id where the template has `{id}`.
      const pattern = new RegExp(
        `^${template
          .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
          .replace(/\\\*/g, ".+")
          .replace(/\\\{id\\\}/g, "(?:\\{id\\}|[^/{}]+)")}$`,
      );
      expect(entry.url.split("?")[0], `${routeKey(entry)} is served at ${template}`).toMatch(pattern);
      expect(entry.kind, routeKey(entry)).toBe(entry.file.includes("/api/") ? "api" : "page");
      if (!("public" in entry.access)) {
        const names = "all" in entry.access ? entry.access.all : entry.access.any;
        for (const name of names) expect(PERMISSIONS as readonly string[], routeKey(entry)).toContain(name);
      }
      if (entry.kind === "api" && entry.method !== "GET" && !("public" in entry.access)) {
        expect(
          entry.request ?? entry.url.includes("version="),
          `${routeKey(entry)} needs a harmless request`,
        ).toBeTruthy();
      }
    }
    for (const method of new Set(present.map((route) => route.method))) {
      expect(HTTP_METHODS as readonly string[], "a method the registry cannot express").toContain(method);
    }
  });

  test("every route answers every principal as the permission table and the scope rules say", async () => {
    test.setTimeout(120_000);
    interface Cell {
      entry: RouteEntry;
      principal: Principal;
      ctx: CellContext;
      url: string;
      expected: Expectation;
      answer?: Answer;
      problem?: string | null;
      known?: boolean;
    }
    const cells: Cell[] = [];
    for (const entry of ROUTES) {
      for (const name of PRINCIPALS) {
        const principal = principals.get(name);
        if (!principal) throw new Error(`principal ${name} is missing`);
        for (const target of targetsOf(entry)) {
          const ctx: CellContext = {
            principal: name,
            role: principal.role,
            // A token authenticates API requests only: pages answer it like anonymous.
            signedIn: principal.signedIn && !(principal.bearer && entry.kind === "page"),
            target,
            id: idFor(entry, principal, target),
            world,
          };
          cells.push({
            entry,
            principal,
            ctx,
            url: urlFor(entry, ctx),
            expected: expectationFor(entry, ctx),
          });
        }
      }
    }

    // Principals in parallel, a few requests each at a time.
    await Promise.all(
      PRINCIPALS.map((name) =>
        mapLimit(
          cells.filter((cell) => cell.ctx.principal === name),
          4,
          async (cell) => {
            cell.answer = await send(cell.principal, cell.entry, cell.url, cell.ctx);
          },
        ),
      ),
    );

    const failures: string[] = [];
    for (const cell of cells) {
      const answer = cell.answer as Answer;
      const label = `${cell.entry.method} ${cell.url} as ${cell.ctx.principal} (${cell.ctx.target})`;
      const deviation = KNOWN_DEVIATIONS.find(
        (d) =>
          d.file === cell.entry.file &&
          d.method === cell.entry.method &&
          d.principals.includes(cell.ctx.principal),
      );
      if (deviation && cell.ctx.target === "own") {
        cell.known = true;
        if (cell.expected.status !== deviation.expected) {
          failures.push(
            `${label}: KNOWN_DEVIATIONS expects ${deviation.expected}, the table says ${cell.expected.status}`,
          );
        } else if (answer.status === deviation.expected) {
          failures.push(`${label}: fixed (answers ${answer.status}): remove its KNOWN_DEVIATIONS entry`);
        } else if (answer.status !== deviation.got) {
          failures.push(`${label}: known bug now answers ${answer.status} (listed as ${deviation.got})`);
        }
        continue;
      }
      cell.problem = judge(cell.entry, cell.expected, answer);
      if (cell.problem) failures.push(`${label}: ${cell.problem}`);
    }

    // Agency users: another organization's record answers exactly like an unknown id.
    for (const entry of ROUTES.filter((e) => targetsOf(e).includes("other"))) {
      for (const name of ["state", "commerce"] as const) {
        const of = (target: Target) =>
          cells.find((c) => c.entry === entry && c.ctx.principal === name && c.ctx.target === target) as Cell;
        const other = of("other");
        const unknown = of("unknown");
        const a = comparable(other.answer as Answer, other.ctx.id);
        const b = comparable(unknown.answer as Answer, unknown.ctx.id);
        if (a !== b) {
          failures.push(
            `${entry.method} ${entry.url} as ${name}: another organization's id answers ${a}, an unknown id ${b}`,
          );
        }
        const otherName = name === "state" ? COMMERCE_NAME : STATE_NAME;
        if ((other.answer as Answer).text.includes(otherName)) {
          failures.push(`${entry.method} ${entry.url} as ${name}: the refusal names ${otherName}`);
        }
      }
    }

    // Executives never write: every mutating route refused them (but their own read-only API tokens).
    for (const cell of cells.filter((c) => c.ctx.principal === "executive" && c.entry.method !== "GET")) {
      if ("public" in cell.entry.access || cell.entry.url.startsWith("/api/v1/tokens")) continue;
      const status = (cell.answer as Answer).status;
      if (status !== 403) failures.push(`${cell.entry.method} ${cell.url} as executive: ${status}, not 403`);
    }

    // The summary: route × principal → statuses (own/other/unknown).
    const header = ["route", ...PRINCIPALS];
    const rows = ROUTES.map((entry) => [
      `${entry.method} ${entry.url}`,
      ...PRINCIPALS.map((name) =>
        cells
          .filter((c) => c.entry === entry && c.ctx.principal === name)
          .map((c) => `${c.answer?.status}${c.known ? "!" : c.problem ? "✗" : ""}`)
          .join("/"),
      ),
    ]);
    const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? "").length)));
    const line = (row: string[]) => row.map((text, i) => text.padEnd(widths[i] ?? 0)).join("  ");
    const summary = [
      `${cells.length} checks (route × method × principal × id kind); cells read own/other/unknown;`,
      `✗ = unexpected, ! = known bug (KNOWN_DEVIATIONS): ${KNOWN_DEVIATIONS.map((d) => `${d.method} ${d.file} for ${d.principals.join(", ")}: ${d.expected} expected, ${d.got} got`).join("; ")}`,
      "",
      line(header),
      ...rows.map(line),
      ...(failures.length > 0 ? ["", `${failures.length} problem(s):`, ...failures] : []),
    ].join("\n");
    console.log(summary);
    await test.info().attach("authorization-matrix.txt", { body: summary, contentType: "text/plain" });

    expect(failures).toEqual([]);
  });

  test("a disabled user's session stops working on its next request", async () => {
    expect(disabledBefore, "the user's session worked before it was disabled").toBe(200);
    const disabled = principals.get("disabled") as Principal;
    const api = await disabled.request.get(`/api/v1/incidents/${INCIDENT}/events?limit=1`);
    expect(api.status()).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
    const page = await disabled.request.get(`/incidents/${INCIDENT}/timeline`, { maxRedirects: 0 });
    expect(page.status()).toBe(307);
    expect(new URL(page.headers()["location"] ?? "", baseURL).pathname).toBe("/login");
  });

  test("agency answers carry no internal fields, no findings and no other organization", async () => {
    const forbiddenKey = /^(internal_?note|x_dwell_internal_note|updated_?by|findings?|finding_?ids?)$/i;
    for (const name of ["state", "commerce"] as const) {
      const principal = principals.get(name) as Principal;
      const own = world.organizations[name];
      const others = organizations.filter((org) => org.id !== own.id);
      expect(others).toHaveLength(organizations.length - 1);
      const words = [
        ...others.map((org) => org.name),
        ...others.map((org) => org.id),
        world.indicators[OTHER[name]],
        ...hiddenEventIds[name],
        ...internalNotes,
      ];
      const reads = ROUTES.filter(
        (entry) =>
          entry.kind === "api" &&
          entry.method === "GET" &&
          !("public" in entry.access) &&
          permits("agency", entry.access),
      );
      expect(reads.length, "agency users may read something").toBeGreaterThan(0);
      const answers: { where: string; text: string; json: unknown }[] = [];
      for (const entry of reads) {
        const ctx: CellContext = {
          principal: name,
          role: "agency",
          signedIn: true,
          target: "own",
          id: idFor(entry, principal, "own"),
          world,
        };
        const url = urlFor(entry, ctx);
        const answer = await send(principal, entry, url, ctx);
        expect(answer.status, `${url}: ${answer.text.slice(0, 200)}`).toBe(200);
        answers.push({ where: url, text: answer.text, json: answer.json });
      }
      for (const url of [
        `/api/v1/incidents/${INCIDENT}/indicators/export?format=stix`,
        `/api/v1/incidents/${INCIDENT}/indicators/export?format=csv`,
        "/portal",
      ]) {
        const response = await principal.request.get(url, { maxRedirects: 0 });
        expect(response.status(), url).toBe(200);
        const text = await response.text();
        answers.push({ where: url, text, json: parseJson(text) });
      }

      // The captures are the real thing: the portal names the organization, and the indicator list
      // holds the AMBER indicator linked to it.
      expect(answers.find((a) => a.where === "/api/v1/portal")?.text).toContain(own.name);
      expect(answers.find((a) => a.where.includes("/indicators?"))?.text).toContain(world.indicators[name]);

      for (const { where, text, json } of answers) {
        for (const word of words) {
          expect(text.includes(word), `${name}: ${where} must not contain "${word.slice(0, 80)}"`).toBe(
            false,
          );
        }
        const keys: string[] = [];
        const walk = (value: unknown) => {
          if (Array.isArray(value)) value.forEach(walk);
          else if (value && typeof value === "object") {
            for (const [key, inner] of Object.entries(value)) {
              keys.push(key);
              walk(inner);
            }
          }
        };
        walk(json);
        expect(
          keys.filter((key) => forbiddenKey.test(key)),
          `${name}: fields of ${where}`,
        ).toEqual([]);
      }
    }
  });

  test("ids an agency user puts in a body or a filter answer like unknown ones", async () => {
    for (const name of ["state", "commerce"] as const) {
      const agency = principals.get(name) as Principal;
      const other = OTHER[name];
      // A sighting on its own indicator, reported for the other organization.
      const sightings = `/api/v1/incidents/${INCIDENT}/indicators/${world.indicators[name]}/sightings`;
      const report = (organizationId: string) =>
        agency.request.post(sightings, {
          data: {
            seenAt: "2023-06-20T10:00:00Z",
            location: `authorization matrix ${RUN_MARKER}`,
            organizationId,
          },
        });
      const forOther = await report(world.organizations[other].id);
      const forUnknown = await report(UNKNOWN_ID);
      const unknownIndicator = await agency.request.post(
        `/api/v1/incidents/${INCIDENT}/indicators/${UNKNOWN_ID}/sightings`,
        { data: { seenAt: "2023-06-20T10:00:00Z", location: `authorization matrix ${RUN_MARKER}` } },
      );
      const asAnswer = async (response: Awaited<ReturnType<APIRequestContext["get"]>>, id: string) => {
        const text = await response.text();
        return comparable(
          { status: response.status(), location: null, contentType: "", text, json: parseJson(text) },
          id,
        );
      };
      const expected = await asAnswer(unknownIndicator, UNKNOWN_ID);
      expect(expected, name).toMatch(/^404 /);
      expect(await asAnswer(forOther, world.organizations[other].id), `${name} reporting for ${other}`).toBe(
        expected,
      );
      expect(await asAnswer(forUnknown, UNKNOWN_ID), `${name} reporting for an unknown organization`).toBe(
        expected,
      );

      // Searching for the other organization's indicator finds what searching for nothing finds.
      const search = async (q: string) => {
        const response = await agency.request.get(
          `/api/v1/incidents/${INCIDENT}/indicators?q=${encodeURIComponent(q)}`,
        );
        expect(response.status()).toBe(200);
        return (await response.json()) as { items: unknown[]; total: number };
      };
      expect(await search(`authz-${RUN_MARKER}-${other}`), name).toEqual({
        items: [],
        nextCursor: null,
        total: 0,
      });
      expect((await search(`authz-${RUN_MARKER}-${name}`)).total, `${name} finds its own`).toBe(1);
    }
  });

  test("cross-site writes and non-JSON bodies are refused before anything else", async () => {
    const responder = principals.get("responder") as Principal;
    const state = principals.get("state") as Principal;
    const eventsUrl = `/api/v1/incidents/${INCIDENT}/events`;
    // A valid event linking an unknown organization: even a request that got through would store nothing.
    const eventEntry = ROUTES.find(
      (e) => e.file.endsWith("/events/route.ts") && e.method === "POST",
    ) as RouteEntry;
    const eventBody = eventEntry.request?.({
      principal: "responder",
      role: "responder",
      signedIn: true,
      target: "own",
      id: INCIDENT,
      world,
    }).json;
    const cases: {
      what: string;
      request: APIRequestContext;
      method: HttpMethod;
      url: string;
      headers: Record<string, string>;
      data: unknown;
      status: number;
      code: string;
    }[] = [
      {
        what: "a foreign Origin",
        request: responder.request,
        method: "POST",
        url: eventsUrl,
        headers: { origin: "https://evil.example" },
        data: eventBody,
        status: 403,
        code: "cross_site",
      },
      {
        what: "Origin: null",
        request: responder.request,
        method: "POST",
        url: eventsUrl,
        headers: { origin: "null" },
        data: eventBody,
        status: 403,
        code: "cross_site",
      },
      {
        what: "Sec-Fetch-Site: cross-site",
        request: responder.request,
        method: "POST",
        url: eventsUrl,
        headers: { "sec-fetch-site": "cross-site" },
        data: eventBody,
        status: 403,
        code: "cross_site",
      },
      {
        what: "JSON sent as text/plain",
        request: responder.request,
        method: "POST",
        url: eventsUrl,
        headers: { "content-type": "text/plain" },
        data: JSON.stringify(eventBody),
        status: 403,
        code: "cross_site_body",
      },
      {
        what: "a foreign Origin on an indicator change",
        request: responder.request,
        method: "PATCH",
        url: `/api/v1/incidents/${INCIDENT}/indicators/${world.indicators.state}`,
        headers: { origin: "https://evil.example" },
        data: { description: "never saved", version: 999_999 },
        status: 403,
        code: "cross_site",
      },
      {
        what: "a foreign Origin on an import",
        request: responder.request,
        method: "POST",
        url: `/api/v1/incidents/${INCIDENT}/indicators/import?dryRun=true`,
        headers: { origin: "https://evil.example", "content-type": "text/plain" },
        data: "198.51.100.7\n",
        status: 403,
        code: "cross_site",
      },
      {
        what: "a cross-site portal acknowledgement",
        request: state.request,
        method: "POST",
        url: "/api/v1/portal/notification",
        headers: { "sec-fetch-site": "cross-site" },
        data: { to: "acknowledged", version: 999_999 },
        status: 403,
        code: "cross_site",
      },
      {
        what: "a text/plain portal acknowledgement",
        request: state.request,
        method: "POST",
        url: "/api/v1/portal/notification",
        headers: { "content-type": "text/plain" },
        data: JSON.stringify({ to: "acknowledged", version: 999_999 }),
        status: 403,
        code: "cross_site_body",
      },
      // The control: the same write from the app's own origin gets past the check (422: the unknown link).
      {
        what: "the app's own Origin",
        request: responder.request,
        method: "POST",
        url: eventsUrl,
        headers: { origin: baseURL, "sec-fetch-site": "same-origin" },
        data: eventBody,
        status: 422,
        code: "invalid_input",
      },
    ];
    for (const item of cases) {
      const response = await item.request.fetch(item.url, {
        method: item.method,
        headers: item.headers,
        data: item.data,
        maxRedirects: 0,
      });
      const text = await response.text();
      expect(response.status(), `${item.what}: ${text.slice(0, 200)}`).toBe(item.status);
      expect((parseJson(text) as { error?: { code?: string } } | undefined)?.error?.code, item.what).toBe(
        item.code,
      );
    }
  });
});

async function principalOf(
  name: PrincipalName,
  role: Role | null,
  own: OrgKey,
  request: APIRequestContext,
  signedIn: boolean,
): Promise<Principal> {
  const { cookies } = await request.storageState();
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  return { name, role, signedIn, own, request, cookie };
}

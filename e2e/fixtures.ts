import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "dwell-demo-2023";

/** Signs in through the sign-in form and waits until the app has moved on to the user's landing page. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/**
 * Signs the page's browser context in without rendering anything: the credentials go to the endpoint the
 * sign-in form posts to, and the session cookie lands in the context (shared with `page.request`). The
 * page stays where it was, so the test's next step is a navigation or an API call. For tests about what
 * comes after signing in; the form itself is tested with `signIn`.
 */
export async function signInDirect(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await postCredentials(page.request, email, password);
}

// ---------------------------------------------------------------- timeline helpers
// Imported here rather than at the top: helpers are appended to this file, never woven into it.
import net from "node:net";
import type { APIRequestContext, APIResponse, Browser } from "@playwright/test";

export const INCIDENT = "storm-0558";
export const EVENTS_API = `/api/v1/incidents/${INCIDENT}/events`;
export const TIMELINE_PATH = `/incidents/${INCIDENT}/timeline`;

/**
 * Marks every title this worker makes, so a spec's afterAll can remove what a test that timed out
 * (and so never reached its own clean-up) left behind.
 */
export const RUN_MARKER = `e2e-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let titles = 0;

/** A title no other test (or earlier run) uses, so a spec finds exactly the events it made. */
export function uniqueTitle(label: string): string {
  titles += 1;
  return `${label} ${RUN_MARKER}-${titles}`;
}

/** Signs in on a fresh context and deletes every event this worker made; for afterAll hooks. */
export async function deleteRunEvents(browser: Browser, baseURL: string | undefined): Promise<void> {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await signInDirect(page, "responder@dwell.example");
    await deleteEvents(page.request, RUN_MARKER);
  } finally {
    await context.close();
  }
}

export interface EventDto {
  id: string;
  title: string;
  occurredAt: string;
  precision: string;
  version: number;
  description: string | null;
  descriptionHtml: string | null;
}

/** A valid create body: a day-dated response event that moves no milestone. */
export function eventBody(title: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    occurredAt: "2023-06-22",
    precision: "day",
    lane: "response",
    phase: "investigation",
    title,
    source: "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a",
    verification: "primary",
    tlp: "CLEAR",
    ...overrides,
  };
}

/** Creates an event through the API with the request's session (a signed-in page's `page.request`). */
export async function createEventViaApi(
  request: APIRequestContext,
  body: Record<string, unknown>,
): Promise<EventDto> {
  const response = await request.post(EVENTS_API, { data: body });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as EventDto;
}

/** Every event of the incident whose title contains `title` (the API's `q` search, all pages). */
export async function findEvents(request: APIRequestContext, title: string): Promise<EventDto[]> {
  const response = await request.get(`${EVENTS_API}?limit=500&q=${encodeURIComponent(title)}`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { items: EventDto[] };
  return body.items.filter((item) => item.title.includes(title));
}

/** Deletes what a test made, so the suite leaves the seeded timeline as it found it. */
export async function deleteEvents(request: APIRequestContext, title: string): Promise<void> {
  for (const event of await findEvents(request, title)) {
    const response = await request.delete(`${EVENTS_API}/${event.id}`);
    expect([200, 404]).toContain(response.status());
  }
}

/** A port nothing listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- organization helpers
// Notification moves cannot be undone through the API (by design), so the organization and portal specs
// put the scratch e2e database back with plain SQL: they remove the moves (with the timeline events those
// moves wrote) and the organizations made after a snapshot, and restore the snapshot's notification
// state and version. `audit_entry` is never touched: the audit keeps its history, even of rows that are
// gone afterwards.
import pg from "pg";

export const ORGANIZATIONS_PATH = `/incidents/${INCIDENT}/organizations`;
export const ORGANIZATIONS_API = `/api/v1/incidents/${INCIDENT}/organizations`;
export const PORTAL_API = "/api/v1/portal";
export const STATE_NAME = "U.S. Department of State";
export const COMMERCE_NAME = "U.S. Department of Commerce";

export interface OrganizationDto {
  id: string;
  incidentId: string;
  name: string;
  kind: string;
  notificationState: string;
  determinedAffectedAt: string;
  deadline: { hours: number; dueAt: string; status: string; marginMs: number };
  lastMove: {
    to: string;
    at: string;
    channel: string | null;
    by: { name: string } | null;
    madeBy: string | null;
  } | null;
  version: number;
}

/** Every organization the request's session may list, through the API (one page: there are few). */
export async function listOrganizationsViaApi(
  request: APIRequestContext,
  query: Record<string, string> = {},
): Promise<OrganizationDto[]> {
  const params = new URLSearchParams({ limit: "500", ...query });
  const response = await request.get(`${ORGANIZATIONS_API}?${params.toString()}`);
  expect(response.status(), await response.text()).toBe(200);
  const body = (await response.json()) as { items: OrganizationDto[]; nextCursor: string | null };
  expect(body.nextCursor).toBeNull();
  return body.items;
}

export async function organizationByName(request: APIRequestContext, name: string): Promise<OrganizationDto> {
  const found = (await listOrganizationsViaApi(request, { q: name })).find((org) => org.name === name);
  expect(found, `organization ${name}`).toBeDefined();
  return found as OrganizationDto;
}

/** Adds an organization through the API (determined affected now, so its 72-hour clock has just started). */
export async function createOrganizationViaApi(
  request: APIRequestContext,
  name: string,
  overrides: Record<string, unknown> = {},
): Promise<OrganizationDto> {
  const response = await request.post(ORGANIZATIONS_API, {
    data: {
      name,
      kind: "government",
      country: "US",
      determinedAffectedAt: new Date().toISOString(),
      ...overrides,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as OrganizationDto;
}

/** Records a move as staff; answers the organization after it. */
export async function moveViaApi(
  request: APIRequestContext,
  organization: Pick<OrganizationDto, "id" | "version">,
  to: string,
  extra: Record<string, unknown> = {},
): Promise<OrganizationDto> {
  const response = await request.post(`${ORGANIZATIONS_API}/${organization.id}/notification`, {
    data: { to, at: new Date().toISOString(), channel: "email", version: organization.version, ...extra },
  });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { organization: OrganizationDto }).organization;
}

/** What the database held before a test: each organization's notification and version, and every move. */
export interface OrganizationsSnapshot {
  incidentId: string;
  organizations: { id: string; state: string; stateAt: Date | null; version: number; updatedAt: Date }[];
  moveIds: string[];
}

/** The app's own database (`npm test` made it for this run and drops it afterwards). */
async function withE2eDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL must name the scratch e2e database the app uses");
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function snapshotOrganizations(): Promise<OrganizationsSnapshot> {
  return withE2eDatabase(async (client) => {
    const incident = await client.query<{ id: string }>("SELECT id FROM incident WHERE slug = $1", [
      INCIDENT,
    ]);
    const incidentId = incident.rows[0]?.id;
    if (!incidentId) throw new Error(`incident ${INCIDENT} is not in the e2e database`);
    const organizations = await client.query<OrganizationsSnapshot["organizations"][number]>(
      `SELECT id, notification_state::text AS state, notification_state_at AS "stateAt", version,
              updated_at AS "updatedAt"
         FROM affected_organization WHERE incident_id = $1`,
      [incidentId],
    );
    const moves = await client.query<{ id: string }>(
      "SELECT id FROM notification_move WHERE incident_id = $1",
      [incidentId],
    );
    return { incidentId, organizations: organizations.rows, moveIds: moves.rows.map((row) => row.id) };
  });
}

/**
 * Puts the incident's organizations back as the snapshot found them, in one transaction: deletes the
 * timeline events of moves made since (their organization links go with them), those moves, and the
 * organizations added since; restores each snapshot organization's state, its time, version and
 * updated_at. Audit entries stay.
 */
export function restoreOrganizations(snapshot: OrganizationsSnapshot): Promise<void> {
  return withE2eDatabase(async (client) => {
    const known = snapshot.organizations.map((org) => org.id);
    await client.query("BEGIN");
    try {
      await client.query(
        `DELETE FROM timeline_event WHERE id IN (
           SELECT timeline_event_id FROM notification_move
            WHERE incident_id = $1 AND timeline_event_id IS NOT NULL AND NOT (id = ANY($2::uuid[])))`,
        [snapshot.incidentId, snapshot.moveIds],
      );
      await client.query(
        "DELETE FROM notification_move WHERE incident_id = $1 AND NOT (id = ANY($2::uuid[]))",
        [snapshot.incidentId, snapshot.moveIds],
      );
      await client.query(
        "DELETE FROM affected_organization WHERE incident_id = $1 AND NOT (id = ANY($2::uuid[]))",
        [snapshot.incidentId, known],
      );
      for (const org of snapshot.organizations) {
        await client.query(
          `UPDATE affected_organization
              SET notification_state = $2::notification_state, notification_state_at = $3, version = $4,
                  updated_at = $5
            WHERE id = $1 AND (version <> $4 OR notification_state <> $2::notification_state)`,
          [org.id, org.state, org.stateAt, org.version, org.updatedAt],
        );
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  });
}

// ---------------------------------------------------------------- indicator helpers
// Sightings cannot be deleted through the API (an organization's report is kept), so the indicator
// spec removes the ones it reported with plain SQL, found by the run marker it writes into their
// location. Audit entries stay, as above.

export const INDICATORS_PATH = `/incidents/${INCIDENT}/indicators`;
export const INDICATORS_API = `/api/v1/incidents/${INCIDENT}/indicators`;

/** Deletes the sightings whose location contains `marker`; answers how many went. */
export function deleteSightingsByLocation(marker: string): Promise<number> {
  if (marker.length < 8) throw new Error("a marker this short could match sightings a test did not make");
  return withE2eDatabase(async (client) => {
    const result = await client.query("DELETE FROM sighting WHERE location LIKE '%' || $1 || '%'", [marker]);
    return result.rowCount ?? 0;
  });
}

// ---------------------------------------------------------------- authorization matrix helpers
// API-only principals (no page rendered), a client on the scratch database for rows a spec makes and
// removes itself, and a fingerprint of everything a spec must leave exactly as it found it.
import { request as playwrightRequest } from "@playwright/test";

/** Runs `work` with a client on the app's own e2e database (see withE2eDatabase). */
export function withE2eClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withE2eDatabase(work);
}

/**
 * A request context signed in through next-auth's credentials callback, the endpoint the sign-in form
 * posts to. Throws unless the session afterwards names `email`.
 */
export async function signInRequestContext(
  baseURL: string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL });
  try {
    await postCredentials(context, email, password);
    return context;
  } catch (error) {
    await context.dispose();
    throw error;
  }
}

/**
 * Posts credentials as the sign-in form does; throws unless the session afterwards names `email`.
 * Answers the sign-in endpoint's own response (its headers set the session cookie).
 */
export async function postCredentials(
  request: APIRequestContext,
  email: string,
  password = DEMO_PASSWORD,
): Promise<APIResponse> {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const answer = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password, callbackUrl: "/", json: "true" },
    maxRedirects: 0,
  });
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  if (session.user?.email !== email) throw new Error(`signing in as ${email} did not give a session`);
  return answer;
}

/**
 * Per table, its row count and a digest of every row (users without their sign-in times, which every
 * sign-in moves). Equal fingerprints before and after a spec mean it changed nothing: no record, no
 * version, no audit entry, no idempotency key.
 */
export function databaseFingerprint(): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    incident: "SELECT t::text AS row FROM incident t",
    timeline_event: "SELECT t::text AS row FROM timeline_event t",
    event_organization: "SELECT t::text AS row FROM event_organization t",
    event_indicator: "SELECT t::text AS row FROM event_indicator t",
    indicator: "SELECT t::text AS row FROM indicator t",
    indicator_organization: "SELECT t::text AS row FROM indicator_organization t",
    affected_organization: "SELECT t::text AS row FROM affected_organization t",
    notification_move: "SELECT t::text AS row FROM notification_move t",
    sighting: "SELECT t::text AS row FROM sighting t",
    finding: "SELECT t::text AS row FROM finding t",
    audit_entry: "SELECT t::text AS row FROM audit_entry t",
    idempotency_key: "SELECT t::text AS row FROM idempotency_key t",
    app_user: `SELECT concat_ws('|', id, email, name, role, organization_id, disabled_at, session_version,
                                must_change_password, password_hash) AS row FROM app_user`,
  };
  return withE2eDatabase(async (client) => {
    const fingerprint: Record<string, string> = {};
    for (const [table, rows] of Object.entries(tables)) {
      const result = await client.query<{ n: string; digest: string }>(
        `SELECT count(*)::text AS n, md5(coalesce(string_agg(row, E'\\n' ORDER BY row), '')) AS digest
           FROM (${rows}) r`,
      );
      fingerprint[table] = `${result.rows[0]?.n} rows, ${result.rows[0]?.digest}`;
    }
    return fingerprint;
  });
}

// ---------------------------------------------------------------- findings helpers
// Findings have no DELETE in the API (they are records of what responders concluded); specs remove
// the ones they made with SQL, by the run marker in their titles. Their audit entries stay.

export const FINDINGS_PATH = `/incidents/${INCIDENT}/findings`;
export const FINDINGS_API = `/api/v1/incidents/${INCIDENT}/findings`;

/** Deletes the findings whose title contains `marker` (with their links and evidence); answers how many went. */
export function deleteFindingsByTitle(marker: string): Promise<number> {
  if (marker.length < 8) throw new Error("a marker this short could match findings a test did not make");
  return withE2eDatabase(async (client) => {
    const result = await client.query("DELETE FROM finding WHERE title LIKE '%' || $1 || '%'", [marker]);
    return result.rowCount ?? 0;
  });
}

// ---------------------------------------------------------------- a second app server
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");
const SERVER_READY_TIMEOUT_MS = 60_000;
const SERVER_STOP_TIMEOUT_MS = 15_000;
// playwright.config.ts gives its server this secret when NEXTAUTH_SECRET is unset; others must match.
const DEFAULT_E2E_SECRET = "e2e-secret-e2e-secret-e2e-secret-e2e-secret";

export interface ExtraServer {
  url: string;
  port: number;
  /** Everything the server printed so far (stdout and stderr). */
  output: () => string;
  /** Only stdout: the JSON log lines. */
  stdout: () => string;
  stop: () => Promise<void>;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}

/**
 * Another `next start` of the production build on the e2e database, on a free port, answering
 * /api/health before this returns. The caller stops it (in a finally).
 */
export async function startExtraServer(env: Record<string, string> = {}): Promise<ExtraServer> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL must name the e2e database");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  let stdout = "";
  const child = spawn(
    path.join(PROJECT_ROOT, "node_modules/.bin/next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? DEFAULT_E2E_SECRET,
        NEXTAUTH_URL: url,
        NEXT_TELEMETRY_DISABLED: "1",
        DWELL_LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      if ((await waitForExit(child, SERVER_STOP_TIMEOUT_MS)) === "timeout") {
        child.kill("SIGKILL");
        await waitForExit(child, SERVER_STOP_TIMEOUT_MS);
      }
    }
  };
  try {
    await expect
      .poll(
        async () => {
          if (child.exitCode !== null)
            throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
          try {
            return (await fetch(`${url}/api/health`)).status;
          } catch {
            return 0;
          }
        },
        { timeout: SERVER_READY_TIMEOUT_MS, intervals: [250] },
      )
      .toBe(200);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, output: () => output, stdout: () => stdout, stop };
}

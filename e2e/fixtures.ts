import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "dwell-demo-2023";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

// ---------------------------------------------------------------- timeline helpers
// Imported here rather than at the top: helpers are appended to this file, never woven into it.
import net from "node:net";
import type { APIRequestContext, Browser } from "@playwright/test";

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
    await signIn(page, "responder@dwell.example");
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

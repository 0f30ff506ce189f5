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

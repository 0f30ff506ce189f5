// The audit trail in a browser: a responder edits an event, opens the trail from the incident's tabs
// and sees the changed field before → after (hostile text shown as text), filters by record kind,
// pages to older entries, and reads it on a phone. Every event made here is deleted afterwards (the
// audit entries stay: the trail is append-only).
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import {
  createEventViaApi,
  deleteRunEvents,
  eventBody,
  EVENTS_API,
  INCIDENT,
  RUN_MARKER,
  signInDirect,
  TIMELINE_PATH,
  uniqueTitle,
} from "./fixtures";

const AUDIT_PATH = `/incidents/${INCIDENT}/audit`;
const HOSTILE = '<img src=x onerror="window.__audit_xss=1"> **not bold**';

test.afterAll(async ({ browser, baseURL }) => {
  await deleteRunEvents(browser, baseURL);
});

/** A second before the test began, so the filtered list holds only this test's entries. */
const sinceStart = (started: Date) => new Date(started.getTime() - 1000).toISOString();

const entries = (page: Page) => page.getByTestId("audit-entry");

test("a responder sees an event's change before → after, filters by record kind and pages", async ({
  page,
}) => {
  const started = new Date();
  await signInDirect(page, "responder@dwell.example");
  const title = uniqueTitle("Audit trail: State reports anomalous MailItemsAccessed");
  const renamed = `${title} (confirmed)`;
  const event = await createEventViaApi(page.request, eventBody(title));
  const patch = await page.request.patch(`${EVENTS_API}/${event.id}`, {
    data: { title: renamed, description: HOSTILE, version: event.version },
  });
  expect(patch.status(), await patch.text()).toBe(200);

  // From the incident's tabs.
  await page.goto(TIMELINE_PATH);
  await page
    .getByRole("navigation", { name: "Incident sections" })
    .getByRole("link", { name: "Audit trail" })
    .click();
  await expect(page).toHaveURL(new RegExp(`${AUDIT_PATH}$`));
  await expect(page.getByRole("heading", { name: "Audit trail", level: 1 })).toBeVisible();

  const change = entries(page).filter({ hasText: "Event changed" }).filter({ hasText: renamed }).first();
  await expect(change).toBeVisible();
  await expect(change.getByText("(responder@dwell.example (responder))")).toBeVisible();
  const titleRow = change.getByRole("row", { name: /^title/ });
  await expect(titleRow.getByRole("cell").nth(0)).toHaveText(title);
  await expect(titleRow.getByRole("cell").nth(1)).toHaveText(renamed);
  // Markdown and markup are shown as the text they are.
  const descriptionRow = change.getByRole("row", { name: /^description/ });
  await expect(descriptionRow.getByRole("cell").nth(1)).toHaveText(HOSTILE);
  await expect(change.locator("img")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __audit_xss?: number }).__audit_xss)).toBeUndefined();
  // Unchanged fields are not listed.
  await expect(change.getByRole("row", { name: /^lane/ })).toHaveCount(0);
  // The link leads to the event on the timeline.
  await expect(change.getByRole("link", { name: renamed })).toHaveAttribute(
    "href",
    `${TIMELINE_PATH}?q=${encodeURIComponent(renamed)}`,
  );
  await expect(change.getByText(/Request id: /)).toBeVisible();

  // Filter by record kind: the form puts it in the URL (with the time range this test's entries fall in).
  await page.goto(`${AUDIT_PATH}?from=${encodeURIComponent(sinceStart(started))}`);
  await page.getByLabel("Record").selectOption("event");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/entity=event/);
  await expect(entries(page)).toHaveCount(2);
  for (const badge of await entries(page).getByRole("heading").all()) {
    await expect(badge).toContainText(/event\.(create|update)/);
  }
  // The demo seed's entry is an incident's; none falls in this test's time range.
  await page.getByLabel("Record").selectOption("incident");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("heading", { name: "No changes match" })).toBeVisible();

  // Paging: more entries than one page holds, older ones behind "Load older entries".
  // Made ten at a time: their order among themselves does not matter, only that all follow the first.
  const made: { id: string; version: number }[] = [];
  for (let batch = 0; batch < 5; batch += 1) {
    const titles = Array.from({ length: 10 }, (_, i) => uniqueTitle(`Audit paging ${batch * 10 + i}`));
    made.push(...(await Promise.all(titles.map((t) => createEventViaApi(page.request, eventBody(t))))));
  }
  await page.goto(`${AUDIT_PATH}?entity=event&from=${encodeURIComponent(sinceStart(started))}`);
  await expect(entries(page)).toHaveCount(50);
  await expect(page.getByText("That is every matching entry.")).toHaveCount(0);
  await page.getByRole("button", { name: "Load older entries" }).click();
  await expect(entries(page)).toHaveCount(52);
  await expect(page.getByText("That is every matching entry.")).toBeVisible();
  // Newest first: the last of the page is the first event's creation.
  await expect(entries(page).last()).toContainText("Event created");
  await expect(entries(page).last()).toContainText(renamed);

  const accessibility = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa"])
    .setLegacyMode(true)
    .analyze();
  expect(accessibility.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  for (let start = 0; start < made.length; start += 10) {
    const deleted = await Promise.all(
      made
        .slice(start, start + 10)
        .map((e) => page.request.delete(`${EVENTS_API}/${e.id}?version=${e.version}`)),
    );
    expect(deleted.map((response) => response.status())).toEqual(deleted.map(() => 200));
  }
});

test("the audit trail reads on a phone, and an executive may read it", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  try {
    await signInDirect(page, "executive@dwell.example");
    await page.goto(AUDIT_PATH);
    await expect(page.getByRole("heading", { name: "Audit trail", level: 1 })).toBeVisible();
    await expect(entries(page).first()).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // Bad filters are reported and dropped, not guessed at.
    await page.goto(`${AUDIT_PATH}?from=yesterday`);
    await expect(page.getByRole("alert").filter({ hasText: "Some filters were not applied" })).toContainText(
      "from: from must be a date",
    );
    await expect(entries(page).first()).toBeVisible();
  } finally {
    await context.close();
  }
});

test("agency users cannot reach the audit trail", async ({ page }) => {
  await signInDirect(page, "state@agency.example");
  const response = await page.goto(AUDIT_PATH);
  expect(response?.status()).toBe(404);
  const api = await page.request.get(`/api/v1/incidents/${INCIDENT}/audit`);
  expect(api.status()).toBe(403);
  expect(RUN_MARKER).toBeTruthy();
});

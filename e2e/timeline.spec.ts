// The investigation timeline in a real browser: live adds, edit conflicts, validation, safe markdown,
// zoom, who may write, dates without invented times, and the virtualized chronological list.
// Every event a test makes has a unique title and is deleted before the test ends: other specs count
// the 42 seeded events.
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  createEventViaApi,
  deleteEvents,
  deleteRunEvents,
  eventBody,
  EVENTS_API,
  findEvents,
  signInDirect,
  TIMELINE_PATH,
  uniqueTitle,
} from "./fixtures";

const JUNE_15 = "2023-06-15T00:00:00.000Z";
const JUNE_30_END = "2023-06-30T23:59:59.999Z";

/** How many events the actor's API answers for these filters (all pages in one: there are few). */
async function apiCount(page: Page, filters: Record<string, string> = {}): Promise<number> {
  const params = new URLSearchParams({ ...filters, limit: "500" });
  const response = await page.request.get(`${EVENTS_API}?${params.toString()}`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { items: unknown[]; nextCursor: string | null };
  expect(body.nextCursor).toBeNull();
  return body.items.length;
}

/** A second person, in a browser context of their own (own cookies, own event stream). */
async function openAs(browser: Browser, baseURL: string | undefined, email: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signInDirect(page, email);
  return { context, page };
}

/** The timeline with its live stream connected, so no change can slip in before it listens. */
async function openLiveTimeline(page: Page, path = TIMELINE_PATH): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole("status").filter({ hasText: "● Live" })).toBeVisible();
}

const eventItem = (page: Page, title: string) =>
  page.getByTestId("timeline-event").filter({ hasText: title });

test.describe("the timeline", () => {
  // Each test deletes what it made; this catches what a test that timed out could not.
  test.afterAll(async ({ browser }, testInfo) => {
    await deleteRunEvents(browser, testInfo.project.use.baseURL);
  });

  test("a new event appears on another responder's open timeline within 2 seconds, without a reload", async ({
    page,
    browser,
    baseURL,
  }) => {
    const title = uniqueTitle("Live add: State shares its audit export");
    const watcher = await openAs(browser, baseURL, "admin@dwell.example");
    try {
      await signInDirect(page, "responder@dwell.example");
      await openLiveTimeline(page);
      await openLiveTimeline(watcher.page);
      await expect(watcher.page.getByText(title)).toHaveCount(0);
      // A full reload would lose this; a live update keeps it.
      await watcher.page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));

      await page.getByRole("button", { name: "Add event" }).click();
      const dialog = page.getByRole("dialog");
      await expect(dialog.getByRole("heading", { name: "Add event" })).toBeVisible();
      await dialog.getByLabel("Title", { exact: true }).fill(title);
      await dialog.getByLabel("Precision", { exact: true }).selectOption("day");
      await dialog.getByLabel("Date", { exact: true }).fill("2023-06-22");
      await dialog
        .getByLabel("Source", { exact: true })
        .fill("https://www.cisa.gov/news-events/news/example");
      await dialog.getByLabel("Lane", { exact: true }).selectOption("response");
      await dialog.getByLabel("Phase", { exact: true }).selectOption("investigation");
      const saved = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === EVENTS_API,
      );
      await dialog.getByRole("button", { name: "Save event" }).click();
      expect((await saved).status()).toBe(201);

      // The one timing promise the issue makes: 2 seconds from the save to the other screen.
      await expect(eventItem(watcher.page, title)).toBeVisible({ timeout: 2000 });
      await expect(eventItem(watcher.page, title)).toContainText("22 Jun 2023");
      expect(await watcher.page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(
        true,
      );

      await expect(dialog).toBeHidden();
      await expect(eventItem(page, title)).toBeVisible();
      expect(await findEvents(page.request, title)).toHaveLength(1);
    } finally {
      await deleteEvents(page.request, title);
      await watcher.context.close();
    }
  });

  test("saving over someone else's newer version names who changed it and offers the latest version", async ({
    page,
    browser,
    baseURL,
  }) => {
    const title = uniqueTitle("Conflict: FBI receives the account list");
    const second = await openAs(browser, baseURL, "admin@dwell.example");
    try {
      await signInDirect(page, "responder@dwell.example");
      const created = await createEventViaApi(page.request, eventBody(title));
      expect(created.version).toBe(1);

      // Both open the editor on version 1.
      for (const p of [page, second.page]) {
        await p.goto(TIMELINE_PATH);
        await p.getByRole("button", { name: `Edit event: ${title}`, exact: true }).click();
        await expect(p.getByRole("dialog").getByRole("heading", { name: "Edit event" })).toBeVisible();
        await expect(p.getByRole("dialog")).toContainText("Version 1");
      }

      const first = page.getByRole("dialog");
      await first.getByLabel("Title", { exact: true }).fill(`${title} (responder)`);
      await first.getByRole("button", { name: "Save event" }).click();
      await expect(first).toBeHidden();

      const late = second.page.getByRole("dialog");
      await late.getByLabel("Title", { exact: true }).fill(`${title} (admin)`);
      const refused = second.page.waitForResponse((r) => r.request().method() === "PATCH");
      await late.getByRole("button", { name: "Save event" }).click();
      expect((await refused).status()).toBe(409);
      const alert = late.getByRole("alert");
      await expect(alert).toContainText("changed by Demo Responder");
      await expect(alert).toContainText("version 2");

      await alert.getByRole("button", { name: "Load the latest version" }).click();
      await expect(late.getByLabel("Title", { exact: true })).toHaveValue(`${title} (responder)`);
      await expect(late).toContainText("Version 2, last changed by Demo Responder");
      await expect(late.getByRole("alert")).toContainText("Loaded the latest version");

      // With the latest version loaded, the same change now saves.
      await late.getByLabel("Title", { exact: true }).fill(`${title} (admin)`);
      await late.getByRole("button", { name: "Save event" }).click();
      await expect(late).toBeHidden();
      const [stored] = await findEvents(page.request, title);
      expect(stored).toMatchObject({ title: `${title} (admin)`, version: 3 });
    } finally {
      await deleteEvents(page.request, title);
      await second.context.close();
    }
  });

  test("a validation error is shown under the field it names, and nothing is saved", async ({ page }) => {
    const title = uniqueTitle("Invalid source");
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await signInDirect(page, "responder@dwell.example");
      await page.goto(TIMELINE_PATH);
      await page.getByRole("button", { name: "Add event" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("Title", { exact: true }).fill(title);
      await dialog.getByLabel("Date", { exact: true }).fill("2023-06-22");
      await dialog.getByLabel("Source", { exact: true }).fill("javascript:alert(1)");
      const refused = page.waitForResponse((r) => r.request().method() === "POST");
      await dialog.getByRole("button", { name: "Save event" }).click();
      expect((await refused).status()).toBe(422);

      const source = dialog.getByLabel("Source", { exact: true });
      await expect(source).toHaveAttribute("aria-invalid", "true");
      await expect(source).toHaveAccessibleDescription(/source must be an http\(s\) URL or a reference/);
      // Only the field at fault is marked.
      await expect(dialog.getByLabel("Title", { exact: true })).toHaveAttribute("aria-invalid", "false");
      await expect(dialog).toBeVisible();
      expect(await findEvents(page.request, title)).toHaveLength(0);
      expect(dialogs).toEqual([]);
    } finally {
      await deleteEvents(page.request, title);
    }
  });

  test("script in a markdown description is rendered inert", async ({ page }) => {
    const title = uniqueTitle("Markdown with script");
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await signInDirect(page, "responder@dwell.example");
      await createEventViaApi(
        page.request,
        eventBody(title, { description: "<img src=x onerror=alert(1)> **bold** <script>alert(2)</script>" }),
      );
      await page.goto(TIMELINE_PATH);
      const item = eventItem(page, title);
      await expect(item.locator("strong")).toHaveText("bold");
      expect(await item.innerHTML()).toContain("<strong>bold</strong>");
      // No element was made from the markup, so there is nothing that could run, now or later.
      await expect(item.locator("img, script, [onerror]")).toHaveCount(0);
      await expect(page.locator("[onerror]")).toHaveCount(0);
      expect(dialogs).toEqual([]);
    } finally {
      await deleteEvents(page.request, title);
    }
  });

  test("a zoomed range in the URL filters the list to that range", async ({ page }) => {
    // Tall enough that the virtualized list renders every event of the range at once.
    await page.setViewportSize({ width: 1280, height: 6000 });
    await signInDirect(page, "responder@dwell.example");
    const expected = await apiCount(page, { from: JUNE_15, to: JUNE_30_END });
    const total = await apiCount(page);
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(total);

    await page.goto(`${TIMELINE_PATH}?from=${JUNE_15}&to=${JUNE_30_END}&view=chronological`);
    const items = page.getByTestId("timeline-event");
    await expect(items).toHaveCount(expected);
    const dates = await items.evaluateAll((nodes) =>
      nodes.map((node) => node.querySelector("time")?.getAttribute("datetime") ?? "missing"),
    );
    expect(dates).toHaveLength(expected);
    for (const date of dates) {
      expect(date.slice(0, 10) >= "2023-06-15" && date.slice(0, 10) <= "2023-06-30", date).toBe(true);
    }
    await expect(page.getByRole("button", { name: "Reset zoom" })).toBeVisible();
  });

  test("dragging the chart's brush zooms the list and writes the range into the URL", async ({ page }) => {
    await signInDirect(page, "responder@dwell.example");
    const total = await apiCount(page);
    await page.goto(TIMELINE_PATH);
    const items = page.getByTestId("timeline-event");
    await expect(items).toHaveCount(total);

    const travellers = page.locator(".recharts-brush-traveller");
    await expect(travellers).toHaveCount(2);
    // Mouse coordinates are the viewport's: the brush must be on screen before it is measured.
    await page.locator(".recharts-brush").scrollIntoViewIfNeeded();
    const brush = await page.locator(".recharts-brush").boundingBox();
    const start = await travellers.first().boundingBox();
    if (!brush || !start) throw new Error("the brush is not laid out");
    // Drag the left handle 40% of the way across: the first events (March–May 2023) fall outside.
    await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
    await page.mouse.down();
    await page.mouse.move(start.x + brush.width * 0.4, start.y + start.height / 2, { steps: 10 });
    await page.mouse.up();

    await expect(page).toHaveURL(/[?&]from=[^&]+/);
    await expect(page).toHaveURL(/[?&]to=[^&]+/);
    const from = new URL(page.url()).searchParams.get("from") ?? "";
    const to = new URL(page.url()).searchParams.get("to") ?? "";
    const expected = await apiCount(page, { from, to });
    expect(expected).toBeLessThan(total);
    await expect(items).toHaveCount(expected);

    await page.getByRole("button", { name: "Reset zoom" }).click();
    await expect(page).not.toHaveURL(/[?&]from=/);
    await expect(items).toHaveCount(total);
  });

  test("an executive can read but not write; an agency user cannot reach the incident's timeline", async ({
    page,
    browser,
    baseURL,
  }) => {
    const title = uniqueTitle("Executive tries to add");
    const responder = await openAs(browser, baseURL, "responder@dwell.example");
    const agency = await openAs(browser, baseURL, "state@agency.example");
    try {
      await signInDirect(page, "executive@dwell.example");
      const total = await apiCount(page);
      await page.goto(TIMELINE_PATH);
      await expect(page.getByTestId("timeline-event")).toHaveCount(total);
      await expect(page.getByRole("button", { name: "Add event" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^Edit/ })).toHaveCount(0);

      // Same-origin, valid body: refused for the role alone.
      const body = eventBody(title);
      const refused = await page.request.post(EVENTS_API, { data: body, headers: { Origin: baseURL ?? "" } });
      expect(refused.status()).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("forbidden");
      expect(await findEvents(page.request, title)).toHaveLength(0);
      expect(await apiCount(page)).toBe(total);
      // The same request from a responder is accepted, so the 403 above was about the role, not the body.
      const accepted = await responder.page.request.post(EVENTS_API, {
        data: body,
        headers: { Origin: baseURL ?? "" },
      });
      expect(accepted.status()).toBe(201);

      const events = await agency.page.request.get(EVENTS_API);
      expect([403, 404]).toContain(events.status());
      const timeline = await agency.page.goto(TIMELINE_PATH);
      expect(timeline?.status()).toBe(404);
    } finally {
      await deleteEvents(responder.page.request, title);
      await responder.context.close();
      await agency.context.close();
    }
  });

  test("day-precision dates never show a time of day, in light and dark mode and in another time zone", async ({
    page,
  }) => {
    const title = uniqueTitle("Day-dated by a source in Kiribati");
    try {
      await signInDirect(page, "responder@dwell.example");
      // A calendar date from a source 14 hours ahead of UTC: shifting it as an instant would move it to
      // 19 June and give it a time in New York.
      await createEventViaApi(
        page.request,
        eventBody(title, { occurredAt: "2023-06-20", sourceTimeZone: "Pacific/Kiritimati" }),
      );
      const total = await apiCount(page);

      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        await page.goto(TIMELINE_PATH);
        await expect(page.locator("html")).toHaveClass(colorScheme === "dark" ? /\bdark\b/ : /\blight\b/);
        await expect(page.getByTestId("timeline-event")).toHaveCount(total);
        await expect(eventItem(page, title).locator("time").first()).toHaveText("20 Jun 2023");
        await expect(page.locator("body")).not.toContainText("00:00");
      }

      // By role: the label wraps the select, so its text content includes every option.
      await page.getByRole("combobox", { name: "Time zone", exact: true }).selectOption("America/New_York");
      await page.getByRole("button", { name: "Apply" }).click();
      await expect(page).toHaveURL(/[?&]tz=America%2FNew_York/);
      await expect(page.getByText("times of day in America/New_York").first()).toBeVisible();
      await expect(page.getByTestId("milestone-firstActivity")).toContainText("15 May 2023");
      await expect(page.getByTestId("timeline-event")).toHaveCount(total);
      await expect(eventItem(page, title).locator("time").first()).toHaveText("20 Jun 2023");
      await expect(page.locator("body")).not.toContainText("00:00");
    } finally {
      await deleteEvents(page.request, title);
    }
  });

  test("the chronological view is virtualized and scrolls to the last event", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await signInDirect(page, "responder@dwell.example");
    const total = await apiCount(page);
    await page.goto(`${TIMELINE_PATH}?view=chronological`);
    const list = page.getByRole("list", { name: "Events in time order" });
    const items = list.getByTestId("timeline-event");
    await expect(items.first()).toBeVisible();
    const rendered = await items.count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(total);

    const last = items.filter({ hasText: "DHS publicly releases the CSRB report" });
    await expect(last).toHaveCount(0);
    // Rows are measured as they render, so the page grows while scrolling: scroll until the end holds.
    await expect(async () => {
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await expect(last).toBeInViewport({ timeout: 500 });
    }).toPass({ timeout: 10_000 });
    await expect(last.locator("time").first()).toHaveText("2 Apr 2024");
    expect(await items.count()).toBeLessThan(total);
  });
});

test.describe("the chronological view while scrolling", () => {
  test("never shows an empty screen between events, and shows every event once on the way down", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await signInDirect(page, "responder@dwell.example");
    const total = await apiCount(page);
    await page.goto(`${TIMELINE_PATH}?view=chronological`);
    const list = page.getByRole("list", { name: "Events in time order" });
    await expect(list.getByTestId("timeline-event").first()).toBeVisible();

    /** Whether every point a quarter, half and three quarters down the screen that lies over the list lies over an event. */
    const screenCovered = () =>
      list.evaluate((ol) => {
        const box = ol.getBoundingClientRect();
        const rows = [...ol.querySelectorAll('[data-testid="timeline-event"]')].map((li) =>
          li.getBoundingClientRect(),
        );
        return [0.25, 0.5, 0.75]
          .map((f) => window.innerHeight * f)
          .filter((y) => y > box.top && y < box.bottom)
          .every((y) => rows.some((row) => row.top <= y && row.bottom >= y));
      });
    const visibleTitles = () =>
      list.evaluate((ol) =>
        [...ol.querySelectorAll('[data-testid="timeline-event"]')]
          .filter((li) => {
            const box = li.getBoundingClientRect();
            return box.bottom > 0 && box.top < window.innerHeight;
          })
          .map((li) => li.querySelector("p")?.textContent ?? ""),
      );

    const seen = new Set<string>();
    const start = await list.evaluate((ol) => ol.getBoundingClientRect().top + window.scrollY);
    for (let y = start; ; y += 360) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      // Rows render after the scroll event; give them a moment, but an empty screen must not last.
      await expect.poll(screenCovered, { timeout: 2000 }).toBe(true);
      for (const title of await visibleTitles()) seen.add(title);
      const atEnd = await page.evaluate(
        () => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1,
      );
      if (atEnd) break;
    }
    expect(seen.size).toBe(total);
  });
});

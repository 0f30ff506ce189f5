import { expect, test } from "@playwright/test";
import { signIn, signInDirect } from "./fixtures";

test.describe("signing in", () => {
  test("a responder lands on the timeline and sees its milestones and dwell time", async ({ page }) => {
    await signIn(page, "responder@dwell.example");
    await expect(page).toHaveURL(/\/incidents\/storm-0558\/timeline$/);
    const firstActivity = page.getByTestId("milestone-firstActivity");
    await expect(firstActivity).toContainText("15 May 2023");
    await expect(page.getByTestId("milestone-detection")).toContainText("16 Jun 2023");
    const dwell = page.locator("dl div", { hasText: "Dwell time" }).first();
    await expect(dwell).toContainText("32 days");
    // The alternative detection date of another source is shown beside it.
    await expect(dwell).toContainText("31 days");
    await expect(page.getByTestId("timeline-event")).toHaveCount(42);
    // Day-precision facts are dates, never midnight.
    await expect(page.locator("main")).not.toContainText("00:00");
  });

  test("an agency user lands on its own portal and sees no other organization", async ({ page }) => {
    await signIn(page, "state@agency.example");
    await expect(page).toHaveURL(/\/portal$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("U.S. Department of State");
    await expect(page.getByText("Your notification")).toBeVisible();
    const text = await page.locator("body").innerText();
    expect(text).not.toContain("Department of Commerce");
    expect(text).not.toContain("House of Representatives");
    expect(text).not.toContain("Undisclosed");
    // An incident page answers like a missing one.
    const response = await page.goto("/incidents/storm-0558/timeline");
    expect(response?.status()).toBe(404);
  });

  test("a wrong password gets one generic message", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("responder@dwell.example");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Email or password is incorrect.");
    await expect(page).toHaveURL(/\/login/);
    // An unknown email gets exactly the same message.
    await page.getByLabel("Email").fill("nobody@dwell.example");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Email or password is incorrect.");
  });

  test("before its script runs, the sign-in form cannot be submitted, so a password never lands in a URL", async ({
    browser,
    baseURL,
  }) => {
    // Without JavaScript the page stays as the server rendered it: what a click before hydration meets.
    const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/login");
      const button = page.getByRole("button", { name: "Sign in" });
      await expect(button).toBeDisabled();
      await expect(page.locator("form")).toHaveAttribute("method", "post");
      await page.getByLabel("Email").fill("responder@dwell.example");
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByLabel("Password").press("Enter");
      await page.waitForTimeout(300);
      expect(page.url()).not.toContain("password");
    } finally {
      await context.close();
    }
  });

  test("on a phone the account controls fold into a menu the keyboard opens", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, "responder@dwell.example");
    const header = page.locator("header").first();
    // One row for the bar: the brand, the main links and the menu button.
    expect((await header.boundingBox())?.height ?? 0).toBeLessThan(64);
    await expect(header.getByRole("button", { name: "Sign out" })).toBeHidden();
    const menu = header.locator("summary", { hasText: "Account" });
    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(header.getByRole("button", { name: "Sign out" })).toBeVisible();
    await expect(header.getByRole("link", { name: "API tokens" })).toBeVisible();
    await header.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
  });

  test("pages behind sign-in send a visitor to the sign-in page", async ({ page }) => {
    await page.goto("/incidents/storm-0558/timeline");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });

  test("signing out ends the session", async ({ page }) => {
    await signIn(page, "executive@dwell.example");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/incidents/storm-0558/timeline");
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe("timeline filters", () => {
  test("a lane filter lives in the URL and narrows the list", async ({ page }) => {
    await signIn(page, "responder@dwell.example");
    await page.getByLabel("Lane").selectOption("adversary");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/lane=adversary/);
    const events = page.getByTestId("timeline-event");
    await expect(events.first()).toBeVisible();
    const count = await events.count();
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(42);
    await expect(page.locator('[data-testid="timeline-event"][data-lane="response"]')).toHaveCount(0);
  });
});

test.describe("API", () => {
  test("the health endpoint reports the database", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok" });
  });

  test("events need a session and page by keyset", async ({ page, request }) => {
    const anonymous = await request.get("/api/v1/incidents/storm-0558/events");
    expect(anonymous.status()).toBe(401);
    const body = await anonymous.json();
    expect(body.error.code).toBe("unauthenticated");
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);

    await signInDirect(page, "responder@dwell.example");
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/incidents/storm-0558/events?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await page.request.get(url);
      expect(res.status()).toBe(200);
      const json = (await res.json()) as {
        items: { id: string; occurredAt: string }[];
        nextCursor: string | null;
      };
      for (const item of json.items) seen.add(item.id);
      cursor = json.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(pages).toBe(5);
    expect(seen.size).toBe(42);

    const bad = await page.request.get("/api/v1/incidents/storm-0558/events?phase=lunch");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.details[0].field).toBe("phase");
  });
});

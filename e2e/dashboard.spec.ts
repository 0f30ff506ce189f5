// The executive dashboard and the printable report: an executive lands on the dashboard, reads the
// phase, dwell time, notification funnel and sourced figures (with their sources) and the report with
// every section, without a single edit control; the print view keeps every section and drops the
// navigation; the server renders the same report to PDF; agency users reach neither.
import { expect, test, type Page } from "@playwright/test";
import { INCIDENT, signIn, signInDirect } from "./fixtures";

const DASHBOARD_API = "/api/v1/dashboard";
const INCIDENT_DASHBOARD_API = `/api/v1/incidents/${INCIDENT}/dashboard`;
const REPORT_PATH = `/incidents/${INCIDENT}/report`;
const REPORT_PDF = `/api/v1/incidents/${INCIDENT}/report/pdf`;
const SECTIONS = ["summary", "metrics", "timeline", "organizations", "indicators", "findings"] as const;

/** Inputs, forms and buttons inside the page's main region other than the allowed ones. */
async function editControls(page: Page, allowedButtons: string[] = []): Promise<string[]> {
  const main = page.locator("main");
  const found: string[] = [];
  const fields = await main.locator("input, textarea, select, form").count();
  if (fields > 0) found.push(`${fields} form fields`);
  for (const button of await main.getByRole("button").all()) {
    const name = ((await button.textContent()) ?? "").trim();
    if (!allowedButtons.includes(name)) found.push(`button "${name}"`);
  }
  return found;
}

test.describe("executive dashboard", () => {
  test("an executive lands on the dashboard and reads phase, dwell time, funnel and sourced figures", async ({
    page,
  }) => {
    await signIn(page, "executive@dwell.example");
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }),
    ).toBeVisible();

    const incident = page.getByTestId("incident-dashboard").first();
    await expect(incident.getByRole("heading", { level: 2 }).first()).toContainText("Storm-0558");
    await expect(incident.getByTestId("incident-phase")).toHaveText("Post-incident");
    const dwell = incident.getByTestId("key-times").locator("dt", { hasText: "Dwell time" }).locator("..");
    await expect(dwell).toContainText("32 days");
    await expect(dwell).toContainText("31 days");

    const funnel = incident.getByTestId("notification-funnel");
    await expect(funnel).toBeVisible();
    for (const state of ["pending", "notified", "acknowledged", "remediated", "closed"]) {
      await expect(funnel.getByRole("rowheader", { name: state })).toBeVisible();
    }
    await expect(incident.getByRole("heading", { name: /^Overdue/ })).toBeVisible();
    await expect(incident.getByRole("heading", { name: /^At risk/ })).toBeVisible();

    const organizations = incident.getByTestId("figure-group").filter({ hasText: "Organizations affected" });
    await expect(organizations).toContainText("sources disagree");
    await expect(organizations.locator("li", { hasText: "≈ 25" })).toContainText("per Microsoft, 2023-07-14");
    await expect(organizations.locator("li", { hasText: /^22/ })).toContainText("per CSRB");
    await expect(
      incident.getByTestId("figure-group").filter({ hasText: "State Department emails taken" }),
    ).toContainText(/≈ 60,000 per CSRB/);

    await expect(incident.getByTestId("indicators-by-type")).toBeVisible();
    await expect(incident.getByTestId("findings-by-status")).toBeVisible();
    // The chart arrives lazily and has its numbers in a table.
    await expect(incident.locator(".recharts-surface").first()).toBeVisible();
    await incident.getByText(/^Table: events per week by lane/).click();
    await expect(incident.getByTestId("events-per-week-table").locator("tbody tr").first()).toBeVisible();

    expect(await editControls(page)).toEqual([]);
  });

  test("the chart renders in dark mode too", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await signInDirect(page, "executive@dwell.example");
    await page.goto("/dashboard");
    await expect(page.locator("html")).toHaveClass(/dark/);
    await expect(page.locator(".recharts-surface").first()).toBeVisible();
    await expect(page.locator(".recharts-bar-rectangle").first()).toBeAttached();
  });

  test("the API answers the same figures", async ({ page }) => {
    await signInDirect(page, "executive@dwell.example");
    const one = await page.request.get(INCIDENT_DASHBOARD_API);
    expect(one.status()).toBe(200);
    const body = (await one.json()) as {
      keyTimes: { phase: { current: string }; durations: { name: string; ms: number }[] };
      data: { counts: { events: number } };
      eventsPerWeek: { total: { adversary: number; response: number } };
    };
    expect(body.keyTimes.phase.current).toBe("post-incident");
    expect(body.keyTimes.durations.find((d) => d.name === "dwell")?.ms).toBe(32 * 86_400_000);
    expect(body.eventsPerWeek.total.adversary + body.eventsPerWeek.total.response).toBe(
      body.data.counts.events,
    );
    const all = await page.request.get(DASHBOARD_API);
    expect(all.status()).toBe(200);
    const slugs = ((await all.json()) as { incidents: { incident: { slug: string } }[] }).incidents.map(
      (i) => i.incident.slug,
    );
    expect(slugs).toContain(INCIDENT);
  });
});

test.describe("incident report", () => {
  test("an executive reads every section, with when and from what it was generated, and nothing to edit", async ({
    page,
  }) => {
    await signInDirect(page, "executive@dwell.example");
    await page.goto("/dashboard");
    await page.getByRole("link", { name: "Report" }).first().click();
    await expect(page).toHaveURL(new RegExp(`${REPORT_PATH}$`));
    for (const section of SECTIONS) await expect(page.getByTestId(`report-${section}`)).toBeVisible();
    await expect(page.getByTestId("report-generated-at")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await expect(page.getByTestId("report-summary").getByTestId("data-stamp")).toContainText(
      /from \d+ events/,
    );
    await expect(page.getByTestId("report-summary").getByTestId("data-stamp")).toContainText("last change");
    await expect(page.getByTestId("report-event").first()).toBeVisible();
    expect(await page.getByTestId("report-organization").count()).toBeGreaterThanOrEqual(22);
    await expect(page.getByTestId("report-metrics")).toContainText("32 days");
    await expect(page.getByRole("link", { name: "Download PDF" })).toBeVisible();
    expect(await editControls(page, ["Print"])).toEqual([]);
  });

  test("the print view keeps every section and drops the navigation", async ({ page }) => {
    await signInDirect(page, "executive@dwell.example");
    await page.goto(REPORT_PATH);
    await page.emulateMedia({ media: "print" });
    for (const section of SECTIONS) await expect(page.getByTestId(`report-${section}`)).toBeVisible();
    await expect(page.getByRole("banner")).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Incident sections" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
    // Black on white, whatever the theme.
    const colour = await page.getByTestId("report-timeline").evaluate((el) => getComputedStyle(el).color);
    expect(colour).toBe("rgb(0, 0, 0)");
    const breakBefore = await page
      .getByTestId("report-timeline")
      .evaluate((el) => getComputedStyle(el).breakBefore);
    expect(breakBefore).toBe("page");
  });

  test("Download PDF answers a PDF rendered on the server", async ({ page }) => {
    test.setTimeout(90_000);
    await signInDirect(page, "executive@dwell.example");
    const response = await page.request.get(REPORT_PDF, { timeout: 60_000 });
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    const bytes = await response.body();
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("%PDF");
    expect(bytes.length).toBeGreaterThan(10_000);
  });
});

test.describe("agency users", () => {
  test("get 404 on the dashboard and the report, and 403 from their APIs", async ({ page }) => {
    await signIn(page, "state@agency.example");
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }),
    ).toHaveCount(0);
    for (const path of ["/dashboard", REPORT_PATH]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
    }
    for (const path of [DASHBOARD_API, INCIDENT_DASHBOARD_API, REPORT_PDF]) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
  });
});

// Indicators in a browser: a responder imports a pasted, defanged list after reviewing it, sees the
// count grow and exports STIX; a CSV file goes through the upload; an executive reads without write
// controls; an agency user downloads its package and reports a sighting. Every test removes what it
// made (other specs count the 48 seeded indicators): indicators through the API, sightings with SQL.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  expect,
  test,
  type APIRequestContext,
  type Browser,
  type Download,
  type Page,
} from "@playwright/test";
import {
  deleteSightingsByLocation,
  INDICATORS_API,
  INDICATORS_PATH,
  RUN_MARKER,
  signIn,
  signInDirect,
  STATE_NAME,
} from "./fixtures";

const SEEDED_INDICATORS = 48;

interface IndicatorDto {
  id: string;
  type: string;
  value: string;
  normalizedValue: string;
  version: number;
  sightingsCount: number;
}

interface StixBundle {
  type: string;
  objects: { type: string; pattern?: string; name?: string }[];
}

async function totalViaApi(request: APIRequestContext): Promise<number> {
  const response = await request.get(`${INDICATORS_API}?limit=1`);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { total: number }).total;
}

/** Every stored indicator whose value or normalized value contains `text`. */
async function findIndicators(request: APIRequestContext, text: string): Promise<IndicatorDto[]> {
  const response = await request.get(`${INDICATORS_API}?limit=200&q=${encodeURIComponent(text)}`);
  expect(response.status(), await response.text()).toBe(200);
  const { items } = (await response.json()) as { items: IndicatorDto[] };
  const needle = text.toLowerCase();
  return items.filter(
    (item) =>
      item.value.toLowerCase().includes(needle) || item.normalizedValue.toLowerCase().includes(needle),
  );
}

/** Signs in on a fresh context as a responder and deletes the indicators holding any of `needles`. */
async function deleteIndicators(browser: Browser, baseURL: string | undefined, needles: string[]) {
  if (needles.length === 0) return;
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await signInDirect(page, "responder@dwell.example");
    for (const needle of needles) {
      for (const indicator of await findIndicators(page.request, needle)) {
        const response = await page.request.delete(
          `${INDICATORS_API}/${indicator.id}?version=${indicator.version}`,
        );
        expect([200, 404]).toContain(response.status());
      }
    }
    expect(await totalViaApi(page.request)).toBe(SEEDED_INDICATORS);
  } finally {
    await context.close();
  }
}

async function downloadText(download: Download): Promise<string> {
  const path = await download.path();
  return readFile(path, "utf8");
}

const total = (page: Page) => page.getByTestId("indicator-total");

/** What this worker imports; removed after each test whatever happened. */
let made: string[] = [];

test.describe("indicators", () => {
  test.afterEach(async ({ browser, baseURL }) => {
    await deleteIndicators(browser, baseURL, made);
    made = [];
    await deleteSightingsByLocation(RUN_MARKER);
  });

  test("a responder imports a pasted, defanged list after review, sees the count grow, and exports STIX", async ({
    page,
  }) => {
    const octet = 1 + (parseInt(RUN_MARKER.slice(-4), 36) % 250);
    const ip = `203.0.113.${octet}`;
    const host = `evil-login-${RUN_MARKER}.example.com`;
    const url = `https://${host}/a`;
    const sha256 = randomBytes(32).toString("hex");
    made = [ip, host, sha256];

    await signInDirect(page, "responder@dwell.example");
    expect(await totalViaApi(page.request)).toBe(SEEDED_INDICATORS);
    await page.goto(INDICATORS_PATH);
    await expect(page.getByRole("heading", { name: "Indicators", exact: true })).toBeVisible();
    await expect(total(page)).toHaveText(`${SEEDED_INDICATORS} indicators`);
    await expect(page.getByTestId("indicator-row").first()).toBeVisible();

    await page.getByRole("link", { name: "Import indicators" }).first().click();
    await expect(page).toHaveURL(/\/indicators\/import$/);
    await expect(page.getByRole("radio", { name: "Paste text" })).toBeChecked();
    await page.getByText("Up to 32 MB per import", { exact: false }).first().waitFor();

    const text = [
      "Seen in the proxy logs this morning:",
      `${ip.replace(/\.(\d+)$/, "[.]$1")}`,
      `hxxps://${host.replace(/\./g, "[.]")}/a`,
      "10.0.0.300",
      sha256,
    ].join("\n");
    await page.getByRole("textbox", { name: "Indicators as text" }).fill(text);
    const dryRun = page.waitForResponse(
      (r) =>
        r.request().method() === "POST" &&
        r.url().includes("/indicators/import") &&
        r.url().includes("dryRun=true"),
    );
    await page.getByRole("button", { name: "Recognize" }).click();
    expect((await dryRun).status()).toBe(200);

    // The review lists what was recognized, refanged, each new; and the bad address with its line.
    const items = page.getByTestId("import-item");
    await expect(items.filter({ hasText: ip }).first()).toContainText("new");
    await expect(items.filter({ hasText: url }).first()).toContainText("new");
    await expect(items.filter({ hasText: sha256 }).first()).toContainText("SHA-256");
    await expect(items.filter({ hasText: "10.0.0.300" })).toHaveCount(0);
    const problem = page.getByTestId("import-problem").filter({ hasText: "10.0.0.300" });
    await expect(problem).toHaveCount(1);
    await expect(problem.locator("td").first()).toHaveText("4");
    const recognized = await items.count();
    expect(recognized).toBeGreaterThanOrEqual(3);
    // Every recognized item starts checked.
    for (let i = 0; i < recognized; i += 1) await expect(items.nth(i).getByRole("checkbox")).toBeChecked();

    await page.getByRole("combobox", { name: "TLP" }).selectOption("GREEN");
    await page.getByRole("spinbutton", { name: "Confidence (0–100)" }).fill("70");
    await page.getByRole("textbox", { name: "Source" }).fill(`E2E proxy log review ${RUN_MARKER}`);
    const commit = page.waitForResponse(
      (r) =>
        r.request().method() === "POST" &&
        r.url().includes("/indicators/import") &&
        !r.url().includes("dryRun"),
    );
    await page.getByRole("button", { name: `Import ${recognized} indicators` }).click();
    const committed = await commit;
    expect(committed.status()).toBe(201);
    expect(committed.request().headers()["content-type"]).toContain("text/csv");
    expect(committed.request().postData()?.split(/\r?\n/)[0]).toBe("value,type");
    const result = page.getByTestId("import-result");
    await expect(result.locator("div", { hasText: "Created" })).toContainText(String(recognized));
    await expect(page.getByRole("status").filter({ hasText: "Import finished" })).toContainText(
      `${recognized} created, 0 updated, 0 unchanged, 0 duplicates, 0 errors`,
    );

    // Stored with the defaults.
    const stored = (await findIndicators(page.request, ip)).filter((i) => i.normalizedValue === ip);
    expect(stored).toHaveLength(1);
    const one = (await (await page.request.get(`${INDICATORS_API}/${stored[0]?.id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(one).toMatchObject({
      type: "ipv4",
      tlp: "GREEN",
      confidence: 70,
      source: `E2E proxy log review ${RUN_MARKER}`,
    });

    await page.getByRole("link", { name: "Back to the indicators" }).first().click();
    await expect(page).toHaveURL(new RegExp(`${INDICATORS_PATH}$`));
    await expect(total(page)).toHaveText(`${SEEDED_INDICATORS + recognized} indicators`);

    // The search lives in the URL and finds the imported URL by part of its host.
    await page.getByRole("searchbox", { name: "Search" }).fill(`evil-login-${RUN_MARKER}`);
    await page
      .getByRole("form", { name: "Filter indicators" })
      .getByRole("button", { name: "Apply" })
      .click();
    await expect(page).toHaveURL(new RegExp(`[?&]q=evil-login-${RUN_MARKER}`));
    await expect(page.getByTestId("indicator-row")).toHaveCount(1);
    await expect(page.getByTestId("indicator-row")).toContainText(url);
    await expect(total(page)).toHaveText("1 indicator match these filters");

    // The STIX export is a bundle that carries the new values.
    await page.goto(INDICATORS_PATH);
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export STIX 2.1" }).click();
    const download = await downloading;
    const bundle = JSON.parse(await downloadText(download)) as StixBundle;
    expect(bundle.type).toBe("bundle");
    const patterns = bundle.objects.filter((o) => o.type === "indicator").map((o) => o.pattern ?? "");
    expect(patterns.length).toBe(SEEDED_INDICATORS + recognized);
    expect(patterns.some((p) => p.includes(ip))).toBe(true);
    expect(patterns.some((p) => p.includes(sha256))).toBe(true);

    // Deleting one from its detail dialog; the rest go in afterEach.
    await page.goto(`${INDICATORS_PATH}?q=${ip}`);
    await expect(page.getByTestId("indicator-row")).toHaveCount(1);
    await page.getByRole("button", { name: `Details of ${ip}` }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Sightings (0)");
    page.once("dialog", (confirm) => void confirm.accept());
    const deleted = page.waitForResponse((r) => r.request().method() === "DELETE");
    await dialog.getByRole("button", { name: "Delete indicator" }).click();
    expect((await deleted).status()).toBe(200);
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: "Indicator deleted." })).toBeVisible();
    await expect(page.getByTestId("indicator-row")).toHaveCount(0);
    expect((await findIndicators(page.request, ip)).filter((i) => i.normalizedValue === ip)).toHaveLength(0);
  });

  test("a CSV file is uploaded, checked (a repeated line and a bad hash reported), imported, and reaches an open list live", async ({
    page,
  }) => {
    const domain = `c2-${RUN_MARKER}.example.net`;
    made = [domain];
    await signInDirect(page, "responder@dwell.example");
    // A second tab keeps the list open: the import reaches it through the live stream.
    const watcher = await page.context().newPage();
    await watcher.goto(INDICATORS_PATH);
    await expect(total(watcher)).toHaveText(`${SEEDED_INDICATORS} indicators`);
    await expect(watcher.getByText("● Live")).toBeVisible();
    await page.goto(`${INDICATORS_PATH}/import`);
    await page.getByText("CSV file", { exact: true }).click();
    await expect(page.getByRole("radio", { name: "CSV file" })).toBeChecked();
    const csv = `value,type,description\n${domain},domain,"Command and control, ""beacon"" host"\n${domain},domain,again\nnot a hash,sha256,\n`;
    const checked = page.waitForResponse(
      (r) => r.url().includes("/indicators/import") && r.url().includes("dryRun=true"),
    );
    await page
      .getByLabel("Choose a CSV file")
      .setInputFiles({ name: "iocs.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    expect((await checked).status()).toBe(200);
    const summary = page.getByTestId("import-dry-run");
    await expect(summary.locator("div", { hasText: "Would add" })).toContainText("1");
    await expect(summary.locator("div", { hasText: "Repeats within the file" })).toContainText("1");
    await expect(page.getByTestId("import-problem")).toHaveCount(1);
    await expect(page.getByTestId("import-problem")).toContainText("not a hash");

    const committed = page.waitForResponse(
      (r) => r.url().includes("/indicators/import") && !r.url().includes("dryRun"),
    );
    await page.getByRole("button", { name: "Import 1 indicator" }).click();
    expect((await committed).status()).toBe(201);
    await expect(page.getByTestId("import-result").locator("div", { hasText: "Created" })).toContainText("1");
    await expect(total(watcher)).toHaveText(`${SEEDED_INDICATORS + 1} indicators`);
    await watcher.close();
    const stored = await findIndicators(page.request, domain);
    expect(stored).toHaveLength(1);
    const one = (await (await page.request.get(`${INDICATORS_API}/${stored[0]?.id}`)).json()) as {
      description: string;
    };
    expect(one.description).toBe('Command and control, "beacon" host');
  });

  test("saving over someone else's change shows who changed it, and saves after loading the latest", async ({
    page,
  }) => {
    const value = `stale-${RUN_MARKER}.example.org`;
    made = [value];
    await signInDirect(page, "responder@dwell.example");
    const created = await page.request.post(INDICATORS_API, {
      data: { type: "domain", value, tlp: "AMBER", description: "As first reported" },
    });
    expect(created.status(), await created.text()).toBe(201);
    const indicator = (await created.json()) as IndicatorDto;

    await page.goto(`${INDICATORS_PATH}?q=${encodeURIComponent(value)}`);
    await page.getByRole("button", { name: `Details of ${value}` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Edit indicator" }).click();
    await expect(dialog.getByRole("heading", { name: "Edit indicator" })).toBeVisible();

    // Someone else saves first.
    const first = await page.request.patch(`${INDICATORS_API}/${indicator.id}`, {
      data: { version: indicator.version, description: "Changed elsewhere" },
    });
    expect(first.status(), await first.text()).toBe(200);

    const description = dialog.getByRole("textbox", { name: "Description" });
    await expect(description).toHaveValue("As first reported");
    await description.fill("My reading of it");
    const stale = page.waitForResponse((r) => r.request().method() === "PATCH");
    await dialog.getByRole("button", { name: "Save indicator" }).click();
    expect((await stale).status()).toBe(409);
    await expect(dialog.getByRole("alert")).toContainText("changed");
    await dialog.getByRole("button", { name: "Load the latest version" }).click();
    await expect(description).toHaveValue("Changed elsewhere");
    await expect(dialog.getByRole("status").filter({ hasText: "Apply your change again" })).toBeVisible();

    await description.fill("My reading of it");
    const saved = page.waitForResponse((r) => r.request().method() === "PATCH");
    await dialog.getByRole("button", { name: "Save indicator" }).click();
    expect((await saved).status()).toBe(200);
    await expect(dialog.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await expect(dialog).toContainText("My reading of it");
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(page.getByTestId("indicator-row")).toContainText("My reading of it");
  });

  test("an executive reads the indicators without any write control", async ({ page }) => {
    await signInDirect(page, "executive@dwell.example");
    await page.goto(INDICATORS_PATH);
    await expect(total(page)).toHaveText(`${SEEDED_INDICATORS} indicators`);
    await expect(page.getByTestId("indicator-row").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Add indicator" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Import indicators" })).toHaveCount(0);
    // Exporting is reading.
    await expect(page.getByRole("link", { name: "Export STIX 2.1" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();

    await page
      .getByTestId("indicator-row")
      .first()
      .getByRole("button", { name: /^Details of / })
      .click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Sightings (");
    await expect(dialog.getByRole("button", { name: "Edit indicator" })).toHaveCount(0);
    await expect(dialog.getByRole("button", { name: "Delete indicator" })).toHaveCount(0);
    await dialog.getByRole("button", { name: "Close" }).click();

    // The import page answers like a missing one, and the API refuses.
    expect((await page.goto(`${INDICATORS_PATH}/import`))?.status()).toBe(404);
    const refused = await page.request.post(INDICATORS_API, {
      data: { type: "ipv4", value: "198.51.100.1" },
    });
    expect(refused.status()).toBe(403);
    expect(await totalViaApi(page.request)).toBe(SEEDED_INDICATORS);
  });

  test("a responder's add dialog names the field at fault", async ({ page }) => {
    await signInDirect(page, "responder@dwell.example");
    await page.goto(INDICATORS_PATH);
    await page.getByRole("button", { name: "Add indicator" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("combobox", { name: "Type" }).selectOption("ipv4");
    await dialog.getByRole("textbox", { name: "Value" }).fill("10.0.0.300");
    const refused = page.waitForResponse(
      (r) => r.request().method() === "POST" && r.url().endsWith("/indicators"),
    );
    await dialog.getByRole("button", { name: "Add indicator" }).click();
    expect((await refused).status()).toBe(422);
    const value = dialog.getByRole("textbox", { name: "Value" });
    await expect(value).toHaveAttribute("aria-invalid", "true");
    const describedBy = (await value.getAttribute("aria-describedby")) ?? "";
    const error = dialog.locator(`[id="${describedBy.split(" ")[0]}"]`);
    // The message sits under the Value label, so it does not start with "value:" again.
    await expect(error).toHaveText(/^300 is out of range/);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    expect(await totalViaApi(page.request)).toBe(SEEDED_INDICATORS);
  });

  test("an agency user downloads its package and reports a sighting, which counts for it and reaches the responders", async ({
    page,
    browser,
    baseURL,
  }) => {
    await signIn(page, "state@agency.example");
    await expect(page).toHaveURL(/\/portal$/);
    const table = page.getByRole("table", { name: "Indicators shared with your organization" });
    const rows = table.getByTestId("portal-indicator");
    await expect(rows.first()).toBeVisible();
    const shown = await rows.count();

    const packageLinks = page.getByRole("group", { name: "Download indicator package" });
    const stixDownload = page.waitForEvent("download");
    await packageLinks.getByRole("link", { name: "STIX 2.1" }).click();
    const bundle = JSON.parse(await downloadText(await stixDownload)) as StixBundle;
    expect(bundle.type).toBe("bundle");
    expect(bundle.objects.filter((o) => o.type === "indicator")).toHaveLength(shown);
    const csvDownload = page.waitForEvent("download");
    await packageLinks.getByRole("link", { name: "CSV" }).click();
    const csv = await downloadText(await csvDownload);
    expect(csv.split(/\r?\n/)[0]).toContain("value");
    expect(csv).not.toContain("Commerce");

    const row = rows.first();
    const value = (await row.locator("td").nth(1).innerText()).trim();
    const count = row.getByTestId("own-sightings");
    await expect(count).toHaveText("0");
    await row.getByRole("button", { name: `Report a sighting of ${value}` }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("heading", { name: "Report a sighting" })).toBeVisible();
    const location = `E2E mail gateway ${RUN_MARKER}`;
    await dialog.getByLabel("When (UTC)").fill("2023-07-01T10:30");
    await dialog.getByRole("textbox", { name: "Where" }).fill(location);
    await dialog.getByRole("textbox", { name: "Note" }).fill("Blocked at the gateway.");
    const reported = page.waitForResponse(
      (r) => r.request().method() === "POST" && r.url().endsWith("/sightings"),
    );
    await dialog.getByRole("button", { name: "Report sighting" }).click();
    const answer = await reported;
    expect(answer.status()).toBe(201);
    expect(JSON.parse(answer.request().postData() ?? "{}")).toMatchObject({ seenAt: "2023-07-01T10:30:00Z" });
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: "Sighting of" })).toContainText("reported");
    await expect(count).toHaveText("1");
    await page.reload();
    await expect(rows.first().getByTestId("own-sightings")).toHaveText("1");

    // A responder sees it in the indicator's details, with the organization that reported it.
    const staff = await browser.newContext({ baseURL });
    try {
      const responder = await staff.newPage();
      await signInDirect(responder, "responder@dwell.example");
      await responder.goto(`${INDICATORS_PATH}?q=${encodeURIComponent(value)}`);
      await responder
        .getByRole("button", { name: `Details of ${value}` })
        .first()
        .click();
      const details = responder.getByRole("dialog");
      await expect(details).toContainText("Sightings (1)");
      await expect(details).toContainText(STATE_NAME);
      await expect(details).toContainText(location);
      await expect(details).toContainText("1 Jul 2023, 10:30 UTC");
    } finally {
      await staff.close();
    }
  });
});

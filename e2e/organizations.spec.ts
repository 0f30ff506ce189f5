// Affected organizations in a browser: table, filters, who may write, adding, refused moves, bulk results.
// Moves cannot be undone through the API, so after every test the organizations are put back with SQL
// (restoreOrganizations in fixtures.ts): the foundation spec counts the 42 seeded timeline events, and
// every move writes one more.
import { expect, test, type Page } from "@playwright/test";
import {
  createOrganizationViaApi,
  listOrganizationsViaApi,
  moveViaApi,
  organizationByName,
  type OrganizationDto,
  ORGANIZATIONS_API,
  ORGANIZATIONS_PATH,
  type OrganizationsSnapshot,
  restoreOrganizations,
  RUN_MARKER,
  signInDirect,
  snapshotOrganizations,
  STATE_NAME,
  uniqueTitle,
} from "./fixtures";

const SEEDED_ORGANIZATIONS = 23;

const rows = (page: Page) => page.getByTestId("organization-row");
const row = (page: Page, name: string) =>
  rows(page).filter({ has: page.getByRole("rowheader", { name, exact: false }) });
const filters = (page: Page) => page.getByRole("form", { name: "Filter organizations" });

/** Submits the filter form with these fields set and waits for the page it navigates to. */
async function applyFilters(
  page: Page,
  fields: { state?: string; kind?: string; deadline?: string; q?: string },
) {
  const form = filters(page);
  if (fields.state !== undefined)
    await form.getByRole("combobox", { name: "State", exact: true }).selectOption(fields.state);
  if (fields.kind !== undefined)
    await form.getByRole("combobox", { name: "Kind", exact: true }).selectOption(fields.kind);
  if (fields.deadline !== undefined)
    await form.getByRole("combobox", { name: "Deadline", exact: true }).selectOption(fields.deadline);
  if (fields.q !== undefined)
    await form.getByRole("searchbox", { name: "Search", exact: true }).fill(fields.q);
  await form.getByRole("button", { name: "Apply" }).click();
}

/** A row's cell under the column headed `header` (the table has a select column only for writers). */
async function cell(page: Page, rowLocator: ReturnType<typeof rows>, header: string) {
  // textContent: the headers are upper-cased by CSS, which innerText would apply.
  const headers = (await page.locator("thead th").allTextContents()).map((text) => text.trim());
  const index = headers.indexOf(header);
  expect(index, `column ${header} in ${headers.join(", ")}`).toBeGreaterThanOrEqual(0);
  return rowLocator.locator(":scope > td, :scope > th").nth(index);
}

async function rowNames(page: Page): Promise<string[]> {
  const names = await rows(page).getByRole("rowheader").allInnerTexts();
  // The row header holds the name, then kind and sector on a line of their own.
  return names.map((text) => text.split("\n")[0]?.trim() ?? "");
}

let snapshot: OrganizationsSnapshot;

test.describe("affected organizations", () => {
  test.beforeAll(async () => {
    snapshot = await snapshotOrganizations();
    expect(snapshot.organizations).toHaveLength(SEEDED_ORGANIZATIONS);
  });

  // Runs after a failure or a timeout too, so the next test (and the next spec) finds the seed.
  test.afterEach(async () => {
    await restoreOrganizations(snapshot);
  });

  test("a responder sees every seeded organization with its state, deadline and last move", async ({
    page,
  }) => {
    await signInDirect(page, "responder@dwell.example");
    await page.goto(ORGANIZATIONS_PATH);
    await expect(page.getByRole("heading", { name: "Affected organizations" })).toBeVisible();
    await expect(rows(page)).toHaveCount(SEEDED_ORGANIZATIONS);

    // Each row says what the API says about that organization.
    const organizations = await listOrganizationsViaApi(page.request);
    expect(organizations).toHaveLength(SEEDED_ORGANIZATIONS);
    expect(await rowNames(page)).toEqual(organizations.map((org) => org.name));
    for (const [index, org] of organizations.entries()) {
      const line = rows(page).nth(index);
      await expect(await cell(page, line, "State")).toHaveText(org.notificationState);
      await expect(await cell(page, line, "Deadline")).toContainText(org.deadline.status);
      expect(org.lastMove, org.name).not.toBeNull();
      await expect(await cell(page, line, "Last move")).toContainText(org.lastMove?.to ?? "");
    }

    // State, concretely: notified by Microsoft on 28 June 2023, 12 days after it was found affected
    // (16 June) against a 72-hour deadline.
    const state = row(page, STATE_NAME);
    await expect(await cell(page, state, "State")).toHaveText("notified");
    await expect(await cell(page, state, "Deadline")).toContainText("missed");
    await expect(await cell(page, state, "Last move")).toContainText("notified 28 Jun 2023");
    await expect(await cell(page, state, "Last move")).toContainText("Microsoft");
  });

  test("filters live in the URL and narrow the rows", async ({ page }) => {
    await signInDirect(page, "responder@dwell.example");
    await page.goto(ORGANIZATIONS_PATH);
    await expect(rows(page)).toHaveCount(SEEDED_ORGANIZATIONS);

    await applyFilters(page, { kind: "think_tank" });
    await expect(page).toHaveURL(/[?&]kind=think_tank(&|$)/);
    await expect(rows(page)).toHaveCount(3);
    expect(await rowNames(page)).toEqual([
      "Undisclosed think tank 1",
      "Undisclosed think tank 2",
      "Undisclosed think tank 3",
    ]);

    await page.goto(ORGANIZATIONS_PATH);
    await applyFilters(page, { q: "commerce" });
    await expect(page).toHaveURL(/[?&]q=commerce(&|$)/);
    await expect(rows(page)).toHaveCount(1);
    expect(await rowNames(page)).toEqual(["U.S. Department of Commerce"]);

    // Every seeded organization was notified, some after their deadline: "missed" is a strict subset.
    const missed = await listOrganizationsViaApi(page.request, { deadline: "missed" });
    expect(missed.length).toBeGreaterThan(0);
    expect(missed.length).toBeLessThan(SEEDED_ORGANIZATIONS);
    await page.goto(ORGANIZATIONS_PATH);
    await applyFilters(page, { deadline: "missed" });
    await expect(page).toHaveURL(/[?&]deadline=missed(&|$)/);
    await expect(rows(page)).toHaveCount(missed.length);
    expect(await rowNames(page)).toEqual(missed.map((org) => org.name));

    // Filters combine, and a state nobody is in leaves an explained empty table.
    await page.goto(ORGANIZATIONS_PATH);
    await applyFilters(page, { kind: "government", q: "department" });
    await expect(page).toHaveURL(/kind=government/);
    await expect(page).toHaveURL(/q=department/);
    await expect(rows(page)).toHaveCount(2);
    expect(await rowNames(page)).toEqual(["U.S. Department of Commerce", STATE_NAME]);
    await applyFilters(page, { state: "pending", kind: "", q: "" });
    await expect(page).toHaveURL(/[?&]state=pending(&|$)/);
    await expect(rows(page)).toHaveCount(0);
    await expect(page.getByText("No organization matches these filters")).toBeVisible();

    // The same filters answer the same rows when the URL is opened directly, and Reset clears them.
    await page.goto(`${ORGANIZATIONS_PATH}?state=notified&kind=government`);
    await expect(rows(page)).toHaveCount(3);
    // A bad value in the URL is named and dropped; the good one still applies.
    await page.goto(`${ORGANIZATIONS_PATH}?state=lost&kind=government`);
    await expect(page.getByRole("alert").filter({ hasText: "Some filters were not applied" })).toContainText(
      "state",
    );
    await expect(rows(page)).toHaveCount(3);
    await filters(page).getByRole("link", { name: "Reset" }).click();
    await expect(page).toHaveURL(new RegExp(`${ORGANIZATIONS_PATH}$`));
    await expect(rows(page)).toHaveCount(SEEDED_ORGANIZATIONS);
  });

  test("an executive reads the table but cannot add organizations or record moves", async ({ page }) => {
    await signInDirect(page, "executive@dwell.example");
    await page.goto(ORGANIZATIONS_PATH);
    await expect(rows(page)).toHaveCount(SEEDED_ORGANIZATIONS);
    await expect(await cell(page, row(page, STATE_NAME), "State")).toHaveText("notified");
    await expect(page.getByRole("button", { name: "Add organization" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Record (a )?move/ })).toHaveCount(0);
    await expect(page.getByRole("checkbox")).toHaveCount(0);
    // History is reading, which an executive may do.
    await expect(page.getByRole("button", { name: `History of ${STATE_NAME}` })).toBeVisible();

    // The server refuses whatever the page shows.
    const state = await organizationByName(page.request, STATE_NAME);
    const move = { to: "delivered", at: new Date().toISOString(), version: state.version };
    const single = await page.request.post(`${ORGANIZATIONS_API}/${state.id}/notification`, { data: move });
    expect(single.status()).toBe(403);
    expect((await single.json()).error.code).toBe("forbidden");
    const bulk = await page.request.post(`${ORGANIZATIONS_API}/notifications`, {
      data: { moves: [{ ...move, organizationId: state.id }] },
    });
    expect(bulk.status()).toBe(403);
    const add = await page.request.post(ORGANIZATIONS_API, {
      data: { name: uniqueTitle("E2E Agency"), kind: "government" },
    });
    expect(add.status()).toBe(403);
    expect((await organizationByName(page.request, STATE_NAME)).version).toBe(state.version);
  });

  test("a duplicate name gets the 409 message; a new organization starts pending with 72 hours on the clock", async ({
    page,
  }) => {
    await signInDirect(page, "responder@dwell.example");
    await page.goto(ORGANIZATIONS_PATH);
    await page.getByRole("button", { name: "Add organization" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("heading", { name: "Add an affected organization" })).toBeVisible();

    // Names are unique per incident whatever their case.
    await dialog.getByRole("textbox", { name: /^Name\b/ }).fill(STATE_NAME.toLowerCase());
    const refused = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === ORGANIZATIONS_API,
    );
    await dialog.getByRole("button", { name: "Add organization" }).click();
    expect((await refused).status()).toBe(409);
    await expect(dialog.getByRole("alert").first()).toHaveText(
      `An organization named ${STATE_NAME} already exists in this incident.`,
    );

    const name = uniqueTitle("E2E Agency");
    await dialog.getByRole("textbox", { name: /^Name\b/ }).fill(name);
    await dialog.getByRole("textbox", { name: "Sector", exact: true }).fill("Testing");
    const created = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === ORGANIZATIONS_API,
    );
    await dialog.getByRole("button", { name: "Add organization" }).click();
    expect((await created).status()).toBe(201);
    await expect(dialog).toBeHidden();

    const added = row(page, name);
    await expect(added).toBeVisible();
    await expect(await cell(page, added, "State")).toHaveText("pending");
    const deadline = await cell(page, added, "Deadline");
    await expect(deadline).toContainText("on time");
    // 72 hours less the seconds since it was determined affected (this minute).
    await expect(deadline).toContainText("≈ 3 days left");
    await expect(await cell(page, added, "Last move")).toHaveText("none yet");
    await expect(rows(page)).toHaveCount(SEEDED_ORGANIZATIONS + 1);

    const stored = await organizationByName(page.request, name);
    expect(stored).toMatchObject({ notificationState: "pending", version: 1, lastMove: null });
    expect(stored.deadline).toMatchObject({ hours: 72, status: "on time" });
    expect(Date.parse(stored.deadline.dueAt) - Date.parse(stored.determinedAffectedAt)).toBe(72 * 3_600_000);
  });

  test("only allowed moves are offered; the API refuses others and moves dated in the future", async ({
    page,
  }) => {
    await signInDirect(page, "responder@dwell.example");
    const fresh = await createOrganizationViaApi(page.request, uniqueTitle("E2E Agency"));
    await page.goto(ORGANIZATIONS_PATH);

    const offered = async (name: string) => {
      await page.getByRole("button", { name: `Record a move for ${name}`, exact: true }).click();
      const dialog = page.getByRole("dialog");
      await expect(dialog.getByRole("heading", { name: `Record a move: ${name}` })).toBeVisible();
      const options = await dialog
        .getByRole("combobox", { name: "Move to" })
        .locator("option")
        .allInnerTexts();
      await dialog.getByRole("button", { name: "Close" }).click();
      await expect(dialog).toBeHidden();
      return options;
    };
    expect(await offered(fresh.name)).toEqual(["notified"]);
    expect(await offered(STATE_NAME)).toEqual(["delivered", "acknowledged", "failed"]);

    // Through the API, an illegal move is refused with the allowed ones named.
    const illegal = await page.request.post(`${ORGANIZATIONS_API}/${fresh.id}/notification`, {
      data: { to: "acknowledged", at: new Date().toISOString(), version: fresh.version },
    });
    expect(illegal.status()).toBe(422);
    const illegalError = (await illegal.json()).error;
    expect(illegalError.code).toBe("illegal_move");
    expect(illegalError.message).toBe(`${fresh.name} is pending; from pending it can move to notified.`);
    expect(illegalError.details[0]).toMatchObject({
      field: "to",
      message: "from pending the allowed moves are notified",
    });

    const state = await organizationByName(page.request, STATE_NAME);
    const backwards = await page.request.post(`${ORGANIZATIONS_API}/${state.id}/notification`, {
      data: { to: "pending", at: new Date().toISOString(), version: state.version },
    });
    expect(backwards.status()).toBe(422);
    expect((await backwards.json()).error.message).toBe(
      `${STATE_NAME} is notified; from notified it can move to delivered, acknowledged or failed.`,
    );

    // A legal move dated an hour ahead is refused on `at` (beyond the 5 minutes of clock skew).
    const future = await page.request.post(`${ORGANIZATIONS_API}/${fresh.id}/notification`, {
      data: { to: "notified", at: new Date(Date.now() + 3_600_000).toISOString(), version: fresh.version },
    });
    expect(future.status()).toBe(422);
    const futureError = (await future.json()).error;
    expect(futureError.details).toHaveLength(1);
    expect(futureError.details[0].field).toBe("at");
    expect(futureError.details[0].message).toContain("in the future");

    // None of the refusals changed anything.
    expect(await organizationByName(page.request, fresh.name)).toMatchObject({
      notificationState: "pending",
      version: 1,
    });
    expect(await organizationByName(page.request, STATE_NAME)).toMatchObject({
      notificationState: "notified",
      version: state.version,
    });
  });

  test("a bulk move answers for each organization: one recorded, one refused with its reason", async ({
    page,
  }) => {
    await signInDirect(page, "responder@dwell.example");
    // Names sort A before B, so A (pending) is the first selected and its move, notified, is offered.
    const pending = await createOrganizationViaApi(page.request, uniqueTitle("E2E Bulk A"));
    let notified: OrganizationDto = await createOrganizationViaApi(page.request, uniqueTitle("E2E Bulk B"));
    notified = await moveViaApi(page.request, notified, "notified");
    expect(notified.notificationState).toBe("notified");

    // Only this test's organizations, so the selection is exactly the two.
    await page.goto(`${ORGANIZATIONS_PATH}?q=${encodeURIComponent(RUN_MARKER)}`);
    await expect(rows(page)).toHaveCount(2);
    await page.getByRole("checkbox", { name: `Select ${pending.name}` }).check();
    await page.getByRole("checkbox", { name: `Select ${notified.name}` }).check();
    await page.getByRole("button", { name: "Record a move for 2 selected" }).click();

    const dialog = page.getByRole("dialog");
    await expect(
      dialog.getByRole("heading", { name: "Record a move for several organizations" }),
    ).toBeVisible();
    await expect(dialog).toContainText("These organizations share no allowed move");
    await dialog.getByRole("combobox", { name: "Move to" }).selectOption("notified");
    await dialog.getByRole("textbox", { name: "Note", exact: true }).fill("Bulk notice by email");
    const sent = page.waitForResponse(
      (r) =>
        r.request().method() === "POST" && new URL(r.url()).pathname === `${ORGANIZATIONS_API}/notifications`,
    );
    await dialog.getByRole("button", { name: "Record for 2" }).click();
    expect((await sent).status()).toBe(200);

    await expect(dialog.getByRole("status")).toHaveText("1 of 2 recorded.");
    const results = dialog.getByRole("listitem");
    await expect(results).toHaveCount(2);
    await expect(results.filter({ hasText: pending.name })).toContainText("recorded");
    await expect(results.filter({ hasText: notified.name })).toContainText(
      `${notified.name} is notified; from notified it can move to delivered, acknowledged or failed.`,
    );

    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();
    await expect(await cell(page, row(page, pending.name), "State")).toHaveText("notified");
    expect(await organizationByName(page.request, pending.name)).toMatchObject({
      notificationState: "notified",
      version: 2,
      lastMove: { to: "notified", channel: "email" },
    });
    // The refused one is untouched: still at the version its own move gave it.
    expect(await organizationByName(page.request, notified.name)).toMatchObject({
      notificationState: "notified",
      version: notified.version,
    });
  });
});

// The agency portal: State sees and acknowledges a responder's move; Commerce never learns State exists.
// Moves cannot be undone through the API, so after every test the organizations are put back with SQL
// (restoreOrganizations in fixtures.ts): other specs count the 42 seeded timeline events and expect
// State to be `notified`, as seeded.
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  COMMERCE_NAME,
  INCIDENT,
  listOrganizationsViaApi,
  moveViaApi,
  organizationByName,
  ORGANIZATIONS_API,
  ORGANIZATIONS_PATH,
  type OrganizationsSnapshot,
  PORTAL_API,
  restoreOrganizations,
  signIn,
  signInDirect,
  snapshotOrganizations,
  STATE_NAME,
  uniqueTitle,
} from "./fixtures";

/** Someone else, in a browser context of their own (own cookies). */
async function openAs(browser: Browser, baseURL: string | undefined, email: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

const stateRow = (page: Page) =>
  page.getByTestId("organization-row").filter({ has: page.getByRole("rowheader", { name: STATE_NAME }) });

let snapshot: OrganizationsSnapshot;

test.describe("the agency portal", () => {
  test.beforeAll(async () => {
    snapshot = await snapshotOrganizations();
  });

  // Runs after a failure or a timeout too, so State is `notified` again with its seeded history.
  test.afterEach(async () => {
    await restoreOrganizations(snapshot);
  });

  test("a responder records State's delivery, State acknowledges it in the portal, and the responder sees it", async ({
    page,
    browser,
    baseURL,
  }) => {
    const note = uniqueTitle("Delivered to the State CISO's office");
    await signInDirect(page, "responder@dwell.example");
    expect((await organizationByName(page.request, STATE_NAME)).notificationState, "as seeded").toBe(
      "notified",
    );

    // The responder records the move from the table.
    await page.goto(ORGANIZATIONS_PATH);
    await page.getByRole("button", { name: `Record a move for ${STATE_NAME}`, exact: true }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("heading", { name: `Record a move: ${STATE_NAME}` })).toBeVisible();
    await dialog.getByRole("combobox", { name: "Move to" }).selectOption("delivered");
    await dialog.getByRole("textbox", { name: "Note", exact: true }).fill(note);
    const recorded = page.waitForResponse(
      (r) => r.request().method() === "POST" && r.url().endsWith("/notification"),
    );
    await dialog.getByRole("button", { name: "Record move", exact: true }).click();
    expect((await recorded).status()).toBe(200);
    await expect(dialog).toBeHidden();
    await expect(stateRow(page)).toContainText("delivered");

    const agency = await openAs(browser, baseURL, "state@agency.example");
    try {
      const portal = agency.page;
      await expect(portal).toHaveURL(/\/portal$/);
      await expect(portal.getByRole("heading", { level: 1 })).toHaveText(STATE_NAME);
      const notification = portal.getByRole("region", { name: "Your notification" });
      await expect(notification).toContainText("State: delivered");

      // Its history shows the seeded notice and the new delivery with the responder's note; the
      // move's timeline event (AMBER, linked to State only) is on its timeline.
      const history = portal.getByRole("region", { name: "Notification history" });
      await expect(history).toContainText(note);
      await expect(history.getByRole("listitem")).toHaveCount(2);
      await expect(history.getByRole("listitem").last()).toContainText("delivered");
      await expect(history.getByRole("listitem").last()).toContainText("via email");
      const moveEvent = portal
        .getByTestId("timeline-event")
        .filter({ hasText: `${STATE_NAME}: delivered (email)` });
      await expect(moveEvent).toHaveCount(1);
      await expect(moveEvent).toContainText("AMBER");

      // The responder's table is open while State acknowledges: it follows live.
      await page.goto(ORGANIZATIONS_PATH);
      await expect(stateRow(page)).toContainText("delivered");

      const acknowledged = portal.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === `${PORTAL_API}/notification`,
      );
      await notification.getByRole("button", { name: "Acknowledge receipt" }).click();
      expect((await acknowledged).status()).toBe(200);
      await expect(notification).toContainText("State: acknowledged");
      await expect(portal.getByRole("button", { name: "Confirm remediation" })).toBeVisible();
      await expect(portal.getByRole("button", { name: "Acknowledge receipt" })).toHaveCount(0);

      await expect(stateRow(page)).toContainText("acknowledged");
      await page.reload();
      await expect(stateRow(page)).toContainText("acknowledged");
      await expect(stateRow(page)).toContainText("portal");

      const state = await organizationByName(page.request, STATE_NAME);
      expect(state).toMatchObject({
        notificationState: "acknowledged",
        lastMove: { to: "acknowledged", channel: "portal" },
      });
    } finally {
      await agency.context.close();
    }
  });

  test("Commerce never sees State, nor any other organization, anywhere it can look", async ({
    page,
    browser,
    baseURL,
  }) => {
    // A fresh move for State, with a note only State should ever read, so there is something recent to leak.
    const secret = uniqueTitle("State-only note");
    await signInDirect(page, "responder@dwell.example");
    const organizations = await listOrganizationsViaApi(page.request);
    const state = await organizationByName(page.request, STATE_NAME);
    await moveViaApi(page.request, state, "delivered", { note: secret });
    const others = organizations.filter((org) => org.name !== COMMERCE_NAME);
    expect(others).toHaveLength(22);
    expect(others.map((org) => org.name)).toContain(STATE_NAME);
    const forbiddenWords = ["Department of State", secret, ...others.map((org) => org.name)];
    const forbiddenIds = others.map((org) => org.id);

    const commerce = await openAs(browser, baseURL, "commerce@agency.example");
    try {
      const portal = commerce.page;
      await expect(portal).toHaveURL(/\/portal$/);
      await expect(portal.getByRole("heading", { level: 1 })).toHaveText(COMMERCE_NAME);
      await expect(portal.getByTestId("timeline-event").first()).toBeVisible();

      // What the page shows, section by section (timeline and indicators included), and what it ships
      // (the HTML with its embedded server-component payload).
      const shown = {
        page: await portal.locator("body").innerText(),
        timeline: (await portal.getByTestId("timeline-event").allInnerTexts()).join("\n"),
        indicators: await portal
          .getByRole("table", { name: "Indicators shared with your organization" })
          .innerText(),
        html: await (await portal.request.get("/portal")).text(),
      };
      const view = await portal.request.get(PORTAL_API);
      expect(view.status()).toBe(200);
      const json = await view.text();
      const body = JSON.parse(json) as {
        organization: { id: string; name: string };
        events: { organizations: { id: string; name: string }[] }[];
      };
      expect(body.organization.name).toBe(COMMERCE_NAME);
      for (const event of body.events) {
        for (const link of event.organizations) expect(link.name).toBe(COMMERCE_NAME);
      }
      // The captures are the real thing: each names Commerce itself.
      for (const [where, text] of Object.entries({ page: shown.page, html: shown.html, json })) {
        expect(text, where).toContain(COMMERCE_NAME);
      }
      for (const [where, text] of Object.entries({ ...shown, json })) {
        for (const word of [...forbiddenWords, ...forbiddenIds]) {
          expect(text.includes(word), `${where} must not contain "${word}"`).toBe(false);
        }
      }

      // Asking for State through any path Commerce can reach answers exactly as for an id that was
      // never an organization: the same status (403 or 404) and the same error.
      const random = crypto.randomUUID();
      const answer = async (
        method: "GET" | "POST",
        path: (id: string) => string,
        data?: (id: string) => object,
        statuses = [403, 404],
      ) => {
        const result = [];
        for (const id of [state.id, random]) {
          const response =
            method === "GET"
              ? await portal.request.get(path(id))
              : await portal.request.post(path(id), { data: data?.(id) ?? {} });
          const text = await response.text();
          const parsed = JSON.parse(text) as { error?: { code: string; message: string; details?: unknown } };
          // The request id differs on every answer; everything else must not.
          result.push({ status: response.status(), error: { ...parsed.error, requestId: undefined }, text });
        }
        const [forState, forRandom] = result as [(typeof result)[number], (typeof result)[number]];
        expect(statuses, path(state.id)).toContain(forState.status);
        expect(forState.status, path(state.id)).toBe(forRandom.status);
        expect(forState.error, path(state.id)).toEqual(forRandom.error);
        expect(forState.text.includes(STATE_NAME), path(state.id)).toBe(false);
      };
      const byIncident = `/api/v1/incidents/${INCIDENT}`;
      await answer("GET", (id) => `${ORGANIZATIONS_API}/${id}`);
      await answer("GET", (id) => `/api/v1/incidents/${state.incidentId}/organizations/${id}`);
      await answer("GET", (id) => `${byIncident}/events?org=${id}`);
      await answer("GET", (id) => `${byIncident}/indicators/export?format=csv&organization=${id}`);
      await answer("GET", (id) => `${byIncident}/metrics?organization=${id}`);
      await answer(
        "POST",
        (id) => `${ORGANIZATIONS_API}/${id}/notification`,
        () => ({ to: "acknowledged", at: new Date().toISOString(), version: state.version + 1 }),
      );
      await answer(
        "POST",
        () => `${PORTAL_API}/notification`,
        (id) => ({ to: "acknowledged", version: state.version + 1, organizationId: id }),
        // The body may not name an organization at all: refused as a field, whichever it names.
        [422],
      );
      // The portal's own view takes no organization: naming State changes nothing.
      const withState = await portal.request.get(`${PORTAL_API}?organization=${state.id}`);
      expect(withState.status()).toBe(200);
      expect(((await withState.json()) as typeof body).organization.name).toBe(COMMERCE_NAME);
      // Staff pages answer 404 for an agency user, whatever they name.
      expect((await portal.goto(`${ORGANIZATIONS_PATH}`))?.status()).toBe(404);

      // And State's move is still as the responder left it: Commerce's refused attempts changed nothing.
      expect(await organizationByName(page.request, STATE_NAME)).toMatchObject({
        notificationState: "delivered",
        version: state.version + 1,
      });
    } finally {
      await commerce.context.close();
    }
  });
});

// User administration end to end: an admin creates an agency user bound to State who then signs in;
// disabling ends that user's open session at its next request; a password reset makes the user choose
// a new password before anything else; and repeated wrong passwords are refused with 429 and
// Retry-After, the same for an account that does not exist.
import { randomUUID } from "node:crypto";
import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
  type Page,
} from "@playwright/test";
import { RUN_MARKER, signIn, signInDirect, STATE_NAME, withE2eClient } from "./fixtures";

const run = randomUUID().slice(0, 8);
const AGENCY_EMAIL = `analyst-${run}@users-e2e.example`;
const GHOST_EMAIL = `ghost-${run}@users-e2e.example`;
const FIRST_PASSWORD = "an agency passphrase for the test";
const CHOSEN_PASSWORD = "the password this user chose later";
let baseURL = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(({}, testInfo) => {
  baseURL = String(testInfo.project.use.baseURL ?? "");
});

test.afterAll(async () => {
  await withE2eClient(async (client) => {
    await client.query("DELETE FROM app_user WHERE email = $1", [AGENCY_EMAIL]);
    await client.query("DELETE FROM login_attempt WHERE email = ANY($1::text[])", [
      [AGENCY_EMAIL, GHOST_EMAIL],
    ]);
  });
});

/** A credentials sign-in as the form makes it, from a given client address. */
async function postCredentials(context: APIRequestContext, email: string, password: string, address: string) {
  const csrf = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return context.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password, callbackUrl: `${baseURL}/`, json: "true" },
    headers: { "x-forwarded-for": address },
    maxRedirects: 0,
  });
}

async function rowOf(page: Page, email: string) {
  const row = page.getByRole("row", { name: email });
  await expect(row).toBeVisible();
  return row;
}

test("an admin creates an agency user bound to State, who signs in to State's portal", async ({
  page,
  browser,
}) => {
  await signIn(page, "admin@dwell.example");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "New user" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New user" });
  await dialog.getByLabel("Email").fill("admin@dwell.example");
  await dialog.getByLabel("Name").fill("State analyst");
  await dialog.getByLabel("Role").selectOption("agency");
  const organization = dialog.getByLabel("Organization");
  const stateValue = await organization
    .locator("option", { hasText: STATE_NAME })
    .first()
    .getAttribute("value");
  await organization.selectOption(stateValue ?? "");
  await dialog.getByLabel("Password", { exact: true }).fill("qwerty123456");
  await dialog.getByLabel(/Ask for a new password/).uncheck();
  await dialog.getByRole("button", { name: "Create user" }).click();
  // The weak password is named under its field; nothing is stored.
  await expect(dialog.getByLabel("Password", { exact: true })).toHaveAccessibleDescription(
    /is too common or publicly known; choose another/,
  );

  await dialog.getByLabel("Password", { exact: true }).fill(FIRST_PASSWORD);
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog.getByLabel("Email")).toHaveAccessibleDescription("is already taken");

  await dialog.getByLabel("Email").fill(AGENCY_EMAIL);
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog).toBeHidden();
  const row = await rowOf(page, AGENCY_EMAIL);
  await expect(row).toContainText(STATE_NAME);
  await expect(row).toContainText("Enabled");

  const context = await browser.newContext();
  try {
    const agency = await context.newPage();
    await signIn(agency, AGENCY_EMAIL, FIRST_PASSWORD);
    await expect(agency).toHaveURL(/\/portal$/);
    await expect(agency.getByRole("main")).toContainText(STATE_NAME);
    // Not an admin: the user pages and API are refused.
    expect((await agency.request.get("/api/v1/users")).status()).toBe(403);
    expect((await agency.goto("/admin/users"))?.status()).toBe(404);
  } finally {
    await context.close();
  }
});

test("disabling a user ends its open session at the next request; enabling lets it sign in again", async ({
  page,
  browser,
}) => {
  const context = await browser.newContext();
  try {
    const agency = await context.newPage();
    await signIn(agency, AGENCY_EMAIL, FIRST_PASSWORD);
    await expect(agency).toHaveURL(/\/portal$/);

    await signInDirect(page, "admin@dwell.example");
    await page.goto("/admin/users");
    await (await rowOf(page, AGENCY_EMAIL)).getByRole("button", { name: `Disable ${AGENCY_EMAIL}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disable user" }).click();
    await expect(await rowOf(page, AGENCY_EMAIL)).toContainText("Disabled");

    expect((await agency.request.get("/api/v1/portal")).status()).toBe(401);
    await agency.reload();
    await expect(agency).toHaveURL(/\/login/);

    await (await rowOf(page, AGENCY_EMAIL)).getByRole("button", { name: `Enable ${AGENCY_EMAIL}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Enable user" }).click();
    await expect(await rowOf(page, AGENCY_EMAIL)).toContainText("Enabled");
    await signIn(agency, AGENCY_EMAIL, FIRST_PASSWORD);
    await expect(agency).toHaveURL(/\/portal$/);
  } finally {
    await context.close();
  }
});

test("after a reset the user must choose a new password before anything else", async ({ page, browser }) => {
  await signInDirect(page, "admin@dwell.example");
  await page.goto("/admin/users");
  await (
    await rowOf(page, AGENCY_EMAIL)
  )
    .getByRole("button", { name: `Reset password of ${AGENCY_EMAIL}` })
    .click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Reset password" }).click();
  const temporary = (await dialog.getByLabel("Temporary password").textContent())?.trim() ?? "";
  expect(temporary).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(await rowOf(page, AGENCY_EMAIL)).toContainText("Must change password");

  const context = await browser.newContext();
  try {
    const agency = await context.newPage();
    // The old password no longer works.
    await agency.goto("/login");
    await agency.getByLabel("Email").fill(AGENCY_EMAIL);
    await agency.getByLabel("Password").fill(FIRST_PASSWORD);
    await agency.getByRole("button", { name: "Sign in" }).click();
    await expect(agency.locator("form").getByRole("alert")).toHaveText("Email or password is incorrect.");

    await signIn(agency, AGENCY_EMAIL, temporary);
    await expect(agency).toHaveURL(/\/account\/password$/);
    await expect(agency.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    // Every other page sends the user back here, and the API refuses with password_change_required.
    await agency.goto("/portal");
    await expect(agency).toHaveURL(/\/account\/password$/);
    const api = await agency.request.get("/api/v1/portal");
    expect(api.status()).toBe(403);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("password_change_required");

    await agency.getByLabel("Temporary password").fill(temporary);
    await agency.getByLabel("New password", { exact: true }).fill("state-analyst-1234");
    await agency.getByLabel("Repeat the new password").fill("state-analyst-1234");
    await agency.getByRole("button", { name: "Change password" }).click();
    await expect(agency.getByLabel("New password", { exact: true })).toHaveAccessibleDescription(
      /must not contain the name part of the email address/,
    );

    await agency.getByLabel("New password", { exact: true }).fill(CHOSEN_PASSWORD);
    await agency.getByLabel("Repeat the new password").fill(CHOSEN_PASSWORD);
    await agency.getByRole("button", { name: "Change password" }).click();
    // Still signed in (signed in again with the new password), and free to go anywhere.
    await expect(agency).toHaveURL(/\/portal$/);
    await expect(agency.getByRole("main")).toContainText(STATE_NAME);
    expect((await agency.request.get("/api/v1/portal")).status()).toBe(200);
  } finally {
    await context.close();
  }
  await page.reload();
  await expect(await rowOf(page, AGENCY_EMAIL)).not.toContainText("Must change password");
});

test("six wrong passwords: the sixth is refused with 429 and Retry-After, for unknown accounts too", async ({
  page,
}) => {
  const address = `203.0.113.${(Date.now() % 200) + 20}`;
  const context = await playwrightRequest.newContext({ baseURL });
  try {
    for (const email of [AGENCY_EMAIL, GHOST_EMAIL]) {
      for (let i = 0; i < 5; i += 1) {
        const response = await postCredentials(context, email, `wrong password ${RUN_MARKER}`, address);
        expect(response.status(), `attempt ${i + 1} for ${email}`).toBe(401);
      }
      const sixth = await postCredentials(context, email, `wrong password ${RUN_MARKER}`, address);
      expect(sixth.status()).toBe(429);
      const retryAfter = Number(sixth.headers()["retry-after"]);
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      const body = (await sixth.json()) as { error: { code: string; message: string } };
      expect(body.error).toMatchObject({
        code: "rate_limited",
        message: "Too many sign-in attempts. Try again in 15 minutes.",
      });
    }
    // Even the right password waits, and the sign-in page says for how long.
    expect((await postCredentials(context, AGENCY_EMAIL, CHOSEN_PASSWORD, address)).status()).toBe(429);
    await page.goto("/login");
    await page.getByLabel("Email").fill(AGENCY_EMAIL);
    await page.getByLabel("Password").fill(CHOSEN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText(
      /^Too many sign-in attempts\. Try again in 1[45] minutes\.$/,
    );
    await expect(page).toHaveURL(/\/login/);
  } finally {
    await context.dispose();
  }
});

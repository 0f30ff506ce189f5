// API tokens end to end: a responder creates one on the settings page (the secret shown once, copied),
// uses it with no cookies to read and write through the API, and revokes it on the page, after which
// the next call is refused. A read-only token is refused writes; a disabled user's token is refused on
// its next request; a token never opens a page, and a bad bearer is refused even beside a cookie.
import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
  type Page,
} from "@playwright/test";
import {
  eventBody,
  type EventDto,
  EVENTS_API,
  INCIDENT,
  RUN_MARKER,
  signIn,
  signInDirect,
  signInRequestContext,
  uniqueTitle,
  withE2eClient,
} from "./fixtures";

const TOKENS_PATH = "/settings/tokens";
const TOKENS_API = "/api/v1/tokens";
const SCRATCH_EMAIL = `tokens-${RUN_MARKER}@dwell.example`;

let tokenNames = 0;
const tokenName = (label: string) => `${label} ${RUN_MARKER}-${++tokenNames}`;

/** A request context that sends only the bearer token: no cookie jar is ever filled. */
function bearerContext(baseURL: string | undefined, secret: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
}

async function errorOf(response: Awaited<ReturnType<APIRequestContext["get"]>>) {
  return (
    (await response.json()) as { error: { code: string; message: string; details?: { field?: string }[] } }
  ).error;
}

/** Creates a token on the settings page and answers its secret, read from the one-time panel. */
async function createTokenInUi(
  page: Page,
  name: string,
  options: { readOnly?: boolean } = {},
): Promise<string> {
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Expires").selectOption({ label: "in 7 days" });
  if (options.readOnly) await page.getByLabel("Read-only").check();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("heading", { name: `Token “${name}” created` })).toBeVisible();
  await expect(page.getByText("Copy it now: it will not be shown again.")).toBeVisible();
  const secret = await page.getByLabel("New API token").inputValue();
  expect(secret).toMatch(/^dwell_[A-Za-z0-9_-]{43}$/);
  return secret;
}

test.afterAll(async () => {
  await withE2eClient((client) => client.query("DELETE FROM app_user WHERE email = $1", [SCRATCH_EMAIL]));
});

test("a responder creates a token, uses it without cookies, and revokes it on the page", async ({
  page,
  baseURL,
}) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await signIn(page, "responder@dwell.example");
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page).toHaveURL(/\/settings\/tokens$/);
  await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();

  const name = tokenName("SIEM export");
  const secret = await createTokenInUi(page, name);
  await page.getByRole("button", { name: "Copy", exact: true }).click();
  await expect(page.getByText("Copied to the clipboard.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const row = page.getByRole("row", { name: `Token ${name}` });
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).toContainText("Read and write");
  await expect(row).toContainText("active");
  await expect(row).toContainText("never"); // not used yet

  // Once dismissed (or after a reload), the secret is nowhere on the page.
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByLabel("New API token")).toHaveCount(0);
  await page.reload();
  expect(await page.content()).not.toContain(secret);

  const api = await bearerContext(baseURL, secret);
  const title = uniqueTitle("Token-written event");
  try {
    const list = await api.get(`${EVENTS_API}?limit=5`);
    expect(list.status(), await list.text()).toBe(200);
    const page1 = (await list.json()) as { items: unknown[]; nextCursor: string | null };
    expect(page1.items.length).toBeGreaterThan(0);
    expect((await api.storageState()).cookies).toEqual([]);

    const created = await api.post(EVENTS_API, { data: eventBody(title) });
    expect(created.status(), await created.text()).toBe(201);
    const event = (await created.json()) as EventDto;
    expect(event.title).toBe(title);

    // The token lists its owner's tokens (the secret never again) but cannot open a page.
    const tokens = await api.get(TOKENS_API);
    expect(tokens.status()).toBe(200);
    const listed = await tokens.text();
    expect(listed).toContain(name);
    expect(listed).not.toContain(secret);
    const pageAnswer = await api.get(`/incidents/${INCIDENT}/timeline`, { maxRedirects: 0 });
    expect(pageAnswer.status()).toBe(307);
    expect(new URL(pageAnswer.headers()["location"] ?? "", baseURL).pathname).toBe("/login");

    // Nor may it mint another token.
    const mint = await api.post(TOKENS_API, { data: { name: tokenName("minted") } });
    expect(mint.status()).toBe(403);

    const removed = await api.delete(`${EVENTS_API}/${event.id}?version=${event.version}`);
    expect(removed.status(), await removed.text()).toBe(200);

    // The page shows that it was used.
    await page.reload();
    await expect(row).not.toContainText("never", { timeout: 10_000 });

    // Revoked on the page: the next call is refused.
    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke “${name}”?` });
    await expect(dialog).toContainText("refused from its next request");
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(row).toContainText("revoked");
    await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);

    const refused = await api.get(`${EVENTS_API}?limit=1`);
    expect(refused.status()).toBe(401);
    expect(await errorOf(refused)).toMatchObject({
      code: "unauthenticated",
      message: "This API token was revoked.",
    });
  } finally {
    await api.dispose();
  }
});

test("a read-only token reads but every write is refused with 403", async ({ page, baseURL }) => {
  await signInDirect(page, "responder@dwell.example");
  await page.goto(TOKENS_PATH);
  const name = tokenName("Dashboard reader");
  const secret = await createTokenInUi(page, name, { readOnly: true });
  await expect(page.getByRole("row", { name: `Token ${name}` })).toContainText("Read-only");

  const api = await bearerContext(baseURL, secret);
  try {
    expect((await api.get(`${EVENTS_API}?limit=1`)).status()).toBe(200);
    const write = await api.post(EVENTS_API, { data: eventBody(uniqueTitle("Never written")) });
    expect(write.status()).toBe(403);
    expect((await errorOf(write)).code).toBe("forbidden");
    // Managing tokens is a write too.
    expect((await api.get(TOKENS_API)).status()).toBe(403);
  } finally {
    await api.dispose();
  }
  const listed = (await (await page.request.get(TOKENS_API)).json()) as {
    items: { id: string; name: string }[];
  };
  const id = listed.items.find((t) => t.name === name)?.id;
  expect((await page.request.delete(`${TOKENS_API}/${id}`)).status()).toBe(200);
});

test("executives get read-only tokens only", async ({ page }) => {
  await signInDirect(page, "executive@dwell.example");
  await page.goto(TOKENS_PATH);
  const readOnly = page.getByLabel("Read-only");
  await expect(readOnly).toBeChecked();
  await expect(readOnly).toBeDisabled();
  const refused = await page.request.post(TOKENS_API, { data: { name: tokenName("exec"), readOnly: false } });
  expect(refused.status()).toBe(422);
  expect((await errorOf(refused)).details?.[0]?.field).toBe("readOnly");
});

test("bad requests name what is wrong; a bad bearer is refused even beside a valid cookie", async ({
  page,
}) => {
  await signInDirect(page, "responder@dwell.example");
  const cases: [unknown, string, string][] = [
    [{ name: "" }, "name", "name is required"],
    [{ name: "x".repeat(101) }, "name", "name must be at most 100 characters"],
    [{ name: "ok", scope: "admin" }, "", 'unknown field "scope" in a token'],
    [{ name: "ok", expiresAt: "2023-06-16T00:00:00Z" }, "expiresAt", "expiresAt must be in the future"],
  ];
  for (const [data, field, message] of cases) {
    const response = await page.request.post(TOKENS_API, { data });
    expect(response.status(), JSON.stringify(data)).toBe(422);
    const error = await errorOf(response);
    expect(error.message).toContain(message);
    if (field) expect(error.details?.[0]?.field).toBe(field);
  }
  const keyed = await page.request.post(TOKENS_API, {
    data: { name: tokenName("keyed") },
    headers: { "idempotency-key": `tokens-${RUN_MARKER}` },
  });
  expect(keyed.status()).toBe(400);

  // The session cookie alone works; with a bad Authorization header beside it, the request is refused.
  expect((await page.request.get(`${EVENTS_API}?limit=1`)).status()).toBe(200);
  for (const authorization of ["Bearer nope", `Bearer dwell_${"A".repeat(43)}`, "Basic dXNlcjpwYXNz"]) {
    const response = await page.request.get(`${EVENTS_API}?limit=1`, { headers: { authorization } });
    expect(response.status(), authorization).toBe(401);
    expect((await errorOf(response)).code).toBe("unauthenticated");
  }
  // Someone else's token id answers like an unknown one.
  const unknown = await page.request.delete(`${TOKENS_API}/00000000-0000-4000-8000-00000000a11c`);
  expect(unknown.status()).toBe(404);
});

test("disabling a user refuses the user's token on its next request", async ({ baseURL }) => {
  // A responder made for the run with the demo password's hash (removed in afterAll).
  await withE2eClient((client) =>
    client.query(
      `INSERT INTO app_user (id, email, name, password_hash, role, created_at, updated_at)
       SELECT gen_random_uuid(), $1, 'API tokens (to be disabled)', password_hash, 'responder', now(), now()
         FROM app_user WHERE email = 'responder@dwell.example'`,
      [SCRATCH_EMAIL],
    ),
  );
  const session = await signInRequestContext(baseURL ?? "", SCRATCH_EMAIL);
  const made = await session.post(TOKENS_API, { data: { name: tokenName("to be disabled") } });
  expect(made.status(), await made.text()).toBe(201);
  const { secret } = (await made.json()) as { secret: string };
  await session.dispose();

  const api = await bearerContext(baseURL, secret);
  try {
    expect((await api.get(`${EVENTS_API}?limit=1`)).status()).toBe(200);
    await withE2eClient((client) =>
      client.query("UPDATE app_user SET disabled_at = now() WHERE email = $1", [SCRATCH_EMAIL]),
    );
    const refused = await api.get(`${EVENTS_API}?limit=1`);
    expect(refused.status()).toBe(401);
    expect((await errorOf(refused)).message).toMatch(/disabled/);
  } finally {
    await api.dispose();
  }
});

test("agency users have no token page and no token API", async ({ page }) => {
  await signIn(page, "state@agency.example");
  await expect(page.getByRole("link", { name: "API tokens" })).toHaveCount(0);
  const response = await page.goto(TOKENS_PATH);
  expect(response?.status()).toBe(404);
  expect((await page.request.get(TOKENS_API)).status()).toBe(403);
});

// Sessions end on the server: after signing out, the same cookie (this browser's, or a copy on another
// device) is refused on its next request, and a disabled user's open session is refused at once.
import { randomUUID } from "node:crypto";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { hashPassword } from "../lib/domain/users/passwords.ts";
import { signInRequestContext, withE2eClient } from "./fixtures";

const PASSWORD = "a long passphrase for the session test";
let email: string;
let baseURL: string;

test.beforeAll(async ({}, testInfo) => {
  baseURL = testInfo.project.use.baseURL ?? "";
  email = `session-${randomUUID().slice(0, 8)}@dwell.example`;
  const hash = await hashPassword(PASSWORD);
  await withE2eClient((client) =>
    client.query(
      `INSERT INTO app_user (id, email, name, password_hash, role, updated_at) VALUES ($1, $2, 'Session Test', $3, 'responder', now())`,
      [randomUUID(), email, hash],
    ),
  );
});

test.afterAll(async () => {
  await withE2eClient((client) => client.query(`DELETE FROM app_user WHERE email = $1`, [email]));
});

async function copyOf(context: APIRequestContext): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL, storageState: await context.storageState() });
}

test("signing out refuses the old cookie on its next request, here and on every other device", async () => {
  const browser = await signInRequestContext(baseURL, email, PASSWORD);
  const otherDevice = await signInRequestContext(baseURL, email, PASSWORD);
  const stolen = await copyOf(browser);
  try {
    expect((await browser.get("/api/v1/incidents")).status()).toBe(200);
    expect((await otherDevice.get("/api/v1/incidents")).status()).toBe(200);

    const csrf = (await (await browser.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await browser.post("/api/auth/signout", {
      form: { csrfToken: csrf.csrfToken, json: "true" },
      maxRedirects: 0,
    });

    for (const context of [stolen, otherDevice]) {
      const response = await context.get("/api/v1/incidents");
      expect(response.status()).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
    }
    // Pages send the old cookie to the sign-in page.
    const page = await stolen.get("/incidents", { maxRedirects: 0 });
    expect([302, 303, 307]).toContain(page.status());
    expect(page.headers().location ?? "").toContain("/login");
  } finally {
    await Promise.all([browser.dispose(), otherDevice.dispose(), stolen.dispose()]);
  }
});

test("a disabled user's open session is refused on its next request, and it cannot sign in again", async () => {
  const session = await signInRequestContext(baseURL, email, PASSWORD);
  try {
    expect((await session.get("/api/v1/incidents")).status()).toBe(200);
    await withE2eClient((client) =>
      client.query(`UPDATE app_user SET disabled_at = now() WHERE email = $1`, [email]),
    );
    expect((await session.get("/api/v1/incidents")).status()).toBe(401);
    await expect(signInRequestContext(baseURL, email, PASSWORD)).rejects.toThrow(/did not give a session/);
  } finally {
    await withE2eClient((client) =>
      client.query(`UPDATE app_user SET disabled_at = NULL WHERE email = $1`, [email]),
    );
    await session.dispose();
  }
});

// Response headers as a browser receives them from `next start`: every HTML page carries a Content
// Security Policy with a fresh nonce (and every script tag in it that nonce), every API answer carries
// the API's own policy, and both carry nosniff, a Referrer-Policy and a request id. The session cookie
// is HttpOnly and SameSite=Lax (over plain http here; next-auth names it `__Secure-…` and marks it
// Secure when NEXTAUTH_URL is https).
import { expect, request as playwrightRequest, test, type APIResponse } from "@playwright/test";
import { INCIDENT, postCredentials, signInRequestContext, TIMELINE_PATH } from "./fixtures";

let baseURL: string;

test.beforeAll(({}, testInfo) => {
  baseURL = testInfo.project.use.baseURL ?? "";
});

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = "", ...values] = part.split(/\s+/);
        return [name, values.join(" ")] as const;
      }),
  );
}

function expectCommonHeaders(response: APIResponse, label: string): void {
  const headers = response.headers();
  expect(headers["x-content-type-options"], `${label}: X-Content-Type-Options`).toBe("nosniff");
  expect(headers["referrer-policy"], `${label}: Referrer-Policy`).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"], `${label}: X-Frame-Options`).toBe("DENY");
  expect(headers["x-request-id"], `${label}: x-request-id`).toMatch(/^[A-Za-z0-9._:-]{1,100}$/);
}

/** Checks a page's policy and its script tags; answers the nonce. */
async function expectPagePolicy(response: APIResponse, label: string): Promise<string> {
  expectCommonHeaders(response, label);
  const policy = response.headers()["content-security-policy"] ?? "";
  const parsed = directives(policy);
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(parsed.get("script-src") ?? "")?.[1];
  expect(nonce, `${label}: a nonce in script-src (${policy})`).toBeTruthy();
  expect(parsed.get("script-src"), `${label}: script-src`).toBe(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
  expect(parsed.get("object-src"), `${label}: object-src`).toBe("'none'");
  expect(parsed.get("base-uri"), `${label}: base-uri`).toBe("'none'");
  expect(parsed.get("frame-ancestors"), `${label}: frame-ancestors`).toBe("'none'");
  if ((response.headers()["content-type"] ?? "").startsWith("text/html")) {
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, `${label}: the page has scripts`).toBeGreaterThan(0);
    for (const tag of scripts)
      expect(tag, `${label}: every script tag carries the nonce`).toContain(`nonce="${nonce}"`);
  }
  return nonce!;
}

function expectApiPolicy(response: APIResponse, label: string): void {
  expectCommonHeaders(response, label);
  const parsed = directives(response.headers()["content-security-policy"] ?? "");
  expect(parsed.get("default-src"), `${label}: default-src`).toBe("'none'");
  expect(parsed.get("frame-ancestors"), `${label}: frame-ancestors`).toBe("'none'");
}

test("pages carry a per-request nonce policy and API answers their own policy", async () => {
  const anonymous = await playwrightRequest.newContext({ baseURL });
  const responder = await signInRequestContext(baseURL, "responder@dwell.example");
  const executive = await signInRequestContext(baseURL, "executive@dwell.example");
  const agency = await signInRequestContext(baseURL, "state@agency.example");
  try {
    const login = await anonymous.get("/login");
    expect(login.status()).toBe(200);
    const first = await expectPagePolicy(login, "/login");
    const again = await expectPagePolicy(await anonymous.get("/login"), "/login again");
    expect(again, "each request gets its own nonce").not.toBe(first);

    // A page that sends a signed-out visitor away still carries the headers.
    const redirect = await anonymous.get(TIMELINE_PATH, { maxRedirects: 0 });
    expect([303, 307, 308]).toContain(redirect.status());
    await expectPagePolicy(redirect, `${TIMELINE_PATH} signed out`);

    const pages: Array<[typeof responder, string]> = [
      [responder, TIMELINE_PATH],
      [responder, `/incidents/${INCIDENT}/indicators`],
      [executive, "/dashboard"],
      [agency, "/portal"],
      [responder, "/no-such-page"],
    ];
    for (const [context, path] of pages) {
      const response = await context.get(path);
      expect(response.status(), path).toBe(path === "/no-such-page" ? 404 : 200);
      await expectPagePolicy(response, path);
    }

    // Only the API itself is left out of the proxy: an HTML page under /api is still a page.
    const notApi = await anonymous.get("/api/healthz");
    expect(notApi.status()).toBe(404);
    await expectPagePolicy(notApi, "/api/healthz");

    const health = await anonymous.get("/api/health");
    expect(health.status()).toBe(200);
    expectApiPolicy(health, "/api/health");
    const list = await responder.get(`/api/v1/incidents/${INCIDENT}/events?limit=1`);
    expect(list.status()).toBe(200);
    expectApiPolicy(list, "events list");
    const refused = await anonymous.get(`/api/v1/incidents/${INCIDENT}/events`);
    expect(refused.status()).toBe(401);
    expectApiPolicy(refused, "401");
    const unknown = await responder.get("/api/v1/no-such-route");
    expect(unknown.status()).toBe(404);
    expectApiPolicy(unknown, "unknown API route");
    const crossSite = await responder.post(`/api/v1/incidents/${INCIDENT}/findings`, {
      data: { title: "never stored" },
      headers: { origin: "https://attacker.example" },
    });
    expect(crossSite.status()).toBe(403);
    expectApiPolicy(crossSite, "cross-site POST");
    const document = await anonymous.get("/api/v1/openapi.json");
    expect(document.status()).toBe(200);
    expectApiPolicy(document, "openapi.json");
  } finally {
    await Promise.all([anonymous, responder, executive, agency].map((context) => context.dispose()));
  }
});

test("the session cookie is HttpOnly and SameSite=Lax", async () => {
  const context = await playwrightRequest.newContext({ baseURL });
  try {
    const answer = await postCredentials(context, "responder@dwell.example");
    expectCommonHeaders(answer, "sign-in answer");
    const cookies = answer
      .headersArray()
      .filter((header) => header.name.toLowerCase() === "set-cookie")
      .map((header) => header.value);
    const session = cookies.find((cookie) => cookie.startsWith("next-auth.session-token="));
    expect(session, `a session cookie among ${cookies.length} Set-Cookie headers`).toBeTruthy();
    const attributes = session!
      .split(";")
      .slice(1)
      .map((part) => part.trim().toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    // Served over http here: a Secure cookie would never come back, and next-auth adds the
    // `__Secure-` prefix and Secure only under an https NEXTAUTH_URL.
    expect(attributes).not.toContain("secure");
  } finally {
    await context.dispose();
  }
});

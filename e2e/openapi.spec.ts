// The OpenAPI document against the running app: real answers (for a responder, the State agency user,
// and refusals) validate against the response schemas /api/v1/openapi.json gives for their route and
// status; /api-docs renders the reference and is linked from the app shell.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createDocumentValidator, type DocumentValidator } from "../lib/openapi/validator.ts";
import { INCIDENT, signIn, signInDirect } from "./fixtures.ts";

test.describe.configure({ mode: "serial" });

const API = "/api/v1";
const INCIDENT_API = `${API}/incidents/{incident}`;
let validator: DocumentValidator;

/** GETs `url`, expects `status`, and validates the JSON body against the document's schema for (template, status). */
async function checkAnswer(
  request: APIRequestContext,
  template: string,
  url: string,
  status = 200,
  method: "GET" | "POST" = "GET",
  data?: unknown,
): Promise<unknown> {
  const response =
    method === "GET"
      ? await request.get(url)
      : await request.post(url, { data, headers: { "content-type": "application/json" } });
  const text = await response.text();
  expect(response.status(), `${method} ${url}: ${text.slice(0, 300)}`).toBe(status);
  const body = JSON.parse(text) as unknown;
  const validate = validator.response(template, method, status);
  const valid = validate(body);
  expect(
    valid ? [] : validate.errors?.slice(0, 5),
    `${method} ${url} (${status}) against ${template}`,
  ).toEqual([]);
  return body;
}

test.beforeAll(async ({ request }) => {
  const response = await request.get(`${API}/openapi.json`);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/json");
  const document = (await response.json()) as { openapi: string };
  expect(document.openapi).toMatch(/^3\.1\./);
  validator = createDocumentValidator(document);
});

test("a responder's answers match the documented schemas", async ({ page }) => {
  await signInDirect(page, "responder@dwell.example");
  const request = page.request;
  const base = `${API}/incidents/${INCIDENT}`;

  await checkAnswer(request, `${API}/incidents`, `${API}/incidents`);
  await checkAnswer(request, INCIDENT_API, base);

  const events = (await checkAnswer(request, `${INCIDENT_API}/events`, `${base}/events?limit=100`)) as {
    items: { id: string }[];
  };
  expect(events.items.length).toBeGreaterThan(0);
  await checkAnswer(request, `${INCIDENT_API}/events/{id}`, `${base}/events/${events.items[0]?.id}`);
  await checkAnswer(request, `${INCIDENT_API}/timeline/buckets`, `${base}/timeline/buckets?max=200`);

  const organizations = (await checkAnswer(
    request,
    `${INCIDENT_API}/organizations`,
    `${base}/organizations`,
  )) as {
    items: { id: string }[];
  };
  expect(organizations.items.length).toBeGreaterThan(0);
  await checkAnswer(
    request,
    `${INCIDENT_API}/organizations/{id}`,
    `${base}/organizations/${organizations.items[0]?.id}`,
  );
  await checkAnswer(request, `${INCIDENT_API}/organizations/overview`, `${base}/organizations/overview`);

  const indicators = (await checkAnswer(
    request,
    `${INCIDENT_API}/indicators`,
    `${base}/indicators?limit=200`,
  )) as {
    items: { id: string }[];
  };
  expect(indicators.items.length).toBeGreaterThan(0);
  const indicatorId = indicators.items[0]?.id;
  await checkAnswer(request, `${INCIDENT_API}/indicators/{id}`, `${base}/indicators/${indicatorId}`);
  await checkAnswer(
    request,
    `${INCIDENT_API}/indicators/{id}/sightings`,
    `${base}/indicators/${indicatorId}/sightings`,
  );

  const findings = (await checkAnswer(request, `${INCIDENT_API}/findings`, `${base}/findings`)) as {
    items: { id: string }[];
  };
  const findingId = findings.items[0]?.id;
  if (findingId) {
    await checkAnswer(request, `${INCIDENT_API}/findings/{id}`, `${base}/findings/${findingId}`);
    await checkAnswer(
      request,
      `${INCIDENT_API}/findings/{id}/history`,
      `${base}/findings/${findingId}/history`,
    );
  }

  await checkAnswer(request, `${INCIDENT_API}/metrics`, `${base}/metrics`);
  await checkAnswer(request, `${INCIDENT_API}/dashboard`, `${base}/dashboard`);
  await checkAnswer(request, `${API}/dashboard`, `${API}/dashboard`);
  await checkAnswer(request, `${INCIDENT_API}/search`, `${base}/search?q=key`);

  // Refusals: the documented error shape and statuses.
  await checkAnswer(request, INCIDENT_API, `${API}/incidents/no-such-incident`, 404);
  await checkAnswer(request, `${INCIDENT_API}/events`, `${base}/events?limit=many`, 400);
  // A body that does not validate: refused before anything is stored.
  await checkAnswer(request, `${INCIDENT_API}/events`, `${base}/events`, 422, "POST", { title: "" });
  await checkAnswer(request, `${API}/portal`, `${API}/portal`, 403);
});

test("the State agency user's answers match the documented schemas", async ({ page }) => {
  await signInDirect(page, "state@agency.example");
  const request = page.request;
  const base = `${API}/incidents/${INCIDENT}`;
  const portal = (await checkAnswer(request, `${API}/portal`, `${API}/portal`)) as { events: unknown[] };
  expect(portal.events.length).toBeGreaterThan(0);
  // Agency users reach the indicators of their own incident (scoped), and nothing staff-only.
  const indicators = (await checkAnswer(request, `${INCIDENT_API}/indicators`, `${base}/indicators`)) as {
    items: { id: string }[];
  };
  const indicatorId = indicators.items[0]?.id;
  if (indicatorId) {
    await checkAnswer(request, `${INCIDENT_API}/indicators/{id}`, `${base}/indicators/${indicatorId}`);
    await checkAnswer(
      request,
      `${INCIDENT_API}/indicators/{id}/sightings`,
      `${base}/indicators/${indicatorId}/sightings`,
    );
  }
  await checkAnswer(request, `${INCIDENT_API}/indicators`, `${base}/indicators?q=no-such-indicator-anywhere`);
  await checkAnswer(request, `${API}/incidents`, `${API}/incidents`, 403);
  await checkAnswer(request, `${INCIDENT_API}/events`, `${base}/events?limit=50`, 403);
  await checkAnswer(request, `${INCIDENT_API}/findings`, `${base}/findings`, 403);
  await checkAnswer(
    request,
    `${INCIDENT_API}/indicators`,
    `${API}/incidents/no-such-incident/indicators`,
    404,
  );
});

test("an administrator's answers (users, tokens, audit trail) match the documented schemas", async ({
  page,
}) => {
  await signInDirect(page, "admin@dwell.example");
  const request = page.request;
  const users = (await checkAnswer(request, `${API}/users`, `${API}/users`)) as { items: { id: string }[] };
  expect(users.items.length).toBeGreaterThan(0);
  await checkAnswer(request, `${API}/users/{id}`, `${API}/users/${users.items[0]?.id}`);
  await checkAnswer(request, `${API}/tokens`, `${API}/tokens`);
  await checkAnswer(request, `${INCIDENT_API}/audit`, `${API}/incidents/${INCIDENT}/audit?limit=50`);
});

test("an anonymous caller gets the documented 401", async ({ request }) => {
  await checkAnswer(request, `${API}/incidents`, `${API}/incidents`, 401);
});

test("/api-docs lists the operations by tag, readably, and the app shell links to it", async ({ page }) => {
  const response = await page.goto("/api-docs");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  for (const tag of ["Incidents", "Timeline", "Organizations", "Indicators", "Findings", "Portal"]) {
    await expect(page.getByRole("heading", { level: 2, name: tag, exact: true })).toBeVisible();
  }
  const importOp = page.locator("details", { hasText: "/api/v1/incidents/{incident}/indicators/import" });
  await importOp.locator("summary").click();
  await expect(importOp.getByRole("heading", { name: "Request body" })).toBeVisible();
  for (const type of ["text/plain", "text/csv", "application/stix+json"]) {
    await expect(importOp.getByText(type, { exact: true })).toBeVisible();
  }
  await expect(importOp.getByRole("heading", { name: "Parameters" })).toBeVisible();
  await expect(importOp.getByText("dryRun", { exact: true })).toBeVisible();
  await expect(importOp.getByText("413", { exact: true })).toBeVisible();
  const accessibility = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa"])
    .setLegacyMode(true)
    .analyze();
  expect(accessibility.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);

  await signIn(page, "responder@dwell.example");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API" }).click();
  await expect(page).toHaveURL(/\/api-docs$/);
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
});

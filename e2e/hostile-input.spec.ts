// Hostile input over HTTP and in the browser. test/hostile-input.int.test.ts sends 1,000+ generated
// requests to every mutating endpoint through the route handlers in process; this spec sends a sample
// of the same generators through `next start` (the real HTTP parsing, proxy and headers), then stores
// hostile text everywhere a person can type and renders every page that shows it in Chromium: no
// dialog may open (every payload calls alert), no CSP violation may be reported, and no element may
// carry an event-handler attribute or a script URL. Everything the spec stored is removed with SQL
// afterwards, and the database must then match its fingerprint from before (audit entries aside).
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import fc from "fast-check";
import {
  databaseFingerprint,
  INCIDENT,
  RUN_MARKER,
  signInDirect,
  signInRequestContext,
  STATE_NAME,
} from "./fixtures";
import { restoreIncident, snapshotIncident, type IncidentSnapshot } from "./hostile/cleanup";
import {
  endpointKey,
  hostileCases,
  mutatingEndpoints,
  type HostileWorld,
  type Principal,
} from "./hostile/endpoints";
import { XSS_POLYGLOT } from "./hostile/payloads";
import { HostileFailure, runHostileCase, type Transport } from "./hostile/runner";
import type { CellContext } from "./route-matrix";

/** Requests per endpoint over HTTP; the full 1,000+ run in process (see the header). */
const HTTP_RUNS = Number(process.env.DWELL_HOSTILE_HTTP_RUNS ?? 25);
const API = `/api/v1/incidents/${INCIDENT}`;
const M = `${RUN_MARKER}hx`;

/** Everything a renderer could get wrong, in one line (no control characters: titles refuse them). */
const TEXT = [
  XSS_POLYGLOT,
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "[x](javascript:alert(1))",
  "\u202Egnp.exe",
  "a\u200Bb\uFEFFc",
  "'; DROP TABLE timeline_event;--",
  "%00",
  "😀",
].join(" ");

/** Markdown that tries every way to script. */
const MARKDOWN = [
  "# <script>alert(1)</script> heading",
  "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) ![img](javascript:alert(1))",
  '<img src=x onerror=alert(1)> <svg onload=alert(1)> <a href="javascript:alert(1)">a</a> <iframe src="javascript:alert(1)"></iframe>',
  '<details open ontoggle=alert(1)>d</details> <math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
  XSS_POLYGLOT,
  "`<script>alert(1)</script>` and\n\n```html\n<script>alert(1)</script>\n```",
  `> \u202Equote\u200B ${M}`,
].join("\n\n");

let snapshot: IncidentSnapshot;
let fingerprint: Record<string, string>;
let staff: APIRequestContext;
let agency: APIRequestContext;

/** The fingerprint of what the spec must leave as it found it (the audit keeps its history). */
async function lasting(): Promise<Record<string, string>> {
  const { audit_entry: _audit, idempotency_key: _keys, ...rest } = await databaseFingerprint();
  return rest;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ baseURL }) => {
  snapshot = await snapshotIncident();
  fingerprint = await lasting();
  staff = await signInRequestContext(baseURL!, "responder@dwell.example");
  agency = await signInRequestContext(baseURL!, "state@agency.example");
});

test.afterAll(async () => {
  await staff?.dispose();
  await agency?.dispose();
  if (snapshot) await restoreIncident(snapshot);
  if (fingerprint)
    expect(await lasting(), "the spec leaves the database as it found it").toEqual(fingerprint);
});

async function post(
  request: APIRequestContext,
  path: string,
  data: unknown,
  status = 201,
): Promise<Record<string, unknown>> {
  const response = await request.post(path, { data });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(status);
  return (await response.json()) as Record<string, unknown>;
}

const eventBody = (title: string, extra: Record<string, unknown> = {}) => ({
  occurredAt: "2023-06-22",
  precision: "day",
  lane: "response",
  phase: "investigation",
  title,
  source: "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a",
  verification: "primary",
  tlp: "CLEAR",
  ...extra,
});
const orgBody = (name: string) => ({
  name,
  kind: "government",
  country: "US",
  determinedAffectedAt: "2023-06-20",
});

test("a sample of the hostile requests over HTTP: no 5xx, no stack trace, errors in shape, successes stored as sent", async () => {
  test.setTimeout(600_000);
  const stateOrg = await stateOrganization();
  const world: HostileWorld = {
    incident: INCIDENT,
    marker: M,
    event: (await post(staff, `${API}/events`, eventBody(`hostile target ${M}`))).id as string,
    eventToDelete: (await post(staff, `${API}/events`, eventBody(`hostile delete target ${M}`))).id as string,
    organization: (await post(staff, `${API}/organizations`, orgBody(`Hostile target ${M}`))).id as string,
    moveOrganization: (await post(staff, `${API}/organizations`, orgBody(`Hostile moves ${M}`))).id as string,
    bulkOrganization: (await post(staff, `${API}/organizations`, orgBody(`Hostile bulk ${M}`))).id as string,
    indicator: (
      await post(staff, `${API}/indicators`, { type: "domain", value: `target-${M}.hostile-input.com` })
    ).id as string,
    indicatorToDelete: (
      await post(staff, `${API}/indicators`, { type: "domain", value: `delete-${M}.hostile-input.com` })
    ).id as string,
    finding: (
      await post(staff, `${API}/findings`, {
        title: `Hostile target ${M}`,
        body: "Target.",
        severity: "low",
        confidence: "low",
      })
    ).id as string,
    agencyOrganization: stateOrg.id,
  };
  const contexts: Record<Principal, APIRequestContext> = { staff, agency };
  const transport: Transport = {
    async send(request) {
      const response = await contexts[request.principal].fetch(request.path, {
        method: request.method,
        headers: request.headers,
        data: request.body === undefined ? undefined : Buffer.from(request.body),
        maxRedirects: 0,
        failOnStatusCode: false,
        timeout: 60_000,
      });
      return {
        status: response.status(),
        contentType: response.headers()["content-type"] ?? null,
        text: await response.text(),
      };
    },
  };
  const ctx: CellContext = {
    principal: "responder",
    role: "responder",
    signedIn: true,
    target: "own",
    id: INCIDENT,
    world: {
      incident: { slug: INCIDENT, id: snapshot.incidentId },
      organizations: {
        state: { id: world.organization, name: `Hostile target ${M}` },
        commerce: { id: world.moveOrganization, name: `Hostile moves ${M}` },
      },
      events: { state: world.event, commerce: world.event },
      indicators: { state: world.indicator, commerce: world.indicator },
      existingIndicator: { type: "domain", value: `target-${M}.hostile-input.com` },
      marker: M,
    },
  };
  // The seeded users, tokens and accounts are not attacked over HTTP (the in-process test covers them):
  // a hostile success there would outlive the spec.
  const endpoints = mutatingEndpoints().filter(
    (route) =>
      route.url.startsWith("/api/v1/incidents/") ||
      route.url.startsWith("/api/v1/portal") ||
      route.file.includes("[...path]"),
  );
  expect(endpoints.length).toBeGreaterThanOrEqual(15);
  for (const route of endpoints) {
    await fc.assert(
      fc.asyncProperty(hostileCases(route, world, ctx), async (c) => {
        try {
          await runHostileCase(transport, world, c);
        } catch (error) {
          if (error instanceof HostileFailure) throw error;
          throw new HostileFailure(`${endpointKey(route)}, ${c.kind}: ${String(error)}`);
        }
      }),
      { numRuns: HTTP_RUNS, endOnFailure: true },
    );
  }
  // The server still answers normally.
  expect((await staff.get("/api/health")).status()).toBe(200);
  expect((await staff.get(`${API}/events?limit=1`)).status()).toBe(200);
});

interface Stored {
  event: { id: string; title: string };
  indicator: { id: string; value: string };
  finding: { id: string; title: string };
  organization: { id: string; name: string };
}

async function stateOrganization(): Promise<{ id: string; version: number; notificationState: string }> {
  const response = await staff.get(`${API}/organizations?limit=500&q=${encodeURIComponent(STATE_NAME)}`);
  const items = (
    (await response.json()) as {
      items: { id: string; name: string; version: number; notificationState: string }[];
    }
  ).items;
  const found = items.find((item) => item.name === STATE_NAME);
  expect(found, STATE_NAME).toBeDefined();
  return found!;
}

/** The next move staff may record from each state, so a hostile note reaches State's history whatever it holds. */
const STAFF_NEXT: Record<string, string | undefined> = {
  pending: "notified",
  notified: "delivered",
  delivered: "acknowledged",
  acknowledged: "remediated",
  remediated: "closed",
  failed: "notified",
};

async function storeHostileRecords(): Promise<Stored> {
  const state = await stateOrganization();
  const organization = await post(staff, `${API}/organizations`, {
    ...orgBody(`<svg onload=alert(1)> \u202EHostile ${M}`),
    sector: "<img src=x onerror=alert(1)> \u202Esector\u200B [x](javascript:alert(1))",
    internalNote: MARKDOWN,
  });
  const moved = await post(
    staff,
    `${API}/organizations/${organization.id as string}/notification`,
    {
      to: "notified",
      at: new Date().toISOString(),
      channel: "email",
      note: MARKDOWN,
      evidence: TEXT,
      version: organization.version,
    },
    200,
  );
  expect(moved).toHaveProperty("organization");
  const event = await post(
    staff,
    `${API}/events`,
    eventBody(`${TEXT} ${M}`, {
      description: MARKDOWN,
      internalNote: TEXT,
      organizationIds: [state.id],
      alternatives: [{ occurredAt: "2023-06-23", precision: "day", source: "CSRB report p. 1", note: TEXT }],
    }),
  );
  const indicator = await post(staff, `${API}/indicators`, {
    type: "filename",
    value: `<img src=x onerror=alert(1)>${M}.exe`,
    description: MARKDOWN,
    internalNote: TEXT,
    source: "CSRB report <script>alert(1)</script>",
    tlp: "CLEAR",
    organizationIds: [state.id],
    eventIds: [event.id],
  });
  await post(staff, `${API}/indicators/${indicator.id as string}/sightings`, {
    seenAt: "2023-06-20T10:00:00Z",
    location: `${TEXT} ${M}`,
    note: MARKDOWN,
    organizationId: state.id,
  });
  await post(agency, `${API}/indicators/${indicator.id as string}/sightings`, {
    seenAt: "2023-06-21T10:00:00Z",
    location: `agency ${TEXT} ${M}`,
    note: MARKDOWN,
  });
  const finding = await post(staff, `${API}/findings`, {
    title: `${TEXT} ${M}`,
    body: MARKDOWN,
    severity: "high",
    confidence: "medium",
    eventIds: [event.id],
    indicatorIds: [indicator.id],
    organizationIds: [state.id],
    evidence: [{ description: TEXT, location: "javascript:alert(1)" }],
  });
  const changed = await staff.patch(`${API}/findings/${finding.id as string}`, {
    data: { title: `${TEXT} ${M} (changed)`, body: `${MARKDOWN}\n\nchanged`, version: finding.version },
  });
  expect(changed.status(), await changed.text()).toBe(200);
  // State's own history: a staff move, then the agency's own, both with hostile notes.
  const to = STAFF_NEXT[state.notificationState];
  if (to) {
    await post(
      staff,
      `${API}/organizations/${state.id}/notification`,
      {
        to,
        at: new Date().toISOString(),
        channel: "email",
        note: TEXT,
        evidence: TEXT,
        version: state.version,
      },
      200,
    );
  }
  const after = await stateOrganization();
  const agencyTo = ["notified", "delivered"].includes(after.notificationState)
    ? "acknowledged"
    : after.notificationState === "acknowledged"
      ? "remediated"
      : null;
  if (agencyTo)
    await post(
      agency,
      "/api/v1/portal/notification",
      { to: agencyTo, note: MARKDOWN, version: after.version },
      200,
    );
  return {
    event: { id: event.id as string, title: event.title as string },
    indicator: { id: indicator.id as string, value: indicator.value as string },
    finding: { id: finding.id as string, title: `${TEXT} ${M} (changed)` },
    organization: { id: organization.id as string, name: organization.name as string },
  };
}

interface Sentinel {
  dialogs: string[];
  violations: string[];
}

/** A signed-in page that records every dialog (and dismisses it) and every CSP violation. */
async function watchedPage(
  browser: Browser,
  baseURL: string,
  email: string,
): Promise<{ page: Page; seen: Sentinel; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL });
  const seen: Sentinel = { dialogs: [], violations: [] };
  await context.addInitScript(() => {
    const record = (event: SecurityPolicyViolationEvent) => {
      const list = ((window as unknown as { __cspViolations?: string[] }).__cspViolations ??= []);
      list.push(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sample})`);
    };
    document.addEventListener("securitypolicyviolation", record);
    (window as unknown as { __cspViolations?: string[] }).__cspViolations ??= [];
  });
  const page = await context.newPage();
  page.on("dialog", (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()} on ${page.url()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on("console", (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text()))
      seen.violations.push(`${page.url()}: ${message.text()}`);
  });
  await signInDirect(page, email);
  return { page, seen, close: () => context.close() };
}

/** After a page settled: CSP violations the page saw, and any element carrying a handler attribute or a script URL. */
async function inspect(page: Page, seen: Sentinel): Promise<void> {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  const found = await page.evaluate(() => {
    const violations = (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [];
    const scriptable: string[] = [];
    for (const element of Array.from(document.querySelectorAll("*"))) {
      for (const attribute of Array.from(element.attributes)) {
        const isUrl = /^(?:href|src|action|formaction|xlink:href|data|poster|background|ping|cite)$/i.test(
          attribute.name,
        );
        if (
          /^on/i.test(attribute.name) ||
          attribute.name.toLowerCase() === "srcdoc" ||
          (isUrl && /^\s*(?:javascript|vbscript|data:text\/html)/i.test(attribute.value))
        ) {
          scriptable.push(
            `<${element.tagName.toLowerCase()} ${attribute.name}="${attribute.value.slice(0, 60)}">`,
          );
        }
      }
    }
    return { violations, scriptable };
  });
  seen.violations.push(...found.violations.map((v) => `${page.url()}: ${v}`));
  expect(found.scriptable, `scriptable attributes on ${page.url()}`).toEqual([]);
}

test("pages showing the stored hostile text run no script and report no CSP violation", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const stored = await storeHostileRecords();
  const responder = await watchedPage(browser, baseURL!, "responder@dwell.example");
  const { page } = responder;
  const marker = (text: string) => page.getByText(text, { exact: false }).first();
  try {
    await page.goto(`/incidents/${INCIDENT}/timeline`);
    await expect(marker(M)).toBeVisible();
    await inspect(page, responder.seen);
    await page
      .getByRole("button", { name: new RegExp(`^Edit event: .*${M}`) })
      .first()
      .click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await inspect(page, responder.seen);
    await page.keyboard.press("Escape");

    await page.goto(`/incidents/${INCIDENT}/timeline?q=${encodeURIComponent(M)}&view=chronological`);
    await expect(marker(M)).toBeVisible();
    await inspect(page, responder.seen);

    await page.goto(`/incidents/${INCIDENT}/indicators?q=${encodeURIComponent(stored.indicator.value)}`);
    await expect(marker(M)).toBeVisible();
    await inspect(page, responder.seen);
    await page.getByRole("button", { name: `Details of ${stored.indicator.value}` }).click();
    await expect(marker(`agency ${TEXT.slice(0, 20)}`)).toBeAttached();
    await inspect(page, responder.seen);

    await page.goto(`/incidents/${INCIDENT}/findings?q=${encodeURIComponent(M)}`);
    await expect(marker(M)).toBeVisible();
    await inspect(page, responder.seen);
    await page
      .getByRole("button", { name: new RegExp(`^History of .*${M}`) })
      .first()
      .click();
    await inspect(page, responder.seen);
    await page.keyboard.press("Escape");
    await page
      .getByRole("button", { name: new RegExp(`^Edit .*${M}`) })
      .first()
      .click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await inspect(page, responder.seen);
    await page.keyboard.press("Escape");

    await page.goto(`/incidents/${INCIDENT}/organizations?q=${encodeURIComponent(M)}`);
    await expect(marker(M)).toBeVisible();
    await inspect(page, responder.seen);
    await page
      .getByRole("button", { name: new RegExp(`^History of .*${M}`) })
      .first()
      .click();
    await inspect(page, responder.seen);
    await page.keyboard.press("Escape");

    // Pages that show the stored text (marker) and pages that summarize it (dashboard).
    for (const [path, showsMarker] of [
      [`/incidents/${INCIDENT}/report`, true],
      [`/incidents/${INCIDENT}/search?q=${encodeURIComponent(M)}`, true],
      [`/incidents/${INCIDENT}/audit`, true],
      ["/dashboard", false],
      [`/incidents/${INCIDENT}/organizations`, false],
    ] as const) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      if (showsMarker) await expect(marker(M), path).toBeAttached();
      await inspect(page, responder.seen);
    }
    await expect(page.getByText(STATE_NAME).first()).toBeVisible();
  } finally {
    await responder.close();
  }

  const state = await watchedPage(browser, baseURL!, "state@agency.example");
  try {
    await state.page.goto("/portal");
    await expect(state.page.getByText(M).first()).toBeVisible();
    await inspect(state.page, state.seen);
  } finally {
    await state.close();
  }

  expect(responder.seen.dialogs.concat(state.seen.dialogs), "dialogs opened by stored text").toEqual([]);
  expect(responder.seen.violations.concat(state.seen.violations), "CSP violations").toEqual([]);
});

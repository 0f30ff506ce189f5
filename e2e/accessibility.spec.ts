// Accessibility: axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page in the route registry
// (e2e/route-matrix.ts, kind "page") for every role that may open it, in the light and the dark theme,
// plus the states a page only reaches by interaction (editors and dialogs open, the import review step,
// empty and error states). Each page is loaded once: checked in the light theme, then switched to the
// dark one the way a reader's system setting switches it, and checked again. Any violation of impact
// "serious" or "critical" fails, listed by rule, help and target selectors. A keyboard test tabs through
// the timeline and the indicators pages: focus must reach the main actions and always be visibly marked.
// Charts must carry a text alternative.
//
// Pages are read from the registry, so a page added there is checked here without a change. Pages whose
// address needs a record id other than the incident are skipped (they would need a discovered world).
import { writeFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { Role } from "../lib/auth/actor.ts";
import { permissionsOf } from "../lib/auth/permissions.ts";
import {
  deleteFindingsByTitle,
  FINDINGS_API,
  FINDINGS_PATH,
  INCIDENT,
  INDICATORS_PATH,
  ORGANIZATIONS_PATH,
  RUN_MARKER,
  signInDirect,
  STATE_NAME,
  TIMELINE_PATH,
} from "./fixtures";
import {
  ROUTES,
  type Access,
  type CellContext,
  type Expectation,
  type RouteEntry,
  type World,
} from "./route-matrix";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const BLOCKING = new Set(["serious", "critical"]);
/**
 * The rules whose outcome depends on colour. The two themes render the same DOM and differ only in
 * colour classes, so the dark run checks these alone; the light run checks everything.
 */
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];
type Theme = "light" | "dark";

/** The signed-in principals (one per role; State stands for every agency user) and their accounts. */
const ACCOUNTS = {
  admin: { email: "admin@dwell.example", role: "admin" },
  responder: { email: "responder@dwell.example", role: "responder" },
  executive: { email: "executive@dwell.example", role: "executive" },
  state: { email: "state@agency.example", role: "agency" },
} as const satisfies Record<string, { email: string; role: Role }>;
type Account = keyof typeof ACCOUNTS;
type Principal = Account | "anonymous";

// ---------------------------------------------------------------- which pages, for whom

function permits(role: Role, access: Access): boolean {
  if ("public" in access) return true;
  const held = permissionsOf({ role, readOnly: false });
  return "all" in access
    ? access.all.every((p) => held.includes(p))
    : access.any.some((p) => held.includes(p));
}

/** Enough of the registry's world for a page entry's `allowed` to say whether it renders or redirects. */
const WORLD = {
  incident: { slug: INCIDENT, id: INCIDENT },
  organizations: { state: { id: "", name: "" }, commerce: { id: "", name: "" } },
  events: { state: "", commerce: "" },
  indicators: { state: "", commerce: "" },
  existingIndicator: { type: "ipv4", value: "" },
  marker: "accessibility",
} satisfies World;

function expectation(entry: RouteEntry, principal: Principal): Expectation | null {
  const role = principal === "anonymous" ? null : ACCOUNTS[principal].role;
  if (!("public" in entry.access) && (!role || !permits(role, entry.access))) return null;
  const ctx: CellContext = {
    principal,
    role,
    signedIn: role !== null,
    target: "own",
    id: INCIDENT,
    world: WORLD,
  };
  try {
    return entry.allowed(ctx);
  } catch {
    // An expectation that needs more of the world than this spec knows: assume the page renders.
    return { status: 200 };
  }
}

interface PageCase {
  url: string;
  file: string;
}

/** The pages `principal` may open and that render (not redirect) for it. */
function pagesFor(principal: Principal): PageCase[] {
  const cases: PageCase[] = [];
  for (const entry of ROUTES) {
    if (entry.kind !== "page" || entry.method !== "GET") continue;
    if (entry.id && entry.id !== "incident") continue;
    if (entry.url.includes("{id}")) continue;
    // Public pages (the sign-in page, the API docs) do not depend on who asks: checked anonymously.
    if ("public" in entry.access && principal !== "anonymous") continue;
    const expected = expectation(entry, principal);
    if (!expected || expected.status !== 200) continue;
    cases.push({ url: entry.url.replaceAll("{incident}", INCIDENT), file: entry.file });
  }
  return cases;
}

// ---------------------------------------------------------------- sessions and themes

const stateFile = (account: Account) => path.join(test.info().project.outputDir, `.a11y-${account}.json`);
const signedIn = new Set<Account>();

/**
 * One sign-in per account for the whole spec; later contexts reuse its cookies. The theme is "system"
 * (next-themes reads it from localStorage before the first paint) and the emulated colour scheme starts
 * light: `toDark` then switches a loaded page to the dark theme without reloading it.
 */
async function contextFor(browser: Browser, principal: Principal): Promise<BrowserContext> {
  const options = { colorScheme: "light", reducedMotion: "reduce" } as const;
  let context: BrowserContext;
  if (principal === "anonymous") context = await browser.newContext(options);
  else {
    const file = stateFile(principal);
    if (!signedIn.has(principal)) {
      const first = await browser.newContext(options);
      const page = await first.newPage();
      await signInDirect(page, ACCOUNTS[principal].email);
      writeFileSync(file, JSON.stringify(await first.storageState()));
      await first.close();
      signedIn.add(principal);
    }
    context = await browser.newContext({ ...options, storageState: file });
  }
  await context.addInitScript(() => {
    try {
      window.localStorage.setItem("theme", "system");
    } catch {
      // storage refused: "system" is the default theme anyway
    }
  });
  return context;
}

async function expectTheme(page: Page, theme: Theme): Promise<void> {
  await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /\blight\b/);
}

/**
 * Switches a loaded page to the dark theme as a reader's system setting does (next-themes follows the
 * colour-scheme media query, without transitions), and waits for the next frame to be painted.
 */
async function toDark(page: Page): Promise<void> {
  await page.emulateMedia({ colorScheme: "dark" });
  await expectTheme(page, "dark");
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(null)))),
  );
}

// ---------------------------------------------------------------- loading and checking

/**
 * Waits until the page shows content rather than skeletons: a main region or a form, then no pulsing
 * placeholder and no busy region (client data arrived), fonts loaded.
 */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("domcontentloaded");
  await expect(page.locator("main, form").first()).toBeVisible({ timeout: 15_000 });
  await page
    .waitForFunction(
      () =>
        !document.querySelector(".animate-pulse, [aria-busy='true']") && document.fonts.status === "loaded",
      undefined,
      { timeout: 15_000 },
    )
    .catch(() => undefined);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
}

interface Finding {
  where: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

async function audit(page: Page, where: string, theme: Theme, scope?: string): Promise<Finding[]> {
  // Legacy mode runs axe in the page itself rather than in a blank page opened per check: the pages have
  // no frames, and it halves the time a check takes.
  let builder = (
    theme === "dark"
      ? new AxeBuilder({ page }).withRules(COLOUR_RULES)
      : new AxeBuilder({ page }).withTags(TAGS)
  ).setLegacyMode(true);
  if (scope) builder = builder.include(scope);
  const results = await builder.analyze();
  // Heading structure: axe files a missing h1 under best practices; here every page needs one, as the
  // name screen-reader users jump to.
  const structure: Finding[] =
    scope || theme === "dark" || (await page.locator("h1").count()) > 0
      ? []
      : [
          {
            where,
            rule: "page-has-heading-one",
            impact: "serious",
            help: "A page needs a level-one heading",
            targets: ["main"],
          },
        ];
  return structure.concat(
    results.violations
      .filter((violation) => BLOCKING.has(violation.impact ?? ""))
      .map((violation) => ({
        where,
        rule: violation.id,
        impact: violation.impact ?? "",
        help: violation.help,
        targets: violation.nodes.slice(0, 8).map((node) => {
          const summary = node.failureSummary?.split("\n").slice(1, 2).join(" ").trim();
          return `${node.target.join(" ")}${summary ? ` — ${summary}` : ""}`;
        }),
      })),
  );
}

/** A page that did not load or reach its state is a finding too, so one bad page hides no others. */
async function guarded(where: string, work: () => Promise<Finding[]>): Promise<Finding[]> {
  try {
    return await work();
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
    return [{ where, rule: "page-not-checked", impact: "critical", help: message, targets: [] }];
  }
}

function report(findings: Finding[]): string {
  return findings
    .map(
      (f) =>
        `\n[${f.impact}] ${f.rule} — ${f.help}\n  at ${f.where}\n${f.targets.map((t) => `    ${t}`).join("\n")}`,
    )
    .join("\n");
}

function expectClean(findings: Finding[]): void {
  if (findings.length > 0) console.log(report(findings));
  expect(findings.map((f) => `${f.where}: ${f.rule} (${f.impact}) ${f.targets.join(" | ")}`)).toEqual([]);
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

// ---------------------------------------------------------------- every page, every role, both themes

// Every role's pages, except the responder's: its permissions are the admin's minus user
// administration, so the pages it may open render the very controls the admin run checks (and the
// states below — editors, dialogs — are all opened as the responder). Dropping the duplicate keeps
// the suite inside CI's time budget.
const PRINCIPALS: Principal[] = ["anonymous", "admin", "executive", "state"];

test("the responder opens only pages the admin run checks, with the admin's controls", () => {
  const admin = permissionsOf({ role: "admin", readOnly: false });
  const responder = permissionsOf({ role: "responder", readOnly: false });
  expect(responder.filter((p) => !admin.includes(p))).toEqual([]);
  expect(admin.filter((p) => !responder.includes(p))).toEqual(["user:manage"]);
  const adminPages = new Set(pagesFor("admin").map((p) => p.url));
  expect(pagesFor("responder").filter((p) => !adminPages.has(p.url))).toEqual([]);
});

/** Checks the loaded page in the light theme, then switches it to the dark one and checks its colours. */
async function auditBothThemes(page: Page, where: string, scope?: string): Promise<Finding[]> {
  await expectTheme(page, "light");
  const light = await audit(page, `${where} (light)`, "light", scope);
  await toDark(page);
  const dark = await audit(page, `${where} (dark)`, "dark", scope);
  return light.concat(dark);
}

test.describe("axe: every page for every role", () => {
  test.describe.configure({ timeout: 180_000 });
  for (const principal of PRINCIPALS) {
    test(`${principal}, light and dark themes`, async ({ browser }) => {
      const pages = pagesFor(principal);
      expect(pages.length, `pages ${principal} may open`).toBeGreaterThan(0);
      const context = await contextFor(browser, principal);
      try {
        const found = await inParallel(pages, 3, async ({ url, file }) => {
          const where = `${url} as ${principal}`;
          const page = await context.newPage();
          try {
            return await guarded(where, async () => {
              const response = await page.goto(url);
              expect(response?.status(), `${url} (${file})`).toBe(200);
              await settle(page);
              return auditBothThemes(page, where);
            });
          } finally {
            await page.close();
          }
        });
        expectClean(found.flat());
      } finally {
        await context.close();
      }
    });
  }
});

// ---------------------------------------------------------------- states reached by interaction

interface StateCase {
  name: string;
  principal: Principal;
  url: string;
  /** Brings the page into the state; answers the selector axe should check (the whole page when empty). */
  enter?: (page: Page) => Promise<string | undefined>;
}

const openDialog = async (page: Page, button: { name: string | RegExp; exact?: boolean }) => {
  await page.getByRole("button", button).first().click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await page
    .waitForFunction(() => !document.querySelector("[role=dialog] .animate-pulse"))
    .catch(() => undefined);
  return "[role=dialog]";
};

const STATES: StateCase[] = [
  {
    name: "timeline: the event editor (add)",
    principal: "responder",
    url: TIMELINE_PATH,
    enter: (page) => openDialog(page, { name: "Add event", exact: true }),
  },
  {
    name: "timeline: the event editor (edit)",
    principal: "responder",
    url: TIMELINE_PATH,
    enter: (page) => openDialog(page, { name: /^Edit event: / }),
  },
  {
    name: "timeline: no event matches the filters",
    principal: "responder",
    url: `${TIMELINE_PATH}?q=${encodeURIComponent("zzqx no such event")}`,
  },
  {
    name: "indicators: the add form",
    principal: "responder",
    url: INDICATORS_PATH,
    enter: (page) => openDialog(page, { name: "Add indicator", exact: true }),
  },
  {
    name: "indicators: an indicator's details",
    principal: "responder",
    url: INDICATORS_PATH,
    enter: (page) => openDialog(page, { name: /^Details of / }),
  },
  {
    name: "indicators: the editor",
    principal: "responder",
    url: INDICATORS_PATH,
    enter: async (page) => {
      await openDialog(page, { name: /^Details of / });
      await page.getByRole("dialog").getByRole("button", { name: "Edit indicator" }).click();
      await expect(page.getByRole("dialog").getByRole("heading", { name: "Edit indicator" })).toBeVisible();
      return "[role=dialog]";
    },
  },
  {
    name: "indicators: no indicator matches",
    principal: "responder",
    url: `${INDICATORS_PATH}?q=${encodeURIComponent("zzqx-no-such-indicator")}`,
  },
  {
    name: "indicators: the import review step",
    principal: "responder",
    url: `${INDICATORS_PATH}/import`,
    enter: async (page) => {
      await page
        .getByRole("textbox", { name: "Indicators as text" })
        .fill("203.0.113.7\nhxxps://login-evil[.]example/a\nnot an indicator at all ::\n");
      const dryRun = page.waitForResponse(
        (r) => r.url().includes("/indicators/import") && r.request().method() === "POST",
      );
      await page.getByRole("button", { name: "Recognize" }).click();
      await dryRun;
      await expect(page.getByRole("button", { name: /^Import \d+ indicators?$/ })).toBeVisible();
      return undefined;
    },
  },
  {
    name: "findings: the finding editor (new)",
    principal: "responder",
    url: FINDINGS_PATH,
    enter: (page) => openDialog(page, { name: "New finding", exact: true }),
  },
  {
    name: "findings: the finding editor (edit)",
    principal: "responder",
    url: FINDINGS_PATH,
    enter: async (page) => {
      // The demo data has no finding: make one for the run (removed again after the test).
      const title = `Accessibility check ${RUN_MARKER}`;
      const made = await page.request.post(FINDINGS_API, {
        data: { title, body: "Made by the accessibility spec.", severity: "low", confidence: "low" },
      });
      expect(made.status(), await made.text()).toBe(201);
      await page.reload();
      await settle(page);
      return openDialog(page, { name: `Edit ${title}`, exact: true });
    },
  },
  {
    name: "organizations: the notification move dialog",
    principal: "responder",
    url: ORGANIZATIONS_PATH,
    enter: (page) => openDialog(page, { name: `Record a move for ${STATE_NAME}`, exact: true }),
  },
  {
    name: "organizations: an organization's history",
    principal: "executive",
    url: ORGANIZATIONS_PATH,
    enter: (page) => openDialog(page, { name: `History of ${STATE_NAME}`, exact: true }),
  },
  {
    name: "organizations: nothing matches the filters",
    principal: "executive",
    url: `${ORGANIZATIONS_PATH}?q=${encodeURIComponent("zzqx no such organization")}`,
  },
  {
    name: "not found: an unknown incident",
    principal: "responder",
    url: "/incidents/no-such-incident/timeline",
  },
  {
    name: "not found: an unknown address",
    principal: "responder",
    url: "/no-such-page",
  },
  {
    name: "login: a refused sign-in",
    principal: "anonymous",
    url: "/login",
    enter: async (page) => {
      await page.getByLabel("Email").fill("nobody@dwell.example");
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      // The form's own alert: Next's route announcer is an (empty) alert region too.
      await expect(page.locator("form").getByRole("alert")).toHaveText("Email or password is incorrect.");
      return undefined;
    },
  },
];

test.describe("axe: dialogs, editors, empty and error states", () => {
  test("light and dark themes", async ({ browser }) => {
    test.setTimeout(240_000);
    const contexts = new Map<Principal, BrowserContext>();
    try {
      for (const principal of new Set(STATES.map((s) => s.principal))) {
        contexts.set(principal, await contextFor(browser, principal));
      }
      const found = await inParallel(STATES, 3, async (state) => {
        const page = await (contexts.get(state.principal) as BrowserContext).newPage();
        const where = `${state.name} as ${state.principal}`;
        try {
          return await guarded(where, async () => {
            await page.goto(state.url);
            await settle(page);
            const scope = state.enter ? await state.enter(page) : undefined;
            await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 250)));
            return auditBothThemes(page, where, scope);
          });
        } finally {
          await page.close();
        }
      });
      expectClean(found.flat());
    } finally {
      for (const context of contexts.values()) await context.close();
      await deleteFindingsByTitle(RUN_MARKER);
    }
  });
});

// ---------------------------------------------------------------- charts

test("every chart has a text alternative", async ({ browser }) => {
  const context = await contextFor(browser, "executive");
  try {
    const page = await context.newPage();
    for (const url of ["/dashboard", TIMELINE_PATH]) {
      await page.goto(url);
      await settle(page);
      await expect(page.locator("main .recharts-surface").first()).toBeVisible();
      // A chart (an svg larger than an icon) has a text alternative when it is either named itself
      // (aria-label or aria-labelledby, with a caption or table near it for the numbers), or hidden
      // from assistive technology, without a focus stop, next to a table or caption saying the same.
      const charts = await page.locator("main svg").evaluateAll((svgs) =>
        svgs
          .filter((svg) => {
            const box = svg.getBoundingClientRect();
            return box.width >= 120 && box.height >= 60;
          })
          .map((svg) => {
            const hidden = svg.closest("[aria-hidden='true']") !== null;
            const focusable = [svg, ...svg.querySelectorAll("[tabindex]")].some(
              (el) => el.getAttribute("tabindex") !== null && el.getAttribute("tabindex") !== "-1",
            );
            const name = (svg.getAttribute("aria-labelledby") ?? "")
              .split(/\s+/)
              .map((id) => document.getElementById(id)?.textContent ?? "")
              .join(" ")
              .concat(svg.getAttribute("aria-label") ?? "")
              .trim();
            const around = svg.closest("figure, section, [role='region']");
            const alternative = around?.querySelector("figcaption, table, .sr-only") ?? null;
            return {
              chart: svg.outerHTML.slice(0, 120),
              problem: hidden
                ? focusable
                  ? "hidden but focusable"
                  : alternative
                    ? null
                    : "hidden with no table or caption beside it"
                : !name
                  ? "no accessible name"
                  : alternative
                    ? null
                    : "no caption or table with the numbers",
            };
          }),
      );
      expect(charts.length, `charts on ${url}`).toBeGreaterThan(0);
      const missing = charts.filter((c) => c.problem).map((c) => `${url}: ${c.problem}: ${c.chart}`);
      expect(missing, "charts without a text alternative").toEqual([]);
    }
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------- keyboard

interface Focused {
  tag: string;
  role: string | null;
  name: string;
  href: string | null;
  visible: boolean;
  indicator: boolean;
  inMain: boolean;
}

/** Presses Tab up to `max` times and describes each element focus lands on. */
async function tabThrough(page: Page, max: number): Promise<Focused[]> {
  const seen: Focused[] = [];
  await page.locator("body").focus();
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
      const shadow = style.boxShadow !== "none" && style.boxShadow !== "";
      const box = el.getBoundingClientRect();
      const label =
        el.getAttribute("aria-label") ??
        (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null) ??
        el.closest("label")?.textContent ??
        el.textContent ??
        "";
      return {
        tag: el.tagName.toLowerCase(),
        role: el.getAttribute("role"),
        name: label.replace(/\s+/g, " ").trim().slice(0, 80),
        href: el.getAttribute("href"),
        visible: box.width > 0 && box.height > 0,
        indicator: outline || shadow,
        inMain: el.closest("main") !== null,
      };
    });
    if (!focused) continue;
    seen.push(focused);
  }
  return seen;
}

function describe(list: Focused[]): string {
  return list.map((f) => `${f.tag}${f.role ? `[${f.role}]` : ""} "${f.name}"`).join("\n");
}

// One theme: whether focus reaches an action and carries an outline or ring does not depend on the
// theme (the colours of both themes are checked by axe above).
test.describe("keyboard", () => {
  test.describe.configure({ timeout: 90_000 });
  test("the timeline's and the indicators' actions are reachable, focus always visible", async ({
    browser,
  }) => {
    const context = await contextFor(browser, "responder");
    try {
      const page = await context.newPage();

      await page.goto(TIMELINE_PATH);
      await settle(page);
      const timeline = await tabThrough(page, 60);
      const timelineNames = timeline.map((f) => f.name);
      expect(timeline[0]?.name, "the first stop skips to the content").toBe("Skip to content");
      expect(timelineNames, describe(timeline)).toContain("Add event");
      expect(
        timeline.some((f) => f.inMain && f.tag === "select"),
        "a filter control",
      ).toBe(true);
      expect(
        timeline.some((f) => /^Edit event: /.test(f.name)),
        "an event's edit action",
      ).toBe(true);
      const timelineUnmarked = timeline.filter((f) => f.visible && !f.indicator);
      expect(timelineUnmarked, `focused without a visible indicator:\n${describe(timelineUnmarked)}`).toEqual(
        [],
      );

      // Enter on "Add event" opens the editor; Escape closes it and focus returns to the button.
      await page.getByRole("button", { name: "Add event", exact: true }).focus();
      await page.keyboard.press("Enter");
      await expect(page.getByRole("dialog")).toBeVisible();
      await page.keyboard.press("Escape");
      await expect(page.getByRole("dialog")).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Add event", exact: true })).toBeFocused();

      await page.goto(INDICATORS_PATH);
      await settle(page);
      const indicators = await tabThrough(page, 60);
      const indicatorNames = indicators.map((f) => f.name);
      expect(indicatorNames, describe(indicators)).toContain("Add indicator");
      expect(indicatorNames, describe(indicators)).toContain("Import indicators");
      expect(
        indicators.some((f) => f.inMain && (f.tag === "select" || f.tag === "input")),
        "a filter",
      ).toBe(true);
      expect(
        indicators.some((f) => /^Details of /.test(f.name)),
        "an indicator row's details",
      ).toBe(true);
      const indicatorsUnmarked = indicators.filter((f) => f.visible && !f.indicator);
      expect(
        indicatorsUnmarked,
        `focused without a visible indicator:\n${describe(indicatorsUnmarked)}`,
      ).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

// Findings and search in a browser: a responder writes a finding linked to an event and an indicator
// and edits it while a second responder sees both live; the history shows the change; an executive
// reads findings without write controls (and the server refuses its writes); search finds a seeded
// indicator by its defanged form. Every finding made here is removed afterwards (audit entries stay).
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  deleteFindingsByTitle,
  EVENTS_API,
  FINDINGS_API,
  FINDINGS_PATH,
  INCIDENT,
  INDICATORS_API,
  RUN_MARKER,
  signInDirect,
  uniqueTitle,
} from "./fixtures";

/** A seeded indicator (data/storm-0558.json publishes it as 51.89.156[.]153). */
const SEEDED_IP = "51.89.156.153";
/** How the indicator reads on a page: its value as published, defanged or not. */
const SEEDED_IP_SHOWN = /^51\.89\.156(\[\.\]|\.)153$/;
const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

async function newSignedInPage(browser: Browser, baseURL: string | undefined, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signInDirect(page, email);
  return page;
}

async function seededIds(page: Page): Promise<{ eventId: string; eventTitle: string; indicatorId: string }> {
  const events = await page.request.get(`${EVENTS_API}?limit=1`);
  expect(events.status()).toBe(200);
  const event = ((await events.json()) as { items: { id: string; title: string }[] }).items[0];
  const indicators = await page.request.get(`${INDICATORS_API}?q=${SEEDED_IP}&limit=5`);
  expect(indicators.status()).toBe(200);
  const indicator = (
    (await indicators.json()) as { items: { id: string; normalizedValue: string }[] }
  ).items.find((i) => i.normalizedValue === SEEDED_IP);
  if (!event || !indicator) throw new Error("the seeded event or indicator is missing");
  return { eventId: event.id, eventTitle: event.title, indicatorId: indicator.id };
}

test.afterAll(async () => {
  await deleteFindingsByTitle(RUN_MARKER);
});

test("a responder writes and edits a finding; a second responder sees both live", async ({
  browser,
  baseURL,
}) => {
  const writer = await newSignedInPage(browser, baseURL, "responder@dwell.example");
  const observer = await newSignedInPage(browser, baseURL, "admin@dwell.example");
  try {
    const title = uniqueTitle("Forged tokens from the acquired key");
    const { eventId, eventTitle, indicatorId } = await seededIds(writer);

    await observer.goto(FINDINGS_PATH);
    await expect(observer.getByRole("heading", { name: "Findings", level: 1 })).toBeVisible();
    await expect(observer.getByText("Live", { exact: true })).toBeVisible();

    await writer.goto(FINDINGS_PATH);
    await expect(writer.getByText("Live", { exact: true })).toBeVisible();
    await writer.getByRole("button", { name: "New finding" }).click();
    const dialog = writer.getByRole("dialog", { name: "New finding" });
    await dialog.getByLabel("Title").fill(title);
    await dialog.getByLabel("Body").fill("The actor **forged** tokens.\n\n<script>window.pwned = 1</script>");
    await dialog.getByLabel("Severity").selectOption("high");
    await dialog.getByLabel("Confidence").selectOption("high");
    await dialog.getByLabel("Linked events").selectOption(eventId);
    await dialog.getByLabel("Linked indicators").selectOption(indicatorId);
    await dialog.getByLabel("ATT&CK techniques").fill("T1606");
    await dialog.getByRole("button", { name: "Add evidence" }).click();
    await dialog.getByLabel("Evidence 1 description").fill("Sign-in logs");
    await dialog.getByLabel("Evidence 1 location").fill("Case share /storm-0558/logs.zip");
    await dialog.getByLabel("Evidence 1 SHA-256").fill("not-a-hash");
    await dialog.getByRole("button", { name: "Save finding" }).click();
    // The field is named, and nothing was stored.
    await expect(dialog.getByRole("alert")).toContainText("evidence.0.sha256");
    await expect(dialog.getByText(/^sha256 must be 64 hexadecimal characters/)).toBeVisible();
    await dialog.getByLabel("Evidence 1 SHA-256").fill(SHA);
    await dialog.getByRole("button", { name: "Save finding" }).click();
    await expect(dialog).toBeHidden();

    const card = writer.getByRole("article", { name: title });
    await expect(card).toBeVisible();
    await expect(card.locator("strong", { hasText: "forged" })).toBeVisible();
    await expect(card.locator("script")).toHaveCount(0);
    await expect(card.getByRole("link", { name: eventTitle })).toBeVisible();
    await expect(card.getByRole("link", { name: SEEDED_IP_SHOWN })).toBeVisible();
    await expect(card.getByText(`sha256 ${SHA}`)).toBeVisible();
    await expect(card.getByText("draft")).toBeVisible();

    // The observer never reloaded.
    const seen = observer.getByRole("article", { name: title });
    await expect(seen).toBeVisible();
    await expect(seen.getByRole("link", { name: SEEDED_IP_SHOWN })).toBeVisible();

    await card.getByRole("button", { name: `Edit ${title}` }).click();
    const edit = writer.getByRole("dialog", { name: "Edit finding" });
    await expect(edit.getByLabel("Title")).toHaveValue(title);
    await edit.getByLabel("Status").selectOption("confirmed");
    await edit.getByRole("button", { name: "Save finding" }).click();
    await expect(edit).toBeHidden();
    await expect(card.getByText("confirmed", { exact: true })).toBeVisible();
    await expect(card.getByText(/Version 2/)).toBeVisible();
    await expect(seen.getByText("confirmed", { exact: true })).toBeVisible();

    await seen.getByRole("button", { name: `History of ${title}` }).click();
    const history = observer.getByRole("dialog", { name: `History: ${title}` });
    await expect(history.getByText(/Changed \(version 2\) by responder@dwell\.example/)).toBeVisible();
    const statusRow = history.getByRole("row", { name: /status/ }).first();
    await expect(statusRow).toContainText("draft");
    await expect(statusRow).toContainText("confirmed");
    await expect(history.getByText(/Created \(version 1\)/)).toBeVisible();
  } finally {
    await writer.context().close();
    await observer.context().close();
  }
});

test("an executive reads findings without write controls; the server refuses its writes", async ({
  browser,
  baseURL,
}) => {
  const responder = await newSignedInPage(browser, baseURL, "responder@dwell.example");
  const executive = await newSignedInPage(browser, baseURL, "executive@dwell.example");
  try {
    const title = uniqueTitle("Executive-visible finding");
    const created = await responder.request.post(FINDINGS_API, {
      data: { title, body: "Read-only for executives.", severity: "medium", confidence: "medium" },
    });
    expect(created.status(), await created.text()).toBe(201);

    await executive.goto(`${FINDINGS_PATH}?q=${encodeURIComponent(title)}`);
    const card = executive.getByRole("article", { name: title });
    await expect(card).toBeVisible();
    await expect(executive.getByRole("button", { name: "New finding" })).toHaveCount(0);
    await expect(card.getByRole("button", { name: /^Edit/ })).toHaveCount(0);
    await expect(card.getByRole("button", { name: `History of ${title}` })).toBeVisible();

    const refused = await executive.request.post(FINDINGS_API, {
      data: { title: `${title} (never)`, body: "x", severity: "low", confidence: "low" },
    });
    expect(refused.status()).toBe(403);
    const id = ((await created.json()) as { id: string }).id;
    const patch = await executive.request.patch(`${FINDINGS_API}/${id}`, {
      data: { title: "x", version: 1 },
    });
    expect(patch.status()).toBe(403);
  } finally {
    await responder.context().close();
    await executive.context().close();
  }
});

test("search finds a seeded indicator by its defanged form, grouped by kind", async ({
  browser,
  baseURL,
}) => {
  const executive = await newSignedInPage(browser, baseURL, "executive@dwell.example");
  const agency = await newSignedInPage(browser, baseURL, "state@agency.example");
  try {
    await executive.goto(`/incidents/${INCIDENT}/timeline`);
    await executive.getByRole("link", { name: "Search" }).click();
    await executive.getByLabel("Search this incident").fill("51.89.156[.]153");
    await executive.getByLabel("Search this incident").press("Enter");
    await expect(executive).toHaveURL(/\/search\?q=51\.89\.156%5B\.%5D153/);
    const indicators = executive.getByRole("region", { name: /Indicators/ });
    const hit = indicators.getByRole("link", { name: SEEDED_IP_SHOWN });
    await expect(hit).toBeVisible();
    await expect(indicators.getByText("exact match")).toBeVisible();
    for (const kind of [/Timeline events/, /Findings/, /Organizations/]) {
      await expect(executive.getByRole("region", { name: kind })).toBeVisible();
    }
    await hit.click();
    await expect(executive).toHaveURL(/\/indicators\?q=51\.89\.156/);
    await expect(executive.getByText(SEEDED_IP_SHOWN).first()).toBeVisible();

    // Agency users may see part of the incident only: search is refused, and the page does not exist for them.
    const refused = await agency.request.get(`/api/v1/incidents/${INCIDENT}/search?q=storm`);
    expect(refused.status()).toBe(403);
    const page = await agency.goto(`/incidents/${INCIDENT}/search?q=storm`);
    expect(page?.status()).toBe(404);
    const findings = await agency.request.get(FINDINGS_API);
    expect(findings.status()).toBe(403);
  } finally {
    await executive.context().close();
    await agency.context().close();
  }
});

// Live updates across two app instances that share nothing but the database: an event created through
// server A appears on a timeline served by server B, a separate `next start` process this spec runs.
import { expect, test } from "@playwright/test";
import {
  createEventViaApi,
  deleteEvents,
  deleteRunEvents,
  eventBody,
  signIn,
  signInDirect,
  startExtraServer,
  TIMELINE_PATH,
  uniqueTitle,
} from "./fixtures";

// The test deletes its event itself; this catches it when the test timed out before its clean-up.
test.afterAll(async ({ browser }, testInfo) => {
  await deleteRunEvents(browser, testInfo.project.use.baseURL);
});

test("an event created through one app instance appears live on a timeline served by another", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const serverB = await startExtraServer();
  const port = serverB.port;
  const title = uniqueTitle("Second instance: CISA publishes AA23-193A");
  const warmUp = uniqueTitle("Second instance: warm-up");
  const viewerContext = await browser.newContext({ baseURL: serverB.url });
  try {
    // The viewer is on B only: its page, its session and its event stream all come from B.
    const viewer = await viewerContext.newPage();
    await signInDirect(viewer, "admin@dwell.example");
    await viewer.goto(TIMELINE_PATH);
    expect(new URL(viewer.url()).port).toBe(String(port));
    await expect(viewer.getByRole("status").filter({ hasText: "● Live" })).toBeVisible();
    await expect(viewer.getByText(title)).toHaveCount(0);

    // The writer is on A, the Playwright web server.
    await signIn(page, "responder@dwell.example");
    expect(new URL(page.url()).port).not.toBe(String(port));

    // B has just started: the first change it relays loads the code of every route a live update
    // touches (the events list, the chart's buckets, the page refresh), which on a busy machine can
    // take longer than the window below. That first change gets a generous wait; the second is measured.
    await createEventViaApi(page.request, eventBody(warmUp));
    await expect(viewer.getByTestId("timeline-event").filter({ hasText: warmUp })).toBeVisible({
      timeout: 20_000,
    });

    await createEventViaApi(page.request, eventBody(title));

    await expect(viewer.getByTestId("timeline-event").filter({ hasText: title })).toBeVisible({
      timeout: 2000,
    });
  } finally {
    // Server B goes first: whatever else fails below, no process outlives the spec.
    await viewerContext.close();
    await serverB.stop();
    await testInfo.attach("server B output", { body: serverB.output(), contentType: "text/plain" });
    await deleteEvents(page.request, title);
    await deleteEvents(page.request, warmUp);
  }
});

// Live updates across two app instances that share nothing but the database: an event created through
// server A appears on a timeline served by server B, a separate `next start` process this spec runs.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import {
  createEventViaApi,
  deleteEvents,
  deleteRunEvents,
  eventBody,
  freePort,
  signIn,
  TIMELINE_PATH,
  uniqueTitle,
} from "./fixtures";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
// playwright.config.ts gives server A this secret when NEXTAUTH_SECRET is unset; B must match A's env.
const DEFAULT_E2E_SECRET = "e2e-secret-e2e-secret-e2e-secret-e2e-secret";

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}

// The test deletes its event itself; this catches it when the test timed out before its clean-up.
test.afterAll(async ({ browser }, testInfo) => {
  await deleteRunEvents(browser, testInfo.project.use.baseURL);
});

test("an event created through one app instance appears live on a timeline served by another", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(READY_TIMEOUT_MS + 60_000);
  const databaseUrl = process.env.DATABASE_URL;
  // Server A got DATABASE_URL from this environment too; without it there is nothing to share.
  expect(databaseUrl, "DATABASE_URL must name the e2e database").toBeTruthy();

  const port = await freePort();
  const serverB = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(
    path.join(PROJECT_ROOT, "node_modules/.bin/next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? DEFAULT_E2E_SECRET,
        NEXTAUTH_URL: serverB,
        NEXT_TELEMETRY_DISABLED: "1",
        DWELL_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  const title = uniqueTitle("Second instance: CISA publishes AA23-193A");
  const viewerContext = await browser.newContext({ baseURL: serverB });
  try {
    await expect
      .poll(
        async () => {
          if (child.exitCode !== null) throw new Error(`server B exited with ${child.exitCode}:\n${output}`);
          try {
            return (await fetch(`${serverB}/api/health`)).status;
          } catch {
            return 0;
          }
        },
        { timeout: READY_TIMEOUT_MS, intervals: [250] },
      )
      .toBe(200);

    // The viewer is on B only: its page, its session and its event stream all come from B.
    const viewer = await viewerContext.newPage();
    await signIn(viewer, "admin@dwell.example");
    await viewer.goto(TIMELINE_PATH);
    expect(new URL(viewer.url()).port).toBe(String(port));
    await expect(viewer.getByRole("status").filter({ hasText: "● Live" })).toBeVisible();
    await expect(viewer.getByText(title)).toHaveCount(0);

    // The writer is on A, the Playwright web server.
    await signIn(page, "responder@dwell.example");
    expect(new URL(page.url()).port).not.toBe(String(port));
    await createEventViaApi(page.request, eventBody(title));

    await expect(viewer.getByTestId("timeline-event").filter({ hasText: title })).toBeVisible({
      timeout: 2000,
    });
  } finally {
    // Server B goes first: whatever else fails below, no process outlives the spec.
    await viewerContext.close();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      if ((await waitForExit(child, STOP_TIMEOUT_MS)) === "timeout") {
        child.kill("SIGKILL");
        await waitForExit(child, STOP_TIMEOUT_MS);
      }
    }
    await testInfo.attach("server B output", { body: output, contentType: "text/plain" });
    await deleteEvents(page.request, title);
  }
});

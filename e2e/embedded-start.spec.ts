// `npm start` on a machine with no database: scripts/start.ts with no DATABASE_URL and an empty data
// folder brings up an embedded Postgres with the Storm-0558 demo, and Ctrl-C stops everything cleanly.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "./fixtures";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

/** Live Postgres processes of a cluster: Postgres chdirs into its data folder (zombies do not count). */
function serverProcesses(dataDir: string): number[] {
  if (process.platform !== "linux" || !existsSync(dataDir)) return [];
  const real = realpathSync(dataDir);
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        return readlinkSync(`/proc/${name}/cwd`) === real && stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
      } catch {
        return false;
      }
    })
    .map(Number);
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null | "timeout"> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

test("npm start with no DATABASE_URL serves the Storm-0558 demo from an embedded Postgres and stops cleanly", async ({
  page,
}, testInfo) => {
  test.setTimeout(READY_TIMEOUT_MS + 90_000);
  const dataRoot = await fs.mkdtemp(path.join(os.tmpdir(), "dwell-e2e-start-"));
  // mkdtemp makes it 0700; opened up so that, run as root, the server's `postgres` user can reach the
  // cluster here (the unreachable case, and its fallback, are covered by lib/db/embedded.int.test.ts).
  await fs.chmod(dataRoot, 0o755);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DWELL_DATA_DIR: dataRoot,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    // The browser below uses 127.0.0.1; next-auth's redirects must stay on that origin for its cookie.
    NEXTAUTH_URL: baseUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
  };
  delete env.DATABASE_URL;
  delete env.NEXTAUTH_SECRET;

  let output = "";
  // --no-build: the pipeline builds before Playwright runs; a missing build fails fast, never rebuilds.
  // As `npm start` runs it (node with tsx's loader, no tsx CLI in between).
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--no-build"], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  let clusterDir = path.join(dataRoot, "postgres");
  try {
    await expect
      .poll(
        () => {
          if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
          // The banner ends with this line; everything checked below is printed before it.
          return /dwell: Dwell is ready at /.test(output) && output.includes("dwell: Press Ctrl-C to stop.");
        },
        { timeout: READY_TIMEOUT_MS, intervals: [250] },
      )
      .toBe(true);

    clusterDir = /Database: embedded Postgres in (\S+?)[,:] /.exec(output)?.[1] ?? clusterDir;
    expect(output).toContain("Loading the Storm-0558 demo data.");
    expect(output).toContain("Demo data (Storm-0558) is in use.");
    expect(output).toContain("responder@dwell.example");
    expect(output).toContain("dwell-demo-2023");
    expect(output).not.toMatch(/postgresql:\/\/dwell:(?!\*{4})[^@]*@/);
    const secret = await fs.stat(path.join(dataRoot, "auth-secret"));
    expect(secret.mode & 0o077).toBe(0);

    const health = await page.request.get(`${baseUrl}/api/health`);
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", db: "ok" });

    await page.goto(`${baseUrl}/login`);
    await page.getByLabel("Email").fill("responder@dwell.example");
    await page.getByLabel("Password").fill("dwell-demo-2023");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/incidents\/storm-0558(\/|$)/);
    await expect(page.getByText("Dwell time").first()).toBeVisible();
    await expect(page.getByText("15 May 2023").first()).toBeVisible();
    await expect(page.getByText("16 Jun 2023").first()).toBeVisible();
    expect(serverProcesses(clusterDir).length).toBeGreaterThan(0);

    child.kill("SIGINT");
    expect(await waitForExit(child, STOP_TIMEOUT_MS)).toBe(0);
    expect(output).toContain("Stopped Next.js and the embedded Postgres.");
    expect(serverProcesses(clusterDir)).toEqual([]);
    expect(existsSync(path.join(clusterDir, "postmaster.pid"))).toBe(false);
  } finally {
    await testInfo.attach("npm start output", { body: output, contentType: "text/plain" });
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      if ((await waitForExit(child, STOP_TIMEOUT_MS)) === "timeout") child.kill("SIGKILL");
    }
    await fs.rm(dataRoot, { recursive: true, force: true });
    // A fallback cluster (see lib/db/embedded.ts) lives in a dwell-<hash> folder of its own.
    const fallbackRoot = path.dirname(clusterDir);
    if (/\/dwell-[0-9a-f]{16}$/.test(fallbackRoot))
      await fs.rm(fallbackRoot, { recursive: true, force: true });
  }
});

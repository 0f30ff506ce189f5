// `npm start` (and `npm run dev` with --dev): brings Dwell up with one command. Without DATABASE_URL it
// runs an embedded Postgres under .data/ and loads the Storm-0558 demo on first start; it builds when no
// production build exists, serves with `next start`, and on Ctrl-C stops Next and then Postgres.
//
// Flags: --dev runs `next dev` instead of build + start; --no-build never builds and stops with a
// sentence when .next/BUILD_ID is missing (for pipelines that build first, like the e2e suite).
import { isRunning, stopChild } from "./child-process.ts";
import { nextServerArgs, webProcesses } from "./next-server.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import {
  EmbeddedPostgresError,
  makeDirectory,
  resolveDataDir,
  startEmbeddedPostgres,
  type DataLayout,
  type EmbeddedPostgres,
} from "../lib/db/embedded.ts";
import { applyMigrations, MigrationError } from "../lib/db/migrate.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from "../lib/domain/seed/demo.ts";
import { ConfigError, readEnv, type Env } from "../lib/env.ts";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");
const HEALTH_TIMEOUT_MS = 120_000;
const CHILD_STOP_GRACE_MS = 10_000;

/** A problem the person starting Dwell can fix; its message is one sentence saying how. */
class StartupError extends Error {
  override name = "StartupError";
}

function say(line: string): void {
  console.log(`dwell: ${line}`);
}

function sayError(line: string): void {
  console.error(`dwell: ${line}`);
}

// --------------------------------------------------------------------------- shutdown

let shuttingDown = false;
let embeddedStart: Promise<EmbeddedPostgres> | undefined;
let nextChild: ChildProcess | undefined;
let buildChild: ChildProcess | undefined;
let nextPidFile: string | undefined;

/** Next first (it may still be answering requests that need the database), then Postgres. */
async function shutdown(exitCode: number, reason?: string): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    if (reason) (exitCode === 0 ? say : sayError)(reason);
    await stopChild(buildChild);
    await stopChild(nextChild);
    if (nextPidFile) await fs.rm(nextPidFile, { force: true }).catch(() => undefined);
    const embedded = await embeddedStart?.catch(() => undefined);
    await embedded?.stop();
    // After a failure the sentence above is the whole story.
    if (exitCode === 0) say(embedded ? "Stopped Next.js and the embedded Postgres." : "Stopped.");
    process.exit(exitCode);
  }
  // A second signal while stopping: the first shutdown exits when it is done.
  return new Promise<never>(() => undefined);
}

function watchForShutdown(): void {
  let firstSignalAt = 0;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (!shuttingDown) {
        firstSignalAt = Date.now();
        void shutdown(0, "Stopping Dwell.");
      } else if (Date.now() - firstSignalAt > 2_000) {
        // A terminal's Ctrl-C also arrives relayed by npm; only a later, deliberate one gets an answer.
        say("Still stopping; one moment.");
      }
    });
  }
  // `npm start` runs this file as npm's child (`node --import tsx`, in-process: tsx's own CLI would sit
  // in between and SIGKILL this process when it does not acknowledge a signal within 30 ms, which a
  // busy machine misses). When npm is killed (kill -9), nothing tells us, and Next and Postgres would
  // run on with no one to stop them. A changed parent pid means it is gone.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && !shuttingDown) {
      void shutdown(0, "The process that started Dwell went away; stopping Dwell.");
    }
  }, 1_000).unref();
}

// --------------------------------------------------------------------------- configuration checks

async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await makeDirectory(dir);
    await fs.access(dir, fs.constants.W_OK);
  } catch (error) {
    throw new StartupError(
      `Cannot write to the data folder ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); make it writable, or set DWELL_DATA_DIR to a folder you can write.`,
    );
  }
}

function portCheck(port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

// Checked before building or starting anything, so a busy port costs a second, not a build.
async function assertPortFree(port: number, host: string): Promise<void> {
  const error = await portCheck(port, host);
  if (!error) return;
  if (error.code === "EADDRINUSE") {
    throw new StartupError(
      `Port ${port} is in use; stop what uses it or start with PORT=${port === 65535 ? 3001 : port + 1} npm start.`,
    );
  }
  if (error.code === "EACCES") {
    throw new StartupError(`Port ${port} needs administrator rights; start with PORT=3000 npm start.`);
  }
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") {
    throw new StartupError(
      `HOSTNAME ${host} is not an address of this machine; leave HOSTNAME unset (127.0.0.1) or set it to 0.0.0.0.`,
    );
  }
  throw new StartupError(
    `Cannot listen on ${host}:${port} (${error.code ?? error.message}); try another PORT.`,
  );
}

async function loadOrCreateAuthSecret(file: string): Promise<string> {
  try {
    const existing = (await fs.readFile(file, "utf8")).trim();
    if (existing.length >= 32) {
      if (((await fs.stat(file)).mode & 0o077) !== 0) await fs.chmod(file, 0o600);
      return existing;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  // Sessions survive restarts only if the secret does, so it is made once and kept.
  const secret = randomBytes(48).toString("base64url");
  await fs.writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

// --------------------------------------------------------------------------- databases

function describeUrl(url: string): { where: string; masked: string; database: string; host: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "(default database)";
  const host = `${parsed.hostname || "localhost"}:${parsed.port || "5432"}`;
  if (parsed.password) parsed.password = "****";
  return { where: `${host}/${database}`, masked: parsed.toString(), database, host };
}

function explainConnectionError(error: unknown, url: string): string {
  const { where, database, host } = describeUrl(url);
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  const fallback = "or unset it to use the embedded database";
  switch (e.code) {
    case "ECONNREFUSED":
      return `Nothing answers at ${host} (DATABASE_URL); start that Postgres server, fix DATABASE_URL, ${fallback}.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host in DATABASE_URL (${host}) cannot be found; fix DATABASE_URL, ${fallback}.`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `The database at ${host} (DATABASE_URL) cannot be reached (${e.code}); check the network or DATABASE_URL, ${fallback}.`;
    case "28P01":
    case "28000":
      return `The database at ${where} refused the login (${message}); fix the user or password in DATABASE_URL.`;
    case "3D000":
      return `The database "${database}" does not exist on ${host}; create it (createdb ${database}) or fix DATABASE_URL.`;
  }
  if (/timeout/i.test(message)) {
    return `The database at ${host} (DATABASE_URL) did not answer within 10 s; check that it is running and reachable, ${fallback}.`;
  }
  return `Cannot use the database at ${where} (DATABASE_URL): ${message.replace(/\.$/, "")}.`;
}

async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A failed connect may also emit 'error'; the rejected promise below already reports it.
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new StartupError(explainConnectionError(error, url));
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function migrate(url: string): Promise<void> {
  const result = await applyMigrations(url);
  if (result.applied.length > 0)
    say(`Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}.`);
}

async function countIncidents(url: string): Promise<{ incidents: number; demo: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ incidents: number; demo: number }>(
      "SELECT count(*)::int AS incidents, count(*) FILTER (WHERE is_demo)::int AS demo FROM incident",
    );
    return rows[0] ?? { incidents: 0, demo: 0 };
  } finally {
    await client.end();
  }
}

interface DatabaseChoice {
  url: string;
  /** For the ready banner. */
  description: string;
  hasDemo: boolean;
}

async function connectConfiguredDatabase(url: string): Promise<DatabaseChoice> {
  const { where, masked } = describeUrl(url);
  await assertReachable(url);
  await migrate(url);
  say(
    `Using the database at ${where} (DATABASE_URL). No demo data is loaded; \`npm run db:seed -- --demo\` loads it, \`npm run user:create\` makes the first admin.`,
  );
  const { demo } = await countIncidents(url);
  return { url, description: `${masked} (DATABASE_URL)`, hasDemo: demo > 0 };
}

async function startEmbeddedDatabase(env: Env, layout: DataLayout): Promise<DatabaseChoice> {
  say("Starting the embedded Postgres (no DATABASE_URL is set).");
  embeddedStart = startEmbeddedPostgres({
    dataDir: layout.postgresDir,
    port: env.DWELL_EMBEDDED_PG_PORT,
    log: say,
  });
  const embedded = await embeddedStart;
  void embedded.exited.then((exit) => {
    if (exit.expected || shuttingDown) return;
    const last = exit.logTail.filter(Boolean).at(-1) ?? `exit code ${exit.code ?? exit.signal}`;
    void shutdown(1, `The embedded Postgres stopped unexpectedly (${last.trim()}); stopping Dwell.`);
  });
  if (embedded.initialised) say(`Created a new database in ${embedded.dataDir}.`);
  await migrate(embedded.url);

  const { incidents, demo } = await countIncidents(embedded.url);
  let hasDemo = demo > 0;
  if (embedded.initialised || incidents === 0) {
    say("Loading the Storm-0558 demo data.");
    const seeded = await seedDemoData(embedded.url);
    const { events, indicators, organizations } = seeded.counts;
    say(
      `Demo data is in use: the Storm-0558 incident with ${events} timeline events, ${indicators} indicators and ${organizations} affected organizations.`,
    );
    hasDemo = true;
  }
  const { masked } = describeUrl(embedded.url);
  const notThere = embedded.fallbackReason
    ? `, not in ${embedded.requestedDataDir} (unreachable for the postgres user)`
    : "";
  return {
    url: embedded.url,
    description: `embedded Postgres in ${embedded.dataDir}${notThere}: ${masked}, password in ${path.join(embedded.dataDir, "dwell-password")}`,
    hasDemo,
  };
}

// --------------------------------------------------------------------------- Next.js

function processCwd(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return false;
  } catch {
    // No /proc: trust kill(0).
  }
  return true;
}

/**
 * A Next.js server a killed run left behind would hold the port forever: stop it when the run that
 * started it is gone and the process is still a Next.js of this project.
 */
async function clearStaleNext(pidFile: string): Promise<void> {
  let text: string;
  try {
    text = await fs.readFile(pidFile, "utf8");
  } catch {
    return;
  }
  const [nextPid, ownerPid] = text.split("\n").map((part) => Number.parseInt(part, 10));
  if (ownerPid !== undefined && ownerPid !== process.pid && isAlive(ownerPid)) return;
  if (nextPid !== undefined && Number.isInteger(nextPid) && isAlive(nextPid)) {
    const cmdline = (() => {
      try {
        return readFileSync(`/proc/${nextPid}/cmdline`, "utf8");
      } catch {
        return "";
      }
    })();
    if (processCwd(nextPid) === realpathSync(PROJECT_ROOT) && /next/.test(cmdline)) {
      process.kill(nextPid, "SIGTERM");
      const deadline = Date.now() + CHILD_STOP_GRACE_MS;
      while (isAlive(nextPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (isAlive(nextPid)) {
        try {
          process.kill(nextPid, "SIGKILL");
        } catch {
          // It went away on its own after all.
        }
      }
      say(`Stopped a Next.js server (pid ${nextPid}) that an earlier run left running.`);
    }
  }
  await fs.rm(pidFile, { force: true });
}

function runBuild(env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    buildChild = spawn(process.execPath, nextServerArgs("build"), {
      cwd: PROJECT_ROOT,
      env,
      stdio: "inherit",
    });
    buildChild.once("error", reject);
    buildChild.once("exit", (code) => resolve(code));
  });
}

function browserUrl(host: string, port: number): string {
  const local = ["127.0.0.1", "localhost", "0.0.0.0", "::", "::1"].includes(host);
  return `http://${local ? "localhost" : host.includes(":") ? `[${host}]` : host}:${port}`;
}

function probeUrl(host: string, port: number): string {
  const wildcard = host === "0.0.0.0" || host === "::";
  const target = wildcard ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${target}:${port}/api/health`;
}

/** Resolves with the last status seen; 200 means ready. */
async function waitForHealth(url: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline && !shuttingDown) {
    if (!isRunning(nextChild)) return "Next.js exited";
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return "200";
      last = `HTTP ${response.status}`;
    } catch {
      last = "no answer";
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return last;
}

// --------------------------------------------------------------------------- main

function parseFlags(): { dev: boolean; noBuild: boolean } {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: { dev: { type: "boolean" }, "no-build": { type: "boolean" } },
      strict: true,
    });
    return { dev: values.dev ?? false, noBuild: values["no-build"] ?? false };
  } catch (error) {
    throw new StartupError(
      `${(error as Error).message.replace(/\.$/, "")}; npm start takes --dev or --no-build.`,
    );
  }
}

async function main(): Promise<void> {
  watchForShutdown();
  const flags = parseFlags();
  const env = readEnv();
  const layout = resolveDataDir(PROJECT_ROOT, env.DWELL_DATA_DIR);
  await ensureWritableDir(layout.root);
  nextPidFile = layout.nextPidFile;
  await clearStaleNext(layout.nextPidFile);
  await assertPortFree(env.PORT, env.HOSTNAME);

  const database = env.DATABASE_URL
    ? await connectConfiguredDatabase(env.DATABASE_URL)
    : await startEmbeddedDatabase(env, layout);

  let authSecret = env.NEXTAUTH_SECRET;
  if (!authSecret) {
    try {
      authSecret = await loadOrCreateAuthSecret(layout.authSecretFile);
    } catch (error) {
      throw new StartupError(
        `Cannot keep the sign-in secret in ${layout.authSecretFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); make ${layout.root} writable, or set NEXTAUTH_SECRET.`,
      );
    }
  }
  const url = browserUrl(env.HOSTNAME, env.PORT);
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: authSecret,
    NEXTAUTH_URL: env.NEXTAUTH_URL ?? url,
    PORT: String(env.PORT),
    HOSTNAME: env.HOSTNAME,
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
  };

  if (!flags.dev && !existsSync(path.join(PROJECT_ROOT, ".next", "BUILD_ID"))) {
    if (flags.noBuild) {
      throw new StartupError(
        "There is no production build (.next/BUILD_ID) and --no-build was given; run `npm run build` first.",
      );
    }
    say("No production build yet; running `next build` (about a minute).");
    const code = await runBuild(childEnv);
    if (shuttingDown) return;
    if (code !== 0)
      throw new StartupError("The build failed (see its output above); fix it and run npm start again.");
  }
  // Another process may have taken the port while we built.
  await assertPortFree(env.PORT, env.HOSTNAME);

  const mode = flags.dev ? "dev" : "start";
  const processes = webProcesses(env);
  nextChild = spawn(process.execPath, nextServerArgs(mode, Number(env.PORT), env.HOSTNAME, processes), {
    cwd: PROJECT_ROOT,
    env: childEnv,
    stdio: "inherit",
  });
  nextChild.once("exit", (code, signal) => {
    if (!shuttingDown) void shutdown(1, `Next.js exited unexpectedly (${code ?? signal}); stopping Dwell.`);
  });
  await fs.writeFile(layout.nextPidFile, `${nextChild.pid ?? ""}\n${process.pid}\n`);

  const health = await waitForHealth(
    probeUrl(env.HOSTNAME, env.PORT),
    flags.dev ? 3 * HEALTH_TIMEOUT_MS : HEALTH_TIMEOUT_MS,
  );
  if (shuttingDown) return;
  // The banner goes out in one write, so whoever reads the output sees all of it at once.
  const banner: string[] = [
    health === "200"
      ? `Dwell is ready at ${url}`
      : `Dwell is running at ${url}, but /api/health answers ${health}; see the output above.`,
    `Database: ${database.description}.`,
  ];
  if (mode === "start") {
    banner.push(
      processes === 1
        ? "One server process (DWELL_WEB_PROCESSES sets how many)."
        : `${processes} server processes share the port (DWELL_WEB_PROCESSES sets how many).`,
    );
  }
  if (database.hasDemo) {
    banner.push(`Demo data (Storm-0558) is in use. Demo accounts, all with the password ${DEMO_PASSWORD}:`);
    const width = Math.max(...DEMO_ACCOUNTS.map((account) => account.email.length));
    for (const account of DEMO_ACCOUNTS) {
      const scope = account.organization ? ` (${account.organization})` : "";
      banner.push(`  ${account.email.padEnd(width)}  ${account.role}${scope}`);
    }
  }
  banner.push("Press Ctrl-C to stop.");
  console.log(banner.map((line) => `dwell: ${line}`).join("\n"));
}

function sentenceFor(error: unknown): string | undefined {
  if (
    error instanceof StartupError ||
    error instanceof ConfigError ||
    error instanceof EmbeddedPostgresError ||
    error instanceof MigrationError
  ) {
    return error.message;
  }
  return undefined;
}

main().catch(async (error: unknown) => {
  // Errors from work that a shutdown interrupted (a stopped database under a migration) say nothing new.
  if (shuttingDown) return;
  const sentence = sentenceFor(error);
  if (sentence) {
    await shutdown(1, sentence);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (readEnvSafe()?.DWELL_LOG_LEVEL === "debug") console.error(error);
  await shutdown(
    1,
    `Start-up failed: ${message.replace(/\.$/, "")}. Run again with DWELL_LOG_LEVEL=debug to see where.`,
  );
});

function readEnvSafe(): Env | undefined {
  try {
    return readEnv();
  } catch {
    return undefined;
  }
}

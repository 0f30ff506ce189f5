// `npm run test:resilience`: kills Postgres in the middle of a write load and brings it back, against a
// production build (`next start`), and checks what the app promises about it:
// - no write that was answered 2xx is lost (checked before any retry, so a retry cannot hide a loss);
// - every request while the database is away answers 503 within 5 s (none hangs, none answers 500), and
//   GET /api/health says 503;
// - the same Next.js process serves writes again within 5 s of Postgres accepting connections;
// - retrying every write that was not answered 2xx, with the same Idempotency-Key, creates each event
//   exactly once (a write that committed but whose answer was lost is replayed, not repeated).
//
// It never touches the machine's Postgres: it starts a private embedded Postgres (durable settings:
// fsync and synchronous commit on) on a free port in a temporary folder, migrates it, loads the demo data,
// and stops it with `pg_ctl stop -m immediate` (a crash: no shutdown checkpoint, recovery on restart).
// Flags: --writers N (concurrent responder clients, default 8), --outage 8s (how long Postgres stays
// down), --load 6s (writes before the kill and after the recovery).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readlinkSync, statSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../lib/db/embedded.ts";
import { applyMigrations } from "../lib/db/migrate.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from "../lib/domain/seed/demo.ts";
import {
  freePort,
  HttpClient,
  productionBuild,
  signIn,
  startNextServer,
  type NextServer,
} from "./bench-http.ts";

const INCIDENT = "storm-0558";
const EVENTS_PATH = `/api/v1/incidents/${INCIDENT}/events`;
/** The promise under test: a request while the database is away answers within this. */
const ANSWER_WITHIN_MS = 5_000;
/** …and writes succeed again within this of Postgres accepting connections. */
const RECOVER_WITHIN_MS = 5_000;
/** A request still unanswered after this counts as hung. */
const CLIENT_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

function parseSeconds(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (!match) throw new Error(`--${flag} takes a duration such as 8s, 1500ms or 1m (got "${raw}")`);
  const value = Number(match[1]);
  return match[2] === "ms" ? value / 1000 : match[2] === "m" ? value * 60 : value;
}

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { writers: { type: "string" }, outage: { type: "string" }, load: { type: "string" } },
    strict: true,
  });
  const writers = values.writers === undefined ? 8 : Number.parseInt(values.writers, 10);
  if (!Number.isInteger(writers) || writers < 1 || writers > 100) throw new Error("--writers takes 1 to 100");
  return {
    writers,
    outageMs: parseSeconds("outage", values.outage, 8) * 1000,
    loadMs: parseSeconds("load", values.load, 6) * 1000,
  };
}

// ------------------------------------------------------------------ the requests and their ledger

interface Attempt {
  key: string;
  title: string;
  /** The exact body sent: a retry must send the same bytes to be "the same request". */
  body: string;
  startedAt: number;
  endedAt: number;
  /** HTTP status, or 0 when no answer came (connection error or client timeout). */
  status: number;
  error?: string;
}

async function post(
  origin: string,
  cookie: string,
  key: string,
  body: string,
): Promise<Omit<Attempt, "key" | "title" | "body">> {
  const startedAt = now();
  try {
    const response = await fetch(`${origin}${EVENTS_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "idempotency-key": key },
      body,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return { startedAt, endedAt: now(), status: response.status };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return {
      startedAt,
      endedAt: now(),
      status: 0,
      error: e.name === "TimeoutError" ? "no answer within 15 s" : (e.cause?.code ?? e.message),
    };
  }
}

async function getStatus(url: string): Promise<{ at: number; ms: number; status: number }> {
  const startedAt = now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    await response.arrayBuffer();
    return { at: startedAt, ms: now() - startedAt, status: response.status };
  } catch {
    return { at: startedAt, ms: now() - startedAt, status: 0 };
  }
}

function eventBody(title: string): string {
  return JSON.stringify({
    occurredAt: "2023-06-22",
    precision: "day",
    lane: "response",
    phase: "investigation",
    title,
    source: "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a",
    verification: "primary",
    tlp: "CLEAR",
  });
}

// ------------------------------------------------------------------ Postgres: kill and restart

/** `pg_ctl stop -m immediate` on the cluster, as the user the server runs as (postgres, when we are root). */
async function killPostgres(server: EmbeddedPostgres): Promise<void> {
  // The pg_ctl beside the running server's own binary (start-up may have copied the binaries elsewhere).
  const postgresBinary = readlinkSync(`/proc/${server.pid}/exe`);
  const pgCtl = path.join(path.dirname(postgresBinary), "pg_ctl");
  if (!existsSync(pgCtl)) throw new Error(`no pg_ctl beside ${postgresBinary}`);
  const owner = statSync(server.dataDir);
  const runAs = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
  const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    const child = spawn(pgCtl, ["-D", server.dataDir, "stop", "-m", "immediate", "-w", "-t", "30"], {
      cwd: "/",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C", NODE_ENV: process.env.NODE_ENV },
      stdio: ["ignore", "pipe", "pipe"],
      ...runAs,
    });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, text }));
  });
  if (output.code !== 0)
    throw new Error(`pg_ctl stop -m immediate failed (${output.code}): ${output.text.trim()}`);
}

async function eventCounts(url: string, marker: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ title: string; n: number }>(
      "SELECT title, count(*)::int AS n FROM timeline_event WHERE title LIKE $1 GROUP BY title",
      [`${marker}%`],
    );
    return new Map(rows.map((row) => [row.title, row.n]));
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------ figures

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : "–");

function countBy<T>(items: T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}: ${n}`).join(", ") || "none";
}

// ------------------------------------------------------------------ the run

async function main(): Promise<boolean> {
  const opts = options();
  const started = now();
  const build = productionBuild();
  if (!build) throw new Error("there is no production build (.next/BUILD_ID); run `npm run build` first");

  const parent = await mkdtemp(path.join(tmpdir(), "dwell-resilience-"));
  // mkdtemp makes a 0700 folder; as root the server runs as `postgres`, which must be able to enter it.
  await chmod(parent, 0o755);
  const log = (line: string) => console.log(`  postgres: ${line}`);
  const port = await freePort();
  let server: EmbeddedPostgres | undefined;
  let app: NextServer | undefined;
  const results: Array<{ name: string; ok: boolean; detail: string }> = [];
  const expect = (name: string, ok: boolean, detail: string) => {
    results.push({ name, ok, detail });
    console.log(`${ok ? "✔" : "✘"} ${name}: ${detail}`);
  };
  try {
    // Not ephemeral: the durability of acknowledged commits is what is under test.
    server = await startEmbeddedPostgres({
      dataDir: path.join(parent, "postgres"),
      port,
      database: "dwell",
      log,
    });
    await applyMigrations(server.url);
    await seedDemoData(server.url);
    const setupSeconds = (now() - started) / 1000;
    app = await startNextServer({
      DATABASE_URL: server.url,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXT_TELEMETRY_DISABLED: "1",
      DWELL_LOG_LEVEL: "error",
    });
    const origin = app.origin;
    console.log(
      `test:resilience: private Postgres on 127.0.0.1:${port} (${server.dataDir}), next start ${origin} (pid ${app.pid}, build ${build.id}); set-up ${setupSeconds.toFixed(1)} s`,
    );
    if (build.newerSources.length > 0) {
      console.log(
        `  note: ${build.newerSources.length} source file(s) changed after the build; the server runs the build.`,
      );
    }

    const responder = DEMO_ACCOUNTS.find((account) => account.role === "responder");
    if (!responder) throw new Error("the demo data has no responder account");
    const session = new HttpClient(origin);
    await signIn(session, responder.email, DEMO_PASSWORD);
    const cookie = `next-auth.session-token=${session.cookie("next-auth.session-token") ?? ""}`;
    session.close();

    const marker = `resilience ${Date.now().toString(36)}${randomBytes(3).toString("hex")} #`;
    const attempts: Attempt[] = [];
    let sequence = 0;
    let stopWriters = false;
    const writer = async (id: number) => {
      while (!stopWriters) {
        sequence += 1;
        const key = `${marker.replace(/\W+/g, "-")}${id}-${sequence}`;
        const title = `${marker}${sequence}`;
        const body = eventBody(title);
        const outcome = await post(origin, cookie, key, body);
        attempts.push({ key, title, body, ...outcome });
        await sleep(outcome.status >= 200 && outcome.status < 300 ? 10 : 100);
      }
    };
    const health: Array<{ at: number; ms: number; status: number }> = [];
    let stopHealth = false;
    const healthPoller = (async () => {
      while (!stopHealth) {
        health.push(await getStatus(`${origin}/api/health`));
        await sleep(250);
      }
    })();

    const writers = Array.from({ length: opts.writers }, (_, i) => writer(i + 1));
    await sleep(opts.loadMs);

    const killStarted = now();
    await killPostgres(server);
    const killed = now();
    console.log(
      `  Postgres stopped with pg_ctl stop -m immediate (${ms(killed - killStarted)}) after ${attempts.length} writes`,
    );
    await sleep(opts.outageMs);

    const restartStarted = now();
    server = await startEmbeddedPostgres({ dataDir: server.dataDir, port, database: "dwell", log });
    const ready = now();
    if (server.port !== port) throw new Error(`Postgres came back on port ${server.port}, not ${port}`);
    console.log(
      `  Postgres restarted on the same folder and port (crash recovery included: ${ms(ready - restartStarted)})`,
    );

    // Writes go on until RECOVER_WITHIN_MS after the first success, plus the load time again.
    const deadline = ready + Math.max(RECOVER_WITHIN_MS, opts.loadMs) + 2_000;
    while (now() < deadline) await sleep(100);
    stopWriters = true;
    stopHealth = true;
    await Promise.all([...writers, healthPoller]);

    // ---------------------------------------------------------------- the outage
    const ok2xx = (a: { status: number }) => a.status >= 200 && a.status < 300;
    const before = attempts.filter((a) => a.endedAt < killStarted);
    const inOutage = attempts.filter((a) => a.startedAt >= killed && a.endedAt <= restartStarted);
    const straddling = attempts.filter(
      (a) => !before.includes(a) && !inOutage.includes(a) && a.startedAt < ready,
    );
    const after = attempts.filter((a) => a.startedAt >= ready);
    const outageLatencies = [...inOutage, ...straddling].map((a) => a.endedAt - a.startedAt);
    console.log(
      `  writes: ${attempts.length} in all; before the kill ${before.length} (${countBy(before, (a) => String(a.status))}); ` +
        `while down ${inOutage.length} (${countBy(inOutage, (a) => String(a.status || a.error))}); ` +
        `across the kill or restart ${straddling.length} (${countBy(straddling, (a) => String(a.status || a.error))}); ` +
        `after ${after.length} (${countBy(after, (a) => String(a.status || a.error))})`,
    );
    expect(
      "writes while Postgres is down answer 503",
      inOutage.length > 0 && inOutage.every((a) => a.status === 503),
      `${inOutage.filter((a) => a.status === 503).length} of ${inOutage.length} answered 503`,
    );
    expect(
      `every answer around the outage within ${ANSWER_WITHIN_MS / 1000} s, none hung, none 500`,
      outageLatencies.length > 0 &&
        Math.max(...outageLatencies) <= ANSWER_WITHIN_MS &&
        [...inOutage, ...straddling].every((a) => ok2xx(a) || a.status === 503),
      `p50 ${ms(percentile(outageLatencies, 0.5))}, p99 ${ms(percentile(outageLatencies, 0.99))}, max ${ms(Math.max(...outageLatencies))}; ` +
        `statuses ${countBy([...inOutage, ...straddling], (a) => String(a.status || a.error))}`,
    );
    const healthDown = health.filter((h) => h.at >= killed && h.at + h.ms <= restartStarted);
    expect(
      "GET /api/health answers 503 while Postgres is down",
      healthDown.length > 0 && healthDown.every((h) => h.status === 503 && h.ms <= ANSWER_WITHIN_MS),
      `${healthDown.length} probes: ${countBy(healthDown, (h) => String(h.status))}; max ${ms(Math.max(...healthDown.map((h) => h.ms)))}`,
    );

    // ---------------------------------------------------------------- the recovery
    const firstWrite = attempts
      .filter((a) => ok2xx(a) && a.endedAt >= ready)
      .sort((a, b) => a.endedAt - b.endedAt)[0];
    const firstHealthy = health
      .filter((h) => h.status === 200 && h.at + h.ms >= ready)
      .sort((a, b) => a.at - b.at)[0];
    const recoveryMs = firstWrite ? firstWrite.endedAt - ready : Number.POSITIVE_INFINITY;
    expect(
      `writes succeed again within ${RECOVER_WITHIN_MS / 1000} s of Postgres accepting connections, same server process`,
      recoveryMs <= RECOVER_WITHIN_MS && processAlive(app.pid),
      `first 2xx write ${ms(recoveryMs)} after Postgres was ready; /api/health 200 after ${firstHealthy ? ms(firstHealthy.at + firstHealthy.ms - ready) : "never"}; next start pid ${app.pid} ${processAlive(app.pid) ? "still running" : "gone"}`,
    );

    // ---------------------------------------------------------------- durability, before any retry
    const acknowledged = attempts.filter(ok2xx);
    const counts = await eventCounts(server.url, marker);
    const lost = acknowledged.filter((a) => (counts.get(a.title) ?? 0) === 0);
    const doubled = [...counts].filter(([, n]) => n > 1);
    expect(
      "no write answered 2xx is lost",
      lost.length === 0,
      `${acknowledged.length} acknowledged, ${lost.length} missing${
        lost.length
          ? ` (${lost
              .slice(0, 5)
              .map((a) => a.key)
              .join(", ")})`
          : ""
      }`,
    );
    const unacknowledged = attempts.filter((a) => !ok2xx(a));
    const committedAnyway = unacknowledged.filter((a) => (counts.get(a.title) ?? 0) > 0);
    console.log(
      `  ${unacknowledged.length} writes were not answered 2xx; ${committedAnyway.length} of them had committed anyway (answer lost in the crash)`,
    );

    // ---------------------------------------------------------------- retries with the same key
    const retryStatuses: number[] = [];
    for (const attempt of unacknowledged) {
      let outcome = await post(origin, cookie, attempt.key, attempt.body);
      for (let i = 0; i < 3 && outcome.status === 503; i++) {
        await sleep(500);
        outcome = await post(origin, cookie, attempt.key, attempt.body);
      }
      retryStatuses.push(outcome.status);
    }
    expect(
      "every retry with the same Idempotency-Key answers 2xx",
      retryStatuses.every((status) => status >= 200 && status < 300),
      `${retryStatuses.length} retries: ${countBy(retryStatuses, String)}`,
    );
    // Writes that were answered 2xx, sent again as a client that never saw the answer would: the ones
    // nearest the kill and the restart, whose commits the crash and the recovery had to keep.
    const resent = [
      ...acknowledged.filter((a) => a.endedAt < killStarted).slice(-25),
      ...acknowledged.filter((a) => a.startedAt >= ready).slice(0, 25),
    ];
    const replayStatuses: number[] = [];
    for (const attempt of resent)
      replayStatuses.push((await post(origin, cookie, attempt.key, attempt.body)).status);
    expect(
      "acknowledged writes sent again with the same Idempotency-Key replay their answer",
      replayStatuses.length > 0 && replayStatuses.every((status) => status === 201),
      `${replayStatuses.length} sent again: ${countBy(replayStatuses, String)}`,
    );
    const final = await eventCounts(server.url, marker);
    const missing = attempts.filter((a) => (final.get(a.title) ?? 0) === 0);
    const duplicated = [...final].filter(([, n]) => n > 1);
    expect(
      "after the retries every write exists exactly once",
      missing.length === 0 &&
        duplicated.length === 0 &&
        doubled.length === 0 &&
        final.size === attempts.length,
      `${attempts.length} keys, ${final.size} events, ${missing.length} missing, ${duplicated.length} duplicated`,
    );
    // A failed check is easier to explain with what the server said about it (errors only).
    if (results.some((r) => !r.ok) && app.problems.length > 0) {
      console.log(`  the server logged ${app.problems.length} error line(s); the last 20:`);
      for (const line of app.problems.slice(-20)) console.log(`    ${line.slice(0, 2_000)}`);
    }
  } finally {
    await app?.stop();
    await server?.stop();
    await rm(parent, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok);
  console.log(
    `test:resilience: ${results.length - failed.length} passed, ${failed.length} failed (${((now() - started) / 1000).toFixed(1)} s)`,
  );
  return failed.length === 0;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

try {
  process.exit((await main()) ? 0 : 1);
} catch (error) {
  console.error(`test:resilience: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

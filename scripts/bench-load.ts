// `npm run bench:load [-- --duration 30s --sessions 50 --think 500ms --processes N]`: many people at
// once against a production build (`next start` in as many processes as `npm start` runs, or N) on a
// scratch database with the demo data, and a check afterwards that every write the app acknowledged is
// stored.
//
// Sessions of mixed roles, each a loop of one request then a pause (uniform 0…2 × --think):
// - responders (half) read the timeline, indicators, findings and the timeline page, and create events,
//   indicators and findings, each with its own Idempotency-Key;
// - executives (three tenths) read the dashboard's data, the metrics, the notification overview and the
//   dashboard page;
// - agency users (the rest, State and Commerce) read the portal and acknowledge their notice, every
//   session with the same Idempotency-Key and body, so exactly one acknowledgement is recorded.
// Each role signs in once (the real next-auth Credentials flow) and its sessions share the cookie.
//
// Prints the request rate, p50/p95/p99 latency overall and per route, errors, 5xx, and lost writes (an
// acknowledged create whose record is missing afterwards). Targets at 50 sessions: 0 5xx, 0 lost writes,
// p99 ≤ 1 s. Exit code 1 when a target is missed.
// Postgres: a scratch database on DATABASE_URL's server (dropped afterwards), else an embedded server.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { createDatabase, dropDatabase, scratchDatabaseName } from "../lib/db/admin.ts";
import { applyMigrations } from "../lib/db/migrate.ts";
import { DEMO_PASSWORD, seedDemoData } from "../lib/domain/seed/demo.ts";
import { readEnv } from "../lib/env.ts";
import {
  HttpClient,
  procStatusKb,
  productionBuild,
  signIn,
  startNextServer,
  type NextServer,
} from "./bench-http.ts";
import { webProcesses } from "./next-server.ts";
import { withPostgres } from "./postgres-for-tools.ts";

const INCIDENT = "storm-0558";
const API = `/api/v1/incidents/${INCIDENT}`;
const REQUEST_TIMEOUT_MS = 30_000;
const P99_TARGET_MS = 1_000;

// ------------------------------------------------------------------ options

function parseDuration(flag: string, raw: string | undefined, fallbackMs: number): number {
  if (raw === undefined) return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (!match) throw new Error(`--${flag} takes a duration such as 30s, 2m or 500ms (got "${raw}")`);
  const value = Number(match[1]);
  return match[2] === "ms" ? value : match[2] === "m" ? value * 60_000 : value * 1000;
}

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      duration: { type: "string" },
      sessions: { type: "string" },
      think: { type: "string" },
      processes: { type: "string" },
    },
    strict: true,
  });
  const sessions = values.sessions === undefined ? 50 : Number.parseInt(values.sessions, 10);
  if (!Number.isInteger(sessions) || sessions < 4 || sessions > 1000)
    throw new Error("--sessions takes 4 to 1000");
  const processes = values.processes === undefined ? webProcesses() : Number.parseInt(values.processes, 10);
  if (!Number.isInteger(processes) || processes < 1 || processes > 64)
    throw new Error("--processes takes 1 to 64");
  return {
    processes,
    durationMs: parseDuration("duration", values.duration, 120_000),
    sessions,
    thinkMs: parseDuration("think", values.think, 500),
  };
}

// ------------------------------------------------------------------ requests and their records

interface Sample {
  route: string;
  status: number;
  ms: number;
}

type Kind = "event" | "indicator" | "finding" | "acknowledgement";

interface Write {
  kind: Kind;
  key: string;
  /** What identifies the record afterwards: the event's or finding's title, the indicator's value. */
  marker: string;
  status: number;
}

const samples: Sample[] = [];
const writes: Write[] = [];

async function timed(
  client: HttpClient,
  route: string,
  path: string,
  init: { method?: "GET" | "POST"; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Buffer }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      // Asking for gzip as browsers do, so the server compresses what it would compress for them.
      client.request(path, { ...init, gzip: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), REQUEST_TIMEOUT_MS);
      }),
    ]);
    samples.push({ route, status: result.status, ms: performance.now() - started });
    return { status: result.status, body: result.body };
  } catch {
    // No answer at all (connection refused or reset, or none within the timeout): counted as an error.
    samples.push({ route, status: 0, ms: performance.now() - started });
    return { status: 0, body: Buffer.alloc(0) };
  } finally {
    clearTimeout(timer);
  }
}

interface Role {
  name: "responder" | "executive" | "state" | "commerce";
  email: string;
  cookie: string;
  /** Agency users: the one acknowledgement all their sessions send, or null when there is nothing to move. */
  acknowledgement?: { key: string; body: string; to: string; organizationId: string } | null;
}

type Action = (client: HttpClient, role: Role, n: () => number) => Promise<void>;

const RUN = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;

function pick<T>(weighted: Array<[number, T]>): T {
  const total = weighted.reduce((sum, [weight]) => sum + weight, 0);
  let roll = Math.random() * total;
  for (const [weight, item] of weighted) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return weighted[weighted.length - 1]![1];
}

const get =
  (route: string, path: string): Action =>
  async (client, role) => {
    await timed(client, route, path, { headers: { cookie: role.cookie } });
  };

async function create(
  client: HttpClient,
  role: Role,
  kind: Kind,
  route: string,
  path: string,
  key: string,
  marker: string,
  body: unknown,
) {
  const { status } = await timed(client, route, path, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { cookie: role.cookie, "content-type": "application/json", "idempotency-key": key },
  });
  writes.push({ kind, key, marker, status });
}

const createEvent: Action = async (client, role, n) => {
  const id = n();
  const title = `bench-load ${RUN} event ${id}`;
  await create(client, role, "event", "POST events", `${API}/events`, `${RUN}-event-${id}`, title, {
    occurredAt: "2023-06-22T12:00:00Z",
    precision: "minute",
    lane: "response",
    phase: "investigation",
    title,
    description: "Created by `npm run bench:load`.",
    source: "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-193a",
    verification: "primary",
    tlp: "CLEAR",
  });
};

const createIndicator: Action = async (client, role, n) => {
  const id = n();
  const value = `bench-${RUN}-${id}.example.com`;
  await create(
    client,
    role,
    "indicator",
    "POST indicators",
    `${API}/indicators`,
    `${RUN}-indicator-${id}`,
    value,
    {
      type: "domain",
      value,
      tlp: "GREEN",
      confidence: 50,
      description: "Created by npm run bench:load.",
    },
  );
};

const createFinding: Action = async (client, role, n) => {
  const id = n();
  const title = `bench-load ${RUN} finding ${id}`;
  await create(client, role, "finding", "POST findings", `${API}/findings`, `${RUN}-finding-${id}`, title, {
    title,
    body: "Created by `npm run bench:load`: a finding under load.",
    severity: "medium",
    confidence: "low",
  });
};

const acknowledge: Action = async (client, role) => {
  const ack = role.acknowledgement;
  if (!ack) return get("GET /api/v1/portal", "/api/v1/portal")(client, role, () => 0);
  const { status } = await timed(client, "POST portal/notification", "/api/v1/portal/notification", {
    method: "POST",
    body: ack.body,
    headers: { cookie: role.cookie, "content-type": "application/json", "idempotency-key": ack.key },
  });
  writes.push({ kind: "acknowledgement", key: ack.key, marker: ack.organizationId, status });
};

const ACTIONS: Record<"responder" | "executive" | "agency", Array<[number, Action]>> = {
  responder: [
    [25, get("GET events", `${API}/events?limit=100`)],
    [12, get("GET indicators", `${API}/indicators?limit=50`)],
    [8, get("GET findings", `${API}/findings`)],
    [5, get("GET incident", API)],
    [5, get("page timeline", `/incidents/${INCIDENT}/timeline`)],
    [20, createEvent],
    [15, createIndicator],
    [10, createFinding],
  ],
  executive: [
    [30, get("GET dashboard", "/api/v1/dashboard")],
    [30, get("GET metrics", `${API}/metrics`)],
    [20, get("GET organizations/overview", `${API}/organizations/overview`)],
    [20, get("page dashboard", "/dashboard")],
  ],
  agency: [
    [60, get("GET /api/v1/portal", "/api/v1/portal")],
    [20, get("page portal", "/portal")],
    [20, acknowledge],
  ],
};

// ------------------------------------------------------------------ sign-in

async function signInRole(origin: string, name: Role["name"]): Promise<Role> {
  const email = name === "state" || name === "commerce" ? `${name}@agency.example` : `${name}@dwell.example`;
  const client = new HttpClient(origin);
  try {
    await signIn(client, email, DEMO_PASSWORD);
    const role: Role = {
      name,
      email,
      cookie: `next-auth.session-token=${client.cookie("next-auth.session-token") ?? ""}`,
    };
    if (name === "state" || name === "commerce") {
      const portal = await client.request("/api/v1/portal");
      const view = JSON.parse(portal.body.toString("utf8")) as {
        organization: { id: string; notificationState: string; version: number };
      };
      const { id, notificationState, version } = view.organization;
      const to = ["notified", "delivered"].includes(notificationState)
        ? "acknowledged"
        : notificationState === "acknowledged"
          ? "remediated"
          : null;
      role.acknowledgement = to
        ? {
            key: `${RUN}-portal-${id}`,
            body: JSON.stringify({ to, version, note: "Acknowledged during npm run bench:load." }),
            to,
            organizationId: id,
          }
        : null;
    }
    return role;
  } finally {
    client.close();
  }
}

// ------------------------------------------------------------------ figures

function percentile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function row(label: string, list: Sample[], seconds: number): string {
  const sorted = list.map((s) => s.ms).sort((a, b) => a - b);
  const errors = list.filter((s) => s.status === 0 || s.status >= 400).length;
  const fivexx = list.filter((s) => s.status >= 500).length;
  const cells = [
    label.padEnd(28),
    String(list.length).padStart(7),
    (list.length / seconds).toFixed(1).padStart(7),
    percentile(sorted, 0.5).toFixed(0).padStart(6),
    percentile(sorted, 0.95).toFixed(0).padStart(6),
    percentile(sorted, 0.99).toFixed(0).padStart(6),
    (sorted.at(-1) ?? Number.NaN).toFixed(0).padStart(6),
    String(errors).padStart(6),
    String(fivexx).padStart(5),
  ];
  return cells.join(" ");
}

async function lostWrites(
  url: string,
): Promise<{ acknowledged: number; lost: Write[]; duplicated: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const count = async (sql: string, values: string[]) => {
      const { rows } = await client.query<{ marker: string; n: number }>(sql, [values]);
      return new Map(rows.map((r) => [r.marker, r.n]));
    };
    const acknowledged = writes.filter((w) => w.status >= 200 && w.status < 300);
    const of = (kind: Kind) => [...new Set(acknowledged.filter((w) => w.kind === kind).map((w) => w.marker))];
    const found = new Map<string, number>([
      ...(await count(
        "SELECT title AS marker, count(*)::int AS n FROM timeline_event WHERE title = ANY($1) GROUP BY title",
        of("event"),
      )),
      ...(await count(
        "SELECT value AS marker, count(*)::int AS n FROM indicator WHERE value = ANY($1) GROUP BY value",
        of("indicator"),
      )),
      ...(await count(
        "SELECT title AS marker, count(*)::int AS n FROM finding WHERE title = ANY($1) GROUP BY title",
        of("finding"),
      )),
    ]);
    // One acknowledgement per agency, however many sessions sent it: exactly one move to its target state.
    for (const organizationId of of("acknowledgement")) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notification_move m JOIN affected_organization o ON o.id = m.organization_id
          WHERE m.organization_id = $1 AND m.to_state = o.notification_state`,
        [organizationId],
      );
      found.set(organizationId, rows[0]?.n ?? 0);
    }
    const lost = acknowledged.filter((w) => (found.get(w.marker) ?? 0) === 0);
    const duplicated = [...found].filter(([, n]) => n > 1).map(([marker]) => marker);
    return { acknowledged: acknowledged.length, lost, duplicated };
  } finally {
    await client.end();
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** CPU time a process has used (user + system), from /proc; 0 off Linux. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU time of the Postgres backends serving the scratch database, by pid, when Postgres runs on this
 * machine (its backends' /proc entries are readable); an empty map otherwise.
 */
async function databaseBackendCpu(url: string, database: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [database],
    );
    return new Map(rows.map((row) => [row.pid, cpuMs(row.pid)]));
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------ the run

async function run(baseUrl: string, where: string): Promise<boolean> {
  const opts = options();
  const build = productionBuild();
  if (!build) throw new Error("there is no production build (.next/BUILD_ID); run `npm run build` first");
  const name = scratchDatabaseName("dwell_bench_load");
  const url = await createDatabase(baseUrl, name);
  let app: NextServer | undefined;
  try {
    await applyMigrations(url);
    await seedDemoData(url);
    app = await startNextServer(
      {
        DATABASE_URL: url,
        NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
        NEXT_TELEMETRY_DISABLED: "1",
        DWELL_LOG_LEVEL: "warn",
      },
      opts.processes,
    );
    const serverPids = app.pids();
    const roles = await Promise.all(
      (["responder", "executive", "state", "commerce"] as const).map((role) => signInRole(app!.origin, role)),
    );
    const byName = Object.fromEntries(roles.map((role) => [role.name, role])) as Record<Role["name"], Role>;
    const responders = Math.round(opts.sessions * 0.5);
    const executives = Math.round(opts.sessions * 0.3);
    const agencies = opts.sessions - responders - executives;
    const plan: Array<{ role: Role; actions: Array<[number, Action]> }> = [
      ...Array.from({ length: responders }, () => ({ role: byName.responder, actions: ACTIONS.responder })),
      ...Array.from({ length: executives }, () => ({ role: byName.executive, actions: ACTIONS.executive })),
      ...Array.from({ length: agencies }, (_, i) => ({
        role: i % 2 === 0 ? byName.state : byName.commerce,
        actions: ACTIONS.agency,
      })),
    ];
    console.log(
      `bench:load: ${opts.sessions} sessions (${responders} responders, ${executives} executives, ${agencies} agency users), ` +
        `${opts.durationMs / 1000} s, think time 0–${(2 * opts.thinkMs).toFixed(0)} ms; next start in ${opts.processes} process(es) ${app.origin} (build ${build.id}) on ${where}; ` +
        `${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)} before the run`,
    );
    if (build.newerSources.length > 0) {
      console.log(
        `  note: ${build.newerSources.length} source file(s) changed after the build; the server runs the build.`,
      );
    }

    const serverCpuBefore = sum(serverPids.map(cpuMs));
    const databaseCpuBefore = await databaseBackendCpu(url, name);
    const clientCpuBefore = process.cpuUsage();
    let counter = 0;
    const next = () => ++counter;
    const started = performance.now();
    const endAt = started + opts.durationMs;
    let peakLoad = 0;
    const loadWatch = setInterval(() => (peakLoad = Math.max(peakLoad, os.loadavg()[0] ?? 0)), 5_000);
    await Promise.all(
      plan.map(async ({ role, actions }) => {
        const client = new HttpClient(app!.origin);
        // Sessions start spread over the first second, as people do not all click at once.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 1_000));
        try {
          while (performance.now() < endAt) {
            await pick(actions)(client, role, next);
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * opts.thinkMs));
          }
        } finally {
          client.close();
        }
      }),
    );
    clearInterval(loadWatch);
    const seconds = (performance.now() - started) / 1000;
    // Peak RSS of each process, added up: an upper bound of the server's peak as a whole.
    const peaks = serverPids.map((pid) => procStatusKb(pid, "VmHWM"));
    const serverPeakKb = peaks.includes(null) ? null : sum(peaks as number[]);
    const serverCpu = sum(serverPids.map(cpuMs)) - serverCpuBefore;
    // Backends that ended during the run are not counted: a lower bound.
    let databaseCpu = 0;
    for (const [pid, ms] of await databaseBackendCpu(url, name))
      databaseCpu += ms - (databaseCpuBefore.get(pid) ?? 0);
    const clientCpu = process.cpuUsage(clientCpuBefore);
    await app.stop();
    app = undefined;

    // ---------------------------------------------------------------- report
    const header = [
      "route".padEnd(28),
      "count".padStart(7),
      "req/s".padStart(7),
      "p50".padStart(6),
      "p95".padStart(6),
      "p99".padStart(6),
      "max".padStart(6),
      "errors".padStart(6),
      "5xx".padStart(5),
    ];
    console.log(`\n${header.join(" ")}   (latencies in ms)`);
    const routes = [...new Set(samples.map((s) => s.route))].sort();
    for (const route of routes)
      console.log(
        row(
          route,
          samples.filter((s) => s.route === route),
          seconds,
        ),
      );
    console.log(row("all", samples, seconds));

    const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
    const p99 = percentile(sorted, 0.99);
    const fivexx = samples.filter((s) => s.status >= 500).length;
    const noAnswer = samples.filter((s) => s.status === 0).length;
    const byStatus = new Map<number, number>();
    for (const s of samples) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
    const ledger = await lostWrites(url);
    const writesBy = (kind: Kind) => writes.filter((w) => w.kind === kind);
    console.log(
      `\nstatuses: ${[...byStatus]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status || "no answer"}: ${n}`)
        .join(", ")}`,
    );
    console.log(
      `writes: ${writes.length} sent (events ${writesBy("event").length}, indicators ${writesBy("indicator").length}, findings ${writesBy("finding").length}, ` +
        `acknowledgements ${writesBy("acknowledgement").length} with one key per agency); ${ledger.acknowledged} acknowledged 2xx; ` +
        `lost ${ledger.lost.length}; duplicated ${ledger.duplicated.length}`,
    );
    for (const role of [byName.state, byName.commerce]) {
      const ack = role.acknowledgement;
      if (ack) console.log(`  ${role.email}: ${ack.to} once, whatever the number of sessions sending it`);
    }
    console.log(
      `peak RSS of next start (${serverPids.length} process(es), added up) ${serverPeakKb === null ? "not measured" : `${(serverPeakKb / 1024).toFixed(0)} MB`}; ` +
        `load average peaked at ${peakLoad.toFixed(1)} on ${os.cpus().length} CPUs during the run`,
    );
    // What each request costs the server in CPU says what the machine could serve if it were ours alone.
    console.log(
      `CPU: next start ${(serverCpu / 1000).toFixed(1)} s (${(serverCpu / samples.length).toFixed(1)} ms per request, ` +
        `so at most ~${((os.cpus().length * 1000) / (serverCpu / samples.length)).toFixed(0)} req/s on ${os.cpus().length} CPUs before Postgres takes its share); ` +
        `Postgres backends of the app ${databaseCpu > 0 ? `${(databaseCpu / 1000).toFixed(1)} s (${(databaseCpu / samples.length).toFixed(1)} ms per request)` : "not measured"}; ` +
        `this load generator ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(1)} s; the rest of the machine ran other work`,
    );
    if (peakLoad > os.cpus().length) {
      console.log(
        "warning: the load average exceeded the CPU count: other processes competed for the CPU, so tail latencies are inflated by them.",
      );
    }
    const checks: Array<[string, boolean]> = [
      [`0 5xx (got ${fivexx})`, fivexx === 0],
      [`every request answered (${noAnswer} without an answer)`, noAnswer === 0],
      [
        `0 lost writes (got ${ledger.lost.length}; ${ledger.duplicated.length} duplicated)`,
        ledger.lost.length === 0 && ledger.duplicated.length === 0,
      ],
      [`p99 ≤ ${P99_TARGET_MS} ms (got ${p99.toFixed(0)} ms)`, p99 <= P99_TARGET_MS],
    ];
    for (const [label, ok] of checks) console.log(`${ok ? "✔" : "✘"} ${label}`);
    return checks.every(([, ok]) => ok);
  } finally {
    await app?.stop();
    await dropDatabase(baseUrl, name);
  }
}

// readEnv on a copy: the process-wide cached settings must not keep the base DATABASE_URL.
const env = readEnv({ ...process.env });
const where = env.DATABASE_URL
  ? "a scratch database on DATABASE_URL's server"
  : "a scratch database on an embedded Postgres";
try {
  const ok = await withPostgres((baseUrl) => run(baseUrl, where), env);
  process.exit(ok ? 0 : 1);
} catch (error) {
  console.error(`bench:load: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

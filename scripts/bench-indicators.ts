// `npm run bench:indicators`: imports 100,000 and 1,000,000 generated indicators (CSV) into a scratch
// database with importIndicators, and COPYs the same rows into the same indexed table in the same run.
// Prints indicators/second, the importing process's peak RSS and the ratio import / COPY, against the
// targets: ≤ 3 × COPY, ≥ 20,000 indicators/s, ≤ 256 MB RSS for 1M (the import streams, never buffers).
//
// Postgres: a scratch database on DATABASE_URL's server (dropped afterwards), else an embedded server.
// Every measurement runs in a child process of its own (`--worker import|copy <rows> <incident>`), so its
// peak RSS (process.resourceUsage().maxRSS) is its own, not the parent's or the previous size's. The
// rows come from a seeded generator, lazily, as 64 kB chunks of CSV text: the same rows feed the import
// (as an upload would: some defanged, upper-case or with host bits set) and the COPY (already in the
// form the import stores, so the baseline does no validation). After each run the parent checks that
// the incident holds every row, and that the import stored exactly what the COPY stored.
//
//   npm run bench:indicators                   # 100,000 and 1,000,000
//   npm run bench:indicators -- --sizes 100000 # a subset, for a quick check
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { constants as perfConstants, PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Actor } from "../lib/auth/actor.ts";
import { createDatabase, dropDatabase, scratchDatabaseName } from "../lib/db/admin.ts";
import { applyMigrations } from "../lib/db/migrate.ts";
import { readEnv } from "../lib/env.ts";
import { isRunning } from "./child-process.ts";
import { withPostgres } from "./postgres-for-tools.ts";

const DEFAULT_SIZES = [100_000, 1_000_000];
const SEED = 0x1d1c_a705;
/** Characters of CSV text per chunk handed to the importer or to COPY. */
const CHUNK_CHARS = 64 * 1024;
const DB_PREFIX = "dwell_bench_ind";
const RESULT_MARK = "BENCH_RESULT ";

const TARGET_RATIO = 3;
const TARGET_RATE = 20_000;
const TARGET_RSS_MB = 256;
/** The RSS target is stated for this size; smaller runs print their RSS without a verdict. */
const RSS_TARGET_ROWS = 1_000_000;

// ------------------------------------------------------------------ deterministic rows

/** mulberry32: a small seeded PRNG, so every run (and both sides of one run) sees the same rows. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Row {
  type: string;
  /** What the CSV holds. */
  input: string;
  /** What the import stores as value (refanged, trimmed) and as normalized_value. */
  value: string;
  normalized: string;
  /** ISO text in the CSV ("" when absent) and what is stored (null when absent). */
  firstSeenText: string;
  lastSeenText: string;
  firstSeen: string | null;
  lastSeen: string | null;
  confidence: number | null;
  tlpText: string;
  /** The DB enum label stored. */
  tlp: string;
}

const WORDS = [
  "update",
  "secure",
  "login",
  "cdn",
  "mail",
  "portal",
  "cloud",
  "sync",
  "office",
  "account",
  "verify",
  "static",
  "api",
  "auth",
  "files",
  "news",
  "support",
  "service",
  "data",
  "online",
];
const TLDS = ["com", "net", "org", "info", "ru", "io", "xyz", "top", "biz", "co.uk"];
const FIRST_NAMES = ["alice", "bob", "carol", "dmitri", "erin", "farid", "grace", "hiro", "ines", "jun"];
const EXTENSIONS = ["exe", "dll", "ps1", "js", "docm", "lnk", "zip", "iso"];
const HEX = "0123456789abcdef";
/** CSV spelling → stored label. The empty spelling takes the import's default (CLEAR). */
const TLP_SPELLINGS: ReadonlyArray<readonly [string, string]> = [
  ["", "CLEAR"],
  ["", "CLEAR"],
  ["TLP:CLEAR", "CLEAR"],
  ["GREEN", "GREEN"],
  ["TLP:GREEN", "GREEN"],
  ["amber", "AMBER"],
  ["TLP:AMBER", "AMBER"],
  ["AMBER+STRICT", "AMBER+STRICT"],
  ["RED", "RED"],
];
/** Cumulative shares of the types: mostly IPv4, as in real advisories. */
const TYPE_MIX: ReadonlyArray<readonly [number, string]> = [
  [0.55, "ipv4"],
  [0.67, "domain"],
  [0.77, "url"],
  [0.85, "sha256"],
  [0.9, "md5"],
  [0.93, "sha1"],
  [0.96, "email"],
  [0.98, "ipv6"],
  [0.99, "cidr"],
  [1.01, "filename"],
];

const DAY_MS = 86_400_000;
const WINDOW_START_MS = Date.UTC(2023, 0, 1);

/** The `count` rows of one run, one at a time. `i` is built into every value, so no two are the same. */
function* generateRows(count: number, seed = SEED): Generator<Row> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const hex = (length: number): string => {
    let text = "";
    for (let k = 0; k < length; k++) text += HEX[Math.floor(random() * 16)];
    return text;
  };
  const upperInitial = (text: string) => (text[0] ?? "").toUpperCase() + text.slice(1);

  for (let i = 0; i < count; i++) {
    const r = random();
    const type = (TYPE_MIX.find(([upto]) => r < upto) ?? TYPE_MIX[0])?.[1] ?? "ipv4";
    const id36 = i.toString(36);
    let input: string;
    let value: string;
    let normalized: string;
    switch (type) {
      case "ipv4": {
        // An odd multiplier is a bijection on 32 bits: distinct i, distinct address.
        const n = (Math.imul(i, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
        value = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
        normalized = value;
        input = random() < 0.1 ? value.replace(/\.(\d+)$/, "[.]$1") : value;
        break;
      }
      case "domain": {
        normalized = `${pick(WORDS)}-${pick(WORDS)}${id36}.${pick(TLDS)}`;
        value = random() < 0.15 ? upperInitial(normalized) : normalized;
        input = random() < 0.2 ? value.replace(/\.([a-z]+)$/i, "[.]$1") : value;
        break;
      }
      case "url": {
        const host = `${pick(WORDS)}${id36}.${pick(TLDS)}`;
        const path = `/${pick(WORDS)}/${hex(8)}.php`;
        const query = random() < 0.5 ? `?id=${Math.floor(random() * 100_000)}&ref=${pick(WORDS)}` : "";
        const scheme = random() < 0.8 ? "https" : "http";
        value = `${scheme}://${host}${path}${query}`;
        normalized = value;
        input = random() < 0.3 ? `hxxp${value.slice(4)}`.replace(host, host.replace(".", "[.]")) : value;
        break;
      }
      case "sha256":
      case "md5":
      case "sha1": {
        const length = type === "sha256" ? 64 : type === "sha1" ? 40 : 32;
        normalized = i.toString(16).padStart(8, "0") + hex(length - 8);
        value = random() < 0.3 ? normalized.toUpperCase() : normalized;
        input = value;
        break;
      }
      case "email": {
        const local = `${pick(FIRST_NAMES)}.${pick(WORDS)}${id36}`;
        const domain = `${pick(WORDS)}.${pick(TLDS)}`;
        normalized = `${local}@${domain}`;
        value = random() < 0.3 ? `${upperInitial(local)}@${domain}` : normalized;
        input = random() < 0.2 ? value.replace("@", "[@]") : value;
        break;
      }
      case "ipv6": {
        // Eight non-zero groups without leading zeros: already the RFC 5952 form.
        const groups = [0x2000 + Math.floor(random() * 0xfff), 0xdb8 + Math.floor(random() * 0x1000)];
        for (let k = 0; k < 4; k++) groups.push(1 + Math.floor(random() * 0xfffe));
        groups.push((i >>> 12) + 1, (i & 0xfff) + 1);
        normalized = groups.map((g) => g.toString(16)).join(":");
        value = random() < 0.2 ? normalized.toUpperCase() : normalized;
        input = value;
        break;
      }
      case "cidr": {
        const network = `${10 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}`;
        normalized = `${network}.0/24`;
        // Advisories often write the observed address with the block size: stored as typed, keyed by its network.
        value = random() < 0.5 ? `${network}.${1 + Math.floor(random() * 254)}/24` : normalized;
        input = value;
        break;
      }
      default: {
        normalized = `${pick(WORDS)}_${id36}.${pick(EXTENSIONS)}`;
        value = random() < 0.4 ? upperInitial(normalized) : normalized;
        input = value;
      }
    }

    let firstSeen: string | null = null;
    let lastSeen: string | null = null;
    let firstSeenText = "";
    let lastSeenText = "";
    if (random() < 0.7) {
      const dayOnly = random() < 0.3;
      let at = WINDOW_START_MS + Math.floor(random() * 900) * DAY_MS;
      if (!dayOnly) at += Math.floor((random() * DAY_MS) / 1000) * 1000;
      firstSeen = new Date(at).toISOString();
      firstSeenText = dayOnly ? firstSeen.slice(0, 10) : firstSeen.replace(".000Z", "Z");
      if (random() < 0.6) {
        lastSeen = new Date(at + Math.floor((random() * 60 * DAY_MS) / 1000) * 1000).toISOString();
        lastSeenText = lastSeen.replace(".000Z", "Z");
      }
    }
    const confidence = random() < 0.5 ? null : Math.floor(random() * 101);
    const [tlpText, tlp] = pick(TLP_SPELLINGS);
    yield {
      type,
      input,
      value,
      normalized,
      firstSeenText,
      lastSeenText,
      firstSeen,
      lastSeen,
      confidence,
      tlpText,
      tlp,
    };
  }
}

/** Quotes a CSV field when it needs it (generated values never do; kept for safety). */
const csv = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** The rows in chunks of CSV text; `line` turns one row into one line. */
async function* csvChunks(
  count: number,
  header: string | null,
  line: (row: Row) => string,
): AsyncGenerator<string> {
  let parts: string[] = header === null ? [] : [header];
  let length = header?.length ?? 0;
  for (const row of generateRows(count)) {
    const text = line(row);
    parts.push(text);
    length += text.length;
    if (length >= CHUNK_CHARS) {
      yield parts.join("");
      parts = [];
      length = 0;
    }
  }
  if (parts.length) yield parts.join("");
}

/** The upload: `value,type,first_seen,last_seen,tlp,confidence`, as bytes (a request body is bytes). */
async function* uploadBytes(count: number): AsyncGenerator<Uint8Array> {
  const header = "value,type,first_seen,last_seen,tlp,confidence\n";
  const line = (r: Row) =>
    `${csv(r.input)},${r.type},${r.firstSeenText},${r.lastSeenText},${csv(r.tlpText)},${r.confidence ?? ""}\n`;
  for await (const text of csvChunks(count, header, line)) yield Buffer.from(text, "utf8");
}

/** The COPY input: the rows as the import stores them; an empty unquoted field is NULL. */
function copyText(count: number, incidentId: string, now: string): AsyncGenerator<string> {
  const line = (r: Row) =>
    `${randomUUID()},${incidentId},${r.type},${csv(r.value)},${csv(r.normalized)},${r.firstSeen ?? ""},` +
    `${r.lastSeen ?? ""},${r.confidence ?? ""},${csv(r.tlp)},${now},${now},1\n`;
  return csvChunks(count, null, line);
}

const COPY_SQL =
  "COPY indicator (id, incident_id, type, value, normalized_value, first_seen_at, last_seen_at, confidence, " +
  "tlp, created_at, updated_at, version) FROM STDIN (FORMAT csv)";

// ------------------------------------------------------------------ workers (child processes)

interface WorkerResult {
  kind: "import" | "copy";
  rows: number;
  seconds: number;
  maxRssKb: number;
  /** RSS when the clock started: the process with its modules loaded (the COPY worker: connection open too). */
  startRssKb: number;
  detail: Record<string, number>;
}

function scratchUrl(): string {
  const url = readEnv().DATABASE_URL;
  const name = url ? new URL(url).pathname.slice(1) : "";
  // A worker only ever writes to a scratch database this benchmark created.
  if (!url || !name.startsWith(`${DB_PREFIX}_`))
    throw new Error("a worker runs only against the benchmark's scratch database");
  return url;
}

async function importWorker(rows: number, incidentId: string): Promise<WorkerResult> {
  scratchUrl();
  const { importIndicators } = await import("../lib/domain/indicators/import.ts");
  const actor: Actor = {
    userId: randomUUID(),
    email: "bench@dwell.example",
    name: "Benchmark",
    role: "responder",
    organizationId: null,
    readOnly: false,
  };
  // The import runs on a connection of its own (lib/db/pg-transaction.ts), opened inside the clock; this
  // process loads no Prisma client, so its RSS is the import's (the app server holds Next and Prisma too).
  // The heap right after each full collection is what the import really keeps alive (streaming keeps
  // it flat); RSS also holds the garbage V8 lets pile up between collections.
  let liveHeapKb = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) {
        liveHeapKb = Math.max(liveHeapKb, process.memoryUsage().heapUsed / 1024);
      }
    }
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  const startRssKb = process.memoryUsage().rss / 1024;
  const started = performance.now();
  const result = await importIndicators(actor, incidentId, uploadBytes(rows), {
    format: "csv",
    dryRun: false,
    requestId: null,
  });
  const seconds = (performance.now() - started) / 1000;
  const maxRssKb = process.resourceUsage().maxRSS;
  gcObserver.disconnect();
  if (result.errorCount > 0) {
    throw new Error(
      `the import refused ${result.errorCount} generated rows, e.g. ${JSON.stringify(result.errors.slice(0, 3))}`,
    );
  }
  if (result.read !== rows || result.created !== rows) {
    throw new Error(`the import read ${result.read} and created ${result.created} of ${rows} rows`);
  }
  return {
    kind: "import",
    rows,
    seconds,
    maxRssKb,
    startRssKb,
    detail: { read: result.read, created: result.created, liveHeapKb },
  };
}

async function copyWorker(rows: number, incidentId: string): Promise<WorkerResult> {
  const client = new pg.Client({ connectionString: scratchUrl() });
  await client.connect();
  try {
    const now = new Date().toISOString();
    const startRssKb = process.memoryUsage().rss / 1024;
    const started = performance.now();
    await client.query("BEGIN");
    await pipeline(Readable.from(copyText(rows, incidentId, now)), client.query(copyFrom(COPY_SQL)));
    await client.query("COMMIT");
    const seconds = (performance.now() - started) / 1000;
    return { kind: "copy", rows, seconds, maxRssKb: process.resourceUsage().maxRSS, startRssKb, detail: {} };
  } finally {
    await client.end();
  }
}

async function worker(args: string[]): Promise<void> {
  const [kind, rowsText, incidentId] = args;
  const rows = Number(rowsText);
  if (!Number.isInteger(rows) || rows <= 0 || !incidentId)
    throw new Error(`bad worker arguments: ${args.join(" ")}`);
  let result: WorkerResult;
  if (kind === "import") result = await importWorker(rows, incidentId);
  else if (kind === "copy") result = await copyWorker(rows, incidentId);
  else throw new Error(`unknown worker ${kind}`);
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
}

/** Runs one measurement in a fresh Node process (same loader as this one: tsx). */
async function runWorker(
  url: string,
  kind: "import" | "copy",
  rows: number,
  incidentId: string,
): Promise<WorkerResult> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, import.meta.filename, "--worker", kind, String(rows), incidentId],
    { env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "pipe", "pipe"] },
  );
  // If this process ends first (an error, Ctrl-C), the worker must not live on.
  const onExit = () => {
    if (isRunning(child)) child.kill("SIGTERM");
  };
  process.once("exit", onExit);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const code = await new Promise<number | string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode, signal) => resolve(exitCode ?? signal ?? "?"));
  }).finally(() => process.removeListener("exit", onExit));
  const line = stdout.split("\n").find((l) => l.startsWith(RESULT_MARK));
  if (code !== 0 || !line) {
    throw new Error(
      `the ${kind} worker (${rows} rows) failed (exit ${code}):\n  ${stderr.trim().split("\n").slice(-15).join("\n  ")}`,
    );
  }
  return JSON.parse(line.slice(RESULT_MARK.length)) as WorkerResult;
}

// ------------------------------------------------------------------ the run

async function createIncident(client: pg.Client, label: string): Promise<string> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO incident (id, slug, name, public_summary, updated_at)
     VALUES ($1, $2, $3, 'Synthetic data for the indicator import benchmark.', now())`,
    [id, `bench-indicators-${label}`, `Benchmark: ${label}`],
  );
  return id;
}

async function countRows(client: pg.Client, incidentId: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    "SELECT count(*) AS n FROM indicator WHERE incident_id = $1",
    [incidentId],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Both sides start from a settled table (vacuumed, statistics fresh, dirty pages written out). */
async function settle(client: pg.Client): Promise<void> {
  await client.query("VACUUM ANALYZE indicator");
  await client.query("CHECKPOINT");
}

interface SizeResult {
  rows: number;
  importRun: WorkerResult;
  /** The faster of the two COPYs (before and after the import): the stricter baseline. */
  copyRun: WorkerResult;
  copyRuns: WorkerResult[];
}

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const mb = (kb: number) => kb / 1024;

function parseSizes(argv: string[]): number[] {
  const at = argv.indexOf("--sizes");
  if (at < 0) return DEFAULT_SIZES;
  const sizes = (argv[at + 1] ?? "").split(",").map((s) => Number(s.replaceAll("_", "").trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error("--sizes takes a comma-separated list of row counts, e.g. --sizes 100000,1000000");
  }
  return sizes;
}

async function run(baseUrl: string, server: string, sizes: number[]): Promise<void> {
  const started = performance.now();
  const name = scratchDatabaseName(DB_PREFIX);
  const url = await createDatabase(baseUrl, name);
  try {
    await applyMigrations(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const results: SizeResult[] = [];
    let serverVersion = "?";
    try {
      serverVersion =
        (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ??
        "?";
      for (const rows of sizes) {
        const label = rows.toLocaleString("en-US");
        const copyIncident = await createIncident(client, `copy-${rows}`);
        const importIncident = await createIncident(client, `import-${rows}`);
        const copyAgainIncident = await createIncident(client, `copy-again-${rows}`);
        const copy = async (incidentId: string) => {
          await settle(client);
          const copyRun = await runWorker(url, "copy", rows, incidentId);
          const copied = await countRows(client, incidentId);
          if (copied !== rows) throw new Error(`COPY stored ${copied} rows for the incident, not ${rows}`);
          return copyRun;
        };

        // COPY, import, COPY: load on the machine that comes or goes during the run touches the
        // baseline too, and the faster COPY (the stricter baseline) is the one compared against.
        process.stdout.write(`${label} rows: COPY… `);
        const copyBefore = await copy(copyIncident);
        process.stdout.write(`${copyBefore.seconds.toFixed(1)} s; import… `);
        await settle(client);
        const importRun = await runWorker(url, "import", rows, importIncident);
        process.stdout.write(`${importRun.seconds.toFixed(1)} s; COPY… `);
        const imported = await countRows(client, importIncident);
        if (imported !== rows)
          throw new Error(`the import stored ${imported} rows for the incident, not ${rows}`);
        const copyAfter = await copy(copyAgainIncident);
        console.log(`${copyAfter.seconds.toFixed(1)} s`);

        // The baseline must have written what the import writes, or the ratio compares different work.
        const { rows: same } = await client.query<{ n: string }>(
          `SELECT count(*) AS n
           FROM indicator i JOIN indicator c
             ON c.incident_id = $2 AND c.type = i.type AND c.normalized_value = i.normalized_value
            AND c.value = i.value AND c.first_seen_at IS NOT DISTINCT FROM i.first_seen_at
            AND c.last_seen_at IS NOT DISTINCT FROM i.last_seen_at
            AND c.confidence IS NOT DISTINCT FROM i.confidence AND c.tlp = i.tlp
           WHERE i.incident_id = $1`,
          [importIncident, copyIncident],
        );
        const matching = Number(same[0]?.n ?? 0);
        if (matching !== rows) {
          throw new Error(`only ${matching} of ${rows} imported rows equal the COPY baseline's rows`);
        }
        const copyRun = copyAfter.seconds < copyBefore.seconds ? copyAfter : copyBefore;
        results.push({ rows, importRun, copyRun, copyRuns: [copyBefore, copyAfter] });
      }
    } finally {
      await client.end();
    }

    const widths = [10, 9, 13, 15, 11, 15, 12, 8];
    const line = (cells: string[]) =>
      cells
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 10) : cell.padStart(widths[i] ?? 10)))
        .join("  ");
    console.log("");
    console.log(
      "Dwell indicator import benchmark: CSV (value,type,first_seen,last_seen,tlp,confidence) through importIndicators, " +
        "against COPY of the same rows into the same table",
    );
    console.log(
      `Postgres ${serverVersion} (${server}), Node ${process.version}, ${os.cpus().length} CPUs, load average ` +
        os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(" "),
    );
    console.log("");
    console.log(
      line([
        "rows",
        "import s",
        "indicators/s",
        "import peak RSS",
        "(at start)",
        "COPY s (2 runs)",
        "COPY rows/s",
        "ratio",
      ]),
    );
    console.log(line(widths.map((w) => "-".repeat(w))));
    const misses: string[] = [];
    for (const r of results) {
      const rate = r.rows / r.importRun.seconds;
      const ratio = r.importRun.seconds / r.copyRun.seconds;
      console.log(
        line([
          r.rows.toLocaleString("en-US"),
          r.importRun.seconds.toFixed(2),
          Math.round(rate).toLocaleString("en-US"),
          `${mb(r.importRun.maxRssKb).toFixed(0)} MB`,
          `${mb(r.importRun.startRssKb).toFixed(0)} MB`,
          r.copyRuns.map((c) => c.seconds.toFixed(2)).join(" / "),
          Math.round(r.rows / r.copyRun.seconds).toLocaleString("en-US"),
          `${ratio.toFixed(2)}×`,
        ]),
      );
    }
    console.log("");
    console.log("targets:");
    for (const r of results) {
      const label = r.rows.toLocaleString("en-US").padStart(9);
      const rate = r.rows / r.importRun.seconds;
      const ratio = r.importRun.seconds / r.copyRun.seconds;
      const rss = mb(r.importRun.maxRssKb);
      const checks: Array<[string, boolean | null]> = [
        [`import/COPY ${ratio.toFixed(2)}× ≤ ${TARGET_RATIO}×`, ratio <= TARGET_RATIO],
        [
          `${Math.round(rate).toLocaleString("en-US")}/s ≥ ${TARGET_RATE.toLocaleString("en-US")}/s`,
          rate >= TARGET_RATE,
        ],
        [
          `peak RSS ${rss.toFixed(0)} MB ≤ ${TARGET_RSS_MB} MB`,
          r.rows >= RSS_TARGET_ROWS ? rss <= TARGET_RSS_MB : null,
        ],
      ];
      console.log(
        `  ${label}: ` +
          checks
            .map(([text, ok]) => `${text} ${ok === null ? "(target is for 1M)" : verdict(ok)}`)
            .join(";  "),
      );
      for (const [text, ok] of checks) if (ok === false) misses.push(`${r.rows}: ${text}`);
    }
    console.log("");
    console.log(
      "import = importIndicators end to end (parse, validate, stage, merge, audit, commit) in a fresh process; " +
        "COPY = pg-copy-streams, one transaction, rows already normalized, run before and after the import; " +
        "the faster is the baseline (COPY rows/s, ratio); all stream from the same generator, each into a fresh incident; RSS = the importing process's peak (maxRSS; at start: modules loaded; " +
        "the import opens its own connection inside the clock), Postgres not included.",
    );
    for (const r of results) {
      const live = r.importRun.detail.liveHeapKb ?? 0;
      console.log(
        `memory, ${r.rows.toLocaleString("en-US")} rows: peak RSS ${mb(r.importRun.maxRssKb).toFixed(0)} MB = ` +
          `${mb(r.importRun.startRssKb).toFixed(0)} MB at start + ` +
          `${mb(r.importRun.maxRssKb - r.importRun.startRssKb).toFixed(0)} MB during the import; ` +
          (live > 0
            ? `JS heap right after full collections at most ${mb(live).toFixed(0)} MB (what stays alive)`
            : "no full collection ran during the import"),
      );
    }
    console.log(`checked: each incident holds every row, and the imported rows equal the COPYed ones.`);
    console.log(`total time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const [load = 0] = os.loadavg();
    if (load > os.cpus().length) {
      console.log(
        `warning: load average ${load.toFixed(1)} on ${os.cpus().length} CPUs: other processes competed for the CPU during the run.`,
      );
    }
    if (misses.length) console.log(`missed: ${misses.join("; ")}`);
  } finally {
    await dropDatabase(baseUrl, name);
  }
}

const argv = process.argv.slice(2);
try {
  if (argv[0] === "--worker") {
    await worker(argv.slice(1));
  } else {
    const sizes = parseSizes(argv);
    // readEnv on a copy: the workers get the scratch DATABASE_URL in their own environment.
    const env = readEnv({ ...process.env });
    const server = env.DATABASE_URL
      ? "DATABASE_URL's server, scratch database"
      : "embedded, scratch database";
    await withPostgres((baseUrl) => run(baseUrl, server, sizes), env);
  }
  process.exit(0);
} catch (error) {
  console.error(`bench:indicators: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

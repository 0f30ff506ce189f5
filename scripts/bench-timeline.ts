// `npm run bench:timeline`: builds one incident with 100,000 events in a scratch database and times the
// timeline's keyset pages, the chart buckets and the metrics against raw-SQL baselines from the same run.
//
// Postgres: a scratch database on DATABASE_URL's server (dropped afterwards), else an embedded server.
// Two parts, one table:
// - in-process: the domain functions the API routes call, against the same work done with pg directly
//   (no HTTP, session lookup or JSON serialization);
// - over HTTP, when a production build exists (.next/BUILD_ID; the run says so when it skips this):
//   `next start` on a free port against the scratch database, signed in as a responder, timing the
//   events API, the server-rendered timeline page (TTFB and size), buckets and metrics.
import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import { gunzipSync } from "node:zlib";
import pg from "pg";
import type { Actor } from "../lib/auth/actor.ts";
import { createDatabase, dropDatabase, scratchDatabaseName } from "../lib/db/admin.ts";
import { applyMigrations } from "../lib/db/migrate.ts";
import { findIncident } from "../lib/domain/incidents/queries.ts";
import { getIncidentMetrics } from "../lib/domain/metrics/queries.ts";
import { decodeTimeCursor } from "../lib/domain/paging.ts";
import {
  bucketCountsSql,
  getTimelineBuckets,
  planBuckets,
  staffEventScopeSql,
} from "../lib/domain/timeline/buckets.ts";
import { listTimelineEvents } from "../lib/domain/timeline/queries.ts";
import { loadSessionActor } from "../lib/domain/users/authentication.ts";
import { createUserInNewTransaction } from "../lib/domain/users/commands.ts";
import { readEnv } from "../lib/env.ts";
import { renderMarkdown } from "../lib/markdown/render.ts";
import {
  HttpClient,
  procStatusKb,
  productionBuild,
  signIn,
  startNextServer,
  type BuildInfo,
  type HttpResult,
  type RequestOptions,
} from "./bench-http.ts";
import { withPostgres } from "./postgres-for-tools.ts";

const EVENTS = 100_000;
const ORGANIZATIONS = 25;
const PAGE = 100;
const RUNS = 25;
const MIXED_PAGES = 20;
const WINDOW_START = "2023-05-01T00:00:00Z";
const SLUG = "bench-100k";
// Over HTTP: requests per measurement after a warm-up, each one alone on one warm connection.
const HTTP_RUNS = 60;
const HTTP_WARMUP = 10;

const actor: Actor = {
  userId: randomUUID(),
  email: "bench@dwell.example",
  name: "Benchmark",
  role: "responder",
  organizationId: null,
  readOnly: false,
};

// ------------------------------------------------------------------ timing helpers

interface Timing {
  runs: number;
  p50: number;
  p95: number;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { runs: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function measure(work: () => Promise<unknown>, runs = RUNS, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await time(work));
  return summarize(samples);
}

// ------------------------------------------------------------------ data

/**
 * 100,000 events over 90 days shaped like an intrusion: adversary activity mostly before detection
 * (day 32), response work after it, a tenth at day precision (midnight, so many ties on occurred_at),
 * TLP mostly CLEAR/GREEN; a tenth linked to an organization, some to techniques and indicators, 1 %
 * with an alternative dating; notification moves for most organizations.
 */
async function buildIncident(
  client: pg.Client,
): Promise<{ incidentId: string; counts: Record<string, number> }> {
  const incidentId = randomUUID();
  await client.query("BEGIN");
  await client.query("SELECT setseed(0.0558)");
  await client.query(
    `INSERT INTO incident (id, slug, name, public_summary, updated_at)
     VALUES ($1, $2, 'Benchmark incident (100,000 events)', 'Synthetic data for the timeline benchmark.', now())`,
    [incidentId, SLUG],
  );
  await client.query(
    `INSERT INTO affected_organization (id, incident_id, name, kind, determined_affected_at, first_known_access_at,
                                        notification_state, notification_state_at, updated_at)
     SELECT gen_random_uuid(), $1, 'Organization ' || g,
            (ARRAY['government','private sector','think tank','education']::organization_kind[])[1 + g % 4],
            $2::timestamptz + make_interval(days => 33 + g % 20),
            CASE WHEN g % 3 = 0 THEN NULL ELSE $2::timestamptz + make_interval(days => g % 30) END,
            (ARRAY['pending','notified','delivered','acknowledged','remediated','closed','failed']::notification_state[])[1 + g % 7],
            $2::timestamptz + make_interval(days => 35 + g % 20), now()
     FROM generate_series(1, $3::int) AS g`,
    [incidentId, WINDOW_START, ORGANIZATIONS],
  );
  await client.query(
    `INSERT INTO timeline_event (id, incident_id, occurred_at, precision, lane, phase, title, description, source,
                                 verification, tlp, updated_at)
     SELECT gen_random_uuid(), $1,
            CASE WHEN p.day_precision THEN date_trunc('day', p.at) ELSE p.at END,
            (CASE WHEN p.day_precision THEN 'day' WHEN random() < 0.3 THEN 'minute' ELSE 'exact' END)::"precision",
            (CASE WHEN p.phase IN ('initial access', 'activity') THEN 'adversary' ELSE 'response' END)::lane,
            p.phase::phase,
            'Synthetic ' || p.phase || ' event #' || p.g,
            'Generated for the benchmark; **markdown** body of a realistic length, with a sentence or two of detail.',
            'https://example.org/bench/' || p.g,
            (ARRAY['primary','secondary','unverified']::verification[])[1 + p.g % 3],
            (CASE WHEN p.g % 50 = 0 THEN 'RED' WHEN p.g % 10 = 0 THEN 'AMBER' WHEN p.g % 3 = 0 THEN 'GREEN' ELSE 'CLEAR' END)::tlp,
            now()
     FROM (
       SELECT x.g, r.phase, random() < 0.1 AS day_precision,
              $2::timestamptz + make_interval(secs => (r.lo + random() * (r.hi - r.lo)) * 86400) AS at
       FROM (SELECT g, random() AS pick FROM generate_series(1, $3::int) AS g) AS x
       CROSS JOIN LATERAL (
         SELECT * FROM (VALUES
           (0.05, 'initial access', 0, 10), (0.50, 'activity', 0, 35), (0.53, 'detection', 32, 34),
           (0.70, 'investigation', 32, 90), (0.78, 'containment', 33, 45), (0.88, 'mitigation', 35, 60),
           (0.96, 'notification', 35, 90), (1.01, 'post-incident', 60, 90)
         ) AS v(upto, phase, lo, hi)
         WHERE x.pick < v.upto ORDER BY v.upto LIMIT 1
       ) AS r
     ) AS p`,
    [incidentId, WINDOW_START, EVENTS],
  );
  await client.query(
    `INSERT INTO event_organization (event_id, organization_id)
     SELECT e.id, o.ids[1 + floor(random() * array_length(o.ids, 1))::int]
     FROM timeline_event e, (SELECT array_agg(id) AS ids FROM affected_organization WHERE incident_id = $1) o
     WHERE e.incident_id = $1 AND random() < 0.1`,
    [incidentId],
  );
  await client.query(
    `INSERT INTO event_technique (event_id, technique_id)
     SELECT id, (ARRAY['T1606.002','T1550.001','T1078.004','T1114.002','T1098'])[1 + floor(random() * 5)::int]
     FROM timeline_event WHERE incident_id = $1 AND random() < 0.05`,
    [incidentId],
  );
  await client.query(
    `INSERT INTO indicator (id, incident_id, type, value, normalized_value, updated_at)
     SELECT gen_random_uuid(), $1, 'ipv4', '198.51.100.' || g, '198.51.100.' || g, now() FROM generate_series(1, 50) g`,
    [incidentId],
  );
  await client.query(
    `INSERT INTO event_indicator (event_id, indicator_id)
     SELECT e.id, i.ids[1 + floor(random() * array_length(i.ids, 1))::int]
     FROM timeline_event e, (SELECT array_agg(id) AS ids FROM indicator WHERE incident_id = $1) i
     WHERE e.incident_id = $1 AND random() < 0.03`,
    [incidentId],
  );
  await client.query(
    `INSERT INTO event_alternative (id, event_id, occurred_at, precision, source, verification, note)
     SELECT gen_random_uuid(), id, occurred_at - interval '1 day', 'day', 'https://example.org/bench/other-source',
            'secondary', 'Another source dates this a day earlier'
     FROM timeline_event WHERE incident_id = $1 AND random() < 0.01`,
    [incidentId],
  );
  // First notified move for every organization past pending; acknowledged for those past delivered.
  await client.query(
    `INSERT INTO notification_move (id, incident_id, organization_id, from_state, to_state, at, made_by, channel)
     SELECT gen_random_uuid(), incident_id, id, 'pending'::notification_state, 'notified'::notification_state,
            determined_affected_at + interval '30 hours', 'Microsoft', 'email'::notification_channel
     FROM affected_organization WHERE incident_id = $1 AND notification_state <> 'pending'
     UNION ALL
     SELECT gen_random_uuid(), incident_id, id, 'delivered'::notification_state, 'acknowledged'::notification_state,
            determined_affected_at + interval '3 days', 'Organization', 'portal'::notification_channel
     FROM affected_organization
     WHERE incident_id = $1 AND notification_state IN ('acknowledged', 'remediated', 'closed')`,
    [incidentId],
  );
  await client.query("COMMIT");
  // A settled table (statistics, visibility map) as autovacuum would leave it.
  await client.query("VACUUM ANALYZE");

  const { rows } = await client.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM timeline_event WHERE incident_id = $1) AS events,
            (SELECT count(*) FROM event_organization) AS "organization links",
            (SELECT count(*) FROM event_technique) AS "technique links",
            (SELECT count(*) FROM event_indicator) AS "indicator links",
            (SELECT count(*) FROM event_alternative) AS alternatives,
            (SELECT count(*) FROM notification_move) AS "notification moves"`,
    [incidentId],
  );
  const counts = Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
  return { incidentId, counts };
}

// ------------------------------------------------------------------ raw-SQL baseline

/**
 * The same keyset page listTimelineEvents returns (events with their alternatives, organization,
 * indicator and technique links) in one statement over pg, without Prisma. `cursorCondition` is the
 * keyset predicate: a row comparison (what an index range scan starts from), or the form
 * listTimelineEvents writes through Prisma (`>=` to start the index range, then the OR for the ties),
 * to show what that form costs by itself.
 */
const rawPageSql = (cursorCondition: string) => `
  SELECT e.*,
    (SELECT coalesce(json_agg(a ORDER BY a.occurred_at), '[]') FROM event_alternative a WHERE a.event_id = e.id) AS alternatives,
    (SELECT coalesce(json_agg(json_build_object('id', o.id, 'name', o.name)), '[]')
       FROM event_organization eo JOIN affected_organization o ON o.id = eo.organization_id WHERE eo.event_id = e.id) AS organizations,
    (SELECT coalesce(json_agg(json_build_object('id', i.id, 'type', i.type, 'value', i.value)), '[]')
       FROM event_indicator ei JOIN indicator i ON i.id = ei.indicator_id WHERE ei.event_id = e.id) AS indicators,
    (SELECT coalesce(array_agg(t.technique_id ORDER BY t.technique_id), '{}') FROM event_technique t WHERE t.event_id = e.id) AS techniques
  FROM timeline_event e
  WHERE e.incident_id = $1 AND ${cursorCondition}
  ORDER BY e.occurred_at, e.id
  LIMIT $4`;
const RAW_PAGE_SQL = rawPageSql("(e.occurred_at, e.id) > ($2::timestamptz, $3::uuid)");
const RAW_PAGE_OR_SQL = rawPageSql(
  "e.occurred_at >= $2::timestamptz AND (e.occurred_at > $2::timestamptz OR (e.occurred_at = $2::timestamptz AND e.id > $3::uuid))",
);

function pageParams(incidentId: string, cursor: string | null): unknown[] {
  const after = cursor
    ? decodeTimeCursor(cursor)
    : { at: "-infinity", id: "00000000-0000-0000-0000-000000000000" };
  return [incidentId, after.at, after.id, PAGE + 1];
}

async function explainSummary(pool: pg.Pool, sql: string, values: unknown[]): Promise<string> {
  const { rows } = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, values);
  const lines = rows
    .map((r) => r["QUERY PLAN"].trim().replace(/^->\s*/, ""))
    .filter((line) =>
      /Scan on|Scan using|Aggregate|Sort Method|Rows Removed by Filter|Execution Time/.test(line),
    )
    .map((line) => line.replace(/\s*\(actual.*$/, ""));
  return [...new Set(lines)].join("; ");
}

// ------------------------------------------------------------------ round trips

interface Statement {
  text: string;
  values: unknown[];
}

/**
 * The SQL statements `work` sends, caught on pg's Client (Prisma's adapter-pg and this script share the
 * one pg module): how many round trips a request makes, and the very statement Prisma sends, to
 * EXPLAIN it rather than a hand-written copy. Nothing else may query meanwhile.
 */
async function recordStatements(work: () => Promise<unknown>): Promise<Statement[]> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const statements: Statement[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === "string") {
      statements.push({ text: first, values: Array.isArray(second) ? second : [] });
    } else {
      const config = first as { text?: string; values?: unknown[] };
      statements.push({ text: config.text ?? "", values: config.values ?? [] });
    }
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    proto.query = original;
  }
  return statements;
}

// ------------------------------------------------------------------ over HTTP

type Row = [label: string, timing: Timing, base: string, ratio: string, target: string];
/** A table line: a measurement, or a heading (a string) that starts a section. */
type TableLine = Row | string;

interface HttpInputs {
  build: BuildInfo;
  databaseUrl: string;
  pool: pg.Pool;
  incidentId: string;
  cursors: Array<string | null>;
  inProcess: { domainMixed: Timing; lookups: Timing; serialize: Timing; buckets: Timing; metrics: Timing };
  /** SQL statements listTimelineEvents sends for one page. */
  pageStatements: number;
}

interface HttpOutcome {
  lines: TableLine[];
  notes: string[];
  serverPeakKb: number | null;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;

/** n cursors spread evenly from the first page to the deepest. */
function spread(cursors: Array<string | null>, n: number): Array<string | null> {
  return Array.from(
    { length: n },
    (_, i) => cursors[Math.round((i * (cursors.length - 1)) / (n - 1))] ?? null,
  );
}

async function measureOverHttp(input: HttpInputs): Promise<HttpOutcome> {
  const { pool, incidentId, cursors } = input;
  // A real user through the real sign-in, so every request pays the session lookup a responder's does.
  const email = "bench-responder@dwell.example";
  const password = randomBytes(24).toString("base64url");
  const user = await createUserInNewTransaction(
    input.databaseUrl,
    { email, name: "Benchmark responder", role: "responder", password },
    { actorId: null, actorLabel: "system (bench:timeline)" },
  );
  const startedAt = performance.now();
  const app = await startNextServer({
    DATABASE_URL: input.databaseUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXT_TELEMETRY_DISABLED: "1",
    DWELL_LOG_LEVEL: "warn",
  });
  const startSeconds = (performance.now() - startedAt) / 1000;
  const client = new HttpClient(app.origin);
  let serverPeakKb: number | null = null;
  try {
    await signIn(client, email, password);

    const get = async (path: string, options?: RequestOptions): Promise<HttpResult> => {
      const result = await client.request(path, options);
      if (result.status !== 200) {
        // A 500's body says nothing on purpose; the server's own output says why. A server whose .next
        // was rebuilt underneath it (another build in this tree) fails to load its chunks.
        const now = productionBuild();
        if (now?.id !== input.build.id) {
          throw new Error(
            `GET ${path} answered ${result.status} and the production build changed while the server ran ` +
              `(${input.build.id} → ${now?.id ?? "none"}): someone rebuilt .next; run the benchmark again.`,
          );
        }
        throw new Error(
          `GET ${path} answered ${result.status}: ${result.body.toString("utf8").slice(0, 200)}\n` +
            `server output:\n  ${app.problems.slice(0, 12).join("\n  ")}`,
        );
      }
      return result;
    };
    const json = <T>(result: HttpResult) => JSON.parse(result.body.toString("utf8")) as T;
    const eventsPath = (cursor: string | null) =>
      `/api/v1/incidents/${SLUG}/events?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const rawPage = (cursor: string | null) => pool.query(RAW_PAGE_SQL, pageParams(incidentId, cursor));

    // The API pages the same keyset as the in-process walk: its first page ends where that one did.
    const firstApi = await get(eventsPath(null));
    const firstPage = json<{ items: unknown[]; nextCursor: string | null }>(firstApi);
    if (firstPage.items.length !== PAGE || firstPage.nextCursor !== cursors[1]) {
      throw new Error("the events API does not page like listTimelineEvents in this process");
    }
    const firstApiGzip = await get(eventsPath(null), { gzip: true });

    // (a) + (b): API pages at mixed depths, each followed by the raw-SQL page at the same depth (in this
    // process) and the HTTP floor, so drift on the machine (a CI run, autovacuum) hits all three alike.
    for (const cursor of spread(cursors, HTTP_WARMUP)) {
      await get(eventsPath(cursor));
      await rawPage(cursor);
      await get("/api/health");
    }
    const apiSamples: number[] = [];
    const rawSamples: number[] = [];
    const floorSamples: number[] = [];
    for (const cursor of spread(cursors, HTTP_RUNS)) {
      apiSamples.push((await get(eventsPath(cursor))).totalMs);
      rawSamples.push(await time(() => rawPage(cursor)));
      floorSamples.push((await get("/api/health")).totalMs);
    }
    const api = summarize(apiSamples);
    const raw = summarize(rawSamples);
    const floor = summarize(floorSamples);

    const lastCursor = cursors.at(-1) ?? null;
    const firstSamples: number[] = [];
    const deepestSamples: number[] = [];
    for (let i = 0; i < HTTP_RUNS; i++) {
      firstSamples.push((await get(eventsPath(null))).totalMs);
      deepestSamples.push((await get(eventsPath(lastCursor))).totalMs);
    }
    const apiFirst = summarize(firstSamples);
    const apiDeepest = summarize(deepestSamples);

    // (c) The server-rendered timeline page, gzip as a browser asks. TTFB is the status line and
    // headers; the page streams (loading.tsx), so the last byte is timed too.
    const pages: Array<{
      view: string;
      ttfb: Timing;
      firstBody: Timing;
      complete: Timing;
      wire: number;
      html: number;
    }> = [];
    for (const view of ["phases", "chronological"]) {
      const path = `/incidents/${SLUG}/timeline${view === "phases" ? "" : `?view=${view}`}`;
      for (let i = 0; i < HTTP_WARMUP; i++) await get(path, { gzip: true });
      const ttfb: number[] = [];
      const firstBody: number[] = [];
      const complete: number[] = [];
      let last: HttpResult | undefined;
      for (let i = 0; i < HTTP_RUNS; i++) {
        last = await get(path, { gzip: true });
        ttfb.push(last.ttfbMs);
        firstBody.push(last.firstBodyMs);
        complete.push(last.totalMs);
      }
      if (!last) throw new Error("no page was fetched");
      const gzipped = last.headers["content-encoding"] === "gzip";
      const html = (gzipped ? gunzipSync(last.body) : last.body).toString("utf8");
      // A sign-in page or an error page would time something else.
      if (!html.includes("Key times")) throw new Error(`GET ${path} did not render the timeline`);
      pages.push({
        view,
        ttfb: summarize(ttfb),
        firstBody: summarize(firstBody),
        complete: summarize(complete),
        wire: last.wireBytes,
        html: Buffer.byteLength(html),
      });
    }

    // (d) Chart buckets and metrics.
    const bucketsPath = `/api/v1/incidents/${SLUG}/timeline/buckets?max=1000`;
    const metricsPath = `/api/v1/incidents/${SLUG}/metrics`;
    const bucketPoints = json<{ buckets: unknown[] }>(await get(bucketsPath)).buckets.length;
    const timed = async (path: string) => {
      for (let i = 0; i < HTTP_WARMUP; i++) await get(path);
      const samples: number[] = [];
      for (let i = 0; i < HTTP_RUNS; i++) samples.push((await get(path)).totalMs);
      return summarize(samples);
    };
    const buckets = await timed(bucketsPath);
    const metrics = await timed(metricsPath);

    // Read before stopping: the peak is gone with the process.
    serverPeakKb = procStatusKb(app.pid, "VmHWM");

    // Besides the page itself, an API request reads the session's user and the incident.
    const lookupStatements = (
      await recordStatements(async () => {
        await loadSessionActor({ userId: user.id, sessionVersion: 0 });
        await findIncident(actor, SLUG);
      })
    ).length;

    const baselineP95 = raw.p95 + floor.p95;
    const { inProcess } = input;
    const unexplained =
      api.p50 - floor.p50 - inProcess.domainMixed.p50 - inProcess.lookups.p50 - inProcess.serialize.p50;
    const lines: TableLine[] = [
      `over HTTP: next start, one keep-alive connection, time to the last byte unless TTFB`,
      [`GET /api/health (HTTP floor), ${HTTP_RUNS} requests`, floor, "-", "", ""],
      [`raw pg keyset page in-process, same ${HTTP_RUNS} depths`, raw, "-", "", ""],
      [
        `GET events?limit=${PAGE}, ${HTTP_RUNS} depths, ${kb(firstApi.wireBytes)} (${kb(firstApiGzip.wireBytes)} gz)`,
        api,
        "raw p95+floor p95",
        ratio(api.p95, baselineP95),
        "<= 1.5 (p95)",
      ],
      [`GET events, first page`, apiFirst, "floor p50", ratio(apiFirst.p50, floor.p50), ""],
      [
        `GET events, deepest page (#${cursors.length})`,
        apiDeepest,
        "first page p50",
        ratio(apiDeepest.p50, apiFirst.p50),
        "<= 1.2 (p50)",
      ],
    ];
    for (const page of pages) {
      lines.push(
        [
          `GET timeline page (${page.view}), TTFB`,
          page.ttfb,
          "floor p95",
          ratio(page.ttfb.p95, floor.p95),
          "p95 <= 100 ms",
        ],
        [
          `  complete: ${kb(page.html)} HTML, ${kb(page.wire)} gzip`,
          page.complete,
          "TTFB p50",
          ratio(page.complete.p50, page.ttfb.p50),
          "",
        ],
      );
    }
    lines.push(
      [
        `GET buckets?max=1000: ${bucketPoints} points`,
        buckets,
        "in-process p50",
        ratio(buckets.p50, input.inProcess.buckets.p50),
        "points <= 1000",
      ],
      [`GET metrics`, metrics, "in-process p50", ratio(metrics.p50, input.inProcess.metrics.p50), ""],
    );

    const notes = [
      `HTTP: next start (build ${input.build.id}, built ${input.build.builtAt.toISOString()}) at ${app.origin}, ` +
        `pid ${app.pid}, ready in ${startSeconds.toFixed(1)} s; signed in as a responder over /api/auth/callback/credentials.`,
      `API baseline: the app has no raw-SQL route and none is added for a benchmark, so the API page's p95 is ` +
        `held against raw pg p95 (this process, same depths, same keyset page as one statement) + the HTTP floor ` +
        `p95 (GET /api/health: Next's routing, the route wrapper, a SELECT 1; no session). Adding two p95s is ` +
        `generous to the API. = ${fmt(raw.p95)} + ${fmt(floor.p95)} = ${fmt(baselineP95)} ms. The same at p50, ` +
        `less sensitive to a busy machine: ${fmt(api.p50)} / (${fmt(raw.p50)} + ${fmt(floor.p50)}) = ` +
        `${ratio(api.p50, raw.p50 + floor.p50)}.`,
      `API page, where the time goes (p50): ${fmt(api.p50)} ms ≈ HTTP floor ${fmt(floor.p50)} + ` +
        `listTimelineEvents ${fmt(inProcess.domainMixed.p50)} (${input.pageStatements} SQL statements, raw pg needs 1) + ` +
        `${lookupStatements} lookups ${fmt(inProcess.lookups.p50)} + JSON ${fmt(inProcess.serialize.p50)} + ` +
        `${fmt(unexplained)} rest (next-auth JWT decode, ${kb(firstApi.wireBytes)} over the socket, scheduling).`,
      `Timeline page: TTFB is the status line and headers (first body chunk p50/p95: ${pages
        .map((page) => `${page.view} ${fmt(page.firstBody.p50)}/${fmt(page.firstBody.p95)} ms`)
        .join(", ")}); the page streams (loading.tsx) and its events are not in the HTML: the browser ` +
        `fetches them from the events API afterwards.`,
    ];
    // Every response was a 200, but a rebuild between two of them would still mix two builds' figures.
    if (productionBuild()?.id !== input.build.id) {
      notes.push("warning: .next was rebuilt while the benchmark ran; the HTTP figures may mix two builds.");
    }
    if (input.build.newerSources.length > 0) {
      notes.push(
        `warning: ${input.build.newerSources.length} source files are newer than the build (e.g. ` +
          `${input.build.newerSources.slice(0, 3).join(", ")}); the HTTP figures measure the built code.`,
      );
    }
    if (app.problems.length > 0) {
      notes.push(
        `server wrote ${app.problems.length} warning/error lines, first: ${app.problems.slice(0, 3).join(" | ")}`,
      );
    }
    return { lines, notes, serverPeakKb };
  } finally {
    client.close();
    await app.stop();
  }
}

// ------------------------------------------------------------------ the run

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(2) : "-");
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "-");

async function run(baseUrl: string, server: string): Promise<void> {
  const started = performance.now();
  const name = scratchDatabaseName("dwell_bench");
  const url = await createDatabase(baseUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // Dropping the database at the end ends idle connections; that is expected, not a crash.
  pool.on("error", () => undefined);
  try {
    await applyMigrations(url);
    // The domain code's Prisma client reads DATABASE_URL on first use: point it at the scratch database.
    process.env.DATABASE_URL = url;
    if (readEnv().DATABASE_URL !== url)
      throw new Error("the database client would not use the scratch database");

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const loadStarted = performance.now();
    let built: Awaited<ReturnType<typeof buildIncident>>;
    let serverVersion: string;
    try {
      built = await buildIncident(client);
      serverVersion =
        (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ??
        "?";
    } finally {
      await client.end();
    }
    const { incidentId, counts } = built;
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    const page = (c: string | null) =>
      listTimelineEvents(actor, incidentId, { limit: PAGE, ...(c ? { cursor: c } : {}) });

    // Walk every page once by cursor through the domain function the API route calls: proves the
    // cursor reaches the end, yields the cursor of the deepest page, and warms caches for what follows.
    const cursors: Array<string | null> = [null];
    const walkSamples: number[] = [];
    let seen = 0;
    for (let cursor: string | null = null; ;) {
      const pageStarted = performance.now();
      const result = await page(cursor);
      walkSamples.push(performance.now() - pageStarted);
      seen += result.items.length;
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
      cursors.push(cursor);
    }
    if (seen !== counts.events) throw new Error(`the walk saw ${seen} events, not ${counts.events}`);
    const walk = summarize(walkSamples);
    const lastCursor = cursors.at(-1) ?? null;

    // First and deepest page, interleaved so that drift on the machine affects both alike.
    const firstSamples: number[] = [];
    const deepestSamples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      firstSamples.push(await time(() => page(null)));
      deepestSamples.push(await time(() => page(lastCursor)));
    }
    const firstPage = summarize(firstSamples);
    const deepestPage = summarize(deepestSamples);

    // The same pages at evenly spread depths, twice: domain function, raw pg with a row-comparison
    // keyset (the baseline), raw pg with listTimelineEvents' keyset form, interleaved.
    const picks = Array.from(
      { length: MIXED_PAGES },
      (_, i) => cursors[Math.round((i * (cursors.length - 1)) / (MIXED_PAGES - 1))] ?? null,
    );
    const domainSamples: number[] = [];
    const rawSamples: number[] = [];
    const rawOrSamples: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const c of picks) {
        const raw = await time(() => pool.query(RAW_PAGE_SQL, pageParams(incidentId, c)));
        const rawOr = await time(() => pool.query(RAW_PAGE_OR_SQL, pageParams(incidentId, c)));
        const domain = await time(() => page(c));
        // The first round only warms up.
        if (round === 0) continue;
        rawSamples.push(raw);
        rawOrSamples.push(rawOr);
        domainSamples.push(domain);
      }
    }
    const rawMixed = summarize(rawSamples);
    const rawOrMixed = summarize(rawOrSamples);
    const domainMixed = summarize(domainSamples);

    // Chart buckets and metrics.
    const bucketsResult = await getTimelineBuckets(actor, incidentId, { max: 1000 });
    const buckets = await measure(() => getTimelineBuckets(actor, incidentId, { max: 1000 }), 20);
    const buckets100 = await measure(() => getTimelineBuckets(actor, incidentId, { max: 100 }), 20);
    const metricsResult = await getIncidentMetrics(actor, incidentId);
    const metrics = await measure(() => getIncidentMetrics(actor, incidentId), 20);
    // listTimelineEvents renders every description to sanitized HTML: what one page of that costs alone.
    const onePage = await page(null);
    // The list carries the rendered HTML only; the sources come from the table, in the page's order.
    const descriptions = (
      await pool.query<{ description: string | null }>(
        "SELECT description FROM timeline_event WHERE incident_id = $1 ORDER BY occurred_at, id LIMIT $2",
        [incidentId, PAGE],
      )
    ).rows.map((row) => row.description ?? "");
    const markdown = await measure(async () => descriptions.map((d) => renderMarkdown(d)), 20);
    // What an API route adds around listTimelineEvents in this process: the session's user and the
    // incident (one primary-key or unique lookup each), and serializing the page.
    const lookups = await measure(async () => {
      await loadSessionActor({ userId: actor.userId, sessionVersion: 0 });
      await findIncident(actor, SLUG);
    }, 20);
    const pageJson = JSON.stringify(onePage);
    const serialize = await measure(async () => JSON.stringify(onePage), 20);

    const from = new Date(bucketsResult.from ?? 0);
    const to = new Date(bucketsResult.to ?? 0);
    const bucketStatement = bucketCountsSql(
      staffEventScopeSql(actor, incidentId),
      { from, to },
      planBuckets(from, to, 1000),
    );
    const middleCursor = cursors[Math.floor(cursors.length / 2)] ?? null;
    const pageStatements = await recordStatements(() =>
      listTimelineEvents(actor, incidentId, {
        limit: PAGE,
        ...(middleCursor ? { cursor: middleCursor } : {}),
      }),
    );
    const eventsStatement = pageStatements[0];
    if (!eventsStatement || !/FROM "public"\."timeline_event"/.test(eventsStatement.text)) {
      throw new Error("listTimelineEvents no longer reads timeline_event in its first statement");
    }
    const plans = {
      "keyset page, row comparison (raw), middle page": await explainSummary(
        pool,
        RAW_PAGE_SQL,
        pageParams(incidentId, middleCursor),
      ),
      "keyset page, >= and OR (raw), middle page": await explainSummary(
        pool,
        RAW_PAGE_OR_SQL,
        pageParams(incidentId, middleCursor),
      ),
      [`listTimelineEvents' events statement as Prisma sends it (1 of ${pageStatements.length}), middle page`]:
        await explainSummary(pool, eventsStatement.text, eventsStatement.values),
      "buckets, max=1000": await explainSummary(pool, bucketStatement.text, bucketStatement.values),
    };

    const dwell = metricsResult.durations.dwell.ms;
    const mixedLabel = `${MIXED_PAGES} depths × 2`;
    const lines: TableLine[] = [
      "in-process: domain functions against raw pg, no HTTP",
      [`raw pg keyset page, ${mixedLabel} (baseline)`, rawMixed, "-", "1.00", ""],
      [
        `raw pg, ">= and OR" keyset (as Prisma), ${mixedLabel}`,
        rawOrMixed,
        "baseline p50",
        ratio(rawOrMixed.p50, rawMixed.p50),
        "",
      ],
      [
        `listTimelineEvents, ${mixedLabel}`,
        domainMixed,
        "baseline p95",
        ratio(domainMixed.p95, rawMixed.p95),
        "<= 1.5 (p95)",
      ],
      [
        `  of which renderMarkdown × ${descriptions.length} descriptions`,
        markdown,
        "baseline p50",
        ratio(markdown.p50, rawMixed.p50),
        "",
      ],
      [
        "session user + incident lookups (an API route's)",
        lookups,
        "baseline p50",
        ratio(lookups.p50, rawMixed.p50),
        "",
      ],
      [
        `JSON.stringify one page (${kb(Buffer.byteLength(pageJson))})`,
        serialize,
        "baseline p50",
        ratio(serialize.p50, rawMixed.p50),
        "",
      ],
      ["listTimelineEvents first page", firstPage, "baseline p50", ratio(firstPage.p50, rawMixed.p50), ""],
      [
        `listTimelineEvents deepest page (#${cursors.length})`,
        deepestPage,
        "first page p50",
        ratio(deepestPage.p50, firstPage.p50),
        "<= 1.2 (p50)",
      ],
      [
        `full walk, ${cursors.length} pages (per page)`,
        walk,
        "first page p50",
        ratio(walk.p50, firstPage.p50),
        "",
      ],
      [
        `buckets max=1000: ${bucketsResult.buckets.length} points, ${bucketsResult.bucketSeconds ?? 0} s`,
        buckets,
        "baseline p50",
        ratio(buckets.p50, rawMixed.p50),
        "points <= 1000",
      ],
      ["buckets max=100", buckets100, "baseline p50", ratio(buckets100.p50, rawMixed.p50), ""],
      [
        `metrics, ${metricsResult.organizations.length} organizations`,
        metrics,
        "baseline p50",
        ratio(metrics.p50, rawMixed.p50),
        "",
      ],
    ];

    // Over HTTP only when there is a build to serve; never a build of our own (a minute, and another
    // engineer's half-made edit could break it) and never `next dev` (its timings mean nothing).
    const build = productionBuild();
    let httpNotes: string[];
    let serverPeakKb: number | null = null;
    // A failure over HTTP still prints the in-process figures, then fails the run.
    let httpError: unknown;
    if (build) {
      try {
        const http = await measureOverHttp({
          build,
          databaseUrl: url,
          pool,
          incidentId,
          cursors,
          inProcess: { domainMixed, lookups, serialize, buckets, metrics },
          pageStatements: pageStatements.length,
        });
        lines.push(...http.lines);
        httpNotes = http.notes;
        serverPeakKb = http.serverPeakKb;
      } catch (error) {
        httpError = error;
        lines.push("over HTTP: FAILED (below)");
        httpNotes = [];
      }
    } else {
      const skipped =
        "over HTTP: SKIPPED, no production build (.next/BUILD_ID missing); run `npx next build` first";
      lines.push(skipped);
      httpNotes = [skipped];
    }
    const rssMb = process.resourceUsage().maxRSS / 1024;

    const widths = [58, 5, 9, 9, 17, 7, 14];
    const line = (cells: string[]) =>
      cells
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 10) : cell.padStart(widths[i] ?? 10)))
        .join("  ");
    console.log("");
    console.log(
      `Dwell timeline benchmark: ${counts.events?.toLocaleString("en-US")} events over 90 days, ${ORGANIZATIONS} organizations, page size ${PAGE}`,
    );
    console.log(
      `Postgres ${serverVersion} (${server}), Node ${process.version}, ${os.cpus().length} CPUs, ` +
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")}`,
    );
    console.log(
      `Data: built in ${loadSeconds.toFixed(1)} s — ${Object.entries(counts)
        .map(([k, v]) => `${v.toLocaleString("en-US")} ${k}`)
        .join(", ")}`,
    );
    console.log("");
    console.log(line(["measurement", "runs", "p50 ms", "p95 ms", "ratio to", "ratio", "target"]));
    console.log(line(widths.map((w) => "-".repeat(w))));
    for (const entry of lines) {
      if (typeof entry === "string") {
        console.log(`— ${entry}`);
        continue;
      }
      const [label, t, base, r, target] = entry;
      console.log(line([label, String(t.runs), fmt(t.p50), fmt(t.p95), base, r, target]));
    }
    console.log("");
    for (const [label, plan] of Object.entries(plans)) console.log(`plan, ${label}: ${plan}`);
    console.log(
      `metrics check: dwell ${dwell === null ? "unknown" : `${(dwell / 86_400_000).toFixed(1)} days`}, ` +
        `states ${JSON.stringify(metricsResult.organizationSummary.byNotificationState)}`,
    );
    for (const note of httpNotes) console.log(note);
    console.log(
      `peak RSS: this Node process ${rssMb.toFixed(0)} MB; next start ` +
        `${serverPeakKb === null ? "not measured" : `${(serverPeakKb / 1024).toFixed(0)} MB (VmHWM)`}; Postgres not included`,
    );
    console.log(`total time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // Tail latencies on a shared machine mostly measure the other work; say so rather than let a p95 lie.
    const [load = 0] = os.loadavg();
    if (load > os.cpus().length) {
      console.log(
        `warning: load average ${load.toFixed(1)} on ${os.cpus().length} CPUs during the run: other processes ` +
          `competed for the CPU, so p95s (and their ratios) are inflated by them; rerun on a quiet machine.`,
      );
    }
    if (httpError) throw httpError;
  } finally {
    await pool.end();
    await dropDatabase(baseUrl, name);
  }
}

// readEnv on a copy: the process-wide cached settings must pick up the scratch DATABASE_URL later.
const env = readEnv({ ...process.env });
const server = env.DATABASE_URL ? "DATABASE_URL's server, scratch database" : "embedded, scratch database";
try {
  await withPostgres((baseUrl) => run(baseUrl, server), env);
  process.exit(0);
} catch (error) {
  console.error(`bench:timeline: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

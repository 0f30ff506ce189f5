// The one Prisma client of the app process (adapter-pg). Only lib/domain imports it.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";
import { readEnv, requireDatabaseUrl } from "../env.ts";

export type Db = InstanceType<typeof PrismaClient>;

export function createPrismaClient(connectionString: string, statementTimeoutMs = 15_000): Db {
  const adapter = new PrismaPg({
    connectionString,
    max: 10,
    // Fail fast when the database is away, instead of hanging requests: a request that cannot get a
    // connection (server down, restarting, or every pooled connection busy) answers 503 within ~3 s.
    // A refused connection fails at once; this bounds the silent cases (a frozen server, a full pool).
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    // A peer that vanished without a reset (network cut, frozen host) is noticed on pooled connections.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1_000,
    // A transaction whose app process froze between statements must not hold its locks for ever.
    idle_in_transaction_session_timeout: 60_000,
  });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { dwellDb?: Db };

/** Lazily created so that importing a module never opens a connection. */
export function db(): Db {
  if (!globalForDb.dwellDb) {
    const env = readEnv();
    globalForDb.dwellDb = createPrismaClient(requireDatabaseUrl(env), env.DWELL_STATEMENT_TIMEOUT_MS);
  }
  return globalForDb.dwellDb;
}

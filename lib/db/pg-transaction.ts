// A transaction on a connection of its own, for the few commands that stream large amounts of data
// (indicator imports). They send thousands of large statements; on the plain pg driver nothing keeps
// those statements or their parameters once sent, so memory stays flat however long the file is.
// Everything else goes through Prisma (lib/db/client.ts).
import pg from "pg";
import { readEnv, requireDatabaseUrl } from "../env.ts";

/** What a streaming command needs of its connection. */
export interface SqlClient {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/**
 * Runs `work` in one transaction on a new connection to the app's database: committed when it
 * returns, rolled back when it throws, and the connection closed either way.
 */
export async function withPgTransaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: requireDatabaseUrl(readEnv()),
    connectionTimeoutMillis: 5_000,
    application_name: "dwell-stream",
  });
  // A connection lost mid-transaction surfaces as the failing query's error; this keeps the
  // client's own 'error' event from crashing the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

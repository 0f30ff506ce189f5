// Creating and dropping whole databases: for tests, benchmarks and the drift check.
import pg from "pg";

export function withDatabaseName(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Refusing unsafe database name "${name}"`);
  return `"${name}"`;
}

async function onMaintenanceDb<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabaseName(connectionString, "postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(connectionString: string, name: string): Promise<string> {
  await onMaintenanceDb(connectionString, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  return withDatabaseName(connectionString, name);
}

export async function dropDatabase(connectionString: string, name: string): Promise<void> {
  await onMaintenanceDb(connectionString, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  );
}

export function scratchDatabaseName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

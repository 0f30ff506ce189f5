// Drift check: a database built by the committed migrations must have the same tables, columns,
// enums, indexes and constraints as one built straight from schema.prisma. Objects Prisma cannot
// describe (triggers, functions, grants, hand-written indexes named *_manual) are left out on both sides.
import pg from "pg";
import { createDatabase, dropDatabase, scratchDatabaseName } from "./admin.ts";
import { applyMigrations } from "./migrate.ts";
import { diffSchemas, readSchema } from "./prisma-diff.ts";

const CATALOG_QUERIES: Record<string, string> = {
  enum: `SELECT t.typname || ': ' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS item
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
           JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' GROUP BY t.typname`,
  column: `SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || udt_name || ')', '')
                  || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
                  || coalesce(' default ' || column_default, '') AS item
             FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  index: `SELECT indexdef AS item FROM pg_indexes
           WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' AND indexname NOT LIKE '%\\_manual'`,
  constraint: `SELECT c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) AS item
                 FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                WHERE n.nspname = 'public' AND c.contype IN ('p', 'f', 'u')
                  AND c.conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"') AND c.conname NOT LIKE '%\\_manual'`,
};

async function describeDatabase(url: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const items = new Set<string>();
    for (const [kind, sql] of Object.entries(CATALOG_QUERIES)) {
      const { rows } = await client.query<{ item: string }>(sql);
      for (const row of rows) items.add(`${kind} ${row.item}`);
    }
    return items;
  } finally {
    await client.end();
  }
}

export interface DriftReport {
  onlyInMigrations: string[];
  onlyInSchema: string[];
}

export async function checkDrift(baseUrl: string): Promise<DriftReport> {
  const fromMigrations = scratchDatabaseName("dwell_drift_m");
  const fromSchema = scratchDatabaseName("dwell_drift_s");
  try {
    const migratedUrl = await createDatabase(baseUrl, fromMigrations);
    await applyMigrations(migratedUrl);
    const schemaUrl = await createDatabase(baseUrl, fromSchema);
    const sql = await diffSchemas(null, await readSchema(), schemaUrl);
    const client = new pg.Client({ connectionString: schemaUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    const [a, b] = await Promise.all([describeDatabase(migratedUrl), describeDatabase(schemaUrl)]);
    return {
      onlyInMigrations: [...a].filter((item) => !b.has(item)).sort(),
      onlyInSchema: [...b].filter((item) => !a.has(item)).sort(),
    };
  } finally {
    await Promise.all([dropDatabase(baseUrl, fromMigrations), dropDatabase(baseUrl, fromSchema)]);
  }
}

// Integration tests run on a database created for the run (from DWELL_TEST_BASE_URL, else
// DATABASE_URL), migrated with the project's own runner, and dropped afterwards.
import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase, scratchDatabaseName } from "../lib/db/admin.ts";
import { applyMigrations } from "../lib/db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const base = process.env.DWELL_TEST_BASE_URL ?? process.env.DATABASE_URL;
  if (!base) {
    throw new Error(
      "Integration tests need a Postgres server: run them through `npm test` (which starts one), or set DWELL_TEST_BASE_URL.",
    );
  }
  const name = scratchDatabaseName("dwell_it");
  const url = await createDatabase(base, name);
  await applyMigrations(url);
  project.provide("databaseUrl", url);
  return async () => {
    await dropDatabase(base, name);
  };
}

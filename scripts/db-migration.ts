// `npm run db:migration -- <name>`: writes the SQL that takes the last committed schema
// (git HEAD:prisma/schema.prisma) to the working copy's, as a new migration folder.
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { MIGRATIONS_DIR } from "../lib/db/migrate.ts";
import { PROJECT_ROOT, diffSchemas, readSchema } from "../lib/db/prisma-diff.ts";
import { readEnv } from "../lib/env.ts";
import { withPostgres } from "./postgres-for-tools.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error(
    "dwell: give the migration a snake_case name, e.g. `npm run db:migration -- add_finding_index`.",
  );
  process.exit(1);
}

let committed: string | null;
try {
  committed = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
} catch {
  committed = null;
}

const sql = await withPostgres(async (url) => diffSchemas(committed, await readSchema(), url), readEnv());
if (!sql.trim() || /^-- This is an empty migration\.?\s*$/m.test(sql.trim())) {
  console.log("db:migration: the schema has not changed since the last commit; nothing written.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const folder = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
await mkdir(folder, { recursive: true });
await writeFile(path.join(folder, "migration.sql"), sql);
console.log(
  `db:migration: wrote ${path.relative(PROJECT_ROOT, folder)}/migration.sql — review it, then npm run db:drift.`,
);

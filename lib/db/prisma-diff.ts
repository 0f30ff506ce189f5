// Runs Prisma 6's wasm schema engine (tools/prisma-diff) for schema-to-schema SQL diffs, which work
// offline where Prisma 7's CLI cannot download its engine. Never imported by the app.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");
const TOOL_DIR = path.join(PROJECT_ROOT, "tools/prisma-diff");

/** Installs the diff tool's own dependencies when they are missing (npm registry only). */
export async function ensureDiffTool(): Promise<void> {
  if (existsSync(path.join(TOOL_DIR, "node_modules/.bin/prisma"))) return;
  await run("npm", ["ci", "--no-audit", "--no-fund", "--prefix", TOOL_DIR], { cwd: TOOL_DIR });
}

/** Prisma 6 insists on a url in the datasource block; Prisma 7's schema has none. */
function asPrisma6Schema(schema: string): string {
  return schema.replace(/(datasource\s+db\s*\{[^}]*provider\s*=\s*"postgresql")/, `$1\n  url = env("DATABASE_URL")`);
}

/**
 * SQL that turns a database shaped by `fromSchema` (null: empty) into one shaped by `toSchema`.
 * `databaseUrl` must be reachable although nothing is changed there.
 */
export async function diffSchemas(fromSchema: string | null, toSchema: string, databaseUrl: string): Promise<string> {
  await ensureDiffTool();
  const dir = await mkdtemp(path.join(tmpdir(), "dwell-diff-"));
  try {
    const toFile = path.join(dir, "to.prisma");
    await writeFile(toFile, asPrisma6Schema(toSchema));
    const args = ["migrate", "diff", "--script", "--to-schema-datamodel", toFile];
    if (fromSchema === null) args.push("--from-empty");
    else {
      const fromFile = path.join(dir, "from.prisma");
      await writeFile(fromFile, asPrisma6Schema(fromSchema));
      args.push("--from-schema-datamodel", fromFile);
    }
    const { stdout } = await run(path.join(TOOL_DIR, "node_modules/.bin/prisma"), args, {
      cwd: TOOL_DIR,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        // Neither engine is used by a schema-to-schema diff; stubs stop Prisma from downloading them.
        PRISMA_QUERY_ENGINE_LIBRARY: "/bin/true",
        PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true",
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readSchema(): Promise<string> {
  return readFile(path.join(PROJECT_ROOT, "prisma/schema.prisma"), "utf8");
}

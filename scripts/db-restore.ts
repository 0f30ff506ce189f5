// `npm run db:restore -- <file> [--database-url url] [--force]`: restores a `npm run db:backup` archive
// into --database-url, else DATABASE_URL, else the embedded database of `npm start`. The database is
// created when missing; one that already holds tables is refused unless --force (which drops them first).
// The restore runs in one transaction: it either completes or changes nothing.
import { parseArgs } from "node:util";
import { BackupError, describeDatabase, restoreDatabase } from "../lib/db/backup.ts";
import { withTarget } from "../lib/db/backup-target.ts";
import { readEnv } from "../lib/env.ts";

const say = (line: string) => console.log(`db:restore: ${line}`);

async function main(): Promise<void> {
  let parsed: { values: { force?: boolean; "database-url"?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: { force: { type: "boolean" }, "database-url": { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new BackupError(
      `${(error as Error).message.replace(/\.$/, "")}; usage: npm run db:restore -- <file> [--database-url <url>] [--force].`,
    );
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    throw new BackupError(
      "Name one backup file: npm run db:restore -- <file> [--database-url <url>] [--force].",
    );
  }
  await withTarget(
    parsed.values["database-url"],
    readEnv(),
    async ({ url, source }) => {
      const started = performance.now();
      const result = await restoreDatabase(file, url, { force: parsed.values.force ?? false });
      const what = result.created
        ? "a new database"
        : result.cleared > 0
          ? `after dropping its ${result.cleared} tables and other objects (--force)`
          : "an empty database";
      say(
        `restored ${file} into ${describeDatabase(url)} (${source}), ${what}: ${result.tables} tables in one transaction, ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s, with ${result.tools.pgRestore}.`,
      );
      say("check the audit trail with: DATABASE_URL=<that database's URL> npm run audit:verify");
    },
    say,
  );
}

main().catch((error: unknown) => {
  // BackupError and ConfigError are sentences already; anything else still gets one line, no stack.
  console.error(`db:restore: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

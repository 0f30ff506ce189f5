// `npm run db:backup [-- --out file] [--database-url url]`: a pg_dump custom-format backup of
// --database-url, else DATABASE_URL, else the embedded database of `npm start`. Restore it with
// `npm run db:restore -- <file>`.
import { parseArgs } from "node:util";
import { backupDatabase, BackupError, defaultBackupFile, describeDatabase } from "../lib/db/backup.ts";
import { withTarget } from "../lib/db/backup-target.ts";
import { readEnv } from "../lib/env.ts";

const say = (line: string) => console.log(`db:backup: ${line}`);

async function main(): Promise<void> {
  let values: { out?: string; "database-url"?: string };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { out: { type: "string", short: "o" }, "database-url": { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    throw new BackupError(
      `${(error as Error).message.replace(/\.$/, "")}; db:backup takes --out <file> and --database-url <url>.`,
    );
  }
  await withTarget(
    values["database-url"],
    readEnv(),
    async ({ url, source }) => {
      const file = values.out ?? defaultBackupFile(url);
      const started = performance.now();
      const result = await backupDatabase(url, file);
      say(
        `backed up ${describeDatabase(url)} (${source}, PostgreSQL ${result.serverMajor}) to ${result.file}: ` +
          `${(result.bytes / 1024).toFixed(0)} kB, ${result.tables} tables, ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
          `with ${result.tools.pgDump}.`,
      );
      say(`restore it with: npm run db:restore -- ${result.file} --database-url <a new database's URL>`);
    },
    say,
  );
}

main().catch((error: unknown) => {
  // BackupError and ConfigError are sentences already; anything else still gets one line, no stack.
  console.error(`db:backup: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

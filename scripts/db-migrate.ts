// `npm run db:migrate`: applies prisma/migrations to the database at DATABASE_URL (what `prisma migrate
// deploy` does, without Prisma's engine download) and says what it did in one line.
import { applyMigrations, MigrationError } from "../lib/db/migrate.ts";
import { ConfigError, readEnv } from "../lib/env.ts";

function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname || "localhost"}:${parsed.port || "5432"}${parsed.pathname}`;
}

function explain(error: unknown, url: string): string {
  if (error instanceof ConfigError || error instanceof MigrationError) return error.message;
  const e = error as { code?: string; message?: string };
  const message = (e.message ?? String(error)).replace(/\.$/, "");
  switch (e.code) {
    case "ECONNREFUSED":
      return `Nothing answers at ${where(url)} (DATABASE_URL); start that Postgres server or fix DATABASE_URL.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host in DATABASE_URL (${where(url)}) cannot be found; fix DATABASE_URL.`;
    case "28P01":
    case "28000":
      return `The database at ${where(url)} refused the login (${message}); fix the user or password in DATABASE_URL.`;
    case "3D000":
      return `The database at ${where(url)} does not exist; create it first (createdb) or fix DATABASE_URL.`;
  }
  return `Migrating the database at ${where(url)} failed: ${message}.`;
}

async function main(): Promise<void> {
  const url = readEnv().DATABASE_URL;
  if (!url) {
    throw new ConfigError(
      "DATABASE_URL is not set: set it to the Postgres server to migrate (`npm start` migrates its embedded database by itself).",
    );
  }
  try {
    const { applied, alreadyApplied } = await applyMigrations(url);
    console.log(
      applied.length > 0
        ? `db:migrate: applied ${applied.length} migration(s) to ${where(url)}: ${applied.join(", ")}.`
        : `db:migrate: ${where(url)} is up to date (${alreadyApplied} migration(s) already applied).`,
    );
  } catch (error) {
    throw new ConfigError(explain(error, url));
  }
}

main().catch((error: unknown) => {
  // Every failure main() expects is already a sentence; anything else still gets one line, no stack.
  console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

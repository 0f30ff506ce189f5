// `npm run db:seed -- --demo`: migrates DATABASE_URL and loads the demo data (the Storm-0558 incident and
// the demo accounts). Running it again changes nothing.
import { parseArgs } from "node:util";
import { applyMigrations } from "../lib/db/migrate.ts";
import { DEMO_ACCOUNTS, DEMO_INCIDENT_SLUG, DEMO_PASSWORD, seedDemoData } from "../lib/domain/seed/demo.ts";
import { readEnv } from "../lib/env.ts";
import { AppError, mapDatabaseError } from "../lib/errors.ts";

class UsageError extends Error {}

// Remembered only to say which database could not be reached (host and name, never the credentials).
let targetDatabase: string | undefined;

async function main(): Promise<void> {
  let demo: boolean | undefined;
  try {
    ({
      values: { demo },
    } = parseArgs({ args: process.argv.slice(2), options: { demo: { type: "boolean" } }, strict: true }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; the only option is --demo.`);
  }
  if (!demo) {
    throw new UsageError(
      "Nothing to seed without --demo: the only seed data is the demo data (`npm run db:seed -- --demo`), and a real database gets its first admin from `npm run user:create -- --email <email> --name <name>`.",
    );
  }

  const databaseUrl = readEnv().DATABASE_URL;
  if (!databaseUrl) {
    throw new UsageError(
      "DATABASE_URL is not set: set it to your Postgres server (for the embedded one, `npm start` prints its address and names the file that holds its password).",
    );
  }
  const { host, pathname } = new URL(databaseUrl);
  targetDatabase = `${host}${pathname}`;

  const migrations = await applyMigrations(databaseUrl);
  console.log(
    migrations.applied.length > 0
      ? `Applied ${migrations.applied.length} migration(s): ${migrations.applied.join(", ")}.`
      : "Database schema is up to date.",
  );

  const result = await seedDemoData(databaseUrl);
  const { events, indicators, organizations, users } = result.counts;
  console.log(
    result.createdIncident
      ? `Loaded the demo incident ${DEMO_INCIDENT_SLUG} (${result.incidentId}): ${events} timeline events, ${indicators} indicators, ${organizations} affected organizations.`
      : `The demo incident ${DEMO_INCIDENT_SLUG} (${result.incidentId}) was already loaded; it was left as it is.`,
  );
  console.log(`Demo accounts, all with password ${DEMO_PASSWORD}:`);
  for (const account of DEMO_ACCOUNTS) {
    const boundTo = account.organization ? `, ${account.organization}` : "";
    console.log(`  ${account.email} (${account.role}${boundTo})`);
  }
  if (users < DEMO_ACCOUNTS.length) {
    console.warn(
      `Only ${users} of ${DEMO_ACCOUNTS.length} demo accounts exist: an agency account is skipped when its organization was renamed or removed.`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(`db:seed: ${describeFailure(error)}`);
  process.exitCode = 1;
});

function describeFailure(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  const known = mapDatabaseError(error);
  if (known?.code === "database_unavailable" && targetDatabase) {
    return `Cannot reach the database at ${targetDatabase}: check DATABASE_URL and that Postgres is running.`;
  }
  if (known instanceof AppError) return known.userMessage;
  // ConfigError, MigrationError and bad source data all carry a sentence meant for the operator.
  return error instanceof Error ? error.message : String(error);
}

// `npm run db:drift`: fails when prisma/schema.prisma and prisma/migrations disagree.
import { checkDrift } from "../lib/db/drift.ts";
import { readEnv } from "../lib/env.ts";
import { withPostgres } from "./postgres-for-tools.ts";

const code = await withPostgres(async (baseUrl) => {
  const report = await checkDrift(baseUrl);
  const drift = report.onlyInMigrations.length + report.onlyInSchema.length;
  if (drift === 0) {
    console.log("db:drift: schema.prisma and the migrations agree.");
    return 0;
  }
  console.error("db:drift: schema.prisma and prisma/migrations disagree.");
  for (const item of report.onlyInSchema) console.error(`  only in schema.prisma:  ${item}`);
  for (const item of report.onlyInMigrations) console.error(`  only in the migrations: ${item}`);
  console.error("Write a migration for the change: npm run db:migration -- <name> (see README, Migrations).");
  return 1;
}, readEnv());
process.exit(code);

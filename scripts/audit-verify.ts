// `npm run audit:verify`: walks the audit trail's hash chain of DATABASE_URL and reports the first
// broken link. Exit code 0 when the chain holds, 1 when it is broken, 2 when it could not be checked.
import { verifyAuditChain } from "../lib/domain/audit/verify.ts";
import { db } from "../lib/db/client.ts";
import { readEnv } from "../lib/env.ts";
import { mapDatabaseError } from "../lib/errors.ts";

async function main(): Promise<number> {
  const databaseUrl = readEnv().DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      "audit:verify: DATABASE_URL is not set: set it to the database to check (for the embedded one, `npm start` prints its address).",
    );
    return 2;
  }
  const report = await verifyAuditChain();
  if (report.broken) {
    console.error(`audit:verify: the chain is broken after ${report.checked} good entries.`);
    console.error(`  first broken link: ${report.broken.reason}`);
    return 1;
  }
  console.log(
    `audit:verify: ${report.checked} entries checked; the chain holds (last hash ${report.lastHash ?? "none"}).`,
  );
  return 0;
}

let code: number;
try {
  code = await main();
} catch (error) {
  const mapped = mapDatabaseError(error);
  console.error(`audit:verify: ${mapped ? mapped.userMessage : (error as Error).message}`);
  code = 2;
} finally {
  await db().$disconnect();
}
process.exit(code);

// `npm run user:create -- --email a@b.c --name "Ada" [--role admin] [--organization <uuid>]`: creates a
// user (by default the first admin of a new database). The password comes from DWELL_NEW_USER_PASSWORD,
// else a prompt on the terminal that does not echo, else the first line of stdin.
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { applyMigrations } from "../lib/db/migrate.ts";
import { createUserInNewTransaction } from "../lib/domain/users/commands.ts";
import type { CreateUserInput } from "../lib/domain/users/validation.ts";
import { readEnv } from "../lib/env.ts";
import { AppError, mapDatabaseError } from "../lib/errors.ts";

const USAGE =
  'npm run user:create -- --email <email> --name "<name>" [--role admin|responder|executive|agency] [--organization <uuid>]';

class UsageError extends Error {}

// Remembered only to say which database could not be reached (host and name, never the credentials).
let targetDatabase: string | undefined;

// The schema names fields as the domain does; the person at the terminal knows the flags.
const FLAG_FOR_FIELD: Record<string, string> = {
  email: "--email",
  name: "--name",
  role: "--role",
  organizationId: "--organization",
  password: "the password",
};

async function main(): Promise<void> {
  let values: { email?: string; name?: string; role?: string; organization?: string };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        email: { type: "string" },
        name: { type: "string" },
        role: { type: "string", default: "admin" },
        organization: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; usage: ${USAGE}`);
  }
  if (!values.email || !values.name) {
    throw new UsageError(`--email and --name are required; usage: ${USAGE}`);
  }

  const env = readEnv();
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    throw new UsageError(
      "DATABASE_URL is not set: set it to your Postgres server (for the embedded one, `npm start` prints its address and names the file that holds its password).",
    );
  }
  const { host, pathname } = new URL(databaseUrl);
  targetDatabase = `${host}${pathname}`;

  const password = env.DWELL_NEW_USER_PASSWORD ?? (await readPassword(values.email));
  await applyMigrations(databaseUrl);
  const user = await createUserInNewTransaction(databaseUrl, {
    email: values.email,
    name: values.name,
    // Checked by the schema like every other field.
    role: values.role as CreateUserInput["role"],
    organizationId: values.organization ?? null,
    password,
  });
  const boundTo = user.organizationId ? `, bound to organization ${user.organizationId}` : "";
  console.log(`Created ${user.role} ${user.email} (${user.id}${boundTo}).`);
}

async function readPassword(email: string): Promise<string> {
  if (process.stdin.isTTY) {
    const password = await promptHidden(`Password for ${email} (12+ characters, not shown): `);
    const repeated = await promptHidden("Repeat the password: ");
    if (password !== repeated) throw new UsageError("The two passwords differ; nothing was created.");
    return password;
  }
  const line = await readFirstLine();
  if (line === undefined) {
    throw new UsageError(
      "No password given: set DWELL_NEW_USER_PASSWORD, run the command in a terminal to be asked, or pipe it on stdin.",
    );
  }
  return line;
}

/** Asks on the terminal with echo off: readline writes what is typed to an output that drops it. */
function promptHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise((resolve, reject) => {
    rl.on("SIGINT", () => {
      rl.close();
      process.stderr.write("\n");
      reject(new UsageError("Cancelled; nothing was created."));
    });
    rl.question("", (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
  });
}

function readFirstLine(): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  return new Promise((resolve) => {
    let settled = false;
    rl.once("line", (line) => {
      settled = true;
      rl.close();
      resolve(line.replace(/\r$/, ""));
    });
    rl.once("close", () => {
      if (!settled) resolve(undefined);
    });
  });
}

main().catch((error: unknown) => {
  console.error(`user:create: ${describeFailure(error)}`);
  process.exitCode = 1;
});

function describeFailure(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  const known = mapDatabaseError(error);
  if (known?.code === "database_unavailable" && targetDatabase) {
    return `Cannot reach the database at ${targetDatabase}: check DATABASE_URL and that Postgres is running.`;
  }
  if (known?.code === "invalid_input" && known.details?.length) {
    const problems = known.details.map((detail) => {
      const field = detail.field ? (FLAG_FOR_FIELD[detail.field] ?? detail.field) : undefined;
      return field ? `${field} ${detail.message}` : detail.message;
    });
    return `Cannot create the user: ${problems.join("; ")}.`;
  }
  if (known instanceof AppError) return known.userMessage;
  // ConfigError and MigrationError carry a sentence meant for the operator; nothing prints a stack.
  return error instanceof Error ? error.message : String(error);
}

// The only reader of process.env: every setting is validated here, once, with a sentence that says
// what to fix when it is wrong.
import { z } from "zod";

export class ConfigError extends Error {
  override name = "ConfigError";
}

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "postgres:" || url.protocol === "postgresql:";
    } catch {
      return false;
    }
  }, "must be a postgres:// or postgresql:// URL, e.g. postgresql://user@127.0.0.1:5432/dwell");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl.optional(),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  NEXTAUTH_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("127.0.0.1"),
  DWELL_DATA_DIR: z.string().optional(),
  /** Port the embedded Postgres of `npm start` prefers; a free one is picked when it is taken. */
  DWELL_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DWELL_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** `npm start`: how many processes serve the app on its port (default: one per core but one, at most 4). */
  DWELL_WEB_PROCESSES: z.coerce
    .number()
    .int()
    .min(1, "must be 1 or more")
    .max(64, "must be at most 64")
    .optional(),
  /** Statement timeout for app queries, so no request hangs on a stuck database. */
  DWELL_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** `npm run user:create` only: the new user's password, for scripted set-ups without a terminal. */
  DWELL_NEW_USER_PASSWORD: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** Validated settings; throws ConfigError naming the variable at fault. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  if (source === process.env && cached) return cached;
  const parsed = EnvSchema.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== "")),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join(".") ?? "environment";
    throw new ConfigError(`${name} ${issue?.message ?? "is invalid"}.`);
  }
  if (source === process.env) cached = parsed.data;
  return parsed.data;
}

export function requireDatabaseUrl(env: Env = readEnv()): string {
  if (!env.DATABASE_URL) {
    throw new ConfigError(
      "DATABASE_URL is not set: start Dwell with `npm start` (which runs an embedded Postgres) or set DATABASE_URL to a Postgres server.",
    );
  }
  return env.DATABASE_URL;
}

export function requireAuthSecret(env: Env = readEnv()): string {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  if (env.NODE_ENV !== "production") return "dwell-development-secret-not-for-production-use";
  throw new ConfigError(
    "NEXTAUTH_SECRET is not set: `npm start` creates one under .data/; elsewhere set it to 32+ random characters.",
  );
}

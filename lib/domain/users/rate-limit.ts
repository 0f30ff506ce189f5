// Sign-in rate limits held in Postgres (table login_attempt), so every app instance shares them:
// at most 5 failed attempts per account and 30 per client address in any 15 minutes. Unknown emails
// are counted like known ones, and a refusal says nothing about whether the account exists.
// A successful sign-in clears its own account's count (and that account's failures from the same
// address), never other accounts' failures from the address.
import { db } from "../../db/client.ts";
import type { Tx } from "../tx.ts";

export const SIGN_IN_LIMITS = {
  account: { max: 5, windowMs: 15 * 60_000 },
  address: { max: 30, windowMs: 15 * 60_000 },
} as const;

/** Attempts older than this are deleted now and then; they no longer count for anything. */
export const LOGIN_ATTEMPT_RETENTION_MS = 24 * 60 * 60_000;
const PRUNE_PROBABILITY = 0.02;

type Client = Tx | ReturnType<typeof db>;

export interface SignInKey {
  /** As typed; compared lower-cased and trimmed. */
  email: string;
  ip: string;
}

export function normalizeAttemptEmail(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}

/** The message of every refusal, for known and unknown accounts alike. */
export function rateLimitMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many sign-in attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

/**
 * When the `skip`+1-th newest counted failure leaves the window, or null when there are not that many.
 * `skip` = max − 1 asks "is the limit reached?"; `skip` = max "is it exceeded?".
 */
async function nthFailureAt(
  client: Client,
  by: "email" | "ip",
  value: string,
  windowMs: number,
  skip: number,
  now: Date,
): Promise<Date | null> {
  const since = new Date(now.getTime() - windowMs);
  const rows =
    by === "email"
      ? await client.$queryRaw<{ at: Date }[]>`
          SELECT f.at FROM login_attempt f
           WHERE f.email = ${value} AND NOT f.succeeded AND f.at > ${since} AND f.at <= ${now}
             AND NOT EXISTS (SELECT 1 FROM login_attempt s
                              WHERE s.email = f.email AND s.succeeded AND s.at >= f.at AND s.at <= ${now})
           ORDER BY f.at DESC OFFSET ${skip} LIMIT 1`
      : await client.$queryRaw<{ at: Date }[]>`
          SELECT f.at FROM login_attempt f
           WHERE f.ip = ${value} AND NOT f.succeeded AND f.at > ${since} AND f.at <= ${now}
             AND NOT EXISTS (SELECT 1 FROM login_attempt s
                              WHERE s.email = f.email AND s.ip = f.ip AND s.succeeded
                                AND s.at >= f.at AND s.at <= ${now})
           ORDER BY f.at DESC OFFSET ${skip} LIMIT 1`;
  return rows[0]?.at ?? null;
}

async function blockedFor(
  client: Client,
  key: SignInKey,
  now: Date,
  exceeded: boolean,
): Promise<number | null> {
  const email = normalizeAttemptEmail(key.email);
  const { account, address } = SIGN_IN_LIMITS;
  const extra = exceeded ? 1 : 0;
  const [byAccount, byAddress] = await Promise.all([
    email ? nthFailureAt(client, "email", email, account.windowMs, account.max - 1 + extra, now) : null,
    nthFailureAt(client, "ip", key.ip, address.windowMs, address.max - 1 + extra, now),
  ]);
  const until = Math.max(
    byAccount ? byAccount.getTime() + account.windowMs : 0,
    byAddress ? byAddress.getTime() + address.windowMs : 0,
  );
  if (until <= now.getTime()) return null;
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

/** Seconds until this email and address may try again, or null when they may now. */
export function signInRetryAfter(key: SignInKey, now = new Date()): Promise<number | null> {
  return blockedFor(db(), key, now, false);
}

export interface AttemptReservation {
  id: bigint;
}

/**
 * Counts an attempt before its password is checked, so parallel attempts see each other: returns the
 * reservation (a failure until `markSucceeded`), or the seconds to wait when the limit is reached.
 * A refused attempt is not kept: retrying while refused does not push the wait further out.
 */
export async function reserveSignInAttempt(
  key: SignInKey,
  now = new Date(),
): Promise<{ reservation: AttemptReservation } | { retryAfterSeconds: number }> {
  const client = db();
  const before = await blockedFor(client, key, now, false);
  if (before !== null) return { retryAfterSeconds: before };
  const row = await client.loginAttempt.create({
    data: { email: normalizeAttemptEmail(key.email), ip: key.ip, succeeded: false, at: now },
    select: { id: true },
  });
  // Attempts that raced this one past the first check are counted now: over the limit, this one yields.
  const after = await blockedFor(client, key, now, true);
  if (after !== null) {
    await client.loginAttempt.delete({ where: { id: row.id } });
    return { retryAfterSeconds: (await blockedFor(client, key, now, false)) ?? after };
  }
  if (Math.random() < PRUNE_PROBABILITY) await pruneLoginAttempts(now);
  return { reservation: row };
}

export async function markSignInSucceeded(reservation: AttemptReservation): Promise<void> {
  await db().loginAttempt.update({ where: { id: reservation.id }, data: { succeeded: true } });
}

/** Deletes attempts past the retention; answers how many went. */
export async function pruneLoginAttempts(now = new Date()): Promise<number> {
  const result = await db().loginAttempt.deleteMany({
    where: { at: { lt: new Date(now.getTime() - LOGIN_ATTEMPT_RETENTION_MS) } },
  });
  return result.count;
}

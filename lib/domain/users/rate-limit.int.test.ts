// Sign-in rate limits against a real Postgres, with the clock passed in: per account and per address,
// sliding windows, unknown emails alike, successes clearing only their own account.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db/client.ts";
import { attemptSignIn } from "./authentication.ts";
import { hashPassword } from "./passwords.ts";
import {
  pruneLoginAttempts,
  rateLimitMessage,
  reserveSignInAttempt,
  signInRetryAfter,
  SIGN_IN_LIMITS,
} from "./rate-limit.ts";

const PASSWORD = "correct horse battery staple";
const run = randomUUID().slice(0, 8);
let serial = 0;
const email = (label: string) => `${label}-${run}-${(serial += 1)}@limits-test.example`;
const ip = () => `2001:db8:${run.slice(0, 4)}::${(serial += 1).toString(16)}`;
const MINUTE = 60_000;
/** A clock far from the real one, so other tests' attempts never count. */
const T0 = new Date("2031-03-01T12:00:00Z").getTime();
const at = (minutes: number) => new Date(T0 + minutes * MINUTE);

let passwordHash: string;

async function makeUser(): Promise<string> {
  const address = email("user");
  await db().user.create({ data: { email: address, name: "Limit test", role: "responder", passwordHash } });
  return address;
}

async function fail(address: string, from: string, when: Date) {
  return attemptSignIn({ email: address, password: "wrong password!", ip: from }, when);
}

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

afterAll(async () => {
  await db().$disconnect();
});

describe("per account", () => {
  it("refuses the 6th attempt within 15 minutes, even with the right password, until the first failure is 15 minutes old", async () => {
    const address = await makeUser();
    const from = ip();
    for (let i = 0; i < 5; i += 1) expect((await fail(address, from, at(i))).kind).toBe("refused");
    const sixth = await attemptSignIn({ email: address, password: PASSWORD, ip: from }, at(5));
    expect(sixth).toEqual({ kind: "rate-limited", retryAfterSeconds: 10 * 60 });
    // Refused attempts are not counted: waiting is enough.
    expect(await signInRetryAfter({ email: address, ip: from }, at(14.5))).toBe(30);
    expect(await signInRetryAfter({ email: address, ip: from }, at(15))).toBeNull();
    expect((await attemptSignIn({ email: address, password: PASSWORD, ip: from }, at(15))).kind).toBe(
      "signed-in",
    );
  });

  it("applies to unknown emails exactly like known ones, from any address", async () => {
    const ghost = email("nobody");
    for (let i = 0; i < 5; i += 1) expect((await fail(ghost, ip(), at(i))).kind).toBe("refused");
    expect(await fail(ghost, ip(), at(6))).toEqual({ kind: "rate-limited", retryAfterSeconds: 9 * 60 });
    expect(await db().loginAttempt.count({ where: { email: ghost } })).toBe(5);
  });

  it("is cleared by a successful sign-in of that account", async () => {
    const address = await makeUser();
    const from = ip();
    for (let i = 0; i < 4; i += 1) await fail(address, from, at(i));
    expect((await attemptSignIn({ email: address, password: PASSWORD, ip: from }, at(4))).kind).toBe(
      "signed-in",
    );
    for (let i = 5; i < 10; i += 1) expect((await fail(address, from, at(i))).kind).toBe("refused");
    expect((await fail(address, from, at(10))).kind).toBe("rate-limited");
  });

  it("lets parallel attempts through at most up to the limit", async () => {
    const address = await makeUser();
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => fail(address, ip(), at(1))));
    const checked = outcomes.filter((o) => o.kind === "refused").length;
    expect(checked).toBeLessThanOrEqual(SIGN_IN_LIMITS.account.max);
    expect(outcomes.filter((o) => o.kind === "rate-limited").length).toBe(12 - checked);
  });
});

describe("per address", () => {
  it("refuses an address after 30 failures on any accounts; a success elsewhere does not clear them", async () => {
    const from = ip();
    for (let i = 0; i < 30; i += 1) {
      expect((await fail(email("spray"), from, at(i * 0.1))).kind).toBe("refused");
    }
    const mine = await makeUser();
    const blocked = await attemptSignIn({ email: mine, password: PASSWORD, ip: from }, at(4));
    expect(blocked).toEqual({ kind: "rate-limited", retryAfterSeconds: 11 * 60 });
    // Another address is not affected.
    expect((await attemptSignIn({ email: mine, password: PASSWORD, ip: ip() }, at(4))).kind).toBe(
      "signed-in",
    );
    expect(await signInRetryAfter({ email: mine, ip: from }, at(4))).toBe(11 * 60);
    expect(await signInRetryAfter({ email: mine, ip: from }, at(15.1))).toBeNull();
  });
});

describe("housekeeping and wording", () => {
  it("prunes attempts older than a day", async () => {
    const address = email("old");
    await reserveSignInAttempt({ email: address, ip: ip() }, at(-2 * 24 * 60));
    expect(await db().loginAttempt.count({ where: { email: address } })).toBe(1);
    await pruneLoginAttempts(at(0));
    expect(await db().loginAttempt.count({ where: { email: address } })).toBe(0);
  });

  it("says how many minutes, never whether the account exists", () => {
    expect(rateLimitMessage(600)).toBe("Too many sign-in attempts. Try again in 10 minutes.");
    expect(rateLimitMessage(30)).toBe("Too many sign-in attempts. Try again in 1 minute.");
  });
});

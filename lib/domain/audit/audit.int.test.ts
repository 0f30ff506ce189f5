// The audit trail against a real Postgres: append-only for every role (UPDATE, DELETE and TRUNCATE are
// refused by the database itself), and the hash chain walk that finds a link broken by hand.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db/client.ts";
import { requireDatabaseUrl } from "../../env.ts";
import { withPgTransaction } from "../../db/pg-transaction.ts";
import { recordAudit, recordAuditSql } from "./record.ts";
import { verifyAuditChain } from "./verify.ts";

const run = promisify(execFile);
let client: pg.Client;

async function appendEntries(count: number): Promise<bigint[]> {
  const entityId = randomUUID();
  for (let i = 0; i < count; i += 1) {
    await db().$transaction((tx) =>
      recordAudit(tx, {
        incidentId: null,
        actorId: null,
        actorLabel: "audit test",
        action: "test.append",
        entityType: "test",
        entityId,
        after: { i, text: "ünïcode ✓", nested: { b: 2, a: [1, 2] } },
      }),
    );
  }
  const rows = await db().auditEntry.findMany({
    where: { entityId },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: requireDatabaseUrl() });
  await client.connect();
});

afterAll(async () => {
  await client.end();
  await db().$disconnect();
});

describe("the audit table", () => {
  it("refuses UPDATE, DELETE and TRUNCATE, even for its owner", async () => {
    const [id] = await appendEntries(1);
    await expect(
      client.query("UPDATE audit_entry SET action = 'changed' WHERE id = $1", [id]),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(client.query("DELETE FROM audit_entry WHERE id = $1", [id])).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(client.query("TRUNCATE audit_entry")).rejects.toThrow(/append-only: TRUNCATE/);
    const stored = await db().auditEntry.findUnique({ where: { id } });
    expect(stored?.action).toBe("test.append");
  });
});

describe("verifyAuditChain", () => {
  it("walks the whole chain and finds it intact", async () => {
    await appendEntries(3);
    const report = await verifyAuditChain();
    expect(report.broken).toBeNull();
    expect(report.checked).toBeGreaterThanOrEqual(3);
  });

  it("stays one chain when Prisma and plain pg transactions append at once", async () => {
    const entityId = randomUUID();
    const entry = (i: number, writer: string) => ({
      incidentId: null,
      actorId: null,
      actorLabel: "audit test",
      action: "test.concurrent",
      entityType: "test",
      entityId,
      after: { i, writer },
    });
    // Each waits on the chain's lock while others commit: a head read with a snapshot older than the
    // lock would give two entries the same predecessor.
    await Promise.all([
      ...Array.from({ length: 12 }, (_, i) =>
        db().$transaction((tx) => recordAudit(tx, entry(i, "prisma")), { maxWait: 20_000 }),
      ),
      ...Array.from({ length: 8 }, (_, i) =>
        withPgTransaction((pgClient) => recordAuditSql(pgClient, entry(i, "pg"))),
      ),
    ]);
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_entry WHERE entity_id = $1",
      [entityId],
    );
    expect(rows[0]?.n).toBe(20);
    const forks = await client.query(
      "SELECT prev_hash FROM audit_entry WHERE prev_hash IS NOT NULL GROUP BY prev_hash HAVING count(*) > 1",
    );
    expect(forks.rows).toEqual([]);
    expect((await verifyAuditChain()).broken).toBeNull();
  });

  it("reports the first link broken by hand (a changed row), and npm run audit:verify says so", async () => {
    const ids = await appendEntries(3);
    const target = ids[1]!;
    // Only a superuser that bypasses triggers can do this; the chain still tells.
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query(`UPDATE audit_entry SET after = jsonb_set(after, '{i}', '99') WHERE id = $1`, [
      target,
    ]);
    await client.query("COMMIT");
    try {
      const report = await verifyAuditChain();
      expect(report.broken?.id).toBe(target.toString());
      expect(report.broken?.reason).toMatch(/content was changed/);

      const script = await run("npx", ["tsx", "scripts/audit-verify.ts"], { env: process.env }).then(
        () => ({ code: 0, stderr: "" }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(script.code).toBe(1);
      expect(script.stderr).toContain(`entry ${target.toString()}`);
    } finally {
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query(`UPDATE audit_entry SET after = jsonb_set(after, '{i}', '1') WHERE id = $1`, [
        target,
      ]);
      await client.query("COMMIT");
    }
    expect((await verifyAuditChain()).broken).toBeNull();
  });

  it("reports a removed row as a broken link at the row after it", async () => {
    const ids = await appendEntries(3);
    const [, middle, last] = ids as [bigint, bigint, bigint];
    const saved = await client.query("SELECT * FROM audit_entry WHERE id = $1", [middle]);
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query("DELETE FROM audit_entry WHERE id = $1", [middle]);
    await client.query("COMMIT");
    try {
      const report = await verifyAuditChain();
      expect(report.broken?.id).toBe(last.toString());
      expect(report.broken?.reason).toMatch(/removed, inserted or changed/);
    } finally {
      const row = saved.rows[0] as Record<string, unknown>;
      const columns = Object.keys(row);
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query(
        `INSERT INTO audit_entry (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
        columns.map((c) =>
          (c === "before" || c === "after") && row[c] !== null ? JSON.stringify(row[c]) : row[c],
        ),
      );
      await client.query("COMMIT");
    }
    expect((await verifyAuditChain()).broken).toBeNull();
  });
});

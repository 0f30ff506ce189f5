// Writes the audit entry of a mutation inside that mutation's transaction. Entries are hash-chained:
// each stores the hash of the one before, so a changed or removed row breaks the chain.
import { createHash } from "node:crypto";
import stringify from "safe-stable-stringify";
import type { SqlClient } from "../../db/pg-transaction.ts";
import type { Tx } from "../tx.ts";

export interface AuditInput {
  incidentId: string | null;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

/** JSON-safe copy (dates become ISO strings) so the stored value and the hashed value agree. */
export function toAuditJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  ) as unknown;
}

export function hashAuditEntry(
  prevHash: string | null,
  entry: Omit<AuditInput, "before" | "after"> & { at: string; before: unknown; after: unknown },
): string {
  const canonical = stringify({
    prevHash,
    at: entry.at,
    incidentId: entry.incidentId,
    actorId: entry.actorId,
    actorLabel: entry.actorLabel,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: entry.requestId ?? null,
  });
  return createHash("sha256")
    .update(canonical ?? "")
    .digest("hex");
}

/** The stored fields of an entry that follows `prevHash`, hash included. */
function sealEntry(prevHash: string | null, input: AuditInput) {
  const at = new Date();
  const before = toAuditJson(input.before);
  const after = toAuditJson(input.after);
  const requestId = input.requestId ?? null;
  const hash = hashAuditEntry(prevHash, { ...input, requestId, at: at.toISOString(), before, after });
  return { at, before, after, requestId, prevHash, hash };
}

/** Transactions whose entries are queued and written at their end (see deferAuditEntries). */
const deferred = new WeakMap<Tx, AuditInput[]>();

/**
 * From now on, recordAudit(tx, …) queues the transaction's entries instead of writing them; the
 * returned function writes them, in order. runMutation calls it as the transaction's last statement
 * before commit, so the chain lock, which is held until commit and makes every writer in the system
 * wait its turn, is held for two round trips (lock and read the last hash, insert) instead of from the
 * middle of the command to its end. The entries are still written by the command's own transaction.
 */
export function deferAuditEntries(tx: Tx): () => Promise<void> {
  const queue: AuditInput[] = [];
  deferred.set(tx, queue);
  return async () => {
    deferred.delete(tx);
    if (queue.length > 0) await appendAudit(tx, queue);
  };
}

export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  const queue = deferred.get(tx);
  // Copied as JSON now: the command may go on to change the objects it described.
  if (queue) queue.push({ ...input, before: toAuditJson(input.before), after: toAuditJson(input.after) });
  else await appendAudit(tx, [input]);
}

/**
 * What appending needs of a transaction: one SQL statement with positional parameters, its rows back.
 * A Prisma transaction and a plain pg connection (lib/db/pg-transaction.ts) both provide it, so both
 * append to the chain through the same code.
 */
type RunSql = (text: string, values: unknown[]) => Promise<ReadonlyArray<Record<string, unknown>>>;

const INSERT_ENTRY = `INSERT INTO audit_entry (at, incident_id, actor_id, actor_label, action, entity_type, entity_id,
                                          before, after, request_id, prev_hash, hash)
                      VALUES ($1::timestamptz, $2::uuid, $3::uuid, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12)`;

/**
 * Appends entries to the chain. `audit_chain_head_manual()` (a migration) takes the chain's lock, which
 * serializes appends across connections and instances until the transaction ends, and answers the last
 * entry's hash in the same round trip.
 */
async function appendEntries(run: RunSql, inputs: readonly AuditInput[]): Promise<void> {
  const [head] = await run(`SELECT audit_chain_head_manual() AS hash`, []);
  let prev = typeof head?.hash === "string" ? head.hash : null;
  for (const input of inputs) {
    const { at, before, after, requestId, prevHash, hash } = sealEntry(prev, input);
    await run(INSERT_ENTRY, [
      at.toISOString(),
      input.incidentId,
      input.actorId,
      input.actorLabel,
      input.action,
      input.entityType,
      input.entityId,
      before === null ? null : JSON.stringify(before),
      after === null ? null : JSON.stringify(after),
      requestId,
      prevHash,
      hash,
    ]);
    prev = hash;
  }
}

function appendAudit(tx: Tx, inputs: readonly AuditInput[]): Promise<void> {
  return appendEntries((text, values) => tx.$queryRawUnsafe(text, ...values), inputs);
}

/** recordAudit for a transaction on a plain pg connection (lib/db/pg-transaction.ts): the same chain. */
export function recordAuditSql(client: SqlClient, input: AuditInput): Promise<void> {
  return appendEntries(async (text, values) => (await client.query(text, values)).rows, [input]);
}

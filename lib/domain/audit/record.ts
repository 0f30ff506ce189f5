// Writes the audit entry of a mutation inside that mutation's transaction. Entries are hash-chained:
// each stores the hash of the one before, so a changed or removed row breaks the chain.
import { createHash } from "node:crypto";
import stringify from "safe-stable-stringify";
import type { Tx } from "../tx.ts";

// Serializes chain appends across connections and instances for the length of the transaction.
const AUDIT_CHAIN_LOCK = 7_305_012;

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
  return createHash("sha256").update(canonical ?? "").digest("hex");
}

export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::bigint)`;
  const last = await tx.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? null;
  const at = new Date();
  const before = toAuditJson(input.before);
  const after = toAuditJson(input.after);
  const requestId = input.requestId ?? null;
  const hash = hashAuditEntry(prevHash, { ...input, requestId, at: at.toISOString(), before, after });
  await tx.auditEntry.create({
    data: {
      at,
      incidentId: input.incidentId,
      actorId: input.actorId,
      actorLabel: input.actorLabel,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      before: before === null ? undefined : (before as object),
      after: after === null ? undefined : (after as object),
      requestId,
      prevHash,
      hash,
    },
  });
}

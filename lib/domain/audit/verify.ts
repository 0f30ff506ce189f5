// Walks the audit trail's hash chain in order and reports the first broken link: a row whose stored
// hash does not match its content (changed), or whose prevHash is not the hash of the row before it
// (a row removed or inserted out of order).
import { db } from "../../db/client.ts";
import type { AuditEntryModel } from "../../db/generated/models/AuditEntry.ts";
import { hashAuditEntry } from "./record.ts";

const BATCH = 2000;

export interface AuditChainReport {
  /** Entries checked before the walk ended. */
  checked: number;
  /** The first broken link, or null when the whole chain holds. */
  broken: { id: string; reason: string } | null;
  lastHash: string | null;
}

export async function verifyAuditChain(): Promise<AuditChainReport> {
  let checked = 0;
  let previous: string | null = null;
  let after: bigint | null = null;
  for (;;) {
    const rows: AuditEntryModel[] = await db().auditEntry.findMany({
      where: after === null ? {} : { id: { gt: after } },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    for (const row of rows) {
      const id = row.id.toString();
      if (row.prevHash !== previous) {
        return {
          checked,
          broken: {
            id,
            reason: `entry ${id} says the entry before it had hash ${row.prevHash ?? "(none)"}, but it was ${previous ?? "(none: this is the first)"}: an entry was removed, inserted or changed before it`,
          },
          lastHash: previous,
        };
      }
      const expected = hashAuditEntry(row.prevHash, {
        at: row.at.toISOString(),
        incidentId: row.incidentId,
        actorId: row.actorId,
        actorLabel: row.actorLabel,
        action: row.action,
        entityType: row.entityType,
        entityId: row.entityId,
        before: row.before ?? null,
        after: row.after ?? null,
        requestId: row.requestId,
      });
      if (expected !== row.hash) {
        return {
          checked,
          broken: {
            id,
            reason: `entry ${id} (${row.action} ${row.entityType} ${row.entityId}) does not match its hash: its content was changed`,
          },
          lastHash: previous,
        };
      }
      previous = row.hash;
      checked += 1;
    }
    const last: AuditEntryModel | undefined = rows.at(-1);
    if (!last || rows.length < BATCH) return { checked, broken: null, lastHash: previous };
    after = last.id;
  }
}

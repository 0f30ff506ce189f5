// Change notices for live views: written with pg_notify inside the mutation's transaction, so they
// are delivered only if it commits, to every app instance listening on the same database.
import type { Actor } from "../auth/actor.ts";
import { assertCan } from "../auth/permissions.ts";
import { listen } from "../db/listener.ts";
import type { SqlClient } from "../db/pg-transaction.ts";
import type { Tx } from "./tx.ts";

export const CHANGES_CHANNEL = "dwell_changes";

export interface ChangeNotice {
  incidentId: string;
  entity: "event" | "organization" | "indicator" | "finding" | "incident";
  id: string;
  action: "created" | "updated" | "deleted";
  version?: number;
}

export async function notifyChange(tx: Tx, notice: ChangeNotice): Promise<void> {
  // Payloads stay far below Postgres's 8000-byte NOTIFY limit: ids and names only.
  await tx.$executeRaw`SELECT pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(notice)})`;
}

/** notifyChange for a transaction on a plain pg connection (lib/db/pg-transaction.ts). */
export async function notifyChangeSql(client: SqlClient, notice: ChangeNotice): Promise<void> {
  await client.query(`SELECT pg_notify($1, $2)`, [CHANGES_CHANNEL, JSON.stringify(notice)]);
}

/**
 * Live changes of one incident the actor may read. The permission check happens here, in the domain,
 * before anything is subscribed.
 */
export async function subscribeToIncidentChanges(
  actor: Actor,
  incidentId: string,
  onChange: (notice: ChangeNotice) => void,
): Promise<() => void> {
  assertCan(actor, "incident:read");
  return listen(CHANGES_CHANNEL, (payload) => {
    let notice: ChangeNotice;
    try {
      notice = JSON.parse(payload) as ChangeNotice;
    } catch {
      return;
    }
    if (notice.incidentId === incidentId) onChange(notice);
  });
}

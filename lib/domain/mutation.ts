// Runs a mutation in one transaction, optionally under an Idempotency-Key: the same key with the same
// request replays the first answer with one effect; the same key with another request gets 422.
// Concurrent repeats wait on a transaction-scoped advisory lock for the first to commit. The audit
// entries a command records are written last, just before commit (deferAuditEntries).
import { createHash } from "node:crypto";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { deferAuditEntries } from "./audit/record.ts";
import type { Tx } from "./tx.ts";

export interface MutationResult {
  status: number;
  body: unknown;
}

export interface IdempotencyRequest {
  principalId: string;
  key: string;
  method: string;
  path: string;
  /** The request body as received; with method and path it identifies "the same request". */
  body: string;
}

/** What the first request with a key stored (idempotency_claim_manual). */
interface StoredAnswer {
  stored_hash: string;
  stored_status: number;
  stored_body: unknown;
}

const TX_OPTIONS = { timeout: 30_000, maxWait: 10_000 } as const;

export function requestHash(request: Omit<IdempotencyRequest, "principalId" | "key">): string {
  return createHash("sha256").update(`${request.method}\n${request.path}\n${request.body}`).digest("hex");
}

export async function runMutation(
  work: (tx: Tx) => Promise<MutationResult>,
  idempotency?: IdempotencyRequest,
): Promise<MutationResult & { replayed: boolean }> {
  if (!idempotency) {
    const result = await db().$transaction(async (tx) => {
      const writeAuditEntries = deferAuditEntries(tx);
      const done = await work(tx);
      await writeAuditEntries();
      return done;
    }, TX_OPTIONS);
    return { ...result, replayed: false };
  }
  const hash = requestHash(idempotency);
  return db().$transaction(async (tx) => {
    // Takes the key's lock (concurrent repeats wait here for the first to commit), then reads what the
    // first stored: one round trip (a migration's function).
    const [existing] = await tx.$queryRaw<StoredAnswer[]>`
      SELECT stored_hash, stored_status, stored_body
        FROM idempotency_claim_manual(${idempotency.principalId}, ${idempotency.key})`;
    if (existing) {
      if (existing.stored_hash !== hash) {
        throw new AppError(
          "idempotency_key_reused",
          "This Idempotency-Key was already used for a different request; send a new key for a new request.",
          422,
          [{ field: "Idempotency-Key", message: "already used with another method, path or body" }],
        );
      }
      return { status: existing.stored_status, body: existing.stored_body, replayed: true };
    }
    const writeAuditEntries = deferAuditEntries(tx);
    const result = await work(tx);
    await tx.idempotencyKey.create({
      data: {
        principalId: idempotency.principalId,
        key: idempotency.key,
        method: idempotency.method,
        path: idempotency.path,
        requestHash: hash,
        status: result.status,
        responseBody: (result.body ?? null) as object,
      },
    });
    await writeAuditEntries();
    return { ...result, replayed: false };
  }, TX_OPTIONS);
}

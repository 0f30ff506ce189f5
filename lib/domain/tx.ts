// The transaction client type every command receives, so audit writes share the mutation's transaction.
import type { Db } from "../db/client.ts";

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

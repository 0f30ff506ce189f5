// One LISTEN connection per app process, shared by every open live view. Notifications are sent by
// whichever instance committed the change, so all instances on the same database hear all changes.
import pg from "pg";
import { readEnv, requireDatabaseUrl } from "../env.ts";
import { log } from "../log.ts";

type Handler = (payload: string) => void;

interface ListenerState {
  client: pg.Client | null;
  /** LISTEN/UNLISTEN go one after another: pg refuses overlapping queries on one connection. */
  queue: Promise<unknown>;
  connecting: Promise<void> | null;
  handlers: Map<string, Set<Handler>>;
  retryMs: number;
}

const globalForListener = globalThis as unknown as { dwellListener?: ListenerState };
const state: ListenerState = (globalForListener.dwellListener ??= {
  client: null,
  queue: Promise.resolve(),
  connecting: null,
  handlers: new Map(),
  retryMs: 500,
});

function quoteChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Refusing unsafe channel name "${channel}"`);
  return `"${channel}"`;
}

async function connect(): Promise<void> {
  const client = new pg.Client({ connectionString: requireDatabaseUrl(readEnv()), connectionTimeoutMillis: 5_000 });
  client.on("notification", (message) => {
    const handlers = state.handlers.get(message.channel);
    if (!handlers || message.payload === undefined) return;
    for (const handler of handlers) handler(message.payload);
  });
  const reconnect = (reason: string) => {
    if (state.client !== client) return;
    state.client = null;
    log("warn", "change listener lost its connection; reconnecting", { reason });
    scheduleReconnect();
  };
  client.on("error", (error) => reconnect(error.message));
  client.on("end", () => reconnect("connection ended"));
  await client.connect();
  for (const channel of state.handlers.keys()) await enqueue(client, `LISTEN ${quoteChannel(channel)}`);
  state.client = client;
  state.retryMs = 500;
}

function enqueue(client: pg.Client, sql: string): Promise<unknown> {
  const next = state.queue.then(() => client.query(sql));
  state.queue = next.catch(() => undefined);
  return next;
}

function scheduleReconnect(): void {
  if (state.handlers.size === 0 || state.connecting) return;
  const delay = state.retryMs;
  state.retryMs = Math.min(state.retryMs * 2, 5_000);
  setTimeout(() => void ensureConnected().catch(() => scheduleReconnect()), delay).unref();
}

function ensureConnected(): Promise<void> {
  if (state.client) return Promise.resolve();
  state.connecting ??= connect().finally(() => {
    state.connecting = null;
  });
  return state.connecting;
}

/** Calls `handler` with each payload on `channel` until the returned function is called. */
export async function listen(channel: string, handler: Handler): Promise<() => void> {
  const isNewChannel = !state.handlers.has(channel);
  const handlers = state.handlers.get(channel) ?? new Set<Handler>();
  handlers.add(handler);
  state.handlers.set(channel, handlers);
  try {
    await ensureConnected();
    if (isNewChannel && state.client) await enqueue(state.client, `LISTEN ${quoteChannel(channel)}`);
  } catch (error) {
    scheduleReconnect();
    log("warn", "change listener could not connect yet", { error: (error as Error).message });
  }
  return () => {
    handlers.delete(handler);
    if (handlers.size === 0) {
      state.handlers.delete(channel);
      if (state.client) void enqueue(state.client, `UNLISTEN ${quoteChannel(channel)}`).catch(() => undefined);
    }
  };
}

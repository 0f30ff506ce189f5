// One structured log line per HTTP request — pages, route handlers, server actions and assets alike —
// written when the response has finished, with the request id, the user (when one was established),
// the method, the path, the status and the duration. Node's HTTP server announces every request's
// start and finish on diagnostics channels; the record travels with the request in an
// AsyncLocalStorage, so code deep inside a request (getActor) can name the user without being handed
// anything. Query strings are left out of the line: they can carry search text, never a credential,
// but the path says enough to find the request. Passwords, cookies, tokens and bodies are never read.
import { AsyncLocalStorage } from "node:async_hooks";
import dc from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "../log.ts";

interface RequestRecord {
  started: number;
  userId?: string;
  /** Set when an API token authenticated the request. */
  tokenId?: string;
}

interface State {
  storage: AsyncLocalStorage<RequestRecord>;
  installed: boolean;
  records: WeakMap<IncomingMessage, RequestRecord>;
}

// Route handlers, pages and instrumentation are bundled separately; the one store lives on globalThis.
const globalForLog = globalThis as unknown as { dwellRequestLog?: State };
const state: State = (globalForLog.dwellRequestLog ??= {
  storage: new AsyncLocalStorage<RequestRecord>(),
  installed: false,
  records: new WeakMap(),
});

/** Called once the actor of the current request is known (with the API token's id, if one was used). */
export function noteRequestUser(userId: string, tokenId?: string): void {
  const record = state.storage.getStore();
  if (record) {
    record.userId = userId;
    record.tokenId = tokenId;
  }
}

function headerText(value: number | string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : String(value);
}

interface ServerMessage {
  request: IncomingMessage;
  response: ServerResponse;
}

/** Subscribes to the HTTP server's channels (once per process; instrumentation.ts calls it). */
export function installRequestLog(): void {
  if (state.installed) return;
  state.installed = true;
  dc.subscribe("http.server.request.start", (message) => {
    const { request } = message as ServerMessage;
    const record: RequestRecord = { started: performance.now() };
    state.records.set(request, record);
    state.storage.enterWith(record);
  });
  dc.subscribe("http.server.response.finish", (message) => {
    const { request, response } = message as ServerMessage;
    const record = state.records.get(request);
    if (!record) return;
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    // Build assets are many and uninteresting: logged only at debug level.
    const level = path.startsWith("/_next/") || path === "/favicon.ico" ? "debug" : "info";
    log(level, "request", {
      requestId: headerText(response.getHeader("x-request-id")),
      method: request.method,
      route: path,
      status: response.statusCode,
      userId: record.userId,
      auth: record.userId === undefined ? undefined : record.tokenId ? "token" : "session",
      tokenId: record.tokenId,
      durationMs: Math.round(performance.now() - record.started),
    });
  });
}

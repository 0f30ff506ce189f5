// Typed errors: expected failures carry a code, an HTTP status and a message a person can act on.
// Anything else is logged with a request id and answered generically.

export type ErrorDetail = { field?: string; line?: number; value?: string; message: string };

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: string,
    readonly userMessage: string,
    readonly status: number,
    readonly details?: ErrorDetail[],
  ) {
    super(userMessage);
  }
}

export const unauthenticated = () => new AppError("unauthenticated", "Sign in to continue.", 401);

export const forbidden = (what = "do that") => new AppError("forbidden", `Your role may not ${what}.`, 403);

/** Also what another organization's record answers, so its existence is not revealed. */
export const notFound = (what: string) => new AppError("not_found", `${what} was not found.`, 404);

/** 422 for a body that does not validate; 400 for bad query parameters. */
export const invalidInput = (details: ErrorDetail[], message?: string, status: 400 | 422 = 422) =>
  new AppError(
    "invalid_input",
    message ?? (details[0] ? describeDetail(details[0]) : "The request is not valid."),
    status,
    details,
  );

export const conflict = (message: string, details?: ErrorDetail[]) =>
  new AppError("conflict", message, 409, details);

export const databaseUnavailable = () =>
  new AppError(
    "database_unavailable",
    "The database is not reachable right now. Try again in a moment.",
    503,
  );

export const databaseTimeout = () =>
  new AppError("database_timeout", "The database took too long to answer. Try again in a moment.", 503);

function describeDetail(detail: ErrorDetail): string {
  // Messages that already start with the field's name are not prefixed a second time.
  if (!detail.field || detail.message.startsWith(detail.field)) return detail.message;
  return `${detail.field}: ${detail.message}`;
}

// Failures that mean "the database is away, restarting or full", not "this request is wrong": socket
// errors (a query written to a connection the server has just dropped fails with EPIPE), Postgres's connection-exception (08…) and operator-intervention (57P0…) classes, too many
// connections, and Prisma's codes for them (P1001 unreachable, P1002/P1008 timed out, P1017 closed,
// P2037 too many connections). Raw queries wrap them as P2010 with the driver adapter's error in meta.
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2037",
]);
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
const UNAVAILABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|\bEPIPE\b|server closed the connection unexpectedly|Can't reach database server|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|terminating connection|not queryable|sorry, too many clients/i;
// A statement that ran past DWELL_STATEMENT_TIMEOUT_MS (57014, or the driver's own query timeout), or a
// transaction that could not start or finish in time (P2028): the database is overloaded, so 503 too.
const TIMEOUT_MESSAGE = /canceling statement due to statement timeout|Query read timeout/i;

/** Maps driver and Prisma failures to typed errors; returns undefined for truly unexpected ones. */
export function mapDatabaseError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const e = error as {
    code?: string;
    name?: string;
    message?: string;
    cause?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } };
  } | null;
  if (!e || typeof e !== "object") return undefined;
  const code = e.code ?? "";
  const message = e.message ?? "";
  const adapter = e.meta?.driverAdapterError?.cause;
  if (code === "P2002") return conflict("A record with the same unique values already exists.");
  if (code === "P2025") return notFound("The record");
  if (
    UNAVAILABLE_CODES.has(code) ||
    UNAVAILABLE_ADAPTER_KINDS.has(adapter?.kind ?? "") ||
    UNAVAILABLE_CODES.has(adapter?.originalCode ?? "") ||
    UNAVAILABLE_MESSAGE.test(message)
  ) {
    return databaseUnavailable();
  }
  if (
    code === "57014" ||
    code === "P2028" ||
    adapter?.originalCode === "57014" ||
    TIMEOUT_MESSAGE.test(message)
  ) {
    return databaseTimeout();
  }
  if (e.cause) return mapDatabaseError(e.cause);
  return undefined;
}

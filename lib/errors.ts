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

export const unauthenticated = () =>
  new AppError("unauthenticated", "Sign in to continue.", 401);

export const forbidden = (what = "do that") =>
  new AppError("forbidden", `Your role may not ${what}.`, 403);

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
  new AppError("database_unavailable", "The database is not reachable right now. Try again in a moment.", 503);

function describeDetail(detail: ErrorDetail): string {
  // Messages that already start with the field's name are not prefixed a second time.
  if (!detail.field || detail.message.startsWith(detail.field)) return detail.message;
  return `${detail.field}: ${detail.message}`;
}

/** Maps driver and Prisma failures to typed errors; returns undefined for truly unexpected ones. */
export function mapDatabaseError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const e = error as { code?: string; name?: string; message?: string; cause?: unknown } | null;
  if (!e || typeof e !== "object") return undefined;
  const code = e.code ?? "";
  const message = e.message ?? "";
  if (code === "P2002") return conflict("A record with the same unique values already exists.");
  if (code === "P2025") return notFound("The record");
  if (
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "08006", "08001", "P1001", "P1017"].includes(
      code,
    ) ||
    /ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|terminating connection/i.test(
      message,
    )
  ) {
    return databaseUnavailable();
  }
  if (e.cause) return mapDatabaseError(e.cause);
  return undefined;
}

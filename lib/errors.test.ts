import { describe, expect, it } from "vitest";
import { AppError, mapDatabaseError } from "./errors.ts";

// Shapes as Prisma 7 with @prisma/adapter-pg throws them while Postgres is stopped or restarting
// (seen in `npm run test:resilience`).
function prismaError(code: string, message: string, meta?: unknown): Error {
  return Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code, meta });
}

describe("mapDatabaseError: the database being away answers 503", () => {
  it.each([
    [
      "a model query while the server is down (P1001)",
      prismaError("P1001", "Can't reach database server at 127.0.0.1:5432"),
    ],
    [
      "a raw query while the server is down (P2010 wrapping the adapter's error)",
      prismaError(
        "P2010",
        "Raw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:5432`",
        {
          driverAdapterError: {
            name: "DriverAdapterError",
            cause: { kind: "DatabaseNotReachable", host: "127.0.0.1" },
          },
        },
      ),
    ],
    [
      "a query on a connection the server closed (P2039 with 57P01)",
      prismaError(
        "P2039",
        "Database error. Code: `57P01`. Message: `terminating connection due to administrator command`",
        {
          driverAdapterError: { cause: { kind: "postgres", originalCode: "57P01" } },
        },
      ),
    ],
    [
      "the server still recovering after a crash (57P03)",
      prismaError(
        "P2039",
        "Database error. Code: `57P03`. Message: `the database system is not yet accepting connections`",
        {
          driverAdapterError: { cause: { kind: "postgres", originalCode: "57P03" } },
        },
      ),
    ],
    ["a pooled connection cut mid-query", new Error("Connection terminated unexpectedly")],
    ["no pooled connection within the connect timeout", new Error("timeout exceeded when trying to connect")],
    ["too many connections (P2037)", prismaError("P2037", "Too many database connections opened")],
    [
      "a socket error from pg",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    ],
    [
      "a query written to a connection the server just dropped",
      Object.assign(new Error("write EPIPE"), { code: "EPIPE", errno: -32, syscall: "write" }),
    ],
    [
      "the same inside a raw query's message",
      prismaError("P2010", "Raw query failed. Code: `N/A`. Message: `write EPIPE`"),
    ],
  ])("%s", (_, error) => {
    const mapped = mapDatabaseError(error);
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped?.status).toBe(503);
    expect(mapped?.code).toBe("database_unavailable");
  });

  it("a statement past the statement timeout answers 503 database_timeout", () => {
    const error = prismaError(
      "P2039",
      "Database error. Code: `57014`. Message: `canceling statement due to statement timeout`",
      {
        driverAdapterError: { cause: { kind: "postgres", originalCode: "57014" } },
      },
    );
    expect(mapDatabaseError(error)).toMatchObject({ status: 503, code: "database_timeout" });
  });

  it("finds the failure in an error's cause", () => {
    const error = new Error("wrapped", { cause: prismaError("P1017", "Server has closed the connection.") });
    expect(mapDatabaseError(error)?.code).toBe("database_unavailable");
  });

  it("leaves other errors alone", () => {
    expect(
      mapDatabaseError(
        prismaError("P2010", "Raw query failed. Code: `42601`. Message: `syntax error`", {
          driverAdapterError: { cause: { kind: "postgres", originalCode: "42601" } },
        }),
      ),
    ).toBeUndefined();
    expect(mapDatabaseError(new TypeError("x is undefined"))).toBeUndefined();
    expect(mapDatabaseError(prismaError("P2002", "Unique constraint failed"))?.status).toBe(409);
  });
});

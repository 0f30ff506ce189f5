// Next calls register() once per server process: it starts the one-line-per-request log
// (lib/http/request-log.ts). onRequestError records server errors of pages, actions and routes with
// the request id the client was shown in `x-request-id`.
import type { Instrumentation } from "next";

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installRequestLog } = await import("./lib/http/request-log.ts");
    installRequestLog();
  }
}

export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { log } = await import("./lib/log.ts");
  const requestId = request.headers["x-request-id"];
  const e = error as { name?: string; message?: string; digest?: string; stack?: string };
  log("error", "unhandled error while serving a request", {
    requestId: Array.isArray(requestId) ? requestId[0] : requestId,
    method: request.method,
    route: request.path.split("?")[0],
    routeType: context.routeType,
    routePath: context.routePath,
    digest: e.digest,
    error: { name: e.name, message: e.message, stack: e.stack },
  });
};

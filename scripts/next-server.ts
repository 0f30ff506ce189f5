// How Dwell's scripts start Next.js: `npm start` and the benchmarks run the same command, so what
// the benchmarks measure is what users run.
import path from "node:path";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");

/** Next's CLI file, run with node directly so the child's pid is the server itself. */
export const NEXT_CLI = path.join(PROJECT_ROOT, "node_modules", "next", "dist", "bin", "next");

/**
 * V8 flags for the server. A page render allocates many short-lived objects; a 64 MB young
 * semi-space (V8's default is 16 MB) makes young collections rarer: in a serial test it cut the
 * dashboard page's CPU per request from about 36 to 30 ms. It can cost up to about 150 MB more RSS.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=64"];

/** The arguments for `process.execPath` that run `next <mode>` on a port and host. */
export function nextServerArgs(mode: "start" | "dev" | "build", port?: number, host?: string): string[] {
  const listen = port === undefined ? [] : ["-p", String(port), ...(host ? ["-H", host] : [])];
  return [...(mode === "build" ? [] : SERVER_NODE_FLAGS), NEXT_CLI, mode, ...listen];
}

// How Dwell's scripts start Next.js: `npm start` and the benchmarks run the same command, so what
// the benchmarks measure is what users run.
import os from "node:os";
import path from "node:path";
import { readEnv, type Env } from "../lib/env.ts";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");

/** Next's CLI file, run with node directly so the child's pid is the server itself. */
export const NEXT_CLI = path.join(PROJECT_ROOT, "node_modules", "next", "dist", "bin", "next");

/**
 * V8 flags for the server. A page render allocates many short-lived objects; a 64 MB young
 * semi-space (V8's default is 16 MB) makes young collections rarer: in a serial test it cut the
 * dashboard page's CPU per request from about 36 to 30 ms. It can cost up to about 150 MB more RSS.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=64"];

/** Runs `next start` in several processes on one port (see the file). */
export const CLUSTER_SCRIPT = path.join(PROJECT_ROOT, "scripts", "next-cluster.mjs");

/**
 * How many processes serve a production server: DWELL_WEB_PROCESSES, else one per core but one, at
 * most four. The core left over is Postgres's (the embedded one runs on the same machine)
 * and the rest of the machine's: on 2 cores, 2 processes served 50 sessions worse than 1 (bench:load
 * p99 1,778 against 1,122 ms; CPU per request 21.7 against 16.9 ms), as they competed with Postgres.
 */
export function webProcesses(env: Env = readEnv()): number {
  return env.DWELL_WEB_PROCESSES ?? Math.max(1, Math.min(os.availableParallelism() - 1, 4));
}

/**
 * The arguments for `process.execPath` that run `next <mode>` on a port and host; `next start` in
 * `processes` processes sharing the port when more than one.
 */
export function nextServerArgs(
  mode: "start" | "dev" | "build",
  port?: number,
  host?: string,
  processes = 1,
): string[] {
  if (mode === "build") return [NEXT_CLI, "build"];
  const listen = port === undefined ? [] : ["-p", String(port), ...(host ? ["-H", host] : [])];
  const cluster = mode === "start" && processes > 1 ? [CLUSTER_SCRIPT, String(processes)] : [];
  return [...SERVER_NODE_FLAGS, ...cluster, NEXT_CLI, mode, ...listen];
}

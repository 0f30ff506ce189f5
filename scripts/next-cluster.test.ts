// The multi-process server runner, with a stand-in for Next's CLI: a small HTTP server that answers
// with its own pid (or exits before listening when told to fail).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./bench-http.ts";
import { isRunning } from "./child-process.ts";
import { CLUSTER_SCRIPT, nextServerArgs, NEXT_CLI, SERVER_NODE_FLAGS } from "./next-server.ts";

let dir: string;
let fakeCli: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "dwell-cluster-"));
  fakeCli = path.join(dir, "fake-next.cjs");
  writeFileSync(
    fakeCli,
    `const http = require("node:http");
const args = process.argv.slice(2);
if (args.includes("--fail")) process.exit(3);
const port = Number(args[args.indexOf("-p") + 1]);
http.createServer((req, res) => res.end(String(process.pid))).listen(port, "127.0.0.1");
process.on("SIGTERM", () => process.exit(143));
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One request on a new connection (so the primary hands it to the next worker); the answering pid. */
function ask(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 2_000 }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(Number(body)));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
  });
}

async function pidsAnswering(port: number, requests: number): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < requests; i += 1) {
    const pid = await ask(port);
    if (pid) seen.add(pid);
  }
  return seen;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function runCluster(processes: number, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [CLUSTER_SCRIPT, String(processes), fakeCli, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
}

describe("nextServerArgs", () => {
  it("runs next start in the cluster only when more than one process is asked for", () => {
    expect(nextServerArgs("start", 3000, "127.0.0.1", 1)).toEqual([
      ...SERVER_NODE_FLAGS,
      NEXT_CLI,
      "start",
      "-p",
      "3000",
      "-H",
      "127.0.0.1",
    ]);
    expect(nextServerArgs("start", 3000, undefined, 2)).toEqual([
      ...SERVER_NODE_FLAGS,
      CLUSTER_SCRIPT,
      "2",
      NEXT_CLI,
      "start",
      "-p",
      "3000",
    ]);
    expect(nextServerArgs("dev", 3000, undefined, 4)).toEqual([
      ...SERVER_NODE_FLAGS,
      NEXT_CLI,
      "dev",
      "-p",
      "3000",
    ]);
    expect(nextServerArgs("build")).toEqual([NEXT_CLI, "build"]);
  });
});

describe("the multi-process server", () => {
  it("serves one port from every process, replaces one that dies, and stops them all on SIGTERM", async () => {
    const port = await freePort();
    const cluster = runCluster(2, "start", "-p", String(port));
    let errors = "";
    cluster.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    try {
      const first = await until(
        () => pidsAnswering(port, 6),
        (seen) => seen.size === 2,
      );
      expect(first.size, "two processes answer on one port").toBe(2);

      // A serving process that dies is replaced by a new one.
      const [victim] = [...first];
      process.kill(victim as number, "SIGKILL");
      const after = await until(
        () => pidsAnswering(port, 6),
        (seen) => seen.size === 2 && !seen.has(victim as number),
      );
      expect([...after]).not.toContain(victim);
      expect(after.size).toBe(2);
      expect(errors).toMatch(/a server process \(pid \d+\) stopped \(SIGKILL\); starting another/);

      cluster.kill("SIGTERM");
      expect(await exited(cluster)).toBe(0);
      for (const pid of after) expect(() => process.kill(pid, 0), `worker ${pid} stopped`).toThrow();
      expect(await ask(port)).toBeNull();
    } finally {
      if (isRunning(cluster)) cluster.kill("SIGKILL");
    }
  });

  it("stops with a worker's exit code when it dies before it ever served", async () => {
    const port = await freePort();
    const cluster = runCluster(2, "start", "-p", String(port), "--fail");
    try {
      expect(await exited(cluster)).toBe(3);
    } finally {
      if (isRunning(cluster)) cluster.kill("SIGKILL");
    }
  });

  it("stops when the process that started it is killed outright", async () => {
    const port = await freePort();
    // A stand-in for npm start: starts the server, reports its pid, then waits to be killed.
    const parent = spawn(
      process.execPath,
      [
        "-e",
        `const { spawn } = require("node:child_process");
const server = spawn(process.execPath, process.argv.slice(1), { stdio: "ignore" });
console.log(server.pid);
setInterval(() => {}, 1000);`,
        CLUSTER_SCRIPT,
        "2",
        fakeCli,
        "start",
        "-p",
        String(port),
      ],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    try {
      const primary = await new Promise<number>((resolve) =>
        parent.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
      );
      const serving = await until(
        () => pidsAnswering(port, 6),
        (seen) => seen.size === 2,
      );
      expect(serving.size).toBe(2);

      parent.kill("SIGKILL");
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      const left = await until(
        async () => [primary, ...serving].filter(alive),
        (pids) => pids.length === 0,
      );
      expect(left, "server processes left running").toEqual([]);
      expect(await ask(port)).toBeNull();
    } finally {
      if (isRunning(parent)) parent.kill("SIGKILL");
    }
  });

  it("refuses a missing process count", async () => {
    const cluster = spawn(process.execPath, [CLUSTER_SCRIPT, "none", fakeCli], { stdio: "ignore" });
    expect(await exited(cluster)).toBe(2);
  });
});

// HTTP plumbing for `npm run bench:timeline`: a production `next start` on a free port, a keep-alive
// client that times each response (headers, first body byte, last byte) and keeps cookies, and the
// next-auth Credentials sign-in. Nothing here knows about timelines; the benchmark decides what to ask.
import { isRunning, stopChild } from "./child-process.ts";
import { nextServerArgs } from "./next-server.ts";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");
const BUILD_ID = path.join(PROJECT_ROOT, ".next", "BUILD_ID");
const READY_TIMEOUT_MS = 60_000;

// ------------------------------------------------------------------ the build

export interface BuildInfo {
  id: string;
  builtAt: Date;
  /** Source files changed after the build: the server runs the built code, not these edits. */
  newerSources: string[];
}

function* sourceFiles(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx|css|mjs)$/.test(entry.name)) yield full;
  }
}

/** The production build `next start` would serve, or null when there is none. */
export function productionBuild(): BuildInfo | null {
  if (!existsSync(BUILD_ID)) return null;
  const builtAt = statSync(BUILD_ID).mtime;
  const newerSources: string[] = [];
  for (const dir of ["app", "components", "lib"]) {
    for (const file of sourceFiles(path.join(PROJECT_ROOT, dir))) {
      if (statSync(file).mtime > builtAt) newerSources.push(path.relative(PROJECT_ROOT, file));
    }
  }
  return { id: readFileSync(BUILD_ID, "utf8").trim(), builtAt, newerSources };
}

// ------------------------------------------------------------------ the server

/** A port nobody listens on right now; the server may still lose it to a race, so starting retries. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

/** A /proc/<pid>/status field in kB (VmHWM: peak resident set), or null off Linux or once it exited. */
export function procStatusKb(pid: number, field: "VmHWM" | "VmRSS"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(
      readFileSync(`/proc/${pid}/status`, "utf8"),
    );
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export interface NextServer {
  origin: string;
  pid: number;
  /** The server's processes: `pid` and, when it runs several, the ones serving under it. */
  pids(): number[];
  /** What the server wrote to stderr (and stdout lines that look like problems), for the report. */
  problems: string[];
  stop(): Promise<void>;
}

/** `pid` and its descendants, from /proc (just `pid` where /proc has no children lists). */
export function processTree(pid: number): number[] {
  const found = [pid];
  for (let i = 0; i < found.length; i += 1) {
    const parent = found[i] as number;
    try {
      for (const task of readdirSync(`/proc/${parent}/task`)) {
        const children = readFileSync(`/proc/${parent}/task/${task}/children`, "utf8").trim();
        if (children) found.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // exited, or no /proc: what was found so far
    }
  }
  return found;
}

async function startOnce(port: number, env: Record<string, string>, processes: number): Promise<NextServer> {
  const origin = `http://127.0.0.1:${port}`;
  // node + the CLI file directly, so child.pid is the server itself (`next start` serves in-process)
  // and its /proc status is the server's memory, not a wrapper's; with several processes, the
  // cluster's primary, whose workers `pids()` adds.
  const child = spawn(process.execPath, nextServerArgs("start", port, "127.0.0.1", processes), {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NEXTAUTH_URL: origin, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // If this process ends without stop() (an uncaught error, process.exit), the server must not live on.
  const onExit = () => {
    if (isRunning(child)) child.kill("SIGTERM");
  };
  process.once("exit", onExit);

  const problems: string[] = [];
  const tail: string[] = [];
  let ready = 0;
  // Without a listener a failed spawn would crash this process instead of failing the start.
  let spawnFailed = false;
  child.once("error", (error) => {
    spawnFailed = true;
    tail.push(`spawn failed: ${error.message}`);
  });
  const collect = (stream: NodeJS.ReadableStream | null, isStderr: boolean) => {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      for (const line of chunk.split("\n")) {
        if (!line.trim()) continue;
        tail.push(line);
        if (/\bReady in\b/.test(line)) ready += 1;
        if (tail.length > 40) tail.shift();
        if (isStderr || /\b(error|warn)/i.test(line)) problems.push(line);
      }
    });
  };
  collect(child.stdout, false);
  collect(child.stderr, true);

  const stop = async () => {
    await stopChild(child);
    process.removeListener("exit", onExit);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!isRunning(child) || spawnFailed) {
      process.removeListener("exit", onExit);
      const error = new Error(
        `next start exited (${child.exitCode ?? child.signalCode}) before it answered:\n  ${tail.join("\n  ")}`,
      );
      (error as Error & { addressInUse?: boolean }).addressInUse = tail.some((l) => l.includes("EADDRINUSE"));
      throw error;
    }
    const status = await probe(`${origin}/api/health`);
    // With several processes, each says "Ready" once it listens: measure only when all of them serve.
    if (status === 200 && ready >= processes) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer /api/health with 200 within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error("next start has no pid");
  return { origin, pid, pids: () => processTree(pid), problems, stop };
}

/**
 * `next start` on a free port, in `processes` processes as `npm start` runs it; `env` is added to this
 * process's environment.
 */
export async function startNextServer(env: Record<string, string>, processes = 1): Promise<NextServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(await freePort(), env, processes);
    } catch (error) {
      // Someone took the port between freePort and next's listen: try another.
      if (attempt < 3 && (error as { addressInUse?: boolean }).addressInUse) continue;
      throw error;
    }
  }
}

function probe(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? null));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
  });
}

// ------------------------------------------------------------------ the client

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Request sent → response status line and headers parsed: time to first byte. */
  ttfbMs: number;
  /** Request sent → first body chunk (a streamed page's shell). */
  firstBodyMs: number;
  /** Request sent → last body byte. */
  totalMs: number;
  /** Body bytes as they came over the wire (compressed when the server compressed). */
  wireBytes: number;
  body: Buffer;
}

export interface RequestOptions {
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
  /** Ask for gzip as a browser would; the body is then left compressed. */
  gzip?: boolean;
}

/**
 * One keep-alive connection (maxSockets 1), requests one at a time: every figure is one request's
 * latency on a warm connection, no connection set-up and no queueing behind our own requests.
 */
export class HttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly cookies = new Map<string, string>();

  constructor(readonly origin: string) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  request(pathAndQuery: string, options: RequestOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.gzip) headers["accept-encoding"] = "gzip";
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        new URL(pathAndQuery, this.origin),
        { method: options.method ?? "GET", headers, agent: this.agent },
        (res) => {
          const ttfbMs = performance.now() - started;
          let firstBodyMs = Number.NaN;
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => {
            if (chunks.length === 0) firstBodyMs = performance.now() - started;
            chunks.push(chunk);
          });
          res.on("end", () => {
            const totalMs = performance.now() - started;
            this.keepCookies(res.headers["set-cookie"]);
            const body = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              ttfbMs,
              firstBodyMs: Number.isNaN(firstBodyMs) ? totalMs : firstBodyMs,
              totalMs,
              wireBytes: body.length,
              body,
            });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(options.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private keepCookies(setCookie: string[] | undefined): void {
    for (const header of setCookie ?? []) {
      const [pair = "", ...attributes] = header.split(";");
      const equals = pair.indexOf("=");
      if (equals <= 0) continue;
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/**
 * Signs in the way the login form does: a CSRF token from GET /api/auth/csrf (with its cookie), then
 * POST /api/auth/callback/credentials, form-encoded. Throws unless a session cookie comes back and
 * GET /api/auth/session names the user.
 */
export async function signIn(client: HttpClient, email: string, password: string): Promise<void> {
  const csrf = await client.request("/api/auth/csrf");
  const { csrfToken } = JSON.parse(csrf.body.toString("utf8")) as { csrfToken?: string };
  if (csrf.status !== 200 || !csrfToken) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  const form = new URLSearchParams({ csrfToken, email, password, callbackUrl: client.origin, json: "true" });
  const callback = await client.request("/api/auth/callback/credentials", {
    method: "POST",
    body: form.toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  // Over http:// next-auth names its cookie without the __Secure- prefix.
  if (!client.cookie("next-auth.session-token")) {
    throw new Error(
      `sign-in failed: POST /api/auth/callback/credentials answered ${callback.status}, no session cookie`,
    );
  }
  const session = await client.request("/api/auth/session");
  const user = (JSON.parse(session.body.toString("utf8")) as { user?: { email?: string } }).user;
  if (user?.email !== email) throw new Error(`sign-in failed: /api/auth/session answered ${session.status}`);
}

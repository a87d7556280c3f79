// Dashboard routes under load:  npm run bench:web   (or: npx tsx scripts/bench-web.ts)
//
// Target: with 90 days × 50 namespaces of windows and 5,000 peaks, every data route and the
// overview page answer in under 300 ms at p95 under 10 concurrent clients against `next start`.
//
// Method, per database:
//   1. a fresh database (default: a throwaway PostgreSQL cluster on a free port; --database
//      embedded: the embedded PGlite server of a new data folder, as `peaks serve` uses it),
//      migrated by the product (openDatabase), with a bench admin (createUser) and the data set
//      of scripts/bench-web-seed.ts: 432,000 windows, 33,600 baseline slots, 5,000 peaks with
//      investigations in 3,238 incidents (six still going on), 60 known issues, 3,000 patterns with daily counts, notes, audit trail,
//      deliveries, 200 pipeline runs, 3 threshold versions; then VACUUM ANALYZE;
//   2. `next start` on a free port over that database (the same environment `peaks serve`
//      passes, with a fixed NEXTAUTH_SECRET and every outside service switched off), after one
//      `next build` per run of this script (skipped with --skip-build);
//   3. --clients (10) clients sign in over HTTP like the login page and each request every
//      route once per round in a shuffled order, one request at a time, with ids, namespaces,
//      statuses and cursors drawn from the seeded data for every request; one warm-up round is
//      not counted, then --rounds rounds (default: enough for 200 samples per route);
//   4. per route: samples, p50, p95, max, p95 ÷ p95 of /api/health/ready in the same run (the
//      baseline: two small queries (is there a migrations table, which migrations it lists) behind the same server, so the
//      ratio stays comparable on a noisy machine) and the median size of the answer's JSON. With --repeat N the rounds run N
//      times against the same server and the medians of the N p95s are reported;
//   5. before the load, one client alone requests every route --alone-rounds (5) times: its
//      p50 is what the route costs the server by itself. Ten clients that never pause keep the
//      server busy, so a route's p95 under load grows with the cost of all routes, not its own.
// Times are measured in this process from sending a request to the last byte of its answer; the
// clients, the server and the database share the machine's cores. The routes of error patterns
// are measured when they answer 200, and reported as not available otherwise.
//
// Exit status 1 when a route misses p95 < 300 ms (or answered anything but 200), else 0.
//
// Options: --database postgres|embedded|both (default postgres), --clients N (10), --rounds N,
// --repeat N (1), --alone-rounds N (5; 0 skips step 5), --seed N (1), --json (the figures as
// JSON on stdout, progress on stderr), --skip-build (use the existing .next build as it is),
// --keep-database (leave the database running afterwards and print where it is, e.g. for
// EXPLAIN ANALYZE).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { formatTable } from "../cli/output";
import { getConfig } from "@/lib/config";
import { openDatabase } from "@/lib/db/client";
import { type DatabaseTarget } from "@/lib/db/target";
import { childProcessEnvironment } from "@/lib/env.js";
import { createRandom, type Random } from "@/lib/synthetic/random";
import { startPostgres } from "../test/support/postgres-server";
import { codeVersion, hasFlag, median, optionValue, printRunHeader, seconds, thousands } from "./bench-support";
import { figuresOf, runRounds, signIn, timedGet, type RouteFigures, type RouteSpec, type Sample, type Session } from "./bench-web-load";
import { seedDashboardData, SEED_SIZES, type SeededData } from "./bench-web-seed";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "cli", "index.ts");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

const TARGET_P95_MS = 300;
const MIN_SAMPLES_PER_ROUTE = 200;
const DAY_MS = 86_400_000;
const HEALTH = "/api/health/ready (baseline)";
/** Pages of 200 peaks walked to collect cursors of later pages. */
const CURSOR_PAGES = 20;

const databaseKinds = ["postgres", "embedded"] as const;
type DatabaseKind = (typeof databaseKinds)[number];

type Options = {
  databases: DatabaseKind[];
  clients: number;
  rounds: number;
  repeat: number;
  aloneRounds: number;
  seed: number;
  isJson: boolean;
  skipBuild: boolean;
  keepDatabase: boolean;
};

function wholeNumber(name: string, fallback: number, min: number): number {
  const text = optionValue(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}`);
  return value;
}

function parseOptions(): Options {
  const database = optionValue("--database") ?? "postgres";
  if (database !== "both" && !databaseKinds.includes(database as DatabaseKind)) throw new Error("--database must be postgres, embedded or both");
  const clients = wholeNumber("--clients", 10, 1);
  return {
    databases: database === "both" ? [...databaseKinds] : [database as DatabaseKind],
    clients,
    rounds: wholeNumber("--rounds", Math.ceil(MIN_SAMPLES_PER_ROUTE / clients), 1),
    repeat: wholeNumber("--repeat", 1, 1),
    aloneRounds: wholeNumber("--alone-rounds", 5, 0),
    seed: wholeNumber("--seed", 1, 0),
    isJson: hasFlag("--json"),
    skipBuild: hasFlag("--skip-build"),
    keepDatabase: hasFlag("--keep-database"),
  };
}

const options = parseOptions();
/** Progress and tables; with --json stdout carries the JSON document alone. */
const say = (...parts: unknown[]) => (options.isJson ? console.error(...parts) : console.log(...parts));
const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : "-");
const kib = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);

// ---------------------------------------------------------------------------------------------
// Processes

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/** Runs a command to its end with its output on stderr (stdout may be the JSON document). */
function runToEnd(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", process.stderr, process.stderr] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function buildDashboard(): Promise<number> {
  say("Building the dashboard (next build)…");
  const started = performance.now();
  const code = await runToEnd([NEXT_BIN, "build"], childProcessEnvironment({ NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" }));
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  return performance.now() - started;
}

type Dashboard = { baseUrl: string; stop: () => Promise<void> };

/** `next start` over the given database; resolves once /api/health/ready answers 200. */
async function startDashboard(databaseEnvironment: Record<string, string | undefined>): Promise<Dashboard> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const env = childProcessEnvironment({
    ...databaseEnvironment,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    NEXTAUTH_URL: baseUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    // Empty values, which no .env file overrides, keep the developer's services out of the run.
    ES_URL: "",
    PEAKS_LOG_INPUT: "",
    TEAMS_WEBHOOK_URL: "",
    AI_BASE_URL: "",
    CRON_SECRET: "",
    OIDC_ISSUER: "",
    OIDC_CLIENT_ID: "",
    OIDC_CLIENT_SECRET: "",
  });
  // Its own process group, so that stopping it stops whatever it started too.
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", "--port", String(port)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(
      ...chunk
        .toString("utf8")
        .split("\n")
        .filter((line) => line.trim() !== ""),
    );
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitCode = code ?? (signal ? 128 : 1);
      resolve();
    }),
  );
  const stop = async () => {
    const pid = child.pid;
    if (exitCode !== null || pid === undefined) return;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-pid, name);
      } catch {
        // The group is gone already.
      }
    };
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exitCode !== null) throw new Error(`next start exited (${exitCode}):\n${output.join("\n")}`);
    try {
      const response = await fetch(`${baseUrl}/api/health/ready`);
      await response.arrayBuffer();
      if (response.status === 200) return { baseUrl, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`next start was not ready (/api/health/ready) within 120 s:\n${output.join("\n")}`);
}

// ---------------------------------------------------------------------------------------------
// Databases

type PreparedDatabase = {
  target: DatabaseTarget;
  /** The server's environment for this database. */
  environment: Record<string, string | undefined>;
  dispose: (keep: boolean) => Promise<void>;
};

async function preparePostgres(): Promise<PreparedDatabase> {
  const server = await startPostgres();
  return {
    target: { kind: "postgres", url: server.url },
    // PEAKS_DATA_DIR is not used with DATABASE_URL: the secret is given.
    environment: { DATABASE_URL: server.url },
    dispose: async (keep) => {
      if (!keep) return server.stop();
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const dataDirectory = (await client.query<{ data_directory: string }>("SHOW data_directory")).rows[0]?.data_directory;
      await client.end();
      say(
        `PostgreSQL left running: ${server.url} (data in ${dataDirectory}; stop it with pg_ctl -D ${dataDirectory} stop, as its owner, and remove the folder above it)`,
      );
    },
  };
}

async function prepareEmbedded(): Promise<PreparedDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "peaks-bench-web-"));
  return {
    target: { kind: "embedded", dataDir },
    // An empty DATABASE_URL (which no .env file overrides) selects the embedded database.
    environment: { DATABASE_URL: "", PEAKS_DATA_DIR: dataDir },
    dispose: async (keep) => {
      if (keep) {
        say(`Embedded database left in ${dataDir} (its server stops by itself when idle; or: npm run peaks -- db stop --data-dir ${dataDir})`);
        return;
      }
      const code = await runToEnd(["--import", "tsx", CLI, "db", "stop", "--data-dir", dataDir], childProcessEnvironment());
      if (code !== 0) say(`peaks db stop --data-dir ${dataDir} failed (exit ${code})`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Routes

const PEAK_STATUS_FILTERS = ["open", "open,acknowledged", "known_issue", "resolved"] as const;
const INCIDENT_STATUS_FILTERS = ["open", "open,acknowledged", "known_issue", "resolved"] as const;

function routesOf(seeded: SeededData, cursors: readonly string[]): RouteSpec[] {
  const fromDaysAgo = (days: number) => encodeURIComponent(new Date(Date.now() - days * DAY_MS).toISOString());
  const namespace = (random: Random) => encodeURIComponent(random.pick(seeded.namespaces));
  return [
    { name: HEALTH, path: () => "/api/health/ready" },
    { name: "/ (overview page)", path: () => "/" },
    { name: "/api/overview", path: () => "/api/overview" },
    { name: "/api/incidents (first page)", path: () => "/api/incidents" },
    {
      name: "/api/incidents?status=&ongoing=",
      path: (random) => `/api/incidents?status=${encodeURIComponent(random.pick(INCIDENT_STATUS_FILTERS))}${random.chance(0.5) ? "&ongoing=true" : ""}`,
    },
    { name: "/api/incidents?namespace=", path: (random) => `/api/incidents?namespace=${namespace(random)}` },
    { name: "/api/incidents/:id", path: (random) => `/api/incidents/${random.pick(seeded.incidentIds)}` },
    { name: "/api/namespaces (first page)", path: () => "/api/namespaces?limit=25" },
    {
      name: "/api/namespaces?q=&sort=&offset=",
      path: (random) =>
        `/api/namespaces?q=${encodeURIComponent(random.pick(seeded.namespaces).slice(0, 3))}&sort=${random.pick(["deviation", "name"] as const)}&offset=${random.pick([0, 50])}`,
    },
    { name: "/api/namespaces/:ns/series (7 days)", path: (random) => `/api/namespaces/${namespace(random)}/series` },
    { name: "/api/namespaces/:ns/series?from= (90 days)", path: (random) => `/api/namespaces/${namespace(random)}/series?from=${fromDaysAgo(90)}` },
    { name: "/api/peaks (first page)", path: () => "/api/peaks" },
    {
      name: "/api/peaks?namespace=&status=",
      path: (random) => `/api/peaks?namespace=${namespace(random)}&status=${encodeURIComponent(random.pick(PEAK_STATUS_FILTERS))}`,
    },
    { name: "/api/peaks?cursor= (later page)", path: (random) => `/api/peaks?cursor=${encodeURIComponent(random.pick(cursors))}` },
    { name: "/api/peaks/:id", path: (random) => `/api/peaks/${random.pick(seeded.peakIds)}` },
    { name: "/api/known-issues", path: () => "/api/known-issues" },
    { name: "/api/known-issues/:id", path: (random) => `/api/known-issues/${random.pick(seeded.knownIssueIds)}` },
    { name: "/api/patterns", path: () => "/api/patterns" },
    { name: "/api/patterns/:hash", path: (random) => `/api/patterns/${encodeURIComponent(random.pick(seeded.patternHashes))}` },
    { name: "/api/thresholds", path: () => "/api/thresholds" },
    { name: "/api/pipeline/runs", path: () => "/api/pipeline/runs" },
  ];
}

/** Cursors of later pages of the timeline, from walking it 200 peaks at a time. */
async function collectCursors(baseUrl: string, session: Session): Promise<string[]> {
  const cursors: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < CURSOR_PAGES; page += 1) {
    const { sample, body } = await timedGet(baseUrl, session, "cursors", `/api/peaks?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (sample.status !== 200) throw new Error(`GET /api/peaks answered ${sample.status} while collecting cursors`);
    cursor = (JSON.parse(Buffer.from(body).toString("utf8")) as { nextCursor: string | null }).nextCursor;
    if (!cursor) break;
    cursors.push(cursor);
  }
  if (cursors.length === 0) throw new Error("The timeline has a single page: no cursor to request");
  return cursors;
}

type Check = { route: string; status: number; bytes: number; note: string };

/** Each route once, before any timing: its status, size and what it holds, to show that the answers are real. */
async function checkRoutes(baseUrl: string, session: Session, routes: readonly RouteSpec[]): Promise<Check[]> {
  const random = createRandom(`checks ${options.seed}`);
  const checks: Check[] = [];
  for (const route of routes) {
    const { sample, body } = await timedGet(baseUrl, session, route.name, route.path(random));
    let note = "";
    if (sample.status === 200 && !route.name.startsWith("/api/")) note = "HTML";
    else if (sample.status === 200) {
      const json = JSON.parse(Buffer.from(body).toString("utf8")) as Record<string, unknown>;
      const count = (key: string) => (Array.isArray(json[key]) ? (json[key] as unknown[]).length : 0);
      if (route.name.includes("/series")) note = `${count("points")} points of ${String(json.bucketMinutes)} min, ${count("peaks")} peaks`;
      else if (route.name.startsWith("/api/namespaces ") || route.name.startsWith("/api/namespaces?"))
        note = `${count("rows")} of ${String(json.matching)} namespaces`;
      else if (route.name.startsWith("/api/peaks?") || route.name.startsWith("/api/peaks (")) note = `${count("peaks")} peaks`;
      else if (route.name.startsWith("/api/incidents?") || route.name.startsWith("/api/incidents (")) note = `${count("incidents")} incidents`;
      else if (route.name === "/api/overview") note = `${count("onFire")} on fire, ${count("lastDay")} in 24 h`;
      else if (route.name === "/api/known-issues") note = `${count("knownIssues")} known issues`;
      else if (route.name === "/api/patterns") note = `${count("patterns")} of ${String(json.total)} patterns`;
      else if (route.name === "/api/pipeline/runs") note = `${count("runs")} runs`;
      else if (route.name === "/api/thresholds") note = `${count("history")} versions`;
    }
    checks.push({ route: route.name, status: sample.status, bytes: sample.bytes, note });
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------
// One database

/** clientCpuMs: CPU time of this process (the clients) during the run, which the server did not have. */
type RunFigures = { wallMs: number; requests: number; clientCpuMs: number; routes: RouteFigures[] };

type RouteSummary = {
  route: string;
  samples: number;
  errors: number;
  /** Medians over the runs (a single run: its own figures). */
  p50Ms: number;
  p95Ms: number;
  /** Each run's p95. */
  p95PerRunMs: number[];
  maxMs: number;
  /** Median over the runs of p95 ÷ the health route's p95 of the same run. */
  p95ToHealth: number;
  payloadBytes: number;
  /** p50 with one client alone (the route's own cost); null when not measured. */
  aloneP50Ms: number | null;
  isMet: boolean;
};

type DatabaseResult = {
  database: DatabaseKind;
  seed: { ms: number; rows: Record<string, number>; timings: Record<string, number>; firstWindow: string; lastWindow: string };
  serverStartMs: number;
  checks: Check[];
  notAvailable: { route: string; status: number }[];
  alone: RouteFigures[] | null;
  runs: RunFigures[];
  summary: RouteSummary[];
  isMet: boolean;
};

function summarise(runs: readonly RunFigures[], alone: readonly RouteFigures[] | null, routeNames: readonly string[]): RouteSummary[] {
  return routeNames.map((route) => {
    const own = runs.map((run) => ({
      figures: run.routes.find((figures) => figures.route === route)!,
      health: run.routes.find((figures) => figures.route === HEALTH)!,
    }));
    const p95PerRunMs = own.map(({ figures }) => figures.p95Ms);
    const errors = own.reduce((sum, { figures }) => sum + figures.errors, 0);
    const p95Ms = median(p95PerRunMs);
    return {
      route,
      samples: own.reduce((sum, { figures }) => sum + figures.samples, 0),
      errors,
      p50Ms: median(own.map(({ figures }) => figures.p50Ms)),
      p95Ms,
      p95PerRunMs,
      maxMs: Math.max(...own.map(({ figures }) => figures.maxMs)),
      p95ToHealth: median(own.map(({ figures, health }) => figures.p95Ms / health.p95Ms)),
      payloadBytes: median(own.map(({ figures }) => figures.payloadBytes)),
      aloneP50Ms: alone?.find((figures) => figures.route === route)?.p50Ms ?? null,
      isMet: errors === 0 && p95Ms < TARGET_P95_MS,
    };
  });
}

async function benchDatabase(kind: DatabaseKind): Promise<DatabaseResult> {
  say(`\n=== ${kind === "postgres" ? "PostgreSQL (throwaway cluster)" : "embedded database (PGlite server)"} ===`);
  const config = getConfig();
  const prepared = kind === "postgres" ? await preparePostgres() : await prepareEmbedded();
  try {
    const seedStarted = performance.now();
    const database = await openDatabase(prepared.target);
    let seeded: SeededData;
    try {
      seeded = await seedDashboardData(database, {
        timeZone: config.timezone,
        windowMinutes: config.window_minutes,
        now: new Date(),
        seed: options.seed,
        incidentGapMinutes: config.notifications.teams.incident_gap_minutes,
        quietWindows: config.incidents.auto_resolve_quiet_windows,
      });
    } finally {
      await database.close();
    }
    const seedMs = performance.now() - seedStarted;
    say(
      `Seeded in ${seconds(seedMs)} (${Object.entries(seeded.timings)
        .map(([phase, phaseMs]) => `${phase} ${seconds(phaseMs)}`)
        .join(", ")})`,
    );
    say(
      `Rows: ${Object.entries(seeded.rows)
        .map(([table, rows]) => `${table} ${thousands(rows)}`)
        .join(", ")}`,
    );

    const serverStarted = performance.now();
    const dashboard = await startDashboard(prepared.environment);
    const serverStartMs = performance.now() - serverStarted;
    say(`next start answered after ${seconds(serverStartMs)} at ${dashboard.baseUrl}`);
    try {
      const sessions = await Promise.all(
        Array.from({ length: options.clients + 1 }, () => signIn(dashboard.baseUrl, seeded.admin.email, seeded.admin.password)),
      );
      const setupSession = sessions.pop()!;
      const cursors = await collectCursors(dashboard.baseUrl, setupSession);
      const allRoutes = routesOf(seeded, cursors);
      const checks = await checkRoutes(dashboard.baseUrl, setupSession, allRoutes);
      const notAvailable: { route: string; status: number }[] = [];
      for (const check of checks) {
        if (check.status === 200) continue;
        // The pattern routes are new; any other route must answer.
        if (!check.route.startsWith("/api/patterns")) throw new Error(`${check.route} answered ${check.status} before the load`);
        notAvailable.push({ route: check.route, status: check.status });
      }
      const routes = allRoutes.filter((route) => !notAvailable.some((missing) => missing.route === route.name));
      say(
        formatTable(
          ["ROUTE (ONE REQUEST BEFORE THE LOAD)", "STATUS", "JSON", "HOLDS"],
          checks.map((check) => [check.route, String(check.status), kib(check.bytes), check.note]),
        ),
      );

      const randomOf = (pass: string) => (client: number) => createRandom(`bench-web ${options.seed} ${pass} client ${client}`);
      say(`Warm-up: ${options.clients} clients × ${routes.length} routes (not counted)…`);
      await runRounds({ baseUrl: dashboard.baseUrl, sessions, routes, rounds: 1, randomOf: randomOf("warm-up") });
      let alone: RouteFigures[] | null = null;
      if (options.aloneRounds > 0) {
        say(`One client alone: ${options.aloneRounds} rounds…`);
        const { samples } = await runRounds({
          baseUrl: dashboard.baseUrl,
          sessions: sessions.slice(0, 1),
          routes,
          rounds: options.aloneRounds,
          randomOf: randomOf("alone"),
        });
        alone = figuresOf(
          samples,
          routes.map((route) => route.name),
        );
      }

      const runs: RunFigures[] = [];
      for (let repeat = 1; repeat <= options.repeat; repeat += 1) {
        const total = options.clients * options.rounds * routes.length;
        let done = 0;
        const ticker = setInterval(() => say(`  ${thousands(done)}/${thousands(total)} requests`), 15_000);
        let samples: Sample[];
        let wallMs: number;
        const cpuBefore = process.cpuUsage();
        try {
          ({ samples, wallMs } = await runRounds({
            baseUrl: dashboard.baseUrl,
            sessions,
            routes,
            rounds: options.rounds,
            randomOf: randomOf(`run ${repeat}`),
            onRound: () => (done += routes.length),
          }));
        } finally {
          clearInterval(ticker);
        }
        const cpu = process.cpuUsage(cpuBefore);
        const clientCpuMs = (cpu.user + cpu.system) / 1000;
        const figures = figuresOf(
          samples,
          routes.map((route) => route.name),
        );
        runs.push({ wallMs, requests: samples.length, clientCpuMs, routes: figures });
        const slowest = [...figures].sort((left, right) => right.p95Ms - left.p95Ms)[0];
        say(
          `Run ${repeat}/${options.repeat}: ${thousands(samples.length)} requests in ${seconds(wallMs)} (${(samples.length / (wallMs / 1000)).toFixed(1)}/s), ` +
            `clients' CPU ${seconds(clientCpuMs)}; slowest p95 ${slowest ? `${ms(slowest.p95Ms)} (${slowest.route})` : "-"}`,
        );
      }
      const summary = summarise(
        runs,
        alone,
        routes.map((route) => route.name),
      );
      return {
        database: kind,
        seed: {
          ms: seedMs,
          rows: seeded.rows,
          timings: seeded.timings,
          firstWindow: seeded.firstWindow.toISOString(),
          lastWindow: seeded.lastWindow.toISOString(),
        },
        serverStartMs,
        checks,
        notAvailable,
        alone,
        runs,
        summary,
        isMet: summary.every((route) => route.isMet),
      };
    } finally {
      await dashboard.stop();
    }
  } finally {
    await prepared.dispose(options.keepDatabase);
  }
}

// ---------------------------------------------------------------------------------------------
// Main

function printResult(result: DatabaseResult): void {
  const withRuns = options.repeat > 1;
  say(
    `\n${result.database === "postgres" ? "PostgreSQL" : "Embedded database"}: ${options.clients} clients, ${options.rounds} rounds` +
      (withRuns ? ` × ${options.repeat} runs (medians of the runs' figures)` : "") +
      `; target p95 < ${TARGET_P95_MS} ms`,
  );
  say(
    formatTable(
      ["ROUTE", "ALONE P50", "SAMPLES", "P50", "P95", "MAX", "P95 ÷ HEALTH", "JSON", "ERRORS", ...(withRuns ? ["P95 PER RUN"] : []), "TARGET"],
      result.summary.map((route) => [
        route.route,
        route.aloneP50Ms === null ? "-" : ms(route.aloneP50Ms),
        thousands(route.samples),
        ms(route.p50Ms),
        ms(route.p95Ms),
        ms(route.maxMs),
        route.route === HEALTH ? "1.0" : route.p95ToHealth.toFixed(1),
        kib(route.payloadBytes),
        String(route.errors),
        ...(withRuns ? [route.p95PerRunMs.map((value) => Math.round(value)).join(" ")] : []),
        route.isMet ? "met" : "MISSED",
      ]),
    ),
  );
  for (const missing of result.notAvailable) say(`${missing.route}: not available (HTTP ${missing.status})`);
  const requests = result.runs.reduce((sum, run) => sum + run.requests, 0);
  const wallMs = result.runs.reduce((sum, run) => sum + run.wallMs, 0);
  const clientCpuMs = result.runs.reduce((sum, run) => sum + run.clientCpuMs, 0);
  say(
    `Throughput: ${(requests / (wallMs / 1000)).toFixed(1)} requests/s; the clients used ${((100 * clientCpuMs) / wallMs).toFixed(0)} % of one core. ${
      result.isMet
        ? "Every route met the target."
        : `Missed: ${result.summary
            .filter((route) => !route.isMet)
            .map((route) => route.route)
            .join(", ")}.`
    }`,
  );
}

async function main(): Promise<void> {
  const startedAt = new Date();
  // Taken now, as the header prints them: a run is long and the tree may change meanwhile.
  const loadAverage = os.loadavg();
  const code = codeVersion(ROOT);
  // printRunHeader writes to stdout, which --json keeps for the JSON document.
  const log = console.log;
  if (options.isJson) console.log = console.error;
  try {
    printRunHeader(ROOT);
  } finally {
    console.log = log;
  }
  say(
    `Data set: ${SEED_SIZES.days} days × ${SEED_SIZES.namespaces} namespaces of windows, ${thousands(SEED_SIZES.peaks)} peaks (${SEED_SIZES.ongoingIncidents} incidents ongoing), ${SEED_SIZES.knownIssues} known issues, ` +
      `${thousands(SEED_SIZES.patterns)} patterns, ${SEED_SIZES.pipelineRuns} pipeline runs (seed ${options.seed})`,
  );
  const buildMs = options.skipBuild ? null : await buildDashboard();
  if (buildMs !== null) say(`Built in ${seconds(buildMs)}`);

  const results: DatabaseResult[] = [];
  for (const kind of options.databases) results.push(await benchDatabase(kind));
  for (const result of results) printResult(result);
  const isMet = results.every((result) => result.isMet);
  say(`\nTarget (every route p95 < ${TARGET_P95_MS} ms under ${options.clients} clients): ${isMet ? "MET" : "NOT MET"}`);

  if (options.isJson) {
    const cpus = os.cpus();
    const document = {
      benchmark: "bench:web",
      startedAt: startedAt.toISOString(),
      machine: {
        cpu: cpus[0]?.model.trim() ?? null,
        cpus: cpus.length,
        memoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
        os: `${os.type()} ${os.release()}`,
        node: process.version,
        loadAverage,
      },
      code,
      options: {
        databases: options.databases,
        clients: options.clients,
        rounds: options.rounds,
        repeat: options.repeat,
        aloneRounds: options.aloneRounds,
        seed: options.seed,
        built: buildMs !== null,
      },
      targetP95Ms: TARGET_P95_MS,
      buildMs,
      databases: results,
      isMet,
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }
  process.exitCode = isMet ? 0 : 1;
}

await main();

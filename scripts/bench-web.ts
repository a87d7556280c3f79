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
// EXPLAIN ANALYZE), --year (a year of windows and 20,000 peaks instead of 90 days and 5,000: the
// problems' target is met on a year of incidents).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { getConfig } from "@/lib/config";
import { openDatabase } from "@/lib/db/client";
import { type DatabaseTarget } from "@/lib/db/target";
import { childProcessEnvironment } from "@/lib/env.js";
import { startPostgres } from "../test/support/postgres-server";
import { codeVersion, hasFlag, optionValue, printRunHeader, seconds, thousands } from "./bench-support";
import type { RouteFigures } from "./bench-web-load";
import { seedDashboardData, SEED_SIZES, YEAR_SEED_SIZES, type SeededData, type SeedSizes } from "./bench-web-seed";
import {
  buildDashboard,
  measureDashboard,
  routeTable,
  runToEnd,
  startDashboard,
  TARGET_P95_MS,
  type Check,
  type RouteSummary,
  type RunFigures,
} from "./bench-web-server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "cli", "index.ts");

const MIN_SAMPLES_PER_ROUTE = 200;

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
  sizes: SeedSizes;
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
    sizes: hasFlag("--year") ? YEAR_SEED_SIZES : SEED_SIZES,
  };
}

const options = parseOptions();
/** Progress and tables; with --json stdout carries the JSON document alone. */
const say = (...parts: unknown[]) => (options.isJson ? console.error(...parts) : console.log(...parts));

// ---------------------------------------------------------------------------------------------
// Processes

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

// ---------------------------------------------------------------------------------------------
// One database

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
        sizes: options.sizes,
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
      const { checks, notAvailable, alone, runs, summary } = await measureDashboard(dashboard.baseUrl, seeded, {
        clients: options.clients,
        rounds: options.rounds,
        repeat: options.repeat,
        aloneRounds: options.aloneRounds,
        seed: options.seed,
        say,
      });
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
  say(routeTable(result.summary, withRuns));
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
    `Data set: ${options.sizes.days} days × ${options.sizes.namespaces} namespaces of windows, ${thousands(options.sizes.peaks)} peaks (${options.sizes.ongoingIncidents} incidents ongoing), ${options.sizes.knownIssues} known issues, ` +
      `${thousands(options.sizes.patterns)} patterns, ${options.sizes.pipelineRuns} pipeline runs (seed ${options.seed})`,
  );
  const buildMs = options.skipBuild ? null : await buildDashboard(say);
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

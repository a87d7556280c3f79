// Scale benchmark:  npm run bench:scale   (or: node --max-old-space-size=8192 --import tsx scripts/bench-scale.ts)
//
// Targets, on PostgreSQL with 1,000 namespaces, 30 days of windows (2.88 M rows), a year of
// baselines (672,000 slots of 52 weeks), 50,000 peaks with their incidents, 200 known issues and
// 20,000 patterns:
//   A. one scheduled run of one new window for all namespaces (count, classify, trace, detect,
//      store, investigate the new peaks, notify, maintenance) in under 5 s, Elasticsearch's own
//      time excluded;
//   B. catching up one whole day (96 windows) in one run in under 60 s, the same way;
//   C. every data route under 300 ms p95 with 10 concurrent clients against `next start`;
//   D. `peaks backup` and `peaks restore` of that database each in under 2 minutes;
//   E. the memory of the web server under load and of a run (reported; no target).
//
// Method:
//   1. a throwaway PostgreSQL cluster, migrated by the product, seeded by scripts/bench-web-seed.ts
//      with SCALE_SIZES; the data ends 26 hours before now, so that the windows the runs replay
//      lie in the past; then VACUUM ANALYZE;
//   2. a local Elasticsearch stand-in (test/support/fake-elasticsearch.ts) holding, for the
//      hours a run counts again (pipeline.recount_hours), documents matching the stored counts
//      (so that re-counting changes nothing, as in production), and for each window replayed a
//      few ERROR documents per namespace, with 10 namespaces per window (2 per window of the
//      replayed day) raised well above their baseline so that peaks are detected, investigated
//      and announced; Teams is on (a copy of values.yaml with notifications.teams.enabled) and
//      its webhook is a local HTTP stub that answers 200;
//   3. A: --window-runs (3) runs, each of the next window, each in a process of its own
//      (scripts/bench-scale-run.ts: runPipeline as the cron route calls it, the run's clock set
//      two minutes after the window's end); per run its wall time, its steps' times, the time
//      the Elasticsearch stand-in spent answering it (union of its requests' handling times,
//      from arrival to the last byte written) and the process's peak resident memory; medians;
//   4. B: one run over the next 96 windows, measured the same way;
//   5. C: `next start` over the database, the load of bench:web (scripts/bench-web-server.ts:
//      sign-in, every route, shuffled, one warm-up round, --rounds rounds of 10 clients) with
//      the server's resident memory sampled every 250 ms (the sum over its process tree);
//   6. D: `peaks backup` to a new folder, then `peaks restore` of it into a new, migrated
//      database of the same cluster, each a child process under /usr/bin/time (its peak
//      resident memory).
// Exit status 1 when a target is missed.
//
// Options: --skip-build, --keep-database (leave the cluster running and print where, with the
// seeded data's ids in a file for --reuse), --reuse <file> (measure the kept database again
// instead of seeding), --only <run,day,web,backup>, --window-runs N (3), --clients N (10),
// --rounds N (10), --alone-rounds N (3), --seed N (1), --cpu-prof <folder> (a CPU profile of each run).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { formatTable } from "../cli/output";
import { getConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import { openDatabase } from "@/lib/db/client";
import { findWatermark } from "@/lib/db/pipeline-runs";
import { childProcessEnvironment } from "@/lib/env.js";
import type { StoredStep } from "@/lib/runs/contract";
import { createRandom } from "@/lib/synthetic/random";
import { startFakeElasticsearch, type FakeElasticsearch } from "../test/support/fake-elasticsearch";
import { startHttpStub } from "../test/support/http-stub";
import { startPostgres } from "../test/support/postgres-server";
import { codeVersion, hasFlag, median, mib, optionValue, printRunHeader, seconds, thousands } from "./bench-support";
import { seedDashboardData, type SeededData, type SeedSizes } from "./bench-web-seed";
import { buildDashboard, measureDashboard, routeTable, startDashboard, TARGET_P95_MS, type RouteSummary } from "./bench-web-server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "cli", "index.ts");
const RUN_SCRIPT = path.join(ROOT, "scripts", "bench-scale-run.ts");

/** The sizes issue 20 names. */
const SCALE_SIZES: SeedSizes = {
  namespaces: 1_000,
  days: 30,
  peaks: 50_000,
  knownIssues: 200,
  resolvedKnownIssues: 50,
  patterns: 20_000,
  pipelineRuns: 2_880,
  thresholdVersions: 3,
  ongoingIncidents: 60,
  baselineWeeks: 52,
  // Mostly quiet namespaces: a few errors per window, as the replayed windows hold.
  errorsPerWindow: { min: 1, max: 12 },
};

const TARGETS = { windowRunMs: 5_000, dayRunMs: 60_000, routeP95Ms: TARGET_P95_MS, backupMs: 120_000, restoreMs: 120_000 };
/** Fixed local ports, clear of the other users of this machine's ports. */
const PORTS = { postgres: 3541, dashboard: 3542, elasticsearch: 3543, teams: 3544 };
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** The data ends this long before now: room for the windows the runs replay. */
const SEED_END_BEFORE_NOW_MS = 26 * HOUR_MS;
/** The run's clock: this long after the end of its last window, as the cron schedule runs it. */
const RUN_AFTER_WINDOW_MS = 2 * MINUTE_MS;
const DAY_WINDOWS = 96;
const SPIKES_PER_WINDOW_RUN = 10;
const SPIKES_PER_DAY_WINDOW = 2;
const INDEX = "logs-bench";

const parts = ["run", "day", "web", "backup"] as const;
type Part = (typeof parts)[number];

function wholeNumber(name: string, fallback: number, min: number): number {
  const text = optionValue(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}`);
  return value;
}

function parseOptions() {
  const only = (optionValue("--only") ?? parts.join(",")).split(",").map((part) => part.trim());
  for (const part of only) if (!parts.includes(part as Part)) throw new Error(`--only takes ${parts.join(", ")}; not ${part}`);
  return {
    only: new Set(only as Part[]),
    skipBuild: hasFlag("--skip-build"),
    keepDatabase: hasFlag("--keep-database"),
    reuse: optionValue("--reuse") ?? null,
    windowRuns: wholeNumber("--window-runs", 3, 1),
    clients: wholeNumber("--clients", 10, 1),
    rounds: wholeNumber("--rounds", 10, 1),
    aloneRounds: wholeNumber("--alone-rounds", 3, 0),
    seed: wholeNumber("--seed", 1, 0),
    /** A folder for a CPU profile of each run (node --cpu-prof). */
    cpuProfile: optionValue("--cpu-prof") ?? null,
  };
}

const options = parseOptions();
const say = (...text: unknown[]) => console.log(...text);
const config = getConfig();
const grid = gridOf(config);
const windowMs = config.window_minutes * MINUTE_MS;
const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------
// The database

type Kept = { url: string; seeded: SeededData };

function reviveSeeded(text: string): Kept {
  const kept = JSON.parse(text) as Kept & { seeded: SeededData & { firstWindow: string; lastWindow: string } };
  return { url: kept.url, seeded: { ...kept.seeded, firstWindow: new Date(kept.seeded.firstWindow), lastWindow: new Date(kept.seeded.lastWindow) } };
}

/** A connection to template1 of the cluster, for creating and dropping databases. */
async function withMaintenanceClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, "/template1") });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

async function prepareDatabase(): Promise<{ url: string; seeded: SeededData; seedMs: number | null; stop: () => Promise<void> }> {
  if (options.reuse) {
    const kept = reviveSeeded(readFileSync(options.reuse, "utf8"));
    // Runs move the watermark: every measurement starts from a fresh copy of the seeded database.
    const started = performance.now();
    await withMaintenanceClient(kept.url, async (client) => {
      await client.query("DROP DATABASE IF EXISTS bench_work");
      await client.query("CREATE DATABASE bench_work TEMPLATE bench_seeded");
    });
    const url = kept.url.replace(/\/[^/]*$/, "/bench_work");
    say(`Reusing the seeded database of ${options.reuse}: a copy at ${url}, made in ${seconds(performance.now() - started)}`);
    return { url, seeded: kept.seeded, seedMs: null, stop: async () => {} };
  }
  const server = await startPostgres({ port: PORTS.postgres });
  const stop = async () => {
    if (!options.keepDatabase) return server.stop();
    const file = path.join(os.tmpdir(), `peaks-bench-scale-${PORTS.postgres}.json`);
    say(`PostgreSQL left running: ${server.url}; measure it again with --reuse ${file}`);
  };
  try {
    const started = performance.now();
    const database = await openDatabase({ kind: "postgres", url: server.url });
    let seeded: SeededData;
    try {
      seeded = await seedDashboardData(database, {
        timeZone: config.timezone,
        windowMinutes: config.window_minutes,
        now: new Date(Date.now() - SEED_END_BEFORE_NOW_MS),
        seed: options.seed,
        incidentGapMinutes: config.notifications.teams.incident_gap_minutes,
        quietWindows: config.incidents.auto_resolve_quiet_windows,
        sizes: SCALE_SIZES,
        isSettled: true,
      });
    } finally {
      await database.close();
    }
    const seedMs = performance.now() - started;
    if (options.keepDatabase) {
      await withMaintenanceClient(server.url, (client) => client.query("CREATE DATABASE bench_seeded TEMPLATE postgres"));
      writeFileSync(path.join(os.tmpdir(), `peaks-bench-scale-${PORTS.postgres}.json`), JSON.stringify({ url: server.url, seeded }));
    }
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
    return { url: server.url, seeded, seedMs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The source: documents of the re-counted hours and of the replayed windows

type Document = Record<string, unknown>;

type Template = (app: string, n: number) => string;

const TEMPLATES: readonly Template[] = [
  (app: string, n: number) => `Request to ${app} timed out after ${n} ms`,
  (app: string, n: number) => `Connection refused: ${app}/10.0.${n % 256}.${n % 200}:8080`,
  (app: string, n: number) => `java.lang.NullPointerException at com.acme.${app.replaceAll("-", ".")}.Handler.process(Handler.java:${n % 400})`,
  (app: string, n: number) => `HTTP 500 Internal Server Error from ${app} on /api/orders/${n}`,
  (app: string, n: number) => `Validation failed for Order: field 'customerId' must not be empty (request ${n})`,
  (app: string, n: number) => `deadlock detected while updating order ${n} in ${app}`,
];

function documentsOf(namespace: string, windowStart: number, count: number, seed: string, spike: boolean): Document[] {
  const random = createRandom(seed);
  const apps = [`${namespace}-api`, `${namespace}-worker`];
  const documents: Document[] = [];
  let traceId = random.hex(32);
  for (let index = 0; index < count; index += 1) {
    if (index % 3 === 0) traceId = random.hex(32);
    const app = random.pick(apps);
    // A spike is mostly one new error; ordinary windows spread over the usual ones.
    const template: Template =
      spike && random.chance(0.8) ? (_app, n) => `Connection pool exhausted: ${namespace}-db rejected request ${n}` : random.pick(TEMPLATES);
    documents.push({
      "@timestamp": iso(windowStart + random.integer(0, windowMs - 1_000)),
      level: "ERROR",
      message: template(app, random.integer(1, 99_999)),
      kubernetes: { namespace, labels: { app }, pod: { name: `${app}-${random.hex(5)}` } },
      trace: { id: traceId },
    });
  }
  return documents;
}

type Replay = { watermarkMs: number; windowRunEnds: number[]; dayEnd: number; spikes: number; documents: number; recountDocuments: number };

/** Indexes the documents every run will read, before any run is measured. */
async function fillSource(url: string, es: FakeElasticsearch, namespaces: readonly string[], windowRuns: number): Promise<Replay> {
  const database = await openDatabase({ kind: "postgres", url });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const watermark = await findWatermark(database, windowMs);
    if (!watermark) throw new Error("The database has no watermark: nothing was seeded");
    const watermarkMs = watermark.atMs;
    // The hours each run counts again: documents as stored, so that nothing is corrected.
    const recountFrom = watermarkMs - config.pipeline.recount_hours * HOUR_MS;
    const stored = await client.query<{ timestamp: Date; namespace: string; error_count: number }>(
      `SELECT timestamp, namespace, error_count FROM peak_raw_data WHERE timestamp >= $1 AND timestamp < $2`,
      [iso(recountFrom), iso(watermarkMs)],
    );
    let recountDocuments = 0;
    let batch: Document[] = [];
    for (const row of stored.rows) {
      const documents = documentsOf(row.namespace, row.timestamp.getTime(), row.error_count, `recount ${row.namespace} ${row.timestamp.getTime()}`, false);
      recountDocuments += documents.length;
      batch.push(...documents);
      if (batch.length > 50_000) {
        es.index(INDEX, batch);
        batch = [];
      }
    }
    // The replayed windows: a few documents per namespace; some namespaces far above their slot's mean.
    const windows = windowRuns + DAY_WINDOWS;
    const random = createRandom(`bench-scale ${options.seed} spikes`);
    let spikes = 0;
    let documents = recountDocuments;
    for (let offset = 0; offset < windows; offset += 1) {
      const start = watermarkMs + offset * windowMs;
      const slot = grid.slotOf(start);
      const means = await client.query<{ namespace: string; mean: number }>(
        `SELECT namespace, mean FROM aggregation_data WHERE day_of_week = $1 AND hour_of_day = $2 AND quarter_hour = $3`,
        [slot.dayOfWeek, slot.hourOfDay, slot.quarterHour],
      );
      const meanOf = new Map(means.rows.map((row) => [row.namespace, Number(row.mean)]));
      const wanted = offset < windowRuns ? SPIKES_PER_WINDOW_RUN : SPIKES_PER_DAY_WINDOW;
      const spiking = new Map<string, number>();
      while (spiking.size < wanted) {
        const namespace = random.pick(namespaces);
        const mean = meanOf.get(namespace) ?? 0;
        // Enough above the slot (ratio, spread, absolute minimum) to be a peak, few enough to read in one window.
        if (mean > 300 || spiking.has(namespace)) continue;
        spiking.set(namespace, Math.round(Math.max(config.peak_detection.min_absolute_value * 2, mean * 10)));
      }
      spikes += spiking.size;
      for (const namespace of namespaces) {
        const count = spiking.get(namespace) ?? random.integer(1, 4);
        const made = documentsOf(namespace, start, count, `window ${namespace} ${start}`, spiking.has(namespace));
        documents += made.length;
        batch.push(...made);
        if (batch.length > 50_000) {
          es.index(INDEX, batch);
          batch = [];
        }
      }
    }
    if (batch.length > 0) es.index(INDEX, batch);
    const windowRunEnds = Array.from({ length: windowRuns }, (_, index) => watermarkMs + (index + 1) * windowMs);
    return { watermarkMs, windowRunEnds, dayEnd: watermarkMs + windows * windowMs, spikes, documents, recountDocuments };
  } finally {
    await client.end();
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Runs

type RunAnswer = {
  status: string;
  message?: string;
  runId?: number;
  range?: { from: string; to: string };
  steps?: StoredStep[];
  totals?: { documentsSeen: number; peaksFound: number; notificationsSent: number };
  error?: string | null;
  wallMs: number;
  cpuMs: number;
  maxRssBytes: number;
};

type RunFigures = RunAnswer & { esMs: number; esRequests: number; deliveries: number };

/** Total length of the union of [start, start + length) intervals, ms. */
function busyMs(intervals: readonly { startedMs: number; handlingMs: number }[]): number {
  const sorted = [...intervals].sort((left, right) => left.startedMs - right.startedMs);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const { startedMs, handlingMs } of sorted) {
    const stop = startedMs + handlingMs;
    if (stop <= end) continue;
    total += stop - Math.max(startedMs, end);
    end = stop;
  }
  return total;
}

async function runOnce(environment: NodeJS.ProcessEnv, nowMs: number, es: FakeElasticsearch, teams: { requests: unknown[] }): Promise<RunFigures> {
  const firstRequest = es.requests.length;
  const deliveriesBefore = teams.requests.length;
  const profile = options.cpuProfile === null ? [] : ["--cpu-prof", "--cpu-prof-dir", options.cpuProfile];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", RUN_SCRIPT, "--now", iso(nowMs)], {
    cwd: ROOT,
    env: environment,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const code = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  });
  const lines = Buffer.concat(out).toString("utf8").split("\n").reverse();
  const line = lines.find((candidate) => candidate.startsWith("{") && candidate.includes('"wallMs"'));
  if (code !== 0 || !line) throw new Error(`The run failed (exit ${code}):\n${Buffer.concat(err).toString("utf8").slice(-4000)}`);
  const answer = JSON.parse(line) as RunAnswer;
  if (answer.status !== "succeeded") throw new Error(`The run did not succeed: ${answer.status} ${answer.error ?? answer.message ?? ""}`);
  const requests = es.requests.slice(firstRequest);
  return { ...answer, esMs: busyMs(requests), esRequests: requests.length, deliveries: teams.requests.length - deliveriesBefore };
}

function stepCounts(step: StoredStep): string {
  return Object.entries(step.counts)
    .filter(([, value]) => value !== 0)
    .map(([key, value]) => `${key} ${value}`)
    .join(", ");
}

function printRun(title: string, run: RunFigures): void {
  say(
    `${title}: ${run.range?.from} – ${run.range?.to}: ${seconds(run.wallMs)} in all, ${seconds(run.esMs)} inside Elasticsearch (${run.esRequests} requests), ` +
      `${seconds(run.wallMs - run.esMs)} without it (the run's process used ${seconds(run.cpuMs)} of CPU); ${run.totals?.documentsSeen} documents, ${run.totals?.peaksFound} peak windows, ${run.deliveries} Teams messages; peak memory ${mib(run.maxRssBytes)}`,
  );
  say(
    formatTable(
      ["STEP", "STATUS", "TIME", "COUNTS"],
      (run.steps ?? []).map((step) => [
        step.name,
        step.status,
        step.durationMs === null ? "-" : `${step.durationMs} ms`,
        stepCounts(step) || (step.note ?? ""),
      ]),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Memory of a process tree, and child processes under /usr/bin/time

function childrenOf(pid: number): number[] {
  try {
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return tasks === "" ? [] : tasks.split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

function residentBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the resident memory of a process and its descendants; `stop` answers the highest sum seen. */
function watchMemory(pid: number): { stop: () => number } {
  let highest = 0;
  const sample = () => {
    const pids = [pid];
    for (let index = 0; index < pids.length; index += 1) pids.push(...childrenOf(pids[index]!));
    highest = Math.max(
      highest,
      pids.reduce((sum, each) => sum + residentBytes(each), 0),
    );
  };
  sample();
  const timer = setInterval(sample, 250);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return highest;
    },
  };
}

/** Runs the command line under /usr/bin/time: wall time (ms) and peak resident memory (bytes). */
async function timedCli(args: readonly string[], environment: NodeJS.ProcessEnv): Promise<{ ms: number; maxRssBytes: number; output: string }> {
  if (!existsSync("/usr/bin/time")) throw new Error("/usr/bin/time is needed to measure the memory of backup and restore (apt-get install time)");
  const folder = mkdtempSync(path.join(os.tmpdir(), "peaks-bench-time-"));
  const report = path.join(folder, "time.txt");
  try {
    const started = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "%M", "-o", report, process.execPath, "--import", "tsx", CLI, ...args], {
      cwd: ROOT,
      env: environment,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
    const code = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (exitCode) => resolve(exitCode ?? 1));
    });
    const ms = performance.now() - started;
    const text = Buffer.concat(output).toString("utf8");
    if (code !== 0) throw new Error(`peaks ${args.join(" ")} failed (exit ${code}):\n${text.slice(-4000)}`);
    const kilobytes = Number(readFileSync(report, "utf8").trim().split("\n").at(-1));
    return { ms, maxRssBytes: kilobytes * 1024, output: text.trim().split("\n").at(-1) ?? "" };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(folder)) total += (await stat(path.join(folder, entry))).size;
  return total;
}

// ---------------------------------------------------------------------------------------------
// Main

type Verdict = { target: string; figure: string; isMet: boolean };

async function main(): Promise<void> {
  printRunHeader(ROOT);
  say(
    `Data set: ${thousands(SCALE_SIZES.namespaces)} namespaces × ${SCALE_SIZES.days} days of windows, baselines of ${SCALE_SIZES.baselineWeeks} weeks, ` +
      `${thousands(SCALE_SIZES.peaks)} peaks, ${SCALE_SIZES.knownIssues} known issues, ${thousands(SCALE_SIZES.patterns)} patterns, ${thousands(SCALE_SIZES.pipelineRuns)} pipeline runs (seed ${options.seed})`,
  );
  if (options.only.has("web") && !options.skipBuild) {
    const buildMs = await buildDashboard(say);
    say(`Built in ${seconds(buildMs)}`);
  }
  const verdicts: Verdict[] = [];
  const database = await prepareDatabase();
  const work = mkdtempSync(path.join(os.tmpdir(), "peaks-bench-scale-"));
  try {
    const environment = childProcessEnvironment({
      DATABASE_URL: database.url,
      ES_URL: "",
      PEAKS_LOG_INPUT: "",
      TEAMS_WEBHOOK_URL: "",
      AI_BASE_URL: "",
      LOG_LEVEL: "warn",
    });

    if (options.only.has("run") || options.only.has("day")) {
      const es = await startFakeElasticsearch({ port: PORTS.elasticsearch });
      const teams = await startHttpStub(PORTS.teams);
      try {
        const valuesFile = path.join(work, "values.yaml");
        const values = (await readFile(path.join(ROOT, "values.yaml"), "utf8")).replace(/(\n {2}teams:\n {4}enabled:) false/, "$1 true");
        if (!values.includes("teams:\n    enabled: true")) throw new Error("values.yaml: notifications.teams.enabled not found");
        writeFileSync(valuesFile, values);
        const runEnvironment = { ...environment, ES_URL: es.url, TEAMS_WEBHOOK_URL: `${teams.url}/webhook`, PEAKS_CONFIG: valuesFile };
        const filled = performance.now();
        const replay = await fillSource(database.url, es, database.seeded.namespaces, options.windowRuns);
        say(
          `Source: ${thousands(replay.documents)} documents (${thousands(replay.recountDocuments)} of the re-counted hours before ${iso(replay.watermarkMs)}), ` +
            `${replay.spikes} raised namespace windows, indexed in ${seconds(performance.now() - filled)}`,
        );

        if (options.only.has("run")) {
          const runs: RunFigures[] = [];
          for (const [index, end] of replay.windowRunEnds.entries()) {
            const run = await runOnce(runEnvironment, end + RUN_AFTER_WINDOW_MS, es, teams);
            printRun(`\nWindow run ${index + 1}/${replay.windowRunEnds.length}`, run);
            runs.push(run);
          }
          const withoutEs = median(runs.map((run) => run.wallMs - run.esMs));
          say(
            `\nOne window, ${runs.length} runs: median ${seconds(median(runs.map((run) => run.wallMs)))} in all, ${seconds(median(runs.map((run) => run.esMs)))} inside Elasticsearch, ` +
              `${seconds(withoutEs)} without it; peak memory of a run ${mib(Math.max(...runs.map((run) => run.maxRssBytes)))}`,
          );
          verdicts.push({
            target: `A. one window for all namespaces < ${seconds(TARGETS.windowRunMs)} (without ES)`,
            figure: seconds(withoutEs),
            isMet: withoutEs < TARGETS.windowRunMs,
          });
          verdicts.push({ target: "E. memory of a window run (peak RSS)", figure: mib(Math.max(...runs.map((run) => run.maxRssBytes))), isMet: true });
        }
        if (options.only.has("day")) {
          const day = await runOnce(runEnvironment, replay.dayEnd + RUN_AFTER_WINDOW_MS, es, teams);
          printRun(`\nCatching up ${DAY_WINDOWS} windows`, day);
          const withoutEs = day.wallMs - day.esMs;
          verdicts.push({
            target: `B. one day (96 windows) < ${seconds(TARGETS.dayRunMs)} (without ES)`,
            figure: seconds(withoutEs),
            isMet: withoutEs < TARGETS.dayRunMs,
          });
          verdicts.push({ target: "E. memory of the day's run (peak RSS)", figure: mib(day.maxRssBytes), isMet: true });
        }
      } finally {
        await teams.close();
        await es.close();
      }
    }

    if (options.only.has("web")) {
      const started = performance.now();
      const dashboard = await startDashboard({ DATABASE_URL: database.url }, PORTS.dashboard);
      say(`\nnext start answered after ${seconds(performance.now() - started)} at ${dashboard.baseUrl}`);
      const memory = watchMemory(dashboard.pid);
      let summary: RouteSummary[];
      let serverRss: number;
      try {
        ({ summary } = await measureDashboard(dashboard.baseUrl, database.seeded, {
          clients: options.clients,
          rounds: options.rounds,
          repeat: 1,
          aloneRounds: options.aloneRounds,
          seed: options.seed,
          say,
        }));
      } finally {
        serverRss = memory.stop();
        await dashboard.stop();
      }
      say(`\n${options.clients} clients, ${options.rounds} rounds; target p95 < ${TARGET_P95_MS} ms; server's peak memory ${mib(serverRss)}`);
      say(routeTable(summary, false));
      const missed = summary.filter((route) => !route.isMet);
      const worst = [...summary].sort((left, right) => right.p95Ms - left.p95Ms)[0];
      verdicts.push({
        target: `C. every data route p95 < ${TARGET_P95_MS} ms, ${options.clients} clients`,
        figure:
          missed.length === 0
            ? `slowest ${Math.round(worst?.p95Ms ?? 0)} ms`
            : `${missed.length} missed (worst ${worst?.route} ${Math.round(worst?.p95Ms ?? 0)} ms)`,
        isMet: missed.length === 0,
      });
      verdicts.push({ target: "E. memory of the web server under load (peak RSS of its process tree)", figure: mib(serverRss), isMet: true });
    }

    if (options.only.has("backup")) {
      const folder = path.join(work, "backup");
      const backup = await timedCli(["backup", "--out", folder], environment);
      say(`\nBackup: ${seconds(backup.ms)}, peak memory ${mib(backup.maxRssBytes)}, ${mib(await folderBytes(folder))} of files; ${backup.output}`);
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      const restoreUrl = database.url.replace(/\/[^/]*$/, "/bench_restore");
      try {
        await admin.query("DROP DATABASE IF EXISTS bench_restore");
        await admin.query("CREATE DATABASE bench_restore");
        const restoreEnvironment = { ...environment, DATABASE_URL: restoreUrl };
        await timedCli(["db", "migrate"], restoreEnvironment);
        const restore = await timedCli(["restore", "--from", folder], restoreEnvironment);
        say(`Restore: ${seconds(restore.ms)}, peak memory ${mib(restore.maxRssBytes)}; ${restore.output}`);
        verdicts.push({
          target: `D. backup < ${seconds(TARGETS.backupMs)}`,
          figure: `${seconds(backup.ms)}, ${mib(backup.maxRssBytes)}`,
          isMet: backup.ms < TARGETS.backupMs,
        });
        verdicts.push({
          target: `D. restore < ${seconds(TARGETS.restoreMs)}`,
          figure: `${seconds(restore.ms)}, ${mib(restore.maxRssBytes)}`,
          isMet: restore.ms < TARGETS.restoreMs,
        });
      } finally {
        await admin.query("DROP DATABASE IF EXISTS bench_restore").catch(() => {});
        await admin.end();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await database.stop();
  }

  say(`\nCode: ${codeVersion(ROOT)}`);
  say(
    formatTable(
      ["TARGET", "FIGURE", "VERDICT"],
      verdicts.map((verdict) => [verdict.target, verdict.figure, verdict.target.startsWith("E.") ? "reported" : verdict.isMet ? "met" : "NOT met"]),
    ),
  );
  const isMet = verdicts.every((verdict) => verdict.isMet);
  say(isMet ? "Every target met." : "Some targets NOT met.");
  process.exitCode = isMet ? 0 : 1;
}

await main();

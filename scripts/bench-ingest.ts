// Ingestion benchmark:  npm run bench:ingest   (or: npx tsx scripts/bench-ingest.ts)
//
// On ~1,000,000 generated ERROR documents in one NDJSON file, in one run:
//   1. baseline: a bare readline + JSON.parse loop over the file (Node's default 64 KiB read
//      buffer; also with the 1 MiB buffer forEachLine uses, for comparison);
//   2. countFiles (lib/es/file-source.ts) over the same file, with values.yaml and its window grid;
//      the ratio countFiles rate / baseline rate (target ≥ 0.5). 1 and 2 alternate, 5 rounds,
//      and medians are quoted; with --gzip, the gzip variant of the file is measured once each;
//   3. the whole `peaks ingest` of the file into a fresh embedded database, as a child process:
//      cold (the command starts the database server and migrates), and warm (after `db migrate`
//      has started the server); target under 10 s;
//   4. the peak memory (max RSS) of a child process running countFiles over 250k, 500k and 1M
//      documents: it should stay flat.
// The data files are generated with the project's generator (lib/pipeline/generate.ts) into
// $TMPDIR/peaks-bench-ingest and reused by later runs.
//
// Options: --rounds N (default 5), --gzip (also read a gzip copy of the file once; compressed on
// first use, 10–20 s more per run), --skip-ingest, --keep-data (keep the temporary database
// folders). Internal: --child-count FILE (the memory probe).
import { gridOf } from "@/lib/config/grid";
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, type WriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { formatTable } from "../cli/output";
import { loadConfig, type FrozenConfig } from "@/lib/config";
import { childProcessEnvironment } from "@/lib/env.js";
import { countFiles } from "@/lib/es/file-source";
import { generateDayWindows, planDataSet, serializeDocument } from "@/lib/synthetic/generate";
import { hasFlag, median, mib, optionValue, printRunHeader, seconds, thousands } from "./bench-support";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CONFIG_FILE = path.join(ROOT, "values.yaml");
const CLI = path.join(ROOT, "cli", "index.ts");

/** ERROR documents of the main file, and of the memory probes (prefixes of the same stream). */
const MAIN_SIZE = 1_000_000;
const MEMORY_SIZES = [250_000, 500_000, 1_000_000] as const;
const SEED = 1;
/** A fixed first day, so that the cached files do not depend on the date of the run. */
const FIRST_DAY = "2025-09-01";
/** Enough days at the generator's default rate (~18,000 ERROR documents a day) for MAIN_SIZE. */
const PLAN_DAYS = 120;
/** Bump when the content of the generated files changes (it is part of the cache key). */
const DATA_VERSION = "v1";

const RATIO_TARGET = 0.5;
const INGEST_TARGET_MS = 10_000;
/** Max RSS at the largest size may exceed that at the smallest by this share and still count as flat. */
const FLAT_TOLERANCE = 0.2;

// ---------------------------------------------------------------------------------------------
// Small helpers

function gridOfConfig(config: FrozenConfig) {
  return gridOf(config);
}

async function countOnce(file: string, config: FrozenConfig) {
  const grid = gridOfConfig(config);
  return countFiles([file], { fields: config.source.fields, errorLevels: config.source.error_levels, grid }, null);
}

// ---------------------------------------------------------------------------------------------
// Child mode: the memory probe

if (process.argv[2] === "--child-count") {
  const file = process.argv[3];
  if (!file) throw new Error("--child-count needs a file");
  const config = loadConfig(CONFIG_FILE);
  const rssBeforeBytes = process.memoryUsage().rss;
  const started = performance.now();
  const report = await countOnce(file, config);
  const elapsedMs = performance.now() - started;
  const { heapUsed } = process.memoryUsage();
  // maxRSS is in kilobytes.
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ documents: report.documents, windows: report.counts.size, elapsedMs, rssBeforeBytes, maxRssBytes, heapUsed })}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Data files

type DataFiles = { main: string; bySize: Map<number, string>; lines: number; bytes: number };

function cacheDir(): string {
  return path.join(os.tmpdir(), "peaks-bench-ingest", `${DATA_VERSION}-seed${SEED}-${FIRST_DAY}`);
}

const fileOfSize = (size: number) => path.join(cacheDir(), `errors-${size}.ndjson`);

type Sink = { size: number; stream: WriteStream; done: Promise<void> };

/** A file written through a temporary name, renamed when complete, so that an interrupted run leaves no partial cache. */
function openSink(file: string, size: number): Sink {
  const partial = `${file}.partial`;
  const stream = createWriteStream(partial);
  const done = new Promise<void>((resolve, reject) => {
    stream.once("finish", () => resolve());
    stream.once("error", reject);
  }).then(() => rename(partial, file));
  return { size, stream, done };
}

function write(sink: Sink, chunk: string): Promise<void> | null {
  if (sink.stream.write(chunk)) return null;
  return new Promise((resolve) => sink.stream.once("drain", () => resolve()));
}

/**
 * The data files, generated once: documents of the project's generator (default six namespaces,
 * default rates, WARN and INFO lines, ~5 % Elasticsearch hits, ~5 % local timestamps) in time
 * order, cut after exactly `size` ERROR documents; the smaller files are prefixes of the larger.
 */
async function ensureDataFiles(config: FrozenConfig): Promise<DataFiles> {
  const sizes = [...new Set<number>([...MEMORY_SIZES, MAIN_SIZE])].sort((left, right) => left - right);
  const metaFile = path.join(cacheDir(), `errors-${MAIN_SIZE}.json`);
  const missing = !existsSync(metaFile) || sizes.some((size) => !existsSync(fileOfSize(size)));
  if (missing) {
    await mkdir(cacheDir(), { recursive: true });
    const started = performance.now();
    console.log(`Generating ${thousands(MAIN_SIZE)} ERROR documents into ${cacheDir()} (once; later runs reuse the files)…`);
    const plan = planDataSet({
      seed: SEED,
      from: FIRST_DAY,
      days: PLAN_DAYS,
      timeZone: config.timezone,
      windowMinutes: config.window_minutes,
      minAbsoluteValue: config.peak_detection.min_absolute_value,
      dynamicMinMultiplier: config.peak_detection.dynamic_min_multiplier,
    });
    const sinks = sizes.map((size) => openSink(fileOfSize(size), size));
    let open = sinks.slice();
    let chunk = "";
    let errors = 0;
    let lines = 0;
    let bytes = 0;
    const flush = async () => {
      if (chunk === "") return;
      const waits = open.map((sink) => write(sink, chunk)).filter((wait): wait is Promise<void> => wait !== null);
      chunk = "";
      await Promise.all(waits);
    };
    generation: for (const date of plan.days) {
      for (const batch of generateDayWindows(plan, date)) {
        for (const document of batch) {
          const line = `${serializeDocument(document)}\n`;
          chunk += line;
          lines += 1;
          bytes += Buffer.byteLength(line);
          if (document.level === "ERROR") {
            errors += 1;
            if (open.some((sink) => sink.size === errors)) {
              await flush();
              for (const sink of open.filter((candidate) => candidate.size === errors)) sink.stream.end();
              open = open.filter((sink) => sink.size !== errors);
              if (open.length === 0) break generation;
            }
          }
          if (chunk.length >= 1 << 20) await flush();
        }
      }
    }
    if (open.length > 0) throw new Error(`The generator produced only ${errors} ERROR documents in ${PLAN_DAYS} days; raise PLAN_DAYS.`);
    await Promise.all(sinks.map((sink) => sink.done));
    await writeFile(metaFile, `${JSON.stringify({ lines, bytes })}\n`);
    console.log(`Generated in ${seconds(performance.now() - started)}.`);
  }
  const meta = JSON.parse(await readFile(metaFile, "utf8")) as { lines: number; bytes: number };
  return {
    main: fileOfSize(MAIN_SIZE),
    bySize: new Map(MEMORY_SIZES.map((size) => [size, fileOfSize(size)])),
    lines: meta.lines,
    bytes: meta.bytes,
  };
}

/** A gzip copy of a file (level 6, as gzip's default), made once. */
async function ensureGzip(file: string): Promise<string> {
  const gzipFile = `${file}.gz`;
  if (existsSync(gzipFile)) return gzipFile;
  const started = performance.now();
  console.log(`Compressing ${path.basename(file)} (once)…`);
  const sink = openSink(gzipFile, 0);
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), createGzip({ level: 6 }), sink.stream);
  await sink.done;
  console.log(`Compressed in ${seconds(performance.now() - started)}.`);
  return gzipFile;
}

/** Reads a file once without parsing, so that every timed pass finds it in the page cache. */
async function warmPageCache(file: string): Promise<void> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) void chunk;
}

// ---------------------------------------------------------------------------------------------
// 1 and 2: baseline and countFiles

type Pass = { ms: number; lines: number; check: number };

/**
 * The floor: readline + JSON.parse, touching one field, nothing else. With Node's default read
 * buffer (64 KiB); `highWaterMark` 1 MiB gives the buffer forEachLine uses, for comparison.
 */
async function baselinePass(file: string, highWaterMark?: number): Promise<Pass> {
  const started = performance.now();
  const raw = createReadStream(file, highWaterMark === undefined ? {} : { highWaterMark });
  const input = file.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  const reader = createInterface({ input, crlfDelay: Infinity });
  let lines = 0;
  let check = 0;
  for await (const line of reader) {
    lines += 1;
    const document = JSON.parse(line) as { level?: unknown };
    if (document.level === "ERROR") check += 1;
  }
  return { ms: performance.now() - started, lines, check };
}

async function countFilesPass(file: string, config: FrozenConfig): Promise<Pass & { documents: number }> {
  const started = performance.now();
  const report = await countOnce(file, config);
  const ms = performance.now() - started;
  const lines = report.documents + report.ignoredLevels + report.outsideRange + report.skipped.total;
  return { ms, lines, check: report.counts.size, documents: report.documents };
}

// ---------------------------------------------------------------------------------------------
// Child processes

type ChildResult = { code: number | null; stdout: string; stderr: string; ms: number; startedAt: number };

function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const startedAt = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.once("error", reject);
    // The embedded database server the CLI may start has its own log file, not these pipes.
    child.once("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started, startedAt }));
  });
}

function mustSucceed(what: string, result: ChildResult): ChildResult {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stderr || result.stdout}`);
  return result;
}

type MemoryProbe = { size: number; documents: number; windows: number; elapsedMs: number; rssBeforeBytes: number; maxRssBytes: number; heapUsed: number };

async function memoryProbe(size: number, file: string): Promise<MemoryProbe> {
  const result = mustSucceed(`countFiles child (${size})`, await run([fileURLToPath(import.meta.url), "--child-count", file], childProcessEnvironment()));
  const parsed = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as Omit<MemoryProbe, "size">;
  return { size, ...parsed };
}

type IngestFigures = {
  coldMs: number;
  /** From the start of the cold ingest until the server it started was serving (its log), when known. */
  coldServerReadyMs: number | null;
  warmMs: number;
  cliStartMs: number;
  documents: number;
  windowsStored: number;
  peaks: number;
  namespaces: number;
};

type IngestJson = { documents: number; windows: { stored: number }; peaks: { new: number; continuing: number }; namespaces: string[] };

/** Fresh embedded-database folders of this run: stopped and removed at the end. */
const databaseFolders: string[] = [];

async function freshDatabaseFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "peaks-bench-db-"));
  databaseFolders.push(folder);
  return folder;
}

/** The environment of the CLI on a folder: the embedded database there, whatever DATABASE_URL the caller's environment holds. */
function databaseEnvironment(folder: string): NodeJS.ProcessEnv {
  return childProcessEnvironment({ PEAKS_DATA_DIR: folder, PEAKS_CONFIG: CONFIG_FILE, DATABASE_URL: undefined });
}

async function removeDatabaseFolders(keep: boolean): Promise<void> {
  for (const folder of databaseFolders) {
    const stopped = await run([CLI, "db", "stop"], databaseEnvironment(folder));
    if (stopped.code !== 0) console.error(`db stop for ${folder} failed (exit ${stopped.code}): ${stopped.stderr.trim()}`);
  }
  if (keep) console.log(`Kept the database folders: ${databaseFolders.join(", ")}`);
  else for (const folder of databaseFolders) await rm(folder, { recursive: true, force: true });
}

/** When the embedded server of a data folder logged that it was serving (epoch ms), from its log file. */
async function serverReadyAt(folder: string): Promise<number | null> {
  try {
    const log = await readFile(path.join(folder, "embedded-server.log"), "utf8");
    const line = log.split("\n").find((candidate) => candidate.includes("embedded-db: serving "));
    const at = line ? Date.parse(line.slice(0, line.indexOf(" "))) : Number.NaN;
    return Number.isNaN(at) ? null : at;
  } catch {
    return null;
  }
}

/**
 * `peaks ingest` of the file, twice: cold, in a fresh folder (the command starts the database
 * server, which initialises the folder, and migrates), and warm, in `warmFolder` whose server
 * `db migrate` has started (`warmReady`).
 */
async function ingestRun(file: string, warmFolder: string, warmReady: Promise<ChildResult>): Promise<IngestFigures> {
  const ingestArgs = [CLI, "ingest", "--input", file, "--format", "json"];
  const coldFolder = await freshDatabaseFolder();
  const cold = mustSucceed("peaks ingest (cold)", await run(ingestArgs, databaseEnvironment(coldFolder)));
  const coldServerReadyAt = await serverReadyAt(coldFolder);
  const warmEnv = databaseEnvironment(warmFolder);
  mustSucceed("peaks db migrate", await warmReady);
  // The cost of starting the CLI process itself (node, tsx, module loading), with the server up.
  const status = mustSucceed("peaks db status", await run([CLI, "db", "status"], warmEnv));
  const warm = mustSucceed("peaks ingest (warm)", await run(ingestArgs, warmEnv));
  const report = JSON.parse(warm.stdout) as IngestJson;
  const coldReport = JSON.parse(cold.stdout) as IngestJson;
  if (coldReport.documents !== report.documents || coldReport.windows.stored !== report.windows.stored) {
    throw new Error("The cold and warm ingests reported different results.");
  }
  return {
    coldMs: cold.ms,
    coldServerReadyMs: coldServerReadyAt === null ? null : coldServerReadyAt - cold.startedAt,
    warmMs: warm.ms,
    cliStartMs: status.ms,
    documents: report.documents,
    windowsStored: report.windows.stored,
    peaks: report.peaks.new + report.peaks.continuing,
    namespaces: report.namespaces.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const rounds = Number(optionValue("--rounds") ?? 5);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds must be a whole number of at least 1");
  const withGzip = hasFlag("--gzip");
  const withIngest = !hasFlag("--skip-ingest");
  const runStarted = performance.now();
  const config = loadConfig(CONFIG_FILE);
  printRunHeader(ROOT);

  const data = await ensureDataFiles(config);
  const gzipFile = withGzip ? await ensureGzip(data.main) : null;
  const mainSize = (await stat(data.main)).size;
  const gzipSize = gzipFile ? (await stat(gzipFile)).size : 0;
  console.log(
    `Input: ${data.main}: ${thousands(data.lines)} lines (${thousands(MAIN_SIZE)} ERROR, the rest WARN/INFO), ${mib(mainSize)}` +
      (gzipFile ? `; gzip ${mib(gzipSize)}` : ""),
  );
  await warmPageCache(data.main);
  if (gzipFile) await warmPageCache(gzipFile);

  // 1 and 2, alternating.
  const baselineMs: number[] = [];
  const bigBufferMs: number[] = [];
  const countMs: number[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    // The passes take turns going first, so that the machine's drift hits all of them alike.
    const passes = [
      async () => {
        const base = await baselinePass(data.main);
        if (base.lines !== data.lines || base.check === 0) throw new Error(`Unexpected counts: baseline read ${base.lines} lines`);
        baselineMs.push(base.ms);
      },
      async () => {
        const base = await baselinePass(data.main, 1 << 20);
        if (base.lines !== data.lines || base.check === 0) throw new Error(`Unexpected counts: baseline (1 MiB) read ${base.lines} lines`);
        bigBufferMs.push(base.ms);
      },
      async () => {
        const counted = await countFilesPass(data.main, config);
        if (counted.lines !== data.lines || counted.documents !== MAIN_SIZE || counted.check === 0) {
          throw new Error(`Unexpected counts: countFiles read ${counted.lines} lines, ${counted.documents} documents`);
        }
        countMs.push(counted.ms);
      },
    ];
    const shift = (round - 1) % passes.length;
    for (const pass of [...passes.slice(shift), ...passes.slice(0, shift)]) await pass();
    const last = (values: readonly number[]) => seconds(values.at(-1) ?? Number.NaN);
    console.log(`round ${round}/${rounds}: baseline ${last(baselineMs)}, baseline with 1 MiB buffer ${last(bigBufferMs)}, countFiles ${last(countMs)}`);
  }
  let gzipFigures: { baselineMs: number; countMs: number } | null = null;
  if (gzipFile) {
    const base = await baselinePass(gzipFile);
    const counted = await countFilesPass(gzipFile, config);
    if (base.lines !== data.lines || counted.documents !== MAIN_SIZE) throw new Error("Unexpected counts in the gzip file");
    gzipFigures = { baselineMs: base.ms, countMs: counted.ms };
    console.log(`gzip: baseline ${seconds(base.ms)}, countFiles ${seconds(counted.ms)}`);
  }

  // 4: memory, one child process per size. Meanwhile, `db migrate` prepares the folder of the
  // warm ingest (its server start-up is not a figure of this benchmark, and max RSS is per process).
  const probes: MemoryProbe[] = [];
  let ingest: IngestFigures | null = null;
  let warm: { folder: string; ready: Promise<ChildResult> } | null = null;
  try {
    if (withIngest) {
      const folder = await freshDatabaseFolder();
      warm = { folder, ready: run([CLI, "db", "migrate"], databaseEnvironment(folder)) };
    }
    for (const size of MEMORY_SIZES) {
      const file = data.bySize.get(size);
      if (!file) continue;
      const probe = await memoryProbe(size, file);
      if (probe.documents !== size) throw new Error(`The memory probe counted ${probe.documents} documents, expected ${size}`);
      probes.push(probe);
      console.log(`memory ${thousands(size)}: max RSS ${mib(probe.maxRssBytes)} (${seconds(probe.elapsedMs)})`);
    }

    // 3: the whole ingest command.
    if (warm) {
      ingest = await ingestRun(data.main, warm.folder, warm.ready);
      if (ingest.documents !== MAIN_SIZE) throw new Error(`peaks ingest reported ${ingest.documents} documents, expected ${MAIN_SIZE}`);
      console.log(`ingest: cold ${seconds(ingest.coldMs)}, warm ${seconds(ingest.warmMs)}`);
    }
  } finally {
    // Never stop a folder's server while `db migrate` may still be starting it.
    if (warm) await warm.ready.catch(() => null);
    await removeDatabaseFolders(hasFlag("--keep-data"));
  }

  // Results.
  const baselineMedian = median(baselineMs);
  const countMedian = median(countMs);
  const rate = (ms: number) => data.lines / (ms / 1000);
  const ratio = rate(countMedian) / rate(baselineMedian);
  const pairedRatio = median(baselineMs.map((ms, index) => ms / (countMs[index] ?? Number.NaN)));
  const bigBufferMedian = median(bigBufferMs);
  const all = (values: readonly number[]) => values.map((ms) => (ms / 1000).toFixed(2)).join(" ");
  const mbPerS = (bytes: number, ms: number) => `${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(0)} MiB/s`;

  console.log(`\nReading ${thousands(data.lines)} lines (${thousands(MAIN_SIZE)} ERROR documents), ${rounds} alternating rounds, medians:`);
  const readRows: string[][] = [
    ["baseline: readline + JSON.parse", seconds(baselineMedian), `${thousands(rate(baselineMedian))}/s`, mbPerS(mainSize, baselineMedian), all(baselineMs)],
    [
      "same, 1 MiB read buffer (as forEachLine)",
      seconds(bigBufferMedian),
      `${thousands(rate(bigBufferMedian))}/s`,
      mbPerS(mainSize, bigBufferMedian),
      all(bigBufferMs),
    ],
    ["countFiles (parse + windows)", seconds(countMedian), `${thousands(rate(countMedian))}/s`, mbPerS(mainSize, countMedian), all(countMs)],
  ];
  if (gzipFigures) {
    readRows.push(
      ["baseline, gzip (1 run)", seconds(gzipFigures.baselineMs), `${thousands(rate(gzipFigures.baselineMs))}/s`, mbPerS(gzipSize, gzipFigures.baselineMs), ""],
      ["countFiles, gzip (1 run)", seconds(gzipFigures.countMs), `${thousands(rate(gzipFigures.countMs))}/s`, mbPerS(gzipSize, gzipFigures.countMs), ""],
    );
  }
  console.log(formatTable(["PASS", "TIME", "LINES/S", "INPUT", "ALL ROUNDS (s)"], readRows));
  console.log(`Ratio countFiles / baseline: ${ratio.toFixed(2)} (of medians; median of per-round ratios ${pairedRatio.toFixed(2)})`);
  console.log(`Ratio countFiles / baseline with the same 1 MiB buffer: ${(bigBufferMedian / countMedian).toFixed(2)}`);
  if (gzipFigures) console.log(`Ratio on gzip (1 run): ${(gzipFigures.baselineMs / gzipFigures.countMs).toFixed(2)}`);

  console.log("\nPeak memory of countFiles in a child process (node --import tsx):");
  console.log(
    formatTable(
      ["ERROR DOCUMENTS", "MAX RSS", "RSS BEFORE countFiles", "HEAP USED AFTER", "WINDOWS", "TIME"],
      probes.map((probe) => [
        thousands(probe.size),
        mib(probe.maxRssBytes),
        mib(probe.rssBeforeBytes),
        mib(probe.heapUsed),
        thousands(probe.windows),
        seconds(probe.elapsedMs),
      ]),
    ),
  );

  if (ingest) {
    console.log("\npeaks ingest of the 1M file into a fresh embedded database (wall time of the child process):");
    console.log(
      formatTable(
        ["STEP", "WALL TIME"],
        [
          ["ingest, cold (starts the database server, migrates, ingests)", seconds(ingest.coldMs)],
          ...(ingest.coldServerReadyMs === null
            ? []
            : [
                ["  of which: CLI start + server start-up (until its log says serving)", seconds(ingest.coldServerReadyMs)],
                ["  after that: migrations, reading, database work, exit", seconds(ingest.coldMs - ingest.coldServerReadyMs)],
              ]),
          ["ingest, warm (server already up)", seconds(ingest.warmMs)],
          ["  of which: CLI process start (db status, server up)", seconds(ingest.cliStartMs)],
          ["  of which: reading and counting (≈ countFiles median above)", seconds(countMedian)],
          ["  rest (≈): database transaction, detection, exit", seconds(ingest.warmMs - ingest.cliStartMs - countMedian)],
        ],
      ),
    );
    console.log(
      `Ingest result: ${thousands(ingest.documents)} documents, ${ingest.namespaces} namespaces, ${thousands(ingest.windowsStored)} windows stored, ${ingest.peaks} peak windows`,
    );
  }

  const smallest = probes[0];
  const largest = probes.at(-1);
  const isFlat = smallest !== undefined && largest !== undefined && largest.maxRssBytes <= smallest.maxRssBytes * (1 + FLAT_TOLERANCE);
  const verdict = (met: boolean) => (met ? "MET" : "NOT MET");
  console.log("\nTargets:");
  console.log(`  countFiles ≥ ${RATIO_TARGET}× baseline: ${ratio.toFixed(2)}× → ${verdict(ratio >= RATIO_TARGET)}`);
  if (ingest) {
    console.log(
      `  peaks ingest of 1M documents < ${INGEST_TARGET_MS / 1000} s (whole command, cold): ${seconds(ingest.coldMs)} → ${verdict(ingest.coldMs < INGEST_TARGET_MS)}`,
    );
    console.log(
      `  peaks ingest of 1M documents < ${INGEST_TARGET_MS / 1000} s (server already up): ${seconds(ingest.warmMs)} → ${verdict(ingest.warmMs < INGEST_TARGET_MS)}`,
    );
  } else {
    console.log("  peaks ingest: skipped (--skip-ingest)");
  }
  if (smallest && largest) {
    console.log(
      `  max RSS flat from ${thousands(smallest.size)} to ${thousands(largest.size)} documents (within ${FLAT_TOLERANCE * 100} %): ` +
        `${mib(smallest.maxRssBytes)} → ${mib(largest.maxRssBytes)} → ${verdict(isFlat)}`,
    );
  }
  console.log(`\nTotal run time: ${seconds(performance.now() - runStarted)}`);
}

await main();

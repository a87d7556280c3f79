import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { Command, Option } from "commander";
import { describeTarget } from "@/lib/db/target";
import { embeddedPaths } from "@/lib/db/embedded/paths";
import { builtInJobs, isSchedulerOn, startScheduler } from "@/lib/jobs/scheduler";
import { createLogger } from "@/lib/log";
import type { Services } from "@/lib/services";
import { ensureBootstrapAdmin } from "@/lib/users/accounts";
import { childProcessEnvironment, env } from "@/lib/env.js";
import { cliSettings, withServices } from "../services";

const SOURCE_ROOTS = [
  "app",
  "components",
  "lib",
  "types",
  "next.config.mjs",
  "package-lock.json",
  "proxy.ts",
  "instrumentation.ts",
  "instrumentation-client.ts",
  "values.yaml",
];
const BUILD_ID = path.join(".next", "BUILD_ID");

function newestModification(entry: string): number {
  let stats;
  try {
    stats = statSync(entry);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  if (path.basename(entry) === "generated") return 0;
  return Math.max(stats.mtimeMs, ...readdirSync(entry).map((name) => newestModification(path.join(entry, name))));
}

/** True when there is no production build or a source file changed after it was made. */
function isBuildStale(): boolean {
  let builtAt: number;
  try {
    builtAt = statSync(BUILD_ID).mtimeMs;
  } catch {
    return true;
  }
  return SOURCE_ROOTS.some((root) => newestModification(root) > builtAt);
}

function runCli(args: string[]): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(process.cwd(), "cli", "index.ts"), ...args], {
    stdio: "inherit",
    env: childProcessEnvironment(),
  });
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
}

function sampleFolder(): string {
  return path.join(embeddedPaths(env.PEAKS_DATA_DIR).root, "sample-logs");
}

/**
 * The first start on an empty database: generates a sample data set into the data folder,
 * ingests it (INIT, then REGULAR) and investigates it, one line per step.
 */
async function loadSampleData(): Promise<number> {
  const folder = sampleFolder();
  console.log(`\nThe database holds no windows yet: loading and investigating a generated sample data set from ${folder}.`);
  console.log("(Start without it with `npm run peaks -- serve`.)\n");
  const steps: [string, string[]][] = [
    ["generating four weeks of error logs in six namespaces, with incidents", ["generate", "--out", folder, "--days", "28"]],
    ["loading them: the first three weeks as baseline, the last with detection", ["batch", "--all", "--input", folder]],
    ["investigating every peak, then adding an example known issue and known peak", ["investigate-sample", "--input", folder]],
  ];
  for (const [index, [what, args]] of steps.entries()) {
    console.log(`First start, step ${index + 1} of ${steps.length}: ${what}…`);
    const code = await runCli(args);
    if (code !== 0) return code;
  }
  console.log("First start: the sample data is loaded and investigated.\n");
  return 0;
}

// The build is also the standalone server's (docs/deploy.md), and `next start` warns on every
// start that it "does not work" with that output. It does: it serves the same build from the
// project, where the command line and the embedded database's server are too.
const STANDALONE_START_WARNING = /"next start" does not work with "output: standalone"/;

function runNext(args: string[], childEnvironment: NodeJS.ProcessEnv): Promise<number> {
  const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const isStart = args[0] === "start";
  const child = spawn(process.execPath, [nextBin, ...args], { stdio: ["inherit", "inherit", isStart ? "pipe" : "inherit"], env: childEnvironment });
  if (child.stderr) {
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on("line", (line) => {
      if (!STANDALONE_START_WARNING.test(line)) process.stderr.write(`${line}\n`);
    });
  }
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    // "close", not "exit": the piped standard error is read to its end first.
    child.on("close", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 128 + 15 : 1));
    });
  });
}

export function serveCommand(): Command {
  return new Command("serve")
    .description("migrate the database, create the first admin if there is none, build if needed and start the dashboard")
    .addOption(new Option("--port <port>", "port to listen on").default(String(env.PORT)))
    .option("--dev", "start the development server (hot reload) instead of a production build")
    .option("--build", "rebuild even when the production build looks current")
    .option("--sample-data", "when the database holds no windows, first generate a sample data set, ingest it and investigate it")
    .action(async (options: { port: string; dev?: boolean; build?: boolean; sampleData?: boolean }) => {
      let isEmpty = false;
      await withServices(async ({ db, target }) => {
        console.log(`Database: ${describeTarget(target)} (migrations applied)`);
        const admin = await ensureBootstrapAdmin(db, env.PEAKS_ADMIN_EMAIL);
        if (admin) {
          console.log("\n  First start: created the administrator account. The password is shown only now:");
          console.log(`    e-mail:   ${admin.email}`);
          console.log(`    password: ${admin.password}\n`);
        }
        isEmpty = (await db.prisma.peakRawData.count()) === 0;
      });
      if (options.sampleData && isEmpty) {
        const code = await loadSampleData();
        if (code !== 0) {
          process.exitCode = code;
          return;
        }
      }
      // With sample data and no other source, "Run now" and the cron routes read the sample files.
      const usesSampleLogs = Boolean(options.sampleData) && !env.ES_URL && !env.PEAKS_LOG_INPUT && existsSync(sampleFolder());
      const childEnvironment = childProcessEnvironment({
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: options.port,
        NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://localhost:${options.port}`,
        ...(usesSampleLogs ? { PEAKS_LOG_INPUT: sampleFolder() } : {}),
      });
      if (options.dev) {
        process.exitCode = await runWithScheduler(() => runNext(["dev", "--port", options.port], childEnvironment), {
          isDevelopment: true,
          sampleFolder: usesSampleLogs ? sampleFolder() : null,
        });
        return;
      }
      if (options.build || isBuildStale()) {
        console.log("Building the dashboard (next build)…");
        const code = await runNext(["build"], childProcessEnvironment({ NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" }));
        if (code !== 0) {
          process.exitCode = code;
          return;
        }
      }
      console.log(`Dashboard: http://localhost:${options.port}`);
      process.exitCode = await runWithScheduler(() => runNext(["start", "--port", options.port], childEnvironment), {
        isDevelopment: false,
        sampleFolder: usesSampleLogs ? sampleFolder() : null,
      });
    });
}

/**
 * Runs the server with the built-in scheduler beside it when scheduler.enabled says so. A
 * SIGINT or SIGTERM stops the scheduler at once (the server gets the signal too); the process
 * ends once both have stopped.
 */
async function runWithScheduler(runServer: () => Promise<number>, options: { isDevelopment: boolean; sampleFolder: string | null }): Promise<number> {
  const { config, connections: configured } = cliSettings();
  const settings = config.scheduler;
  if (!isSchedulerOn(settings.enabled, { isCronSecretSet: Boolean(env.CRON_SECRET) })) {
    console.log(
      settings.enabled === false
        ? "Scheduler: off (scheduler.enabled: false); nothing runs the pipeline on its own."
        : "Scheduler: off, CRON_SECRET is set: an outside cron calls /api/cron/pipeline, /enrich and /maintenance.",
    );
    return runServer();
  }
  const logger = createLogger({ isDevelopment: options.isDevelopment, level: env.LOG_LEVEL }).child({ process: "scheduler" });
  // Like the server's runs: the sample's files are the log source while neither ES_URL nor PEAKS_LOG_INPUT is set.
  const connections = options.sampleFolder ? { ...configured, logInputs: [options.sampleFolder] } : configured;
  const scheduler = startScheduler(
    builtInJobs(settings, <T>(body: (services: Services) => Promise<T>) => withServices(body, { logger, connections })),
    { logger },
  );
  const nextPipeline = scheduler.nextRuns().find((run) => run.job === "pipeline")?.atMs;
  console.log(
    `Scheduler: on (UTC): pipeline "${settings.pipeline}", enrichment "${settings.enrichment}", maintenance "${settings.maintenance}"` +
      (nextPipeline ? `; next pipeline run at ${new Date(nextPipeline).toISOString().slice(11, 16)} UTC.` : "."),
  );
  if (!connections.elasticsearch && connections.logInputs.length === 0) {
    console.log("Scheduler: no log source is set (ES_URL or PEAKS_LOG_INPUT), so its pipeline and enrichment runs fail, each with a log line, until one is.");
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= scheduler.stop().then((stillRunning) => {
      if (stillRunning.length > 0) logger.warn({ jobs: stillRunning }, "scheduler stopped while a run was still going; the next run takes its lock over");
      else logger.info("scheduler stopped");
    });
    return stopping;
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await runServer();
  } finally {
    await stop();
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

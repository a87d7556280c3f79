import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { describeTarget } from "@/lib/db/target";
import { embeddedPaths } from "@/lib/db/embedded/paths";
import { ensureBootstrapAdmin } from "@/lib/users/accounts";
import { childProcessEnvironment, env } from "@/lib/env.js";
import { withDatabase } from "../database";

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

/** Generates a sample data set into the data folder and ingests it (INIT, then REGULAR). */
function sampleFolder(): string {
  return path.join(embeddedPaths(env.PEAKS_DATA_DIR).root, "sample-logs");
}

async function loadSampleData(): Promise<number> {
  const folder = sampleFolder();
  console.log(`\nThe database holds no windows yet: loading a generated sample data set from ${folder}.`);
  console.log("(Start without it with `npm run peaks -- serve`.)\n");
  const generated = await runCli(["generate", "--out", folder, "--days", "28"]);
  if (generated !== 0) return generated;
  return runCli(["batch", "--all", "--input", folder]);
}

function runNext(args: string[], childEnvironment: NodeJS.ProcessEnv): Promise<number> {
  const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [nextBin, ...args], { stdio: "inherit", env: childEnvironment });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => {
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
    .option("--sample-data", "when the database holds no windows, first generate a sample data set and ingest it")
    .action(async (options: { port: string; dev?: boolean; build?: boolean; sampleData?: boolean }) => {
      let isEmpty = false;
      await withDatabase(async (database) => {
        const { target } = database;
        console.log(`Database: ${describeTarget(target)} (migrations applied)`);
        const admin = await ensureBootstrapAdmin(database, env.PEAKS_ADMIN_EMAIL);
        if (admin) {
          console.log("\n  First start: created the administrator account. The password is shown only now:");
          console.log(`    e-mail:   ${admin.email}`);
          console.log(`    password: ${admin.password}\n`);
        }
        isEmpty = (await database.prisma.peakRawData.count()) === 0;
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
        process.exitCode = await runNext(["dev", "--port", options.port], childEnvironment);
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
      process.exitCode = await runNext(["start", "--port", options.port], childEnvironment);
    });
}

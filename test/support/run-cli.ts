import { execFile, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { DatabaseTarget } from "@/lib/db/target";
import { childProcessEnvironment } from "@/lib/env.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const cli = path.join(root, "cli", "index.ts");

export type CliResult = { code: number; stdout: string; stderr: string };

/** The environment variables that point a process at a test database. */
export function databaseEnvironment(target: DatabaseTarget): Record<string, string> {
  return target.kind === "postgres" ? { DATABASE_URL: target.url } : { PEAKS_DATA_DIR: target.dataDir, DATABASE_URL: "" };
}

/**
 * Runs the `peaks` CLI as a child process against a database, with extra environment variables;
 * resolves with its exit code and output (rejects only if it cannot run or times out).
 */
export function runCli(target: DatabaseTarget, args: readonly string[], environment: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", cli, ...args],
      { cwd: root, env: childProcessEnvironment({ ...databaseEnvironment(target), ...environment }), maxBuffer: 64 * 1024 * 1024, timeout: 150_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(new Error(`peaks ${args.join(" ")} did not finish: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** Starts the `peaks` CLI as a child process and returns it, for tests that stop it midway. */
export function startCli(target: DatabaseTarget, args: readonly string[], environment: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", cli, ...args], {
    cwd: root,
    env: childProcessEnvironment({ ...databaseEnvironment(target), ...environment }),
    stdio: "pipe",
  });
}

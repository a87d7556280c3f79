// A dashboard of a spec's own, on a clock the spec moves: its own embedded database in a temporary
// folder (so nothing it does reaches the shared e2e server's data), `peaks serve` on its own port,
// and `peaks` commands, every process with `Date` shifted by shifted-clock.js.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { childProcessEnvironment } from "@/lib/env.js";

const cli = path.join(process.cwd(), "cli", "index.ts");
const clockModule = path.join(import.meta.dirname, "shifted-clock.js");
/** How long a process trusts an offset it read, ms; REREAD_MS in shifted-clock.js. */
const OFFSET_REREAD_MS = 100;

export type ClockedServer = {
  baseUrl: string;
  /** Where the spec writes the log files its runs read. */
  logsDir: string;
  /**
   * The processes' clock: once this resolves, their `Date` says `instantMs` (and runs on from there).
   * It waits out the time a process trusts an offset it read (shifted-clock.js), so that no request
   * made after it is answered on the old clock.
   */
  setNow: (instantMs: number) => Promise<void>;
  /** Runs `peaks <args>` on the shifted clock; its output, or an error with it when the command fails. */
  peaks: (args: readonly string[]) => Promise<string>;
  /** Stops the server and its embedded database and removes the temporary folder. */
  stop: () => Promise<void>;
};

type Outcome = { code: number | null; output: string };

function outcomeOf(child: ChildProcess): Promise<Outcome> {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** Starts the processes' clock at `nowMs` with a fresh database and the given users, then `peaks serve` on `port`. */
export async function startClockedServer(options: {
  port: number;
  nowMs: number;
  users: readonly { email: string; password: string; role: "viewer" | "analyst" | "admin" }[];
}): Promise<ClockedServer> {
  const root = mkdtempSync(path.join(tmpdir(), "peaks-clocked-e2e-"));
  const dataDir = path.join(root, "data");
  const logsDir = path.join(root, "logs");
  mkdirSync(logsDir);
  const offsetFile = path.join(root, "clock-offset");
  const writeOffset = (instantMs: number) => {
    // Written beside and renamed over, so that a process never reads half a number.
    const next = `${offsetFile}.next`;
    writeFileSync(next, String(instantMs - Date.now()));
    renameSync(next, offsetFile);
  };
  const setNow = async (instantMs: number) => {
    writeOffset(instantMs);
    await new Promise((resolve) => setTimeout(resolve, 2 * OFFSET_REREAD_MS));
  };
  // No process runs yet: nothing to wait for.
  writeOffset(options.nowMs);
  const baseUrl = `http://localhost:${options.port}`;
  const environment = childProcessEnvironment({
    NODE_OPTIONS: `--import=${pathToFileURL(clockModule).href}?offset-file=${encodeURIComponent(offsetFile)}`,
    PEAKS_DATA_DIR: dataDir,
    DATABASE_URL: undefined,
    PEAKS_CONFIG: undefined,
    PORT: String(options.port),
    NEXTAUTH_URL: baseUrl,
    // Set, it turns the built-in scheduler off: only the spec's own runs move the incidents.
    CRON_SECRET: "clocked-e2e-cron-secret-unused",
    PEAKS_LOG_INPUT: logsDir,
    ES_URL: "",
    TEAMS_WEBHOOK_URL: "",
    AI_BASE_URL: "",
    OIDC_ISSUER: undefined,
  });
  const run = (args: readonly string[]) => spawn(process.execPath, ["--import", "tsx", cli, ...args], { env: environment, stdio: ["ignore", "pipe", "pipe"] });
  const peaks = async (args: readonly string[]) => {
    const { code, output } = await outcomeOf(run(args));
    if (code !== 0) throw new Error(`peaks ${args.join(" ")} failed (exit ${code}):\n${output}`);
    return output;
  };

  let server: ChildProcess | null = null;
  let serverExit: Promise<Outcome> | null = null;
  const stop = async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await serverExit;
    }
    await peaks(["db", "stop", "--data-dir", dataDir]).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const user of options.users) await peaks(["users", "create", "--email", user.email, "--role", user.role, "--password", user.password]);
    server = run(["serve", "--port", String(options.port)]);
    serverExit = outcomeOf(server);
    const startedAt = Date.now();
    for (;;) {
      if (server.exitCode !== null) throw new Error(`peaks serve stopped (exit ${server.exitCode}):\n${(await serverExit).output}`);
      const healthy = await fetch(`${baseUrl}/api/health/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) break;
      if (Date.now() - startedAt > 90_000) throw new Error(`peaks serve did not answer on ${baseUrl} within 90 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, logsDir, setNow, peaks, stop };
}

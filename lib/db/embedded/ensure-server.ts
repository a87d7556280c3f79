import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { childProcessEnvironment, env } from "@/lib/env.js";
import { ConfigurationError, UnavailableError } from "@/lib/errors";
import { readLockOwner } from "./lock";
import { createDataFolders, embeddedPaths, type EmbeddedPaths } from "./paths";

const START_TIMEOUT_MS = 90_000;
const POLL_INTERVAL_MS = 100;
// A started server can exit 0 because another process won the race to serve the folder; when
// that winner dies before answering, a new server is started, this many times at most.
const MAX_STARTS = 3;

/** True when something accepts connections on the socket. */
export function canConnect(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The reason a server gave for stopping: the last `Error: ` line it logged after `offset`. */
export function reasonInLog(logFile: string, offset: number): string | null {
  let text: string;
  try {
    text = readFileSync(logFile).subarray(offset).toString("utf8");
  } catch {
    return null;
  }
  const line = text
    .split("\n")
    .filter((candidate) => candidate.startsWith("Error: "))
    .at(-1);
  return line ? line.slice("Error: ".length).trim() : null;
}

type StartedServer = { exitCode: () => number | null; logOffset: number };

/** Where this process runs, as far as the embedded database cares. */
export type EmbeddedHost = {
  /** On Vercel (VERCEL=1): a read-only file system but for a temporary folder an instance loses. */
  isVercel: boolean;
  /** The folder the database server's command line is started from (the project). */
  projectDir: string;
};

const thisHost = (): EmbeddedHost => ({ isVercel: env.VERCEL, projectDir: process.cwd() });

/**
 * The server is the project's command line (`peaks db serve`) run by tsx: a standalone build
 * (`.next/standalone/server.js`) has neither, so it can only use a server started beside it.
 */
function assertCanStartServer(paths: EmbeddedPaths, projectDir: string): void {
  const needed = [path.join(projectDir, "cli", "main.ts"), path.join(projectDir, "node_modules", "tsx", "package.json")];
  if (needed.every((file) => existsSync(/*turbopackIgnore: true*/ file))) return;
  throw new ConfigurationError(
    `the embedded database in ${paths.root} is not being served, and this process cannot start its server: it runs without the project's command line ` +
      `(a standalone build). Set DATABASE_URL to a PostgreSQL server, or start the embedded database beside it from the project with ` +
      `\`npm run peaks -- db serve --data-dir ${paths.root}\``,
  );
}

function spawnServer(paths: EmbeddedPaths, projectDir: string): StartedServer {
  assertCanStartServer(paths, projectDir);
  createDataFolders(paths);
  const logOffset = sizeOf(paths.logFile);
  const log = openSync(paths.logFile, "a", 0o600);
  let exitCode: number | null = null;
  // The server outlives this process: the web server and CLI runs come and go, and it stops
  // by itself once no client has been connected for the configured idle time.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectDir, "cli", "index.ts"), "db", "serve", "--data-dir", paths.root], {
    detached: true,
    stdio: ["ignore", log, log],
    env: childProcessEnvironment(),
    cwd: projectDir,
  });
  child.on("exit", (code) => {
    exitCode = code ?? 1;
  });
  child.unref();
  closeSync(log);
  return { exitCode: () => exitCode, logOffset };
}

/**
 * Makes sure the embedded database of a data folder is being served, starting its server
 * process when nobody does. Resolves to the folder holding the server's socket. A server that
 * cannot start is an UnavailableError of one line: the folder, the server's reason, its log.
 * Where the embedded database cannot work (on Vercel, a data folder this process cannot write,
 * no command line to start the server with) it is a ConfigurationError saying what to set.
 */
export async function ensureEmbeddedServer(dataDir: string, host: EmbeddedHost = thisHost()): Promise<string> {
  const paths = embeddedPaths(dataDir);
  if (host.isVercel) {
    throw new ConfigurationError(
      "DATABASE_URL is not set, and the embedded database cannot run on Vercel: its file system is read-only, and the temporary folder " +
        "of a function instance is lost with it. Set DATABASE_URL to a PostgreSQL server (see docs/deploy.md)",
    );
  }
  if (await canConnect(paths.socketPath)) return paths.socketDir;
  let started = spawnServer(paths, host.projectDir);
  let starts = 1;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    if (await canConnect(paths.socketPath)) return paths.socketDir;
    const code = started.exitCode();
    if (code === null || readLockOwner(paths.lockFile)) continue;
    // The server we started has stopped and nobody holds the folder.
    if (code !== 0) {
      const reason = reasonInLog(paths.logFile, started.logOffset) ?? `exit ${code}`;
      throw new UnavailableError(`the embedded database server for ${paths.root} failed to start: ${reason}; its log: ${paths.logFile}`);
    }
    // Exit 0: another process won the race to serve the folder, and has stopped since.
    if (starts >= MAX_STARTS) {
      throw new UnavailableError(`the embedded database server for ${paths.root} stopped ${starts} times before answering; its log: ${paths.logFile}`);
    }
    started = spawnServer(paths, host.projectDir);
    starts += 1;
  }
  const owner = readLockOwner(paths.lockFile);
  if (owner) {
    throw new UnavailableError(
      `the embedded database in ${paths.root} is held by process ${owner.pid}, which does not answer on ${paths.socketPath}; ` +
        `if that process is not a Peak Investigation database server, delete ${paths.lockFile}`,
    );
  }
  const reason = reasonInLog(paths.logFile, started.logOffset);
  throw new UnavailableError(
    `the embedded database server for ${paths.root} did not start within ${START_TIMEOUT_MS / 1000} s${reason ? ` (${reason})` : ""}; its log: ${paths.logFile}`,
  );
}

import { spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync, closeSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { childProcessEnvironment } from "@/lib/env.js";
import { UnavailableError } from "@/lib/errors";
import { readLockOwner } from "./lock";
import { embeddedPaths, type EmbeddedPaths } from "./paths";

const START_TIMEOUT_MS = 90_000;
const POLL_INTERVAL_MS = 100;

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

function tailOf(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function spawnServer(paths: EmbeddedPaths): { exitCode: () => number | null } {
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  const log = openSync(paths.logFile, "a", 0o600);
  let exitCode: number | null = null;
  // The server outlives this process: the web server and CLI runs come and go, and it stops
  // by itself once no client has been connected for the configured idle time.
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(process.cwd(), "cli", "index.ts"), "db", "serve", "--data-dir", paths.root],
    { detached: true, stdio: ["ignore", log, log], env: childProcessEnvironment(), cwd: process.cwd() },
  );
  child.on("exit", (code) => {
    exitCode = code ?? 1;
  });
  child.unref();
  closeSync(log);
  return { exitCode: () => exitCode };
}

/**
 * Makes sure the embedded database of a data folder is being served, starting its server
 * process when nobody does. Resolves to the folder holding the server's socket.
 */
export async function ensureEmbeddedServer(dataDir: string): Promise<string> {
  const paths = embeddedPaths(dataDir);
  if (await canConnect(paths.socketPath)) return paths.socketDir;
  const started = spawnServer(paths);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    if (await canConnect(paths.socketPath)) return paths.socketDir;
    const code = started.exitCode();
    // Exit 0 means another process won the race to serve this folder: keep waiting for it.
    if (code !== null && code !== 0 && !readLockOwner(paths.lockFile)) {
      throw new UnavailableError(
        `The embedded database server for ${paths.root} failed to start (exit ${code}). Its log ends with:\n${tailOf(paths.logFile)}`,
      );
    }
  }
  const owner = readLockOwner(paths.lockFile);
  throw new UnavailableError(
    owner
      ? `The embedded database in ${paths.root} is held by process ${owner.pid}, which does not answer on ${paths.socketPath}. ` +
          `If that process is not a Peak Investigation database server, delete ${paths.lockFile}.`
      : `The embedded database server for ${paths.root} did not start within ${START_TIMEOUT_MS / 1000} s. Its log ends with:\n${tailOf(paths.logFile)}`,
  );
}

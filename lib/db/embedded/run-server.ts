import { chmodSync, rmSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { UnavailableError } from "@/lib/errors";
import { acquireLock } from "./lock";
import { createDataFolders, embeddedPaths } from "./paths";
import { startWireServer } from "./wire-server";

// PGlite's file system reports Emscripten's errno numbers, not Node's codes.
const EMSCRIPTEN_ERRNO: Readonly<Record<number, string>> = {
  2: "EACCES (permission denied)",
  20: "EEXIST (file exists)",
  31: "EISDIR (is a directory)",
  44: "ENOENT (no such file or directory)",
  51: "ENOSPC (no space left on device)",
  54: "ENOTDIR (not a directory)",
  63: "EPERM (operation not permitted)",
  69: "EROFS (read-only file system)",
};

/** One line saying why PGlite could not open its files; it throws Errors and bare errno objects. */
export function describeOpenFailure(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0]?.trim() || error.name;
  const errno = (error as { errno?: unknown } | null)?.errno;
  if (typeof errno === "number") return `file system error ${EMSCRIPTEN_ERRNO[errno] ?? `errno ${errno}`}`;
  return String(error);
}

export type EmbeddedServerOptions = {
  dataDir: string;
  /** Stop after this long without any client connection (ms); 0 never stops. */
  idleShutdownMs: number;
  log: (message: string) => void;
};

export type EmbeddedServer = {
  socketDir: string;
  /** Resolves once the server has stopped (idle shutdown or stop()). */
  stopped: Promise<void>;
  stop: () => Promise<void>;
};

/**
 * Owns the embedded database of a data folder and serves it on a Unix socket. Only one
 * process per data folder gets past the lock; everyone else connects to the socket.
 */
export async function runEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const paths = embeddedPaths(options.dataDir);
  createDataFolders(paths);
  const releaseLock = await acquireLock(paths.lockFile);
  let db: PGlite;
  try {
    rmSync(paths.socketPath, { force: true });
    db = await PGlite.create(paths.pgdata);
  } catch (error) {
    releaseLock();
    throw new UnavailableError(`cannot open the database files in ${paths.pgdata} (${describeOpenFailure(error)})`, { cause: error });
  }

  let idleTimer: NodeJS.Timeout | undefined;
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let stopping: Promise<void> | undefined;

  const armIdleTimer = (connections: number) => {
    clearTimeout(idleTimer);
    if (connections === 0 && options.idleShutdownMs > 0) {
      idleTimer = setTimeout(() => {
        options.log(`no client for ${Math.round(options.idleShutdownMs / 1000)} s; stopping`);
        void stop();
      }, options.idleShutdownMs);
    }
  };

  const server = await startWireServer({
    db,
    socketPath: paths.socketPath,
    onConnectionCountChange: armIdleTimer,
    log: options.log,
  });
  chmodSync(paths.socketPath, 0o600);
  armIdleTimer(0);
  options.log(`serving ${paths.pgdata} on ${paths.socketPath} (pid ${process.pid})`);

  const stop = () => {
    stopping ??= (async () => {
      clearTimeout(idleTimer);
      await server.close();
      await db.close();
      rmSync(paths.socketPath, { force: true });
      releaseLock();
      options.log("stopped");
      resolveStopped();
    })();
    return stopping;
  };

  return { socketDir: paths.socketDir, stopped, stop };
}

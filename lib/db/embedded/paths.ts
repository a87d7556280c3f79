import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigurationError } from "@/lib/errors";

/** PostgreSQL clients find a server's Unix socket as `<dir>/.s.PGSQL.<port>`. */
export const EMBEDDED_PORT = 5432;
// sockaddr_un holds 108 bytes on Linux; longer socket paths cannot be bound.
const MAX_SOCKET_PATH = 100;

export type EmbeddedPaths = {
  /** The data folder (absolute). */
  root: string;
  /** PGlite's database files. */
  pgdata: string;
  /** Held by the one process that owns `pgdata`: `{ pid, startedAt }`. */
  lockFile: string;
  socketDir: string;
  socketPath: string;
  logFile: string;
  /** A generated NEXTAUTH_SECRET for installations that set none. */
  authSecretFile: string;
};

/** Where the embedded database keeps its files for a data folder. */
export function embeddedPaths(dataDir: string): EmbeddedPaths {
  const root = path.resolve(dataDir);
  const socketName = `.s.PGSQL.${EMBEDDED_PORT}`;
  let socketDir = path.join(root, "run");
  if (path.join(socketDir, socketName).length > MAX_SOCKET_PATH) {
    const digest = createHash("sha256").update(root).digest("hex").slice(0, 16);
    socketDir = path.join(os.tmpdir(), `peaks-${digest}`);
  }
  return {
    root,
    pgdata: path.join(root, "pgdata"),
    lockFile: path.join(root, "embedded.lock"),
    socketDir,
    socketPath: path.join(socketDir, socketName),
    logFile: path.join(root, "embedded-server.log"),
    authSecretFile: path.join(root, "auth-secret"),
  };
}

/**
 * Creates the data folder and the socket folder when missing and makes sure a file can be
 * written into the data folder; a path that cannot be one (a file, no permission, a read-only
 * file system) is a ConfigurationError naming it.
 */
export function createDataFolders(paths: EmbeddedPaths): void {
  try {
    mkdirSync(paths.root, { recursive: true, mode: 0o700 });
    // mkdir passes on an existing folder whatever its permissions, and access(2) says yes to root
    // on a folder it cannot write into (procfs, sysfs): writing a file is what the server must do.
    const probe = path.join(paths.root, `.write-check-${process.pid}`);
    writeFileSync(probe, "", { mode: 0o600 });
    rmSync(probe, { force: true });
    mkdirSync(paths.socketDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError(`cannot use ${paths.root} as the data folder of the embedded database (${reason}); check PEAKS_DATA_DIR`, undefined, {
      cause: error,
    });
  }
}

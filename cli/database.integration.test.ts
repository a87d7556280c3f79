import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import type { DatabaseTarget } from "@/lib/db/target";
import { isProcessAlive, readLockOwner } from "@/lib/db/embedded/lock";
import { embeddedPaths } from "@/lib/db/embedded/paths";
import { UnavailableError } from "@/lib/errors";
import { killServerInsideTransaction } from "@/test/support/embedded-server";
import { runCli } from "@/test/support/run-cli";
import { withDatabase } from "./database";

// Every way of not getting at the database ends the command with one line naming the database
// and the documented exit code: 9 when it is unavailable, 7 when the configuration is wrong.

const TIMEOUT = 120_000;
const folders: string[] = [];

function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** Stops the embedded server of a data folder, if one runs. */
async function stopServer(dataDir: string): Promise<void> {
  const owner = readLockOwner(embeddedPaths(dataDir).lockFile);
  if (!owner || owner.pid === process.pid) return;
  process.kill(owner.pid, "SIGTERM");
  for (let waited = 0; waited < 30_000 && isProcessAlive(owner.pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
}

afterAll(async () => {
  for (const folder of folders) {
    await stopServer(folder);
    rmSync(folder, { recursive: true, force: true });
  }
});

describe("a PostgreSQL server the command cannot use", () => {
  it(
    "is reported as unreachable in one line without the password, exit 9",
    async () => {
      for (const command of [["stats"], ["db", "migrate"]]) {
        const result = await runCli({ kind: "postgres", url: "postgresql://u:secret-password@127.0.0.1:1/x" }, command);
        expect(result.stderr, command.join(" ")).toBe("Error: cannot reach the database at 127.0.0.1:1 (connection refused)\n");
        expect(result.code, command.join(" ")).toBe(9);
      }
    },
    TIMEOUT,
  );

  it(
    "is reported as a configuration error when the database does not exist, exit 7",
    async () => {
      const url = new URL(inject("postgresUrl"));
      url.pathname = "/peaks_no_such_database";
      const result = await runCli({ kind: "postgres", url: url.toString() }, ["stats"]);
      expect(result.stderr).toBe(
        `Error: the database at ${url.host} refused the connection (database "peaks_no_such_database" does not exist); check DATABASE_URL\n`,
      );
      expect(result.code).toBe(7);
    },
    TIMEOUT,
  );
});

describe("an embedded database the command cannot use", () => {
  let fakeServer: net.Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (fakeServer ? fakeServer.close(() => resolve()) : resolve()));
    fakeServer = undefined;
  });

  it(
    "is reported naming the data folder when its server drops the connection, exit 9",
    async () => {
      // A stand-in for a server that dies as each client starts: it holds the lock (this live
      // process) and closes every connection as soon as the client speaks.
      const dataDir = temporaryFolder("peaks-dropping-");
      const paths = embeddedPaths(dataDir);
      mkdirSync(paths.socketDir, { recursive: true });
      writeFileSync(paths.lockFile, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      const server = net.createServer((socket) => {
        socket.on("error", () => {});
        socket.once("data", () => socket.destroy());
      });
      fakeServer = server;
      await new Promise<void>((resolve) => server.listen(paths.socketPath, resolve));
      const result = await runCli({ kind: "embedded", dataDir }, ["stats"]);
      expect(result.stderr).toBe(
        `Error: lost the connection to the embedded database in ${paths.root} (connection closed; its server's log: ${paths.logFile})\n`,
      );
      expect(result.code).toBe(9);
    },
    TIMEOUT,
  );

  it(
    "is reported in one line naming the data folder when its files cannot be opened, exit 9",
    async () => {
      const dataDir = temporaryFolder("peaks-broken-");
      const paths = embeddedPaths(dataDir);
      mkdirSync(paths.pgdata, { recursive: true });
      writeFileSync(path.join(paths.pgdata, "PG_VERSION"), "not a version\n");
      const result = await runCli({ kind: "embedded", dataDir }, ["stats"]);
      expect(result.stderr).toBe(
        `Error: the embedded database server for ${paths.root} failed to start: cannot open the database files in ${paths.pgdata} ` +
          `(PGlite failed to initialize properly); its log: ${paths.logFile}\n`,
      );
      expect(result.code).toBe(9);
    },
    TIMEOUT,
  );

  it(
    "is reported as a configuration error when the data folder is a file, exit 7",
    async () => {
      const file = path.join(temporaryFolder("peaks-file-"), "data");
      writeFileSync(file, "");
      const result = await runCli({ kind: "embedded", dataDir: file }, ["stats"]);
      expect(result.stderr).toMatch(
        new RegExp(`^Error: cannot use ${file} as the data folder of the embedded database \\(EEXIST[^\\n]*\\); check PEAKS_DATA_DIR\\n$`),
      );
      expect(result.code).toBe(7);
    },
    TIMEOUT,
  );
});

describe("withDatabase when the embedded server dies during a transaction", () => {
  it("fails with an unavailable error naming the data folder, and closes the database", async () => {
    const dataDir = temporaryFolder("peaks-dying-");
    const target: DatabaseTarget = { kind: "embedded", dataDir };
    const paths = embeddedPaths(dataDir);
    // Before the fix the client Prisma left checked out kept pool.end() waiting forever: the
    // CLI then ended with exit 13 and printed nothing.
    const failure = await withDatabase(async ({ prisma }) => {
      throw await killServerInsideTransaction(prisma, dataDir);
    }, target).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UnavailableError);
    expect((failure as Error).message).toMatch(new RegExp(`^lost the connection to the embedded database in ${paths.root} \\(`));
  }, 30_000);
});

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { ConfigurationError, UnavailableError } from "@/lib/errors";
import { openDatabase } from "./client";
import { type DatabaseTarget } from "./target";
import { isProcessAlive, readLockOwner } from "./embedded/lock";
import { killServerInsideTransaction } from "@/test/support/embedded-server";
import { embeddedPaths } from "./embedded/paths";

// Opening and closing a database that fails underneath: the failure is an AppError naming the
// database, and closing always finishes.

describe("openDatabase on a PostgreSQL server it cannot use", () => {
  it("is an UnavailableError when nothing listens", async () => {
    const opening = openDatabase({ kind: "postgres", url: "postgresql://u:secret-password@127.0.0.1:1/x" });
    await expect(opening).rejects.toThrow(UnavailableError);
    await expect(opening).rejects.toThrow("cannot reach the database at 127.0.0.1:1 (connection refused)");
  });

  it("is a ConfigurationError when the database does not exist", async () => {
    const url = new URL(inject("postgresUrl"));
    url.pathname = "/peaks_no_such_database";
    const opening = openDatabase({ kind: "postgres", url: url.toString() });
    await expect(opening).rejects.toThrow(ConfigurationError);
    await expect(opening).rejects.toThrow('(database "peaks_no_such_database" does not exist); check DATABASE_URL');
  });
});

describe("closing an embedded database whose server died during a transaction", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "peaks-dying-"));
  const paths = embeddedPaths(dataDir);
  afterAll(async () => {
    const owner = readLockOwner(paths.lockFile);
    if (owner) process.kill(owner.pid, "SIGTERM");
    for (let waited = 0; owner && waited < 30_000 && isProcessAlive(owner.pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("finishes (it used to wait forever for the client Prisma left checked out)", async () => {
    const target: DatabaseTarget = { kind: "embedded", dataDir };
    const database = await openDatabase(target, { poolSize: 2 });
    const failure = await killServerInsideTransaction(database.prisma, dataDir);
    expect(failure).toBeInstanceOf(Error);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      database.close().then(() => "closed"),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve("still closing after 10 s"), 10_000);
      }),
    ]);
    clearTimeout(timer);
    expect(outcome).toBe("closed");
    // Starting the embedded server and killing it inside a transaction takes most of the time
    // on a busy machine; closing has its own 10-second bound above.
  }, 120_000);
});

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliActor } from "@/lib/roles";
import { childProcessEnvironment } from "@/lib/env.js";
import { openDatabase, type Database } from "../client";
import { createUser } from "@/lib/users/accounts";
import { ensureEmbeddedServer } from "./ensure-server";
import { isProcessAlive, readLockOwner } from "./lock";
import { embeddedPaths } from "./paths";

const run = promisify(execFile);
const cli = path.join(import.meta.dirname, "..", "..", "..", "cli", "index.ts");

function peaks(dataDir: string, ...args: string[]) {
  return run(process.execPath, ["--import", "tsx", cli, ...args], {
    env: childProcessEnvironment({ PEAKS_DATA_DIR: dataDir }),
    cwd: path.join(import.meta.dirname, "..", "..", ".."),
  });
}

describe("the embedded database shared by separate processes", () => {
  let dataDir: string;
  let web: Database;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "peaks-shared-"));
  });
  afterAll(async () => {
    await web?.close();
    await peaks(dataDir, "db", "stop").catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts one server when several processes ask for it at once", async () => {
    const socketDirs = await Promise.all([ensureEmbeddedServer(dataDir), ensureEmbeddedServer(dataDir), ensureEmbeddedServer(dataDir)]);
    expect(new Set(socketDirs).size).toBe(1);
    const owner = readLockOwner(embeddedPaths(dataDir).lockFile);
    expect(owner).not.toBeNull();
    expect(owner?.pid).not.toBe(process.pid);
  });

  it("lets the CLI work while another process (the web server) is using the database", async () => {
    web = await openDatabase({ kind: "embedded", dataDir });
    await createUser(web, cliActor, { email: "web@example.com", role: "admin", password: "web-password-1" });
    const transaction = web.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { email: "web@example.com" }, data: { name: "Web" } });
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    const [first, second, stats] = await Promise.all([
      peaks(dataDir, "users", "create", "--email", "cli1@example.com", "--role", "viewer", "--password", "cli-password-1"),
      peaks(dataDir, "users", "create", "--email", "cli2@example.com", "--role", "analyst", "--password", "cli-password-2"),
      peaks(dataDir, "stats", "--format", "json"),
      transaction,
    ]);
    expect(first.stdout).toContain("Created viewer cli1@example.com");
    expect(second.stdout).toContain("Created analyst cli2@example.com");
    expect(JSON.parse(stats.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ table: "users" })]));
    const emails = (await web.prisma.user.findMany({ orderBy: { id: "asc" } })).map((user) => user.email);
    expect([...emails].sort()).toEqual(["cli1@example.com", "cli2@example.com", "web@example.com"]);
    expect((await web.prisma.user.findUniqueOrThrow({ where: { email: "web@example.com" } })).name).toBe("Web");
  });

  it("stops on request, keeps the data, and starts again on next use", async () => {
    await web.close();
    const owner = readLockOwner(embeddedPaths(dataDir).lockFile);
    const stopped = await peaks(dataDir, "db", "stop");
    expect(stopped.stdout).toContain(`Stopped the embedded database server (pid ${owner?.pid})`);
    expect(existsSync(embeddedPaths(dataDir).lockFile)).toBe(false);
    // The server's process is gone, not only its lock.
    expect(isProcessAlive(owner?.pid ?? 0)).toBe(false);
    web = await openDatabase({ kind: "embedded", dataDir });
    expect(await web.prisma.user.count()).toBe(3);
  });

  it("takes over a lock left by a process that died", async () => {
    await web.close();
    await peaks(dataDir, "db", "stop");
    const paths = embeddedPaths(dataDir);
    // A pid far above the kernel's default pid_max: no such process exists.
    writeFileSync(paths.lockFile, JSON.stringify({ pid: 4_194_300, startedAt: "2026-01-01T00:00:00Z" }));
    web = await openDatabase({ kind: "embedded", dataDir });
    expect(await web.prisma.user.count()).toBe(3);
    expect(readLockOwner(paths.lockFile)?.pid).not.toBe(4_194_300);
  });
});

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "@/lib/errors";
import { ensureEmbeddedServer, reasonInLog } from "./ensure-server";
import { createDataFolders, embeddedPaths } from "./paths";

describe("reasonInLog", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "peaks-log-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const log = path.join(folder, "embedded-server.log");

  it("is the last `Error: ` line written after the offset, without the prefix", () => {
    const earlier = "Error: an earlier start failed\n";
    writeFileSync(log, `${earlier}2026-01-01T00:00:00Z embedded-db: starting\nError: cannot open the database files in /x/pgdata (boom)\n`);
    expect(reasonInLog(log, Buffer.byteLength(earlier))).toBe("cannot open the database files in /x/pgdata (boom)");
  });

  it("ignores what an earlier server logged before the offset", () => {
    writeFileSync(log, "Error: an earlier start failed\nno error here\n");
    expect(reasonInLog(log, Buffer.byteLength("Error: an earlier start failed\n"))).toBeNull();
  });

  it("is null without a log", () => {
    expect(reasonInLog(path.join(folder, "missing.log"), 0)).toBeNull();
  });
});

describe("where the embedded database cannot work", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "peaks-host-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const project = process.cwd();

  it("is refused on Vercel, naming DATABASE_URL, before anything is written", async () => {
    const dataDir = path.join(folder, "on-vercel");
    const refusal = ensureEmbeddedServer(dataDir, { isVercel: true, projectDir: project });
    await expect(refusal).rejects.toThrow(ConfigurationError);
    await expect(refusal).rejects.toThrow(
      /^DATABASE_URL is not set, and the embedded database cannot run on Vercel: .*Set DATABASE_URL to a PostgreSQL server/,
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it("is refused for a data folder this process cannot write into, naming the folder", async () => {
    // sysfs takes no new files, not even from root (whom chmod would not stop).
    const refusal = ensureEmbeddedServer("/sys", { isVercel: false, projectDir: project });
    await expect(refusal).rejects.toThrow(ConfigurationError);
    await expect(refusal).rejects.toThrow(/^cannot use \/sys as the data folder of the embedded database \(.+\); check PEAKS_DATA_DIR$/);
  });

  it("checks that an existing data folder can be written into, not only that it exists", () => {
    // The socket folder is writable here, so only the write into the data folder itself fails.
    const paths = { ...embeddedPaths(path.join(folder, "sockets")), root: "/sys" };
    expect(() => createDataFolders(paths)).toThrow(/^cannot use \/sys as the data folder of the embedded database \((EACCES|ENOENT|EROFS|EPERM)/);
  });

  it("leaves nothing behind in a writable data folder", () => {
    const paths = embeddedPaths(path.join(folder, "writable"));
    createDataFolders(paths);
    expect(readdirSync(paths.root)).toEqual(["run"]);
  });

  it("is refused without the project's command line (a standalone build), naming DATABASE_URL and peaks db serve", async () => {
    const dataDir = path.join(folder, "standalone-data");
    const standalone = mkdtempSync(path.join(folder, "standalone-"));
    const refusal = ensureEmbeddedServer(dataDir, { isVercel: false, projectDir: standalone });
    await expect(refusal).rejects.toThrow(ConfigurationError);
    expect(existsSync(dataDir), "nothing is created for a server that cannot start").toBe(false);
    await expect(refusal).rejects.toThrow(
      `the embedded database in ${dataDir} is not being served, and this process cannot start its server: it runs without the project's command line (a standalone build). ` +
        `Set DATABASE_URL to a PostgreSQL server, or start the embedded database beside it from the project with \`npm run peaks -- db serve --data-dir ${dataDir}\``,
    );
  });
});

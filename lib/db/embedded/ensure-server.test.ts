import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { reasonInLog } from "./ensure-server";

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

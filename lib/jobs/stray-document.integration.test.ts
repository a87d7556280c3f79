import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { batchFolder } from "@/test/support/completeness";
import { dayDocuments, daysFrom, writeLines, type CountPlan } from "@/test/support/log-files";
import { databaseKinds, type DatabaseKind, useMigratedDatabase } from "@/test/support/test-database";
import { gridOf } from "@/lib/config/grid";

// One document dated 19 days ahead must not stretch its file's coverage over the empty days in
// between: a file's coverage breaks wherever no line occurs for longer than
// source.max_silence_minutes, so those days stay gaps, are reported, and are read when their files arrive.

const root = path.resolve(import.meta.dirname, "..", "..");
const config = loadConfig(path.join(root, "values.yaml"));
const grid = gridOf(config);
const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-stray-document-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const namespaces = ["orders", "payments", "shipping"] as const;
/** Five errors a window in every namespace, one every three minutes. */
const steady: CountPlan = () => 5;
// Monday 2 March 2026 on; the stray document falls on Monday 23 March, before the DST change.
const realDays = daysFrom(grid, "2026-03-02", 5);
const strayDay = daysFrom(grid, realDays[2]!, 20)[19]!;
const strayMs = grid.localDayRange(strayDay).startMs + 12 * 3_600_000;
const strayLine = JSON.stringify({
  "@timestamp": new Date(strayMs).toISOString(),
  level: "ERROR",
  message: "Scheduled job dated by a wrong clock failed",
  kubernetes: { namespace: "orders", labels: { app: "orders-api" } },
});

describe.each(databaseKinds)("a stray document dated 19 days ahead on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  it("stores nothing for the empty days before it, reports them as gaps, and lets a later batch read the real days", async () => {
    const dir = path.join(workDir, kind);
    mkdirSync(dir, { recursive: true });
    const fileOf = (day: string) => path.join(dir, `errors-${day}.ndjson`);
    const [first, second, third, fourth, fifth] = realDays as [string, string, string, string, string];
    await writeLines(fileOf(first), dayDocuments(grid, first, namespaces, steady));
    await writeLines(fileOf(second), dayDocuments(grid, second, namespaces, steady));
    await writeLines(fileOf(third), [...dayDocuments(grid, third, namespaces, steady), strayLine]);
    const prisma = db().prisma;

    const batch = await batchFolder(db(), config, dir, { phase: "init" });
    const emptyFrom = grid.localDayRange(fourth).startMs;
    const emptyTo = grid.localDayRange(strayDay).startMs;
    expect.soft(await prisma.peakRawData.count({ where: { timestamp: { gte: new Date(emptyFrom) } } })).toBe(0);
    // The batch's reports name every window of the empty days, in every namespace, as a gap.
    for (const namespace of namespaces) {
      const reported = new Set(
        batch.reports.flatMap((report) =>
          report.coverage.gaps.filter((gap) => gap.namespace === namespace).flatMap((gap) => grid.windowsBetween(gap.fromMs, gap.toMs)),
        ),
      );
      const missing = grid.windowsBetween(emptyFrom, emptyTo).filter((start) => !reported.has(start));
      expect.soft({ namespace, unreported: missing.length }).toEqual({ namespace, unreported: 0 });
    }

    // The real files of the next days arrive: they are read, not skipped as already ingested.
    await writeLines(fileOf(fourth), dayDocuments(grid, fourth, namespaces, steady));
    await writeLines(fileOf(fifth), dayDocuments(grid, fifth, namespaces, steady));
    const later = await batchFolder(db(), config, dir, { phase: "init" });
    expect.soft(later.plan.filter((day) => day.day === fourth || day.day === fifth).map((day) => [day.day, day.action])).toEqual([
      [fourth, expect.not.stringMatching(/^skip/)],
      [fifth, expect.not.stringMatching(/^skip/)],
    ]);
    const fourthDay = grid.localDayRange(fourth);
    const windowsOfFourth = await prisma.peakRawData.findMany({ where: { timestamp: { gte: new Date(fourthDay.startMs), lt: new Date(fourthDay.endMs) } } });
    expect.soft(windowsOfFourth).toHaveLength(96 * namespaces.length);
    expect.soft(windowsOfFourth.every((window) => window.errorCount === 5)).toBe(true);
  });
});

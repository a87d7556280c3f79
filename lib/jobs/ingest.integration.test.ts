import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { childProcessEnvironment } from "@/lib/env.js";
import { dayDocuments, fourWeeksWithIncident, writeLines } from "@/test/support/log-files";
import { createTestDatabase, databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { recalculateBaseline } from "./baseline";
import { fillMissingWindows } from "./fill-windows";
import { planBatch, readFolder, runBatch } from "./batch";
import { gridOf } from "@/lib/config/grid";
import { ingestFiles } from "./ingest";

const root = path.resolve(import.meta.dirname, "..", "..");
const config = loadConfig(path.join(root, "values.yaml"));
const grid = gridOf(config);
const { namespaces, days, incidentStart, plan } = fourWeeksWithIncident(grid);

const inputDir = mkdtempSync(path.join(os.tmpdir(), "peaks-ingest-"));

beforeAll(async () => {
  for (const day of days) await writeLines(path.join(inputDir, `errors-${day}.ndjson.gz`), dayDocuments(grid, day, namespaces, plan));
});
afterAll(() => rmSync(inputDir, { recursive: true, force: true }));

/** Everything ingestion writes, in a comparable form. */
async function dump(prisma: PrismaClient) {
  const [windows, slots, peaks, ingested] = await Promise.all([
    prisma.peakRawData.findMany({ orderBy: [{ namespace: "asc" }, { timestamp: "asc" }], omit: { id: true, ingestedAt: true } }),
    prisma.aggregationData.findMany({
      orderBy: [{ namespace: "asc" }, { dayOfWeek: "asc" }, { hourOfDay: "asc" }, { quarterHour: "asc" }],
      omit: { id: true, updatedAt: true },
    }),
    prisma.peakInvestigation.findMany({
      orderBy: [{ namespace: "asc" }, { timestamp: "asc" }],
      omit: { id: true, detectedAt: true, updatedAt: true, continuesPeakId: true },
      include: { continuesPeak: { select: { timestamp: true } } },
    }),
    prisma.ingestedDay.findMany({ orderBy: { day: "asc" }, omit: { ingestedAt: true } }),
  ]);
  return { windows, slots, peaks, ingested };
}

const file = (day: string) => path.join(inputDir, `errors-${day}.ndjson.gz`);
const initFiles = days.slice(0, 21).map(file);
const regularFiles = days.slice(21).map(file);

describe.each(databaseKinds)("ingestion on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  it("loads three weeks as INIT without peaks, then detects the incident as one plateau", async () => {
    const init = await ingestFiles(db(), config, { paths: initFiles, mode: "init" });
    // The first window starts before the first document and the last ends after the last one:
    // nothing proves they were read whole, so they are gaps, not counts.
    expect(init.windows.stored).toBe((21 * 96 - 2) * 2);
    expect(init.coverage.gapWindows).toBe(0);
    expect(await db().prisma.peakInvestigation.count()).toBe(0);

    const regular = await ingestFiles(db(), config, { paths: regularFiles, mode: "detect" });
    expect(regular.peaks).toEqual({ new: 1, continuing: 3, changed: 0, removed: 0 });
    expect(regular.insufficientHistory).toBe(0);
    const peaks = await db().prisma.peakInvestigation.findMany({ orderBy: { timestamp: "asc" }, include: { continuesPeak: true } });
    expect(peaks.map((peak) => peak.timestamp.getTime())).toEqual([0, 1, 2, 3].map((index) => incidentStart + index * 900_000));
    expect(peaks[0]).toMatchObject({
      namespace: "payments",
      errorCount: 400,
      baselineMean: 20,
      ratio: 20,
      requiredRatio: 3,
      severity: "critical",
      continuesPeakId: null,
    });
    expect(peaks[0]?.referenceCounts).toEqual([20, 20, 20]);
    expect(peaks.slice(1).every((peak) => peak.continuesPeakId === peaks[0]?.id)).toBe(true);
    const slot = await db().prisma.aggregationData.findFirstOrThrow({ where: { namespace: "payments", ...grid.slotOf(incidentStart) } });
    // The incident entered its slot at the slot's ordinary ceiling (20 + 2·√20 in a namespace
    // with no spread beyond Poisson), not at 400.
    expect(slot.mean).toBeCloseTo((3 * 20 + 20 + 2 * Math.sqrt(20)) / 4, 12);
  });

  it("changes nothing when the same input is ingested again", async () => {
    const before = await dump(db().prisma);
    await ingestFiles(db(), config, { paths: initFiles, mode: "init" });
    const again = await ingestFiles(db(), config, { paths: regularFiles, mode: "detect" });
    expect(again.windows.stored).toBe(0);
    expect(again.peaks).toEqual({ new: 0, continuing: 0, changed: 0, removed: 0 });
    expect(again.windows.corrected).toBe(0);
    expect(await dump(db().prisma)).toEqual(before);
  });

  it("recomputes the same baselines from the stored windows", async () => {
    const before = await db().prisma.aggregationData.findMany({ orderBy: { id: "asc" } });
    const report = await recalculateBaseline(db());
    expect(report.slots).toBe(2 * 7 * 96);
    expect(report.largestMeanDifference).toBeLessThan(1e-12);
    const after = await db().prisma.aggregationData.findMany();
    const key = (slot: (typeof after)[number]) => `${slot.namespace}|${slot.dayOfWeek}|${slot.hourOfDay}|${slot.quarterHour}`;
    const afterByKey = new Map(after.map((slot) => [key(slot), slot]));
    for (const slot of before) {
      const recomputed = afterByKey.get(key(slot));
      expect(recomputed?.samples).toBe(slot.samples);
      expect(Math.abs((recomputed?.mean ?? NaN) - slot.mean)).toBeLessThan(1e-9);
      expect(Math.abs((recomputed?.m2 ?? NaN) - slot.m2)).toBeLessThan(1e-6);
    }
  });

  it("stores nothing for a range past the end of the inputs: every window is a gap, not a zero", async () => {
    const before = await dump(db().prisma);
    const next = grid.localDayRange("2026-02-02");
    const report = await ingestFiles(db(), config, { paths: [file(days[27]!)], mode: "detect", range: { fromMs: next.startMs, toMs: next.endMs } });
    expect(report.windows.stored).toBe(0);
    expect(report.coverage.coveredWindows).toBe(0);
    expect(report.coverage.gapWindows).toBe(96 * 2);
    expect(report.coverage.gaps.map((gap) => [gap.namespace, gap.fromMs, gap.toMs])).toEqual(
      ["orders", "payments"].map((namespace) => [namespace, next.startMs, next.endMs]),
    );
    const after = await dump(db().prisma);
    expect(after.windows).toEqual(before.windows);
    expect(after.slots).toEqual(before.slots);
  });

  it("writes nothing on a dry run", async () => {
    const before = await dump(db().prisma);
    const dryRun = await ingestFiles(db(), config, { paths: [...initFiles, ...regularFiles], mode: "detect", isDryRun: true });
    // Read together, the two sets join: the windows at their seam are covered now.
    expect(dryRun.windows.stored).toBe(2 * 2);
    expect(dryRun.isDryRun).toBe(true);
    expect(await dump(db().prisma)).toEqual(before);
  });

  it("fills a day removed by hand with measured zeros where a source covered it, and leaves gaps alone", async () => {
    const { startMs, endMs } = grid.localDayRange("2026-01-10");
    await db().prisma.peakRawData.deleteMany({ where: { timestamp: { gte: new Date(startMs), lt: new Date(endMs) } } });
    const report = await fillMissingWindows(db(), config, {});
    expect(report.windowsAdded).toBe(96 * 2);
    const zeros = await db().prisma.peakRawData.count({ where: { timestamp: { gte: new Date(startMs), lt: new Date(endMs) }, errorCount: 0 } });
    expect(zeros).toBe(96 * 2);
    // The seam between the two ingestions (day 21's last window, day 22's first) was never covered.
    expect(report.gapWindows).toBe(2 * 2);
    expect((await fillMissingWindows(db(), config, {})).windowsAdded).toBe(0);
  });
});

describe.each(databaseKinds)("batch ingestion on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  it("plans INIT for the first 21 days and REGULAR after, and skips days already ingested", async () => {
    const folder = await readFolder(config, inputDir);
    const plan = await planBatch(db(), config, { input: folder, phase: "all" });
    expect(plan).toHaveLength(28);
    expect(plan.filter((day) => day.mode === "init").map((day) => day.day)).toEqual(days.slice(0, 21));
    const result = await runBatch(db(), config, plan, () => {}, folder);
    expect(result.days).toBe(28);
    expect(await db().prisma.peakInvestigation.count()).toBe(4);
    const replan = await planBatch(db(), config, { input: folder, phase: "all" });
    // The first and the last day have a window at the edge of the data that nothing covered: they are read again.
    expect(replan.filter((day) => day.action !== "skip (already ingested)").map((day) => [day.day, day.action])).toEqual([
      [days[0], "re-read (had gaps)"],
      [days[27], "re-read (had gaps)"],
    ]);
    const forced = await planBatch(db(), config, { input: folder, phase: "regular", fromDay: days[27], force: true });
    expect(forced).toEqual([expect.objectContaining({ day: days[27], action: "re-ingest (--force)" })]);
    await expect(planBatch(db(), config, { input: folder, phase: "all", fromDay: days[5], toDay: days[2] })).rejects.toThrow(/is after --to/);
  });
});

describe.each(databaseKinds)("a run killed with SIGKILL on %s", (kind: DatabaseKind) => {
  const cli = path.join(root, "cli", "index.ts");
  let clean: Awaited<ReturnType<typeof dump>>;

  const runIngest = (environment: Record<string, string>, killAfterMs: number | null) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", cli, "ingest", "--input", inputDir], {
        cwd: root,
        env: childProcessEnvironment(environment),
        stdio: "ignore",
      });
      const timer = killAfterMs === null ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });

  const environmentOf = (database: Awaited<ReturnType<typeof createTestDatabase>>): Record<string, string> =>
    database.target.kind === "postgres" ? { DATABASE_URL: database.target.url } : { PEAKS_DATA_DIR: database.target.dataDir, DATABASE_URL: "" };

  beforeAll(async () => {
    const reference = await createTestDatabase(kind);
    expect(await runIngest(environmentOf(reference), null)).toBe(0);
    const opened = await reference.open();
    clean = await dump(opened.prisma);
    await opened.close();
    await reference.drop();
  });

  it.each([400, 1500, 3000])("gives exactly the result of one clean run when re-run after a kill at %i ms", async (killAfterMs) => {
    const database = await createTestDatabase(kind);
    try {
      await runIngest(environmentOf(database), killAfterMs);
      expect(await runIngest(environmentOf(database), null)).toBe(0);
      const opened = await database.open();
      try {
        expect(await dump(opened.prisma)).toEqual(clean);
      } finally {
        await opened.close();
      }
    } finally {
      await database.drop();
    }
  });
});

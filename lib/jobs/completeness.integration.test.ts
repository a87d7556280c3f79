import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type FrozenConfig } from "@/lib/config";
import {
  batchFolder,
  countErrorsByWindow,
  dumpDetectionState,
  generateSet,
  writeByUtcDate,
  writeOneFile,
  type GeneratedSet,
} from "@/test/support/completeness";
import { dayDocuments, daysFrom, writeLines, type CountPlan } from "@/test/support/log-files";
import { databaseKinds, type DatabaseKind, useMigratedDatabase } from "@/test/support/test-database";
import { gridOf } from "@/lib/config/grid";
import { ingestFiles } from "./ingest";

const root = path.resolve(import.meta.dirname, "..", "..");
const config = loadConfig(path.join(root, "values.yaml"));
const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-completeness-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const WINDOW_MS = 15 * 60_000;

// ---------------------------------------------------------------------------------------------
// UTC-named daily files against one file, east and west of UTC

/** The default timezone (UTC+1 in January) and one west of UTC (UTC−8 in January). */
const timezones = [config.timezone, "America/Los_Angeles"] as const;

type PreparedSet = { config: FrozenConfig; set: GeneratedSet; splitDir: string; oneDir: string; files: string[] };
const prepared = new Map<string, PreparedSet>();

beforeAll(() => {
  for (const timeZone of timezones) {
    // 25 local days without a DST change: 21 INIT days, then 4 with detection and incidents. The
    // data never falls silent for a whole window, so the daily files join into one stream.
    const set = generateSet({ timeZone, from: "2026-01-05", days: 25, namespaces: 3, rate: 0.3 });
    const base = path.join(workDir, timeZone.replace("/", "-"));
    const splitDir = path.join(base, "by-utc-date");
    const oneDir = path.join(base, "one-file");
    mkdirSync(splitDir, { recursive: true });
    mkdirSync(oneDir, { recursive: true });
    const files = writeByUtcDate(splitDir, set.documents);
    writeOneFile(path.join(oneDir, "everything.ndjson"), set.documents);
    prepared.set(timeZone, { config: { ...config, timezone: timeZone }, set, splitDir, oneDir, files });
  }
}, 120_000);

const preparedSet = (timeZone: string): PreparedSet => {
  const entry = prepared.get(timeZone);
  if (!entry) throw new Error(`no data set for ${timeZone}`);
  return entry;
};

describe.each(databaseKinds)("UTC-named daily files on %s", (kind: DatabaseKind) => {
  describe.each(timezones)("in %s", (timeZone) => {
    const bySplitFiles = useMigratedDatabase(kind);
    const byOneFile = useMigratedDatabase(kind);

    it("batch --all stores the same windows, baselines and peaks as batch over one file holding everything", async () => {
      const { config: zoned, splitDir, oneDir, files } = preparedSet(timeZone);
      // The split really cuts local days: 26 UTC dates hold the 25 local days.
      expect(files).toHaveLength(26);
      const split = await batchFolder(bySplitFiles(), zoned, splitDir, { phase: "all" });
      const one = await batchFolder(byOneFile(), zoned, oneDir, { phase: "all" });
      expect(split.plan.map((day) => [day.day, day.mode])).toEqual(one.plan.map((day) => [day.day, day.mode]));
      expect(split.plan).toHaveLength(25);
      expect(split.plan.filter((day) => day.mode === "detect")).toHaveLength(4);
      const [expected, actual] = [await dumpDetectionState(byOneFile().prisma), await dumpDetectionState(bySplitFiles().prisma)];
      expect(expected.peaks.length).toBeGreaterThan(0);
      expect(actual.windows).toEqual(expected.windows);
      expect(actual.slots).toEqual(expected.slots);
      expect(actual.peaks).toEqual(expected.peaks);
      expect(split.reports.map((report) => report.coverage.gapWindows)).toEqual(one.reports.map((report) => report.coverage.gapWindows));
    });

    it("stores, in the covered windows, exactly the ERROR documents whose timestamps fall in them, and nothing outside the inputs' span", async () => {
      const { config: zoned, set } = preparedSet(timeZone);
      const grid = gridOf(zoned);
      const expected = countErrorsByWindow(set.documents, grid);
      const windows = await bySplitFiles().prisma.peakRawData.findMany({ select: { timestamp: true, namespace: true, errorCount: true } });
      const firstMs = set.documents[0]!.timestamp;
      const lastMs = set.documents[set.documents.length - 1]!.timestamp;

      const mismatches = windows.flatMap((window) => {
        const wanted = expected.get(`${window.timestamp.getTime()}|${window.namespace}`) ?? 0;
        return wanted === window.errorCount ? [] : [`${window.timestamp.toISOString()} ${window.namespace}: stored ${window.errorCount}, documents ${wanted}`];
      });
      expect(mismatches).toEqual([]);
      const storedSum = windows.reduce((sum, window) => sum + window.errorCount, 0);
      const documentSum = windows.reduce((sum, window) => sum + (expected.get(`${window.timestamp.getTime()}|${window.namespace}`) ?? 0), 0);
      expect(storedSum).toBe(documentSum);

      // Nothing outside [first document, last document]; and the data has no silence of a whole
      // window, so every window inside that span is stored, for every namespace.
      const outside = windows.filter((window) => window.timestamp.getTime() < firstMs || window.timestamp.getTime() + WINDOW_MS > lastMs);
      expect(outside).toEqual([]);
      const inside = grid.windowsBetween(firstMs, lastMs).filter((start) => start + WINDOW_MS <= lastMs);
      expect(windows).toHaveLength(inside.length * set.plan.namespaces.length);
      // Every ERROR document of a fully covered window is counted: only the two edge windows hold uncounted ones.
      const stored = new Set(windows.map((window) => `${window.timestamp.getTime()}|${window.namespace}`));
      const uncounted = [...expected].filter(([key]) => !stored.has(key));
      expect(new Set(uncounted.map(([key]) => Number(key.split("|")[0])))).toEqual(new Set([grid.windowStartOf(firstMs), grid.windowStartOf(lastMs)]));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Missing namespaces and partial days are gaps, not zeros

const handGrid = gridOf(config);
const handNamespaces = ["orders", "payments", "shipping"] as const;
/** Five errors a window in every namespace, one every three minutes (first at 1:30): files of a day start at 00:01:30 and end at 23:58:30. */
const steady: CountPlan = () => 5;
// Monday 2 March 2026 on: no DST change in Prague.
const handDays = daysFrom(handGrid, "2026-03-02", 3);

const linesOf = (day: string, namespaces: readonly string[], untilMs = Infinity) =>
  [...dayDocuments(handGrid, day, namespaces, steady)].filter((line) => Date.parse((JSON.parse(line) as { "@timestamp": string })["@timestamp"]) <= untilMs);

describe.each(databaseKinds)("a namespace or hours missing from a file on %s", (kind: DatabaseKind) => {
  const missingNamespace = useMigratedDatabase(kind);
  const partialDay = useMigratedDatabase(kind);

  it("leaves the other namespaces' windows of a day holding only one namespace as gaps, and fills them from the complete file without correcting anything", async () => {
    const dir = path.join(workDir, `missing-namespace-${kind}`);
    mkdirSync(dir, { recursive: true });
    const fileOf = (day: string) => path.join(dir, `errors-${day}.ndjson`);
    const [first, middle, last] = handDays as [string, string, string];
    await writeLines(fileOf(first), linesOf(first, handNamespaces));
    await writeLines(fileOf(middle), linesOf(middle, ["orders"]));
    await writeLines(fileOf(last), linesOf(last, handNamespaces));
    const database = missingNamespace();
    const { prisma } = database;

    const report = await ingestFiles(database, config, { paths: [dir], mode: "init" });
    const middleDay = handGrid.localDayRange(middle);
    const storedOfMiddle = await prisma.peakRawData.groupBy({
      by: ["namespace"],
      where: { timestamp: { gte: new Date(middleDay.startMs), lt: new Date(middleDay.endMs) } },
      _count: { _all: true },
    });
    expect(storedOfMiddle.map((row) => [row.namespace, row._count._all])).toEqual([["orders", 96]]);
    // payments and shipping: from the last window of the first day (its file ends 23:58:30) to the
    // first window of the last day (its file starts 00:01:30): 98 windows each, reported as gaps.
    const gapFrom = middleDay.startMs - WINDOW_MS;
    const gapTo = middleDay.endMs + WINDOW_MS;
    expect(report.coverage.gaps.map((gap) => [gap.namespace, gap.fromMs, gap.toMs])).toEqual([
      ["payments", gapFrom, gapTo],
      ["shipping", gapFrom, gapTo],
    ]);
    expect(report.coverage.gapWindows).toBe(2 * 98);
    expect(
      await prisma.peakRawData.count({ where: { namespace: { in: ["payments", "shipping"] }, timestamp: { gte: new Date(gapFrom), lt: new Date(gapTo) } } }),
    ).toBe(0);
    const before = await dumpDetectionState(prisma);

    await writeLines(fileOf(middle), linesOf(middle, handNamespaces));
    const complete = await ingestFiles(database, config, { paths: [dir], mode: "init" });
    expect(complete.windows).toEqual({ stored: 2 * 98, alreadyStored: before.windows.length, corrected: 0 });
    expect(complete.coverage.gapWindows).toBe(0);
    expect(await prisma.windowCorrection.count()).toBe(0);
    const after = await dumpDetectionState(prisma);
    // Every window stored before is untouched; the new ones hold the file's counts.
    expect(
      after.windows.filter((window) =>
        before.windows.some((old) => old.timestamp.getTime() === window.timestamp.getTime() && old.namespace === window.namespace),
      ),
    ).toEqual(before.windows);
    const added = after.windows.filter(
      (window) => window.timestamp.getTime() >= gapFrom && window.timestamp.getTime() < gapTo && window.namespace !== "orders",
    );
    expect(added).toHaveLength(2 * 98);
    expect(added.every((window) => window.errorCount === 5 && !window.isPeak)).toBe(true);
  });

  it("stores no window after 10:00 of a day whose file ends at 10:07, and the rest from the complete file without correcting anything", async () => {
    const dir = path.join(workDir, `partial-day-${kind}`);
    mkdirSync(dir, { recursive: true });
    const fileOf = (day: string) => path.join(dir, `errors-${day}.ndjson`);
    const [first, partial] = handDays as [string, string];
    const partialDayRange = handGrid.localDayRange(partial);
    const tenOClock = partialDayRange.startMs + 10 * 3_600_000;
    await writeLines(fileOf(first), linesOf(first, handNamespaces));
    await writeLines(fileOf(partial), linesOf(partial, handNamespaces, tenOClock + 7 * 60_000));
    const database = partialDay();
    const { prisma } = database;

    const report = await ingestFiles(database, config, {
      paths: [dir],
      mode: "init",
      range: { fromMs: handGrid.localDayRange(first).startMs, toMs: partialDayRange.endMs },
    });
    const latest = await prisma.peakRawData.aggregate({ _max: { timestamp: true }, where: { timestamp: { gte: new Date(partialDayRange.startMs) } } });
    expect(latest._max.timestamp?.getTime()).toBe(tenOClock - WINDOW_MS);
    expect(await prisma.peakRawData.count({ where: { timestamp: { gte: new Date(tenOClock) } } })).toBe(0);
    expect(report.coverage.gaps.map((gap) => [gap.namespace, gap.fromMs, gap.toMs])).toEqual(
      handNamespaces.flatMap((namespace) => [
        // The first window of the data starts before its first document.
        [namespace, handGrid.localDayRange(first).startMs, handGrid.localDayRange(first).startMs + WINDOW_MS],
        [namespace, tenOClock, partialDayRange.endMs],
      ]),
    );
    const before = await dumpDetectionState(prisma);

    await writeLines(fileOf(partial), linesOf(partial, handNamespaces));
    const complete = await ingestFiles(database, config, { paths: [dir], mode: "init" });
    expect(complete.windows.corrected).toBe(0);
    expect(await prisma.windowCorrection.count()).toBe(0);
    const after = await dumpDetectionState(prisma);
    expect(after.windows.filter((window) => window.timestamp.getTime() < tenOClock)).toEqual(before.windows);
    // 10:00 to 23:30 (the day's last window ends after its last document), the 10:00 window with
    // all its five errors, not the two read before.
    const rest = after.windows.filter((window) => window.timestamp.getTime() >= tenOClock);
    expect(rest).toHaveLength(3 * (96 - 40 - 1));
    expect(rest.every((window) => window.errorCount === 5)).toBe(true);
  });
});

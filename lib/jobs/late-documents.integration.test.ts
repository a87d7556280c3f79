import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { differingSlots, dumpDetectionState, withFloatTolerance, type DetectionState } from "@/test/support/completeness";
import { dayDocuments, daysFrom, writeLines, type CountPlan } from "@/test/support/log-files";
import { databaseKinds, type DatabaseKind, useMigratedDatabase } from "@/test/support/test-database";
import { gridOf } from "@/lib/config/grid";
import { ingestFiles } from "./ingest";

// A window corrected by late documents is judged again against the baseline a clean ingestion
// would have judged it by: from the first changed window on, every later window of the range
// leaves its slot and is judged again in order. Young slots (after the usual 21 INIT days) pool
// the neighbouring windows of the same day, so judging against the baseline as it is now would
// give other inputs and another baseline contribution.

const root = path.resolve(import.meta.dirname, "..", "..");
const config = loadConfig(path.join(root, "values.yaml"));
const grid = gridOf(config);
const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-late-documents-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const WINDOW_MS = 15 * 60_000;
// The usual start: 21 INIT days from Monday 5 January 2026 (no DST change), then one day with detection.
const days = daysFrom(grid, "2026-01-05", 22);
const detectionDay = days[21]!;
const detectionDayRange = grid.localDayRange(detectionDay);
const detectionRange = { fromMs: detectionDayRange.startMs, toMs: detectionDayRange.endMs };
const incidentStart = detectionRange.fromMs + 14 * 3_600_000;

/** orders at 6 and payments at 10 errors a window (twice that from 08:00 to 18:00); payments has an incident of 400 at 14:00–14:30 on the detection day. */
const plan: CountPlan = (namespace, start) => {
  if (namespace === "payments" && (start === incidentStart || start === incidentStart + WINDOW_MS)) return 400;
  const daily = grid.slotOf(start).hourOfDay >= 8 && grid.slotOf(start).hourOfDay < 18 ? 2 : 1;
  return (namespace === "orders" ? 6 : 10) * daily;
};

/** `count` more ERROR documents of a namespace inside one window, one a second, as a late shipper delivers them. */
function lateLines(namespace: string, windowStart: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    JSON.stringify({
      "@timestamp": new Date(windowStart + 1000 + index * 1000).toISOString(),
      level: "ERROR",
      message: `Late delivery ${index}: upstream timed out`,
      kubernetes: { namespace, labels: { app: `${namespace}-api` } },
    }),
  );
}

const cases = [
  { name: "a window becomes a peak", namespace: "orders", windowStart: detectionRange.fromMs + 11 * 3_600_000, usual: 12, extra: 300, wasPeak: false },
  { name: "a peak's count changes", namespace: "payments", windowStart: incidentStart, usual: 400, extra: 80, wasPeak: true },
] as const;

describe.each(databaseKinds)("late documents on %s", (kind: DatabaseKind) => {
  const dir = path.join(workDir, kind);
  const fileOf = (day: string) => path.join(dir, `errors-${day}.ndjson`);

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    for (const day of days) await writeLines(fileOf(day), dayDocuments(grid, day, ["orders", "payments"], plan));
  });

  describe.each(cases)("when $name", ({ namespace, windowStart, usual, extra, wasPeak }) => {
    const corrected = useMigratedDatabase(kind);
    const clean = useMigratedDatabase(kind);

    it("stores the count, the slot's baseline and the peak a clean ingest of the final data stores, and records one correction", async () => {
      const initFiles = days.slice(0, 21).map(fileOf);
      // The day before is read with the day so that the day's first window is covered.
      const dayFiles = [fileOf(days[20]!), fileOf(detectionDay)];
      const lateFile = path.join(dir, `late-${namespace}.ndjson`);
      writeFileSync(lateFile, `${lateLines(namespace, windowStart, extra).join("\n")}\n`);

      await ingestFiles(corrected(), config, { paths: initFiles, mode: "init" });
      await ingestFiles(corrected(), config, { paths: dayFiles, mode: "detect", range: detectionRange });
      const peakBefore = await corrected().prisma.peakInvestigation.findFirst({ where: { namespace, timestamp: new Date(windowStart) } });
      expect(peakBefore !== null).toBe(wasPeak);
      if (peakBefore) await corrected().prisma.peakInvestigation.update({ where: { id: peakBefore.id }, data: { status: "acknowledged" } });
      const again = await ingestFiles(corrected(), config, { paths: [...dayFiles, lateFile], mode: "detect", range: detectionRange });
      expect(again.windows).toMatchObject({ stored: 0, corrected: 1 });

      await ingestFiles(clean(), config, { paths: initFiles, mode: "init" });
      await ingestFiles(clean(), config, { paths: [...dayFiles, lateFile], mode: "detect", range: detectionRange });

      const [expected, actual] = [await dumpDetectionState(clean().prisma), await dumpDetectionState(corrected().prisma)];
      const windowOf = (state: DetectionState) => state.windows.find((window) => window.namespace === namespace && window.timestamp.getTime() === windowStart);
      expect(windowOf(actual)).toMatchObject({ errorCount: usual + extra, isPeak: true });
      // Every peak in full (but for the triage set above), the later ones too: from the corrected
      // window on, the range is judged again in order. Floats to 1e-9: taking a value out of
      // running stats and putting it back rounds differently from never having added it.
      const untriaged = (state: DetectionState): DetectionState => ({ ...state, peaks: state.peaks.map((peak) => ({ ...peak, status: "open" })) });
      expect(actual.peaks.find((peak) => peak.namespace === namespace && peak.timestamp.getTime() === windowStart)).toMatchObject({
        errorCount: usual + extra,
      });
      expect({ windows: actual.windows, peaks: untriaged(actual).peaks }).toEqual(withFloatTolerance(untriaged(expected)));
      expect(windowOf(actual)).toEqual(
        withFloatTolerance(expected).windows.find((window) => window.namespace === namespace && window.timestamp.getTime() === windowStart),
      );
      expect(differingSlots(expected.slots, actual.slots)).toEqual([]);

      const corrections = await corrected().prisma.windowCorrection.findMany({ omit: { id: true, correctedAt: true } });
      const peakAfter = await corrected().prisma.peakInvestigation.findFirstOrThrow({ where: { namespace, timestamp: new Date(windowStart) } });
      expect(corrections).toEqual([
        {
          timestamp: new Date(windowStart),
          namespace,
          previousCount: usual,
          count: usual + extra,
          wasPeak,
          isPeak: true,
          reason: "reread",
          peakId: peakAfter.id,
        },
      ]);
      if (peakBefore) expect(peakAfter).toMatchObject({ id: peakBefore.id, status: "acknowledged" });
      expect(await clean().prisma.windowCorrection.count()).toBe(0);
    });
  });
});

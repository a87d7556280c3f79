import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { findKnownNamespaces } from "@/lib/db/detection-store";
import { findCoverage } from "@/lib/db/window-corrections";
import { coveredWindowStarts, gapsBetween, spansOf, type CoverageGap } from "@/lib/pipeline/coverage";
import type { TimeRange } from "@/lib/pipeline/log-document";
import { recalculateNamespace, TRANSACTION_OPTIONS, type RecalculationReport } from "./baseline";
import { findShiftsAfter } from "./new-normal";
import { gridOf } from "@/lib/config/grid";

export type FillReport = {
  namespaces: number;
  windowsAdded: number;
  range: TimeRange | null;
  isDryRun: boolean;
  /** Windows missing in the range that no source ever covered: gaps, left unfilled. */
  gaps: CoverageGap[];
  gapWindows: number;
};

/**
 * Adds a measured zero for every (window, namespace) missing in the range (default: from the
 * first to the last stored window) that a source is recorded to have covered (see
 * SourceCoverage): a namespace first seen later, or windows removed by hand. Missing windows no
 * source covered are gaps and stay missing. The baselines of the namespaces that got windows are
 * recomputed, so that they are not biased upwards.
 */
export async function fillMissingWindows(db: Db, config: FrozenConfig, options: { range?: TimeRange; isDryRun?: boolean }): Promise<FillReport> {
  const grid = gridOf(config);
  const bounds = await db.prisma.peakRawData.aggregate({ _min: { timestamp: true }, _max: { timestamp: true } });
  const stored =
    bounds._min.timestamp && bounds._max.timestamp ? { fromMs: bounds._min.timestamp.getTime(), toMs: bounds._max.timestamp.getTime() + grid.windowMs } : null;
  // An open end (only --from or only --to) stops at the stored windows, never at 1970 or year 275760.
  const wanted = options.range && stored ? { fromMs: Math.max(options.range.fromMs, stored.fromMs), toMs: Math.min(options.range.toMs, stored.toMs) } : stored;
  const range = wanted && wanted.fromMs < wanted.toMs ? wanted : null;
  const namespaces = await findKnownNamespaces(db.prisma);
  const report: FillReport = { namespaces: namespaces.length, windowsAdded: 0, range, isDryRun: options.isDryRun ?? false, gaps: [], gapWindows: 0 };
  if (!range) return report;
  const coverage = await findCoverage(db.prisma, range);
  const recalculation: RecalculationReport = { namespaces: 0, windows: 0, slots: 0, largestMeanDifference: 0 };
  // A zero from before an accepted new normal enters like every other sample from before it.
  const shiftsAfter = await findShiftsAfter(db.prisma, range.fromMs);
  for (const namespace of namespaces) {
    // Per namespace, the zeros and the recomputed baseline land together or not at all.
    await db.prisma.$transaction(async (transaction) => {
      const existing = await transaction.peakRawData.findMany({
        where: { namespace, timestamp: { gte: new Date(range.fromMs), lt: new Date(range.toMs) } },
        select: { timestamp: true },
      });
      const present = new Set(existing.map((row) => row.timestamp.getTime()));
      const covered = coveredWindowStarts(spansOf(coverage, namespace), range, grid);
      const missing = covered.filter((start) => !present.has(start));
      const gaps = gapsBetween(
        namespace,
        [...present, ...covered].sort((left, right) => left - right),
        range,
        grid,
      );
      report.gaps.push(...gaps);
      report.gapWindows += gaps.reduce((sum, gap) => sum + gap.windows, 0);
      if (missing.length === 0) return;
      report.windowsAdded += missing.length;
      if (report.isDryRun) return;
      const shiftOf = shiftsAfter(namespace);
      await transaction.peakRawData.createMany({
        data: missing.map((start) => ({
          timestamp: new Date(start),
          namespace,
          errorCount: 0,
          baselineValue: shiftOf?.(start, grid.slotOf(start)) ?? 0,
          ...grid.slotOf(start),
        })),
        skipDuplicates: true,
      });
      await recalculateNamespace(transaction, namespace, recalculation);
    }, TRANSACTION_OPTIONS);
  }
  return report;
}

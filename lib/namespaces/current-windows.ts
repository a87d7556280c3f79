import type { NewestWindows } from "@/lib/completeness/freshness";
import type { Db } from "@/lib/db/client";
import { findNamespaceWindows, findSlotStatsOfNamespaces } from "@/lib/db/namespaces";
import { loadBaselineOfSlots, readThresholdsInForce } from "@/lib/detection/store";
import { buildChartSeries } from "@/lib/pipeline/chart-series";
import { dispersionOf } from "@/lib/pipeline/count-model";
import type { PeakDetectionSettings } from "@/lib/pipeline/detect";
import type { WindowGrid } from "@/lib/pipeline/time";
import type { CurrentWindow } from "./contract";

// Each namespace's newest stored window against its threshold, judged as the namespace chart
// draws it (buildChartSeries over that one window), so the overview and the chart never disagree.

const DAY_MS = 86_400_000;

type Judged = Omit<CurrentWindow, "isCurrent">;

async function judgeNewestWindows(
  db: Db,
  newest: readonly { namespace: string; latestStart: number }[],
  grid: WindowGrid,
  defaults: PeakDetectionSettings,
): Promise<Map<string, Judged>> {
  const judged = new Map<string, Judged>();
  if (newest.length === 0) return judged;
  const namespaces = newest.map((row) => row.namespace);
  const [thresholds, slotStats] = await Promise.all([readThresholdsInForce(db, defaults), findSlotStatsOfNamespaces(db, namespaces)]);
  const statsOf = new Map<string, { samples: number; mean: number; m2: number }[]>();
  for (const { namespace, ...stats } of slotStats) {
    const list = statsOf.get(namespace);
    if (list) list.push(stats);
    else statsOf.set(namespace, [stats]);
  }
  // Namespaces are usually read up to the same window: one read of windows and baseline per distinct newest window.
  const byStart = new Map<number, string[]>();
  for (const { namespace, latestStart } of newest) byStart.set(latestStart, [...(byStart.get(latestStart) ?? []), namespace]);
  await Promise.all(
    [...byStart].map(async ([start, group]) => {
      const [windows, baseline] = await Promise.all([
        findNamespaceWindows(db, group, start - DAY_MS, start + grid.windowMs),
        loadBaselineOfSlots(db.prisma, group, [grid.slotOf(start)], 60 / grid.windowMinutes),
      ]);
      for (const namespace of group) {
        const series = buildChartSeries({
          namespace,
          windows: windows.get(namespace) ?? [],
          fromMs: start,
          toMs: start + grid.windowMs,
          baseline,
          grid,
          settings: thresholds.settings,
          maxPoints: 1,
          dispersion: dispersionOf(statsOf.get(namespace) ?? []),
        });
        const point = series.points[0];
        const errorCount = point?.count ?? null;
        // The chart's threshold is rounded up to hundredths; a count is whole, so it is above exactly when it reaches the next whole number.
        const threshold = point?.threshold == null ? null : Math.ceil(point.threshold);
        judged.set(namespace, {
          namespace,
          windowStart: new Date(start).toISOString(),
          windowEnd: new Date(start + grid.windowMs).toISOString(),
          errorCount,
          threshold,
          baselineMean: point?.mean ?? null,
          isAbove: errorCount !== null && threshold !== null && errorCount >= threshold,
        });
      }
    }),
  );
  return judged;
}

/**
 * Every namespace's newest stored window against its threshold (see CurrentWindow), in the order of `newest`.
 * `completedEndMs` is the end of the last completed window: a newest window ending before it is
 * not current. Reads every namespace's day of windows and baseline figures: callers reuse it
 * while those tables are unchanged (lib/namespaces/list.ts).
 */
export async function readCurrentWindows(
  db: Db,
  newest: readonly NewestWindows[],
  context: { grid: WindowGrid; defaults: PeakDetectionSettings },
  completedEndMs: number,
): Promise<CurrentWindow[]> {
  const { grid, defaults } = context;
  const stored = newest.flatMap((row) => (row.latestStart === null ? [] : [{ namespace: row.namespace, latestStart: row.latestStart }]));
  const judged = await judgeNewestWindows(db, stored, grid, defaults);
  return newest.map((row): CurrentWindow => {
    const found = judged.get(row.namespace);
    if (!found || row.latestStart === null) {
      return {
        namespace: row.namespace,
        windowStart: null,
        windowEnd: null,
        errorCount: null,
        threshold: null,
        baselineMean: null,
        isAbove: false,
        isCurrent: false,
      };
    }
    return { ...found, isCurrent: row.latestStart + grid.windowMs >= completedEndMs };
  });
}

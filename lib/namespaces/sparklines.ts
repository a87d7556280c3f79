import type { Db } from "@/lib/db/client";
import { createVersionedRead, type TableVersions, type VersionedTable } from "@/lib/db/data-versions";
import { findNamespaceWindows } from "@/lib/db/namespaces";
import { loadBaselineOfSlots, readThresholdsInForce } from "@/lib/detection/store";
import type { BaselineTable } from "@/lib/pipeline/baseline";
import { buildChartSeries } from "@/lib/pipeline/chart-series";
import type { PeakDetectionSettings } from "@/lib/pipeline/detect";
import { SPARKLINE_POINTS, sparklineColumns, type NamespaceRow } from "./contract";
import type { SeriesContext } from "./series";

// The last 24 hours of a page of namespaces against their baselines, for the namespace lists: only
// the namespaces shown are drawn, whatever the platform's size. The queries are lib/db/namespaces.ts's.

const DAY_MS = 86_400_000;
/** The tables a namespace's sparkline and its judgement (list.ts) are computed from. */
export const NAMESPACE_SOURCE_TABLES: readonly VersionedTable[] = ["aggregation_data", "peak_raw_data", "threshold_settings"];

export type Sparkline = NamespaceRow["sparkline"];
export type SparklineDrawing = { from: number; to: number; bucketMinutes: number; byNamespace: Map<string, Sparkline> };

/** The latest drawing per database, reused while the page and what it was drawn from are unchanged (ten clients refreshing the same page draw it once). */
const reuseDrawing = createVersionedRead<SparklineDrawing>(NAMESPACE_SOURCE_TABLES);

function drawSparkline(
  namespace: string,
  windows: readonly { start: number; count: number }[],
  baseline: BaselineTable,
  settings: PeakDetectionSettings,
  context: SeriesContext,
  fromMs: number,
  toMs: number,
): { sparkline: Sparkline; bucketMinutes: number } {
  const series = buildChartSeries({ namespace, windows, fromMs, toMs, baseline, grid: context.grid, settings, maxPoints: SPARKLINE_POINTS });
  return {
    bucketMinutes: series.bucketMs / 60_000,
    sparkline: {
      ...sparklineColumns(series.points, fromMs, series.bucketMs),
      errors: series.errors,
      windows: series.windows,
      expected: series.expected === null ? null : Math.round(series.expected),
    },
  };
}

async function draw(db: Db, context: SeriesContext, namespaces: readonly string[], fromMs: number, toMs: number): Promise<SparklineDrawing> {
  const { grid } = context;
  const slots = grid.windowsBetween(fromMs, toMs).map((start) => grid.slotOf(start));
  // The day before the range too: the chart's threshold needs the 24 hours before each window.
  const [windows, baseline, thresholds] = await Promise.all([
    findNamespaceWindows(db, namespaces, fromMs - DAY_MS, toMs),
    loadBaselineOfSlots(db.prisma, namespaces, slots, 60 / grid.windowMinutes),
    readThresholdsInForce(db, context.defaults),
  ]);
  // Each namespace's bucket is the same (one range, one point budget): the empty draw gives it when no namespace is asked for.
  let bucketMinutes = drawSparkline("", [], new Map(), context.defaults, context, fromMs, toMs).bucketMinutes;
  const byNamespace = new Map<string, Sparkline>();
  for (const namespace of namespaces) {
    const drawn = drawSparkline(namespace, windows.get(namespace) ?? [], baseline, thresholds.settings, context, fromMs, toMs);
    bucketMinutes = drawn.bucketMinutes;
    byNamespace.set(namespace, drawn.sparkline);
  }
  return { from: fromMs, to: toMs, bucketMinutes, byNamespace };
}

/**
 * The last 24 hours (up to the end of the last completed window) of each of `namespaces` against
 * its baseline. The drawing is reused until the namespaces asked for, the current window, the
 * stored windows, the baseline or the thresholds change.
 */
export async function drawNamespaceSparklines(
  db: Db,
  context: SeriesContext,
  namespaces: readonly string[],
  now: Date,
  versionsRead?: TableVersions,
): Promise<SparklineDrawing> {
  const { grid } = context;
  const toMs = grid.windowStartOf(now.getTime());
  const fromMs = toMs - DAY_MS;
  const key = `${toMs}|${grid.timeZone}|${grid.windowMinutes}|${JSON.stringify(context.defaults)}|${JSON.stringify(namespaces)}`;
  return reuseDrawing(db, key, () => draw(db, context, namespaces, fromMs, toMs), versionsRead);
}

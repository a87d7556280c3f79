import type { Db } from "@/lib/db/client";
import { countOpenPeaksByNamespace, findBaselineNamespaces, findNamespaceWindows, readDrawingStamp } from "@/lib/db/namespaces";
import { createReusedRead } from "@/lib/db/reused-read";
import type { BaselineTable } from "@/lib/pipeline/baseline";
import { buildChartSeries } from "@/lib/pipeline/chart-series";
import type { PeakDetectionSettings } from "@/lib/pipeline/detect";
import { assertRole, type Actor } from "@/lib/roles";
import { SPARKLINE_POINTS, type NamespaceSparkline, type NamespaceSparklines } from "./contract";
import type { SeriesContext } from "./series";
import { loadBaselineOfSlots, readThresholdsInForce } from "@/lib/detection/store";

// Every namespace's last 24 hours against its baseline, for the overview: drawn once and reused
// while what it is drawn from is unchanged. The queries are lib/db/namespaces.ts's.

const DAY_MS = 86_400_000;

type DrawnSparkline = Omit<NamespaceSparkline, "openPeaks">;
type Drawing = { key: string; value: Promise<{ byNamespace: Map<string, DrawnSparkline>; bucketMinutes: number }> };

/** The latest drawing of the sparklines per database, reused while what it was drawn from is unchanged. */
const reuseDrawing = createReusedRead<Drawing>();

async function drawSparklines(
  db: Db,
  context: SeriesContext,
  fromMs: number,
  toMs: number,
): Promise<{ byNamespace: Map<string, DrawnSparkline>; bucketMinutes: number }> {
  const { grid } = context;
  const [windows, baselineNamespaces, thresholds] = await Promise.all([
    findNamespaceWindows(db, null, fromMs - DAY_MS, toMs),
    findBaselineNamespaces(db),
    readThresholdsInForce(db, context.defaults),
  ]);
  // A namespace that went quiet keeps its baseline: it is listed with no errors rather than left out.
  const namespaces = [...new Set([...baselineNamespaces, ...windows.keys()])];
  const slots = grid.windowsBetween(fromMs, toMs).map((start) => grid.slotOf(start));
  const baseline = await loadBaselineOfSlots(db, namespaces, slots, 60 / grid.windowMinutes);
  let bucketMinutes = grid.windowMinutes;
  const byNamespace = new Map<string, DrawnSparkline>();
  for (const namespace of namespaces) {
    const series = drawSparkline(namespace, windows.get(namespace) ?? [], baseline, thresholds.settings, context, fromMs, toMs);
    bucketMinutes = series.bucketMinutes;
    byNamespace.set(namespace, series.sparkline);
  }
  return { byNamespace, bucketMinutes };
}

function drawSparkline(
  namespace: string,
  windows: readonly { start: number; count: number }[],
  baseline: BaselineTable,
  settings: PeakDetectionSettings,
  context: SeriesContext,
  fromMs: number,
  toMs: number,
): { sparkline: DrawnSparkline; bucketMinutes: number } {
  const series = buildChartSeries({ namespace, windows, fromMs, toMs, baseline, grid: context.grid, settings, maxPoints: SPARKLINE_POINTS });
  return {
    bucketMinutes: series.bucketMs / 60_000,
    sparkline: {
      namespace,
      points: series.points.map(({ start, count, mean, low, high }) => ({ start, count, mean, low, high })),
      errors: series.errors,
      windows: series.windows,
      expected: series.expected === null ? null : Math.round(series.expected),
    },
  };
}

/**
 * Every namespace (with a baseline, windows in the last two days or open peaks), its last 24
 * hours against its baseline, for the overview (viewers and above). The drawing is reused until
 * the current window, the stored windows, the baseline or the thresholds change; open peaks are
 * counted for every request.
 */
export async function readNamespaceSparklines(db: Db, actor: Actor | null, context: SeriesContext, now: Date = new Date()): Promise<NamespaceSparklines> {
  assertRole(actor, "viewer");
  const { grid } = context;
  const toMs = grid.windowStartOf(now.getTime());
  const fromMs = toMs - DAY_MS;
  const [stamp, openPeaks] = await Promise.all([readDrawingStamp(db, fromMs - DAY_MS, toMs), countOpenPeaksByNamespace(db)]);
  const key = `${toMs}|${grid.timeZone}|${grid.windowMinutes}|${JSON.stringify(context.defaults)}|${stamp}`;
  const drawing = reuseDrawing(
    db.prisma,
    (kept) => kept.key === key,
    () => ({ key, value: drawSparklines(db, context, fromMs, toMs) }),
  );
  const { byNamespace, bucketMinutes } = await drawing.value;
  const openOf = new Map(openPeaks.map((row) => [row.namespace, row.open]));
  const namespaces = [...new Set([...byNamespace.keys(), ...openOf.keys()])].sort();
  return {
    from: fromMs,
    to: toMs,
    windowMinutes: grid.windowMinutes,
    bucketMinutes,
    namespaces: namespaces.map((namespace) => ({
      // A namespace with open peaks but neither windows nor a baseline has nothing to draw.
      ...(byNamespace.get(namespace) ?? drawSparkline(namespace, [], new Map(), context.defaults, context, fromMs, toMs).sparkline),
      openPeaks: openOf.get(namespace) ?? 0,
    })),
  };
}

import { countPeaksPerNamespace, findLatestThresholdSetting, findNewestWindowStart, findWindowsPerNamespace } from "@/lib/db/thresholds";
import { InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import { runBacktest, type BacktestNamespace } from "@/lib/pipeline/backtest";
import type { PeakDetectionSettings } from "@/lib/pipeline/detect";
import type { WindowGrid } from "@/lib/pipeline/time";
import { assertRole, type Actor } from "@/lib/roles";
import type { Db } from "@/lib/db/client";
import { BACKTEST_POINTS, BACKTEST_WARMUP_DAYS, backtestSchema, thresholdsOverDefaults, type BacktestAnswer, type BacktestRequest } from "./contract";

const DAY_MS = 86_400_000;

/**
 * What the proposed thresholds would have flagged over the last `days` days of stored windows,
 * next to what the thresholds in force flag over the same windows (admins). The range ends with
 * the newest stored window, so a database that stopped receiving data can still be tuned.
 */
export async function backtestThresholds(
  db: Db,
  actor: Actor | null,
  context: { grid: WindowGrid; defaults: PeakDetectionSettings },
  input: BacktestRequest,
): Promise<BacktestAnswer> {
  assertRole(actor, "admin");
  const parsed = parseInput(backtestSchema, input);
  const [newest, stateRow] = await Promise.all([findNewestWindowStart(db, parsed.namespace), findLatestThresholdSetting(db)]);
  if (!newest) {
    if (parsed.namespace) throw new NotFoundError(`No windows of namespace ${parsed.namespace} are stored`);
    throw new InvalidInputError("There are no stored windows to backtest against; ingest logs first", [{ path: "days", message: "no stored windows" }]);
  }
  const current = stateRow ? thresholdsOverDefaults(stateRow.values, context.defaults) : { ...context.defaults };
  const toMs = newest.getTime() + context.grid.windowMs;
  const fromMs = toMs - parsed.days * DAY_MS;
  const warmupFromMs = fromMs - BACKTEST_WARMUP_DAYS * DAY_MS;
  const [windows, storedOf] = await Promise.all([
    findWindowsPerNamespace(db, warmupFromMs, toMs, parsed.namespace),
    countPeaksPerNamespace(db, fromMs, toMs, parsed.namespace),
  ]);
  const first = runBacktest({
    windows,
    fromMs,
    toMs,
    grid: context.grid,
    current,
    proposed: parsed.values,
    seriesFor: new Set(parsed.namespace ? [parsed.namespace] : []),
    maxPoints: BACKTEST_POINTS,
  });
  let chartNamespace = parsed.namespace ?? null;
  let result = first;
  if (!chartNamespace && first.namespaces.length > 0) {
    const changed = (entry: BacktestNamespace) => entry.added.length + entry.removed.length;
    chartNamespace = [...first.namespaces].sort((left, right) => changed(right) - changed(left) || right.proposed - left.proposed)[0]!.namespace;
    // The chart's series is computed for its namespace alone: a second pass over one namespace is cheap.
    result = runBacktest({
      windows: new Map([[chartNamespace, windows.get(chartNamespace) ?? []]]),
      fromMs,
      toMs,
      grid: context.grid,
      current,
      proposed: parsed.values,
      seriesFor: new Set([chartNamespace]),
      maxPoints: BACKTEST_POINTS,
    });
  }
  const series = chartNamespace ? result.series.get(chartNamespace) : undefined;
  return {
    from: fromMs,
    to: toMs,
    days: parsed.days,
    warmupDays: BACKTEST_WARMUP_DAYS,
    currentVersion: stateRow?.id ?? null,
    current,
    proposed: parsed.values,
    totals: { ...first.totals, stored: [...storedOf.values()].reduce((sum, count) => sum + count, 0) },
    namespaces: first.namespaces.map((entry) => ({ ...entry, stored: storedOf.get(entry.namespace) ?? 0 })),
    chart: chartNamespace && series ? { namespace: chartNamespace, bucketMinutes: series.bucketMs / 60_000, points: series.points } : null,
  };
}

import type { Db } from "@/lib/db/client";
import { findDayPeaks, findDayWindows } from "@/lib/db/day-view";
import { slotKey } from "@/lib/pipeline/baseline";
import { standardDeviation } from "@/lib/pipeline/running-stats";
import { loadBaseline } from "@/lib/detection/store";

export type DayWindow = {
  start: Date;
  dayOfWeek: number;
  hourOfDay: number;
  quarterHour: number;
  count: number;
  /** The slot's current baseline (it may have moved since the window was judged). */
  baseline: { mean: number; stddev: number; samples: number } | null;
  peak: { id: number; severity: string; status: string; ratio: number; requiredRatio: number; continuesPeakId: number | null } | null;
};

export type DayNamespace = { namespace: string; total: number; peaks: number; windows: DayWindow[] };

/** A day's windows per namespace with their baselines and peaks (the seed's show_data_for_date). */
export async function readDay(db: Db, range: { fromMs: number; toMs: number }, namespace?: string): Promise<DayNamespace[]> {
  const [windows, peaks] = await Promise.all([findDayWindows(db, range, namespace), findDayPeaks(db, range, namespace)]);
  const namespaces = [...new Set(windows.map((window) => window.namespace))];
  const baseline = await loadBaseline(db.prisma, namespaces);
  const peakOf = new Map(peaks.map((peak) => [`${peak.namespace}|${peak.timestamp.getTime()}`, peak]));
  const result = new Map<string, DayNamespace>();
  for (const window of windows) {
    let entry = result.get(window.namespace);
    if (!entry) result.set(window.namespace, (entry = { namespace: window.namespace, total: 0, peaks: 0, windows: [] }));
    const stats = baseline.get(slotKey(window.namespace, window));
    const peak = peakOf.get(`${window.namespace}|${window.timestamp.getTime()}`) ?? null;
    entry.total += window.errorCount;
    if (peak) entry.peaks += 1;
    entry.windows.push({
      start: window.timestamp,
      dayOfWeek: window.dayOfWeek,
      hourOfDay: window.hourOfDay,
      quarterHour: window.quarterHour,
      count: window.errorCount,
      baseline: stats ? { mean: stats.mean, stddev: standardDeviation(stats), samples: stats.samples } : null,
      peak: peak
        ? {
            id: peak.id,
            severity: peak.severity,
            status: peak.status,
            ratio: peak.ratio,
            requiredRatio: peak.requiredRatio,
            continuesPeakId: peak.continuesPeakId,
          }
        : null,
    });
  }
  return [...result.values()];
}

import { generateDays, LEARNING_DAYS, planDataSet, type DataSetPlan } from "@/lib/synthetic/generate";
import type { WindowGrid } from "@/lib/pipeline/time";

export type GeneratedDataSet = {
  plan: DataSetPlan;
  /** Documents as Elasticsearch stores them (ISO timestamps with an offset), in time order. */
  documents: Record<string, unknown>[];
  /** Every local day of the set, the INIT days (before detection starts) and the detection days. */
  everything: { fromMs: number; toMs: number };
  learning: { fromMs: number; toMs: number };
  detection: { fromMs: number; toMs: number };
};

/** Four weeks of the project's generated data in three namespaces, as plain documents for both sources. */
export function generatedDataSet(grid: WindowGrid, seed = 11): GeneratedDataSet {
  const plan = planDataSet({ seed, from: "2026-01-05", days: 28, timeZone: grid.timeZone, windowMinutes: grid.windowMinutes, namespaces: 3, rate: 0.3 });
  const documents: Record<string, unknown>[] = [];
  for (const { documents: day } of generateDays(plan)) {
    for (const document of day) {
      documents.push({
        "@timestamp": new Date(document.timestamp).toISOString(),
        level: document.level,
        message: document.message,
        kubernetes: { namespace: document.namespace, ...(document.app ? { labels: { app: document.app } } : {}) },
        ...(document.traceId ? { trace: { id: document.traceId } } : {}),
      });
    }
  }
  const first = grid.localDayRange(plan.days[0]!).startMs;
  const split = grid.localDayRange(plan.days[LEARNING_DAYS]!).startMs;
  const last = grid.localDayRange(plan.days.at(-1)!).endMs;
  return { plan, documents, everything: { fromMs: first, toMs: last }, learning: { fromMs: first, toMs: split }, detection: { fromMs: split, toMs: last } };
}

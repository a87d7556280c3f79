import type { FrozenConfig } from "@/lib/config";
import { coveredWindowStarts, gapsBetween, overallSpans } from "@/lib/pipeline/coverage";
import type { LogSource, TimeRange } from "@/lib/pipeline/log-document";
import { createPatternMiner, headlineOf } from "@/lib/pipeline/patterns";
import { gridOf } from "@/lib/config/grid";

export type AnalyzePeriodOptions = {
  range: TimeRange;
  /** Rows of each ranking. */
  top: number;
  /** Documents read per window for the patterns (the earliest ones); counts are exact regardless. */
  samplePerWindow: number;
};

export type NamespaceTotal = { namespace: string; errors: number; share: number; windowsWithErrors: number; busiestWindow: { start: number; count: number } };
export type BusyWindow = { start: number; namespace: string; count: number };
export type PeriodPattern = {
  patternId: string;
  template: string;
  /** Documents of this pattern among those read. */
  sampled: number;
  /** Sampled documents weighted by their window's total / read: the expected count in the whole period. */
  estimated: number;
  namespaces: { namespace: string; sampled: number }[];
  example: string;
};

export type PeriodAnalysis = {
  source: string;
  range: TimeRange;
  timezone: string;
  errors: number;
  ignoredLevels: number;
  skipped: number;
  windows: number;
  /** The part of the period the source covered (documents of any level at both ends); totals speak only of it. */
  covered: TimeRange[];
  /** Windows of the period no input covered: their errors are unknown, not zero. */
  uncoveredWindows: number;
  namespaces: NamespaceTotal[];
  busiestWindows: BusyWindow[];
  patterns: PeriodPattern[];
  sample: { read: number; total: number };
};

type PatternTally = { sampled: number; estimated: number; byNamespace: Map<string, number>; example: string };

/**
 * The seed's analyze_period: totals per namespace and the busiest windows from the exact
 * counts, and the most frequent message patterns from a bounded sample of each window.
 */
export async function analyzePeriod(source: LogSource, config: FrozenConfig, options: AnalyzePeriodOptions): Promise<PeriodAnalysis> {
  const grid = gridOf(config);
  const counted = await source.countWindows(options.range);

  const covered = overallSpans(counted.coverage);
  const byNamespace = new Map<string, NamespaceTotal>();
  const windows: BusyWindow[] = [];
  for (const [start, counts] of counted.counts) {
    for (const [namespace, count] of counts) {
      if (count === 0) continue;
      windows.push({ start, namespace, count });
      const total = byNamespace.get(namespace) ?? { namespace, errors: 0, share: 0, windowsWithErrors: 0, busiestWindow: { start, count: 0 } };
      total.errors += count;
      total.windowsWithErrors += 1;
      if (count > total.busiestWindow.count || (count === total.busiestWindow.count && start < total.busiestWindow.start))
        total.busiestWindow = { start, count };
      byNamespace.set(namespace, total);
    }
  }
  const namespaces = [...byNamespace.values()].sort((left, right) => right.errors - left.errors || left.namespace.localeCompare(right.namespace));
  for (const total of namespaces) total.share = counted.documents > 0 ? total.errors / counted.documents : 0;
  windows.sort((left, right) => right.count - left.count || left.start - right.start || left.namespace.localeCompare(right.namespace));

  // Tallies per miner cluster; clusters may merge later, so they are combined per pattern at the end.
  const miner = createPatternMiner();
  const tallies = new Map<number, PatternTally>();
  const sample = await source.readDocuments({ range: options.range, maxPerWindow: options.samplePerWindow }, ({ documents, total }) => {
    const weight = documents.length > 0 ? total / documents.length : 0;
    for (const document of documents) {
      const handle = miner.add(document.message);
      let tally = tallies.get(handle);
      if (!tally) {
        tally = { sampled: 0, estimated: 0, byNamespace: new Map(), example: headlineOf(document.message) };
        tallies.set(handle, tally);
      }
      tally.sampled += 1;
      tally.estimated += weight;
      tally.byNamespace.set(document.namespace, (tally.byNamespace.get(document.namespace) ?? 0) + 1);
    }
  });
  const byPattern = new Map<string, PatternTally & { template: string }>();
  for (const [handle, tally] of tallies) {
    const pattern = miner.patternOf(handle);
    const combined = byPattern.get(pattern.id);
    if (!combined) {
      byPattern.set(pattern.id, { ...tally, byNamespace: new Map(tally.byNamespace), template: pattern.template });
      continue;
    }
    combined.sampled += tally.sampled;
    combined.estimated += tally.estimated;
    for (const [namespace, count] of tally.byNamespace) combined.byNamespace.set(namespace, (combined.byNamespace.get(namespace) ?? 0) + count);
  }
  const patterns = [...byPattern]
    .sort(([, left], [, right]) => right.estimated - left.estimated || left.template.localeCompare(right.template))
    .slice(0, options.top)
    .map(([patternId, tally]) => ({
      patternId,
      template: tally.template,
      sampled: tally.sampled,
      estimated: Math.round(tally.estimated),
      namespaces: [...tally.byNamespace]
        .map(([namespace, sampled]) => ({ namespace, sampled }))
        .sort((left, right) => right.sampled - left.sampled || left.namespace.localeCompare(right.namespace)),
      example: tally.example,
    }));

  return {
    source: source.description,
    range: options.range,
    timezone: grid.timeZone,
    errors: counted.documents,
    ignoredLevels: counted.ignoredLevels,
    skipped: counted.skipped.total,
    windows: grid.windowsBetween(options.range.fromMs, options.range.toMs).length,
    covered,
    uncoveredWindows: gapsBetween("", coveredWindowStarts(covered, options.range, grid), options.range, grid).reduce((sum, gap) => sum + gap.windows, 0),
    namespaces,
    busiestWindows: windows.slice(0, options.top),
    patterns,
    sample: { read: sample.read, total: sample.total },
  };
}

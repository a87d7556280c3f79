import type { FrozenConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import {
  findEffectiveThresholds,
  findKnownNamespaces,
  findWindows,
  insertPeaks,
  insertWindows,
  loadBaseline,
  recordIngestedDays,
  saveBaselineSlots,
  type NewPeakRow,
  type NewWindowRow,
} from "@/lib/db/detection-store";
import { fileSourceOf } from "@/lib/es";
import type { BaselineTable } from "@/lib/pipeline/baseline";
import { detectNamespace, type WindowCount } from "@/lib/pipeline/detect";
import type { CountReport, LogSource, SkippedDocuments } from "@/lib/pipeline/log-document";
import type { RunningStats } from "@/lib/pipeline/running-stats";
import { createWindowGrid, type WindowGrid } from "@/lib/pipeline/time";

const DAY_MS = 86_400_000;

export type IngestMode = "init" | "detect";

export type IngestOptions = {
  source: LogSource;
  mode: IngestMode;
  /**
   * Restricts ingestion to [fromMs, toMs); without it, the whole local days the data covers
   * (a source that cannot list its data, such as Elasticsearch, needs a range).
   */
  range?: { fromMs: number; toMs: number };
  /**
   * Windows ending after this instant (UTC ms) are left out: a window still filling up would
   * be stored with a partial count and never judged again. For live sources, pass now.
   */
  completedBefore?: number;
  isDryRun?: boolean;
  /** The source's counts of exactly this range, when the caller counted already (pipeline step 1). */
  counted?: CountReport;
};

/** A window judged a peak by this ingestion. */
export type DetectedPeak = { start: number; namespace: string; severity: string; count: number; mean: number; ratio: number; plateauStart: number | null };

export type IngestReport = {
  mode: IngestMode;
  isDryRun: boolean;
  /** Where the documents came from. */
  source: string;
  /** The files read (file source) or the source's description. */
  inputs: string[];
  range: { fromMs: number; toMs: number } | null;
  documents: number;
  ignoredLevels: number;
  outsideRange: number;
  skipped: SkippedDocuments;
  namespaces: string[];
  windows: { stored: number; alreadyStored: number; changedCounts: number };
  peaks: { new: number; continuing: number };
  /** The peaks found, in window order (stored unless a dry run). */
  detected: DetectedPeak[];
  /** Windows not judged because their baseline was still too young. */
  insufficientHistory: number;
  baselineSlots: number;
  thresholdsVersion: number | null;
  /** Local days entirely inside the range. */
  days: string[];
};

class DryRunRollback extends Error {}

/** The part of a range made of windows that ended at or before `completedBefore`. */
export function clipToCompletedWindows(range: { fromMs: number; toMs: number }, completedBefore: number, grid: WindowGrid): { fromMs: number; toMs: number } {
  return { fromMs: range.fromMs, toMs: Math.min(range.toMs, grid.windowStartOf(completedBefore)) };
}

function emptyCount(): CountReport {
  return { counts: new Map(), documents: 0, ignoredLevels: 0, outsideRange: 0, skipped: { total: 0, byReason: {}, examples: [] } };
}

/** Ingests log files or folders of them (see ingest). */
export function ingestFiles(
  prisma: PrismaClient,
  config: FrozenConfig,
  options: Omit<IngestOptions, "source"> & { paths: readonly string[]; onFileDone?: (file: string, bytes: number) => void },
): Promise<IngestReport> {
  const { paths, onFileDone, ...rest } = options;
  return ingest(prisma, config, { ...rest, source: fileSourceOf(config, paths, onFileDone ? { onFileDone } : {}) });
}

/** The grid of the configuration. */
export function gridOf(config: FrozenConfig): WindowGrid {
  return createWindowGrid(config.timezone, config.window_minutes);
}

function coveredRange(counts: CountReport["counts"], grid: WindowGrid): { fromMs: number; toMs: number } | null {
  let first = Infinity;
  let last = -Infinity;
  for (const start of counts.keys()) {
    if (start < first) first = start;
    if (start > last) last = start;
  }
  if (first === Infinity) return null;
  return {
    fromMs: grid.localDayRange(grid.localDateOf(first)).startMs,
    toMs: grid.localDayRange(grid.localDateOf(last)).endMs,
  };
}

/** Local days lying entirely inside a range. */
export function daysInside(range: { fromMs: number; toMs: number }, grid: WindowGrid): string[] {
  const days: string[] = [];
  let day = grid.localDateOf(range.fromMs);
  for (;;) {
    const { startMs, endMs } = grid.localDayRange(day);
    if (startMs >= range.toMs) break;
    if (startMs >= range.fromMs && endMs <= range.toMs) days.push(day);
    day = grid.localDateOf(endMs);
  }
  return days;
}

/**
 * Ingests log files: counts errors per window and namespace, completes the grid with zeros,
 * judges each new window (mode detect) and adds it to its baseline, and stores windows,
 * baselines and peaks in ONE transaction: a run that is killed leaves nothing half-written, and
 * a window already stored is never judged or added again, so re-running changes nothing.
 */
export async function ingest(prisma: PrismaClient, config: FrozenConfig, options: IngestOptions): Promise<IngestReport> {
  const grid = gridOf(config);
  const requested = options.range && options.completedBefore !== undefined ? clipToCompletedWindows(options.range, options.completedBefore, grid) : options.range;
  const counted = requested && requested.fromMs >= requested.toMs ? emptyCount() : (options.counted ?? (await options.source.countWindows(requested ?? null)));
  const inputs = await options.source.listInputs();
  const range = requested ?? coveredRange(counted.counts, grid);
  const report: IngestReport = {
    mode: options.mode,
    isDryRun: options.isDryRun ?? false,
    source: options.source.description,
    inputs,
    range: range && range.fromMs < range.toMs ? range : null,
    documents: counted.documents,
    ignoredLevels: counted.ignoredLevels,
    outsideRange: counted.outsideRange,
    skipped: counted.skipped,
    namespaces: [],
    windows: { stored: 0, alreadyStored: 0, changedCounts: 0 },
    peaks: { new: 0, continuing: 0 },
    detected: [],
    insufficientHistory: 0,
    baselineSlots: 0,
    thresholdsVersion: null,
    days: range ? daysInside(range, grid) : [],
  };
  if (!range || range.fromMs >= range.toMs) return report;

  const seen = new Set<string>();
  for (const byNamespace of counted.counts.values()) for (const namespace of byNamespace.keys()) seen.add(namespace);
  const gridStarts = grid.windowsBetween(range.fromMs, range.toMs);

  try {
    await prisma.$transaction(
      async (transaction) => {
        const namespaces = [...new Set([...(await findKnownNamespaces(transaction)), ...seen])].sort();
        report.namespaces = namespaces;
        const thresholds = await findEffectiveThresholds(transaction, config.peak_detection);
        report.thresholdsVersion = thresholds.version;
        const stored = await findWindows(transaction, range.fromMs - DAY_MS, range.toMs);
        const baseline = await loadBaseline(transaction, namespaces);
        const before = new Map(baseline);
        const newWindows: NewWindowRow[] = [];
        const newPeaks: NewPeakRow[] = [];

        for (const namespace of namespaces) {
          const storedWindows = stored.get(namespace) ?? [];
          const storedByStart = new Map(storedWindows.map((window) => [window.start, window]));
          const history: WindowCount[] = storedWindows
            .filter((window) => window.start < range.fromMs)
            .map((window) => ({ start: window.start, count: window.count, known: { isPeak: window.isPeak, plateauStart: window.plateauStart } }));
          const windows: WindowCount[] = gridStarts.map((start) => {
            const count = counted.counts.get(start)?.get(namespace) ?? 0;
            const existing = storedByStart.get(start);
            if (!existing) return { start, count };
            report.windows.alreadyStored += 1;
            if (existing.count !== count) report.windows.changedCounts += 1;
            return { start, count: existing.count, known: { isPeak: existing.isPeak, plateauStart: existing.plateauStart } };
          });
          const historyPeaks = new Map<number, number>();
          const isDetecting = options.mode === "detect";
          const decisions = detectNamespace({ namespace, windows, history, historyPeaks }, baseline, grid, thresholds.settings, {
            detect: isDetecting,
          });
          if (isDetecting) {
            for (const decision of decisions) {
              newWindows.push({
                start: decision.start,
                namespace,
                keys: decision.keys,
                count: decision.inputs.count,
                isPeak: decision.status === "peak",
                baselineValue: decision.baselineValue,
              });
              if (decision.status === "insufficient_history") report.insufficientHistory += 1;
              if (decision.status === "peak" && decision.severity) {
                newPeaks.push({
                  start: decision.start,
                  namespace,
                  keys: decision.keys,
                  severity: decision.severity,
                  inputs: decision.inputs,
                  plateauStart: decision.plateauStart,
                  thresholdsVersion: thresholds.version,
                });
                if (decision.plateauStart === null) report.peaks.new += 1;
                else report.peaks.continuing += 1;
                report.detected.push({
                  start: decision.start,
                  namespace,
                  severity: decision.severity,
                  count: decision.inputs.count,
                  mean: decision.inputs.mean,
                  ratio: decision.inputs.ratio,
                  plateauStart: decision.plateauStart,
                });
              }
            }
          } else {
            for (const window of windows) {
              if (window.known) continue;
              newWindows.push({ start: window.start, namespace, keys: grid.slotOf(window.start), count: window.count, isPeak: false, baselineValue: window.count });
            }
          }
        }

        const changedSlots = changedEntries(before, baseline);
        report.baselineSlots = changedSlots.size;
        report.windows.stored = await insertWindows(transaction, newWindows);
        await saveBaselineSlots(transaction, changedSlots);
        await insertPeaks(transaction, newPeaks);
        await recordIngestedDays(
          transaction,
          report.days.map((day) => ({
            day,
            mode: options.mode,
            documents: documentsOfDay(counted.counts, grid.localDayRange(day)),
            skipped: counted.skipped.total,
            files: inputs,
          })),
        );
        report.detected.sort((left, right) => left.start - right.start || left.namespace.localeCompare(right.namespace));
        if (report.isDryRun) throw new DryRunRollback();
      },
      { timeout: 15 * 60_000, maxWait: 120_000 },
    );
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return report;
}

function changedEntries(before: BaselineTable, after: BaselineTable): Map<string, RunningStats> {
  const changed = new Map<string, RunningStats>();
  for (const [key, stats] of after) if (before.get(key) !== stats) changed.set(key, stats);
  return changed;
}

function documentsOfDay(counts: CountReport["counts"], day: { startMs: number; endMs: number }): number {
  let total = 0;
  for (const [start, byNamespace] of counts) {
    if (start < day.startMs || start >= day.endMs) continue;
    for (const count of byNamespace.values()) total += count;
  }
  return total;
}

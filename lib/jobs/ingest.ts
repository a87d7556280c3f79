import { trackIncidents, type IncidentTally } from "@/lib/incidents/track";
import { gridOf } from "@/lib/config/grid";
import type { FrozenConfig } from "@/lib/config";
import type { Db, Prisma } from "@/lib/db/client";
import {
  type StoredWindow,
  findKnownNamespaces,
  findPeakStarts,
  findWindows,
  insertPeaks,
  insertWindows,
  recordIngestedDays,
  type NewPeakRow,
  type NewWindowRow,
} from "@/lib/db/detection-store";
import {
  recordCorrections,
  recordCoverage,
  removeUntriagedPeaks,
  updatePeakDecisions,
  updateWindows,
  type CorrectedWindowRow,
  type CorrectionReason,
  type RejudgedPeakRow,
  type WindowCorrectionRow,
} from "@/lib/db/window-corrections";
import { fileSourceOf } from "@/lib/es";
import { parseSlotKey, slotKey, withdrawSample, type BaselineTable } from "@/lib/pipeline/baseline";
import type { DispersionTracker } from "@/lib/pipeline/count-model";
import { clipCoverage, coveredWindowStarts, emptyCoverage, gapsBetween, overallSpans, spansOf, type CoverageGap } from "@/lib/pipeline/coverage";
import { detectNamespace, RECURRING_WEEKS, type WindowCount, type WindowDecision } from "@/lib/pipeline/detect";
import type { CountReport, Coverage, LogSource, SkippedDocuments, TimeRange } from "@/lib/pipeline/log-document";
import type { RunningStats } from "@/lib/pipeline/running-stats";
import type { SlotKeys, WindowGrid } from "@/lib/pipeline/time";
import { findShiftsAfter } from "./new-normal";
import { versionsSeenIn } from "./version-timeline";
import { addNamespaceVersions } from "@/lib/db/versions";
import {
  decisionColumns,
  findEffectiveThresholds,
  loadBaseline,
  loadBaselineOfSlots,
  loadDispersionTrackers,
  relinkPlateaus,
  saveBaselineSlots,
  saveDispersionTrackers,
} from "@/lib/detection/store";

const DAY_MS = 86_400_000;
/** How far back the peaks that tell a recurring one are read: RECURRING_WEEKS weeks and the hour a daylight-saving change moves a slot. */
const RECURRING_LOOKBACK_MS = RECURRING_WEEKS * 7 * DAY_MS + 3_600_000;

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
  /** Judge every covered window of the range again, as if corrected (batch --force). */
  rejudge?: boolean;
  /** Why stored windows change, for their correction records (default: reread, or force with rejudge). */
  correctionReason?: CorrectionReason;
  /**
   * A live run (the pipeline): an open or acknowledged incident back under threshold for
   * incidents.auto_resolve_quiet_windows windows is resolved. Ingesting history (batch, ingest)
   * leaves what it finds for triage, only marking ended incidents as ended.
   */
  autoResolveIncidents?: boolean;
  /** The instant incident changes are dated (a run's clock); default the current time. */
  now?: Date;
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
  /**
   * What the source covered in the range: its spans, the covered (window × namespace) pairs, and
   * the gaps, windows no input covered and not stored before, which stay unstored.
   */
  coverage: { spans: TimeRange[]; coveredWindows: number; gapWindows: number; gaps: CoverageGap[] };
  /** stored: new windows; alreadyStored: covered windows stored before; corrected: of those, the ones whose count or peak changed. */
  windows: { stored: number; alreadyStored: number; corrected: number };
  /** changed: peaks kept with a new count; removed: peaks of corrected windows that are no longer peaks. */
  peaks: { new: number; continuing: number; changed: number; removed: number };
  /** Stored windows whose count changed, with their peak before and after. */
  corrections: { start: number; namespace: string; previousCount: number; count: number; wasPeak: boolean; isPeak: boolean }[];
  /** The peaks found, in window order (stored unless a dry run). */
  detected: DetectedPeak[];
  /** Windows not judged because their baseline was still too young. */
  insufficientHistory: number;
  baselineSlots: number;
  thresholdsVersion: number | null;
  /** What the new peak windows did to incidents, and the incidents that ended; null for a dry run or an empty range. */
  incidents: IncidentTally | null;
  /** Local days entirely inside the range. */
  days: string[];
};

class DryRunRollback extends Error {}

/** The part of a range made of windows that ended at or before `completedBefore`. */
export function clipToCompletedWindows(range: { fromMs: number; toMs: number }, completedBefore: number, grid: WindowGrid): { fromMs: number; toMs: number } {
  return { fromMs: range.fromMs, toMs: Math.min(range.toMs, grid.windowStartOf(completedBefore)) };
}

function emptyCount(): CountReport {
  return { counts: new Map(), documents: 0, ignoredLevels: 0, outsideRange: 0, skipped: { total: 0, byReason: {}, examples: [] }, coverage: emptyCoverage };
}

/** Ingests log files or folders of them (see ingest). */
export function ingestFiles(
  db: Db,
  config: FrozenConfig,
  options: Omit<IngestOptions, "source"> & { paths: readonly string[]; onFileDone?: (file: string, bytes: number) => void },
): Promise<IngestReport> {
  const { paths, onFileDone, ...rest } = options;
  return ingest(db, config, { ...rest, source: fileSourceOf(config, paths, onFileDone ? { onFileDone } : {}) });
}

/** The grid of the configuration. */
/** The windows a coverage holds entirely, from the first to the last: the range to ingest when none is given. */
export function coveredExtent(coverage: Coverage, grid: WindowGrid): TimeRange | null {
  const spans = overallSpans(coverage);
  const first = spans[0];
  const last = spans[spans.length - 1];
  if (!first || !last) return null;
  const fromMs = grid.windowStartOf(first.fromMs) === first.fromMs ? first.fromMs : grid.windowStartOf(first.fromMs) + grid.windowMs;
  const toMs = grid.windowStartOf(last.toMs);
  return fromMs < toMs ? { fromMs, toMs } : null;
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
 * Ingests what a source read: for every namespace, the windows the source covered (see
 * Coverage) are stored with their counts, measured zeros included; windows it did not cover are
 * gaps, neither stored nor judged nor added to a baseline. A new window is judged (mode detect)
 * against its baseline and then added to it. A stored window read again with another count (or
 * every covered window, with `rejudge`) is corrected: its old contribution leaves its baseline,
 * it is judged again, the new one enters, and its peak appears, changes (keeping its id and
 * triage) or disappears, each correction recorded. Everything lands in ONE transaction: a run
 * that is killed leaves nothing half-written, and re-running with the same data changes nothing.
 */
export async function ingest(db: Db, config: FrozenConfig, options: IngestOptions): Promise<IngestReport> {
  const grid = gridOf(config);
  const requested =
    options.range && options.completedBefore !== undefined ? clipToCompletedWindows(options.range, options.completedBefore, grid) : options.range;
  const counted = requested && requested.fromMs >= requested.toMs ? emptyCount() : (options.counted ?? (await options.source.countWindows(requested ?? null)));
  const inputs = await options.source.listInputs();
  const range = requested ?? coveredExtent(counted.coverage, grid);
  if (range === null || range.fromMs >= range.toMs) return emptyReport(options, counted, inputs, null, grid);
  const report = emptyReport(options, counted, inputs, range, grid);

  const seen = new Set<string>();
  for (const byNamespace of counted.counts.values()) for (const namespace of byNamespace.keys()) seen.add(namespace);
  try {
    await db.prisma.$transaction(
      async (transaction) => {
        const state = await readState(transaction, config, range, seen, options.mode);
        report.namespaces = state.namespaces;
        report.thresholdsVersion = state.thresholds.version;
        const before = new Map(state.baseline);
        const changes: Changes = {
          newWindows: [],
          correctedWindows: [],
          newPeaks: [],
          rejudgedPeaks: [],
          vanished: [],
          corrections: [],
          relink: new Set(),
        };
        const run: IngestionRun = {
          options,
          counted,
          range,
          grid,
          state,
          report,
          changes,
          reason: options.correctionReason ?? (options.rejudge ? "force" : "reread"),
        };
        for (const namespace of state.namespaces) ingestNamespace(run, namespace);
        const changedSlots = changedEntries(before, state.baseline);
        report.baselineSlots = changedSlots.size;
        await writeChanges(transaction, run, changedSlots, config.peak_detection.same_day_window_count);
        // Every document read dates its version, not only those of the peaks investigated later.
        if (counted.versions) await addNamespaceVersions(transaction, versionsSeenIn(counted.versions, range));
        const gapWindows = gapWindowsPerDay(counted.coverage, range, grid);
        await recordIngestedDays(
          transaction,
          report.days.map((day) => ({
            day,
            mode: options.mode,
            documents: documentsOfDay(counted.counts, grid.localDayRange(day)),
            skipped: counted.skipped.total,
            files: inputs,
            gapWindows: gapWindows.get(day) ?? 0,
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
  // After the windows' transaction: a failure here leaves the peaks stored and unplaced, and the next run places them.
  if (!report.isDryRun) report.incidents = await trackIncidents(db, config, options.now ?? new Date(), { autoResolve: options.autoResolveIncidents ?? false });
  return report;
}

/** The report of an ingestion before anything is judged: what the source counted, and the range's days. */
function emptyReport(options: IngestOptions, counted: CountReport, inputs: string[], range: TimeRange | null, grid: WindowGrid): IngestReport {
  return {
    mode: options.mode,
    isDryRun: options.isDryRun ?? false,
    source: options.source.description,
    inputs,
    range,
    documents: counted.documents,
    ignoredLevels: counted.ignoredLevels,
    outsideRange: counted.outsideRange,
    skipped: counted.skipped,
    namespaces: [],
    coverage: { spans: range ? clipSpans(overallSpans(counted.coverage), range) : [], coveredWindows: 0, gapWindows: 0, gaps: [] },
    windows: { stored: 0, alreadyStored: 0, corrected: 0 },
    peaks: { new: 0, continuing: 0, changed: 0, removed: 0 },
    corrections: [],
    detected: [],
    insufficientHistory: 0,
    incidents: null,
    baselineSlots: 0,
    thresholdsVersion: null,
    days: range ? daysInside(range, grid) : [],
  };
}

/**
 * The windows per local day the source as a whole missed: such a day is read again later. A
 * namespace absent from every input of a day (retired, or not in this export) does not count.
 */
function gapWindowsPerDay(coverage: Coverage, range: TimeRange, grid: WindowGrid): Map<string, number> {
  const perDay = new Map<string, number>();
  for (const gap of gapsBetween("", coveredWindowStarts(overallSpans(coverage), range, grid), range, grid)) {
    for (const start of grid.windowsBetween(gap.fromMs, gap.toMs)) {
      const day = grid.localDateOf(start);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
  }
  return perDay;
}

/** The detection state an ingestion reads in its transaction. */
type StoredState = {
  namespaces: string[];
  thresholds: Awaited<ReturnType<typeof findEffectiveThresholds>>;
  stored: Map<string, StoredWindow[]>;
  earlierPeaks: Map<string, Set<number>>;
  shiftsAfter: Awaited<ReturnType<typeof findShiftsAfter>>;
  /** The slots of the range's windows and what judging them pools; changed in place as windows leave and enter it. */
  baseline: BaselineTable;
  /** Detect mode: each namespace's dispersion over all of its slots, kept up to date with `baseline`; empty in init mode. */
  dispersion: Map<string, DispersionTracker>;
  /** Namespaces whose dispersion was computed from their slots, not taken from a stored spread. */
  computedDispersion: Set<string>;
};

async function readState(
  transaction: Prisma.TransactionClient,
  config: FrozenConfig,
  range: TimeRange,
  seen: ReadonlySet<string>,
  mode: IngestOptions["mode"],
): Promise<StoredState> {
  const namespaces = [...new Set([...(await findKnownNamespaces(transaction)), ...seen])].sort();
  return {
    namespaces,
    thresholds: await findEffectiveThresholds(transaction, config.peak_detection),
    stored: await findWindows(transaction, range.fromMs - DAY_MS, range.toMs),
    earlierPeaks: await findPeakStarts(transaction, range.fromMs - RECURRING_LOOKBACK_MS, range.fromMs - DAY_MS),
    shiftsAfter: await findShiftsAfter(transaction, range.fromMs),
    baseline: await loadRangeBaseline(transaction, namespaces, range, gridOf(config)),
    ...(mode === "detect"
      ? await loadDispersionTrackers(transaction, namespaces, 60 / config.window_minutes)
      : { dispersion: new Map(), computedDispersion: new Set<string>() }),
  };
}

/**
 * The baseline slots judging a range reads: those of its windows, with the pooling ones that
 * young slots need (a window corrected in the range leaves its slot first, so a slot may lose
 * as many samples as the range has windows in it); every slot once the range spans a week.
 */
async function loadRangeBaseline(
  transaction: Prisma.TransactionClient,
  namespaces: readonly string[],
  range: TimeRange,
  grid: WindowGrid,
): Promise<BaselineTable> {
  const windowsPerSlot = new Map<string, { keys: SlotKeys; windows: number }>();
  for (const start of grid.windowsBetween(range.fromMs, range.toMs)) {
    const keys = grid.slotOf(start);
    const id = slotKey("", keys);
    const entry = windowsPerSlot.get(id);
    if (entry) entry.windows += 1;
    else windowsPerSlot.set(id, { keys, windows: 1 });
  }
  const windowsPerHour = 60 / grid.windowMinutes;
  if (windowsPerSlot.size >= 7 * 24 * windowsPerHour) return loadBaseline(transaction, namespaces);
  const withdrawable = Math.max(0, ...[...windowsPerSlot.values()].map((entry) => entry.windows));
  return loadBaselineOfSlots(
    transaction,
    namespaces,
    [...windowsPerSlot.values()].map((entry) => entry.keys),
    windowsPerHour,
    withdrawable,
  );
}

/** What one ingestion changes, gathered namespace by namespace and written at the end. */
type Changes = {
  newWindows: NewWindowRow[];
  correctedWindows: CorrectedWindowRow[];
  newPeaks: NewPeakRow[];
  rejudgedPeaks: RejudgedPeakRow[];
  vanished: { start: number; namespace: string }[];
  corrections: WindowCorrectionRow[];
  /** Namespaces whose peaks' plateau links must be computed again. */
  relink: Set<string>;
};

/** One ingestion in its transaction: what it reads, what it reports and what it will write. */
type IngestionRun = {
  options: IngestOptions;
  counted: CountReport;
  range: TimeRange;
  grid: WindowGrid;
  state: StoredState;
  report: IngestReport;
  changes: Changes;
  reason: CorrectionReason;
};

/** A window as this ingestion judged (or, in init mode, merely counted) it. */
type Outcome = { start: number; count: number; isPeak: boolean; baselineValue: number; decision: WindowDecision | null };

/** Judges one namespace's windows of the range and gathers their changes. */
function ingestNamespace(run: IngestionRun, namespace: string): void {
  const { options, grid, state } = run;
  const isDetecting = options.mode === "detect";
  const contributionShift = state.shiftsAfter(namespace);
  const { windows, history, previous } = windowsToJudge(run, namespace);
  // Judging also adds each window to its baseline slot, in init mode too.
  const decisions = detectNamespace(
    { namespace, windows, history, historyPeaks: new Map(), earlierPeaks: state.earlierPeaks.get(namespace), contributionShift },
    state.baseline,
    grid,
    state.thresholds.settings,
    { detect: isDetecting, dispersion: state.dispersion.get(namespace) },
  );
  const outcomes: Outcome[] = isDetecting
    ? decisions.map((decision) => ({
        start: decision.start,
        count: decision.inputs.count,
        isPeak: decision.status === "peak",
        baselineValue: decision.baselineValue,
        decision,
      }))
    : windows
        .filter((window) => !window.known)
        .map((window) => ({
          start: window.start,
          count: window.count,
          isPeak: false,
          baselineValue: window.count + (contributionShift?.(window.start, grid.slotOf(window.start)) ?? 0),
          decision: null,
        }));
  for (const outcome of outcomes) recordOutcome(run, namespace, outcome, previous.get(outcome.start));
}

/**
 * A namespace's windows to judge: the covered ones and those stored before in the range, in
 * order, with the stored history before the range. A stored window read again with another
 * count (or any, when forced) leaves its baseline slot, to be judged and added anew; it is
 * returned in `previous` with what was stored.
 */
function windowsToJudge(run: IngestionRun, namespace: string): { windows: WindowCount[]; history: WindowCount[]; previous: Map<number, StoredWindow> } {
  const { counted, range, grid, state, report, options } = run;
  const covered = coveredWindowStarts(spansOf(counted.coverage, namespace), range, grid);
  const storedWindows = state.stored.get(namespace) ?? [];
  const storedByStart = new Map(storedWindows.map((window) => [window.start, window]));
  report.coverage.coveredWindows += covered.length;
  const starts = [...new Set([...covered, ...storedWindows.filter((window) => window.start >= range.fromMs).map((window) => window.start)])].sort(
    (left, right) => left - right,
  );
  // A window stored by an earlier reading is not a gap: this reading just did not reach it.
  const gaps = gapsBetween(namespace, starts, range, grid);
  report.coverage.gaps.push(...gaps);
  report.coverage.gapWindows += gaps.reduce((sum, gap) => sum + gap.windows, 0);
  const isCovered = new Set(covered);
  const known = (window: StoredWindow) => ({ isPeak: window.isPeak, plateauStart: window.plateauStart });
  const history: WindowCount[] = storedWindows
    .filter((window) => window.start < range.fromMs)
    .map((window) => ({ start: window.start, count: window.count, known: known(window) }));
  const countOf = (start: number) => counted.counts.get(start)?.get(namespace) ?? 0;
  // From the first stored window whose count changed (or the first, when forced), every stored
  // window after it is judged again too: a clean ingestion would have judged each of them
  // against a baseline holding the corrected value and none of the later ones.
  const firstChange = options.rejudge
    ? -Infinity
    : (covered.find((start) => {
        const existing = storedByStart.get(start);
        return existing !== undefined && existing.count !== countOf(start);
      }) ?? Infinity);
  const previous = new Map<number, StoredWindow>();
  const windows: WindowCount[] = starts.map((start) => {
    const existing = storedByStart.get(start);
    if (!isCovered.has(start)) return { start, count: existing!.count, known: known(existing!) };
    const count = countOf(start);
    if (!existing) return { start, count };
    report.windows.alreadyStored += 1;
    if (start < firstChange) return { start, count: existing.count, known: known(existing) };
    previous.set(start, existing);
    const keys = grid.slotOf(start);
    const before = state.baseline.get(slotKey(namespace, keys));
    withdrawSample(state.baseline, namespace, keys, existing.baselineValue ?? existing.count);
    state.dispersion.get(namespace)?.replace(before, state.baseline.get(slotKey(namespace, keys)));
    return { start, count };
  });
  return { windows, history, previous };
}

/** Gathers what one judged window changes: a new or corrected window, and its peak appearing, changing or vanishing. */
function recordOutcome(run: IngestionRun, namespace: string, outcome: Outcome, old: StoredWindow | undefined): void {
  const { report, changes, grid, state } = run;
  const isDetecting = run.options.mode === "detect";
  const { decision } = outcome;
  if (decision?.status === "insufficient_history") report.insufficientHistory += 1;
  if (old) {
    changes.correctedWindows.push({
      start: outcome.start,
      namespace,
      count: outcome.count,
      isPeak: outcome.isPeak || (!isDetecting && old.isPeak),
      baselineValue: outcome.baselineValue,
    });
    if (old.count !== outcome.count || old.isPeak !== outcome.isPeak) {
      report.windows.corrected += 1;
      changes.corrections.push({
        start: outcome.start,
        namespace,
        previousCount: old.count,
        count: outcome.count,
        wasPeak: old.isPeak,
        isPeak: isDetecting ? outcome.isPeak : old.isPeak,
        reason: run.reason,
      });
    }
  } else {
    changes.newWindows.push({
      start: outcome.start,
      namespace,
      keys: grid.slotOf(outcome.start),
      count: outcome.count,
      isPeak: outcome.isPeak,
      baselineValue: outcome.baselineValue,
    });
  }
  if (!isDetecting || !decision) return;
  if (old?.isPeak && !outcome.isPeak) {
    changes.vanished.push({ start: outcome.start, namespace });
    report.peaks.removed += 1;
    changes.relink.add(namespace);
    return;
  }
  if (decision.status !== "peak" || !decision.severity) return;
  const columns = decisionColumns({ severity: decision.severity, inputs: decision.inputs, thresholdsVersion: state.thresholds.version });
  if (old?.isPeak) {
    changes.rejudgedPeaks.push({ start: decision.start, namespace, decision: columns });
    if (old.count !== outcome.count) report.peaks.changed += 1;
    return;
  }
  if (old) changes.relink.add(namespace);
  changes.newPeaks.push({ start: decision.start, namespace, keys: decision.keys, decision: columns, plateauStart: decision.plateauStart });
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

/** Writes an ingestion's changes, in its transaction. */
async function writeChanges(
  transaction: Prisma.TransactionClient,
  { changes, report, range, grid, counted, state }: IngestionRun,
  changedSlots: ReadonlyMap<string, RunningStats>,
  referenceCount: number,
): Promise<void> {
  report.windows.stored = await insertWindows(transaction, changes.newWindows);
  await updateWindows(transaction, changes.correctedWindows);
  await saveBaselineSlots(transaction, changedSlots);
  // After the slots: writing a namespace's slots drops its stored spread.
  const respread = new Set([...state.computedDispersion, ...[...changedSlots.keys()].map((key) => parseSlotKey(key).namespace)]);
  await saveDispersionTrackers(transaction, new Map([...state.dispersion].filter(([namespace]) => respread.has(namespace))));
  const kept = await removeUntriagedPeaks(transaction, changes.vanished);
  report.peaks.removed -= kept.size;
  await updatePeakDecisions(transaction, changes.rejudgedPeaks);
  await insertPeaks(transaction, changes.newPeaks);
  for (const namespace of changes.relink) await relinkPlateaus(transaction, namespace, range, grid.windowMs, referenceCount);
  await recordCorrections(transaction, changes.corrections);
  report.corrections = changes.corrections.map(({ start, namespace, previousCount, count, wasPeak, isPeak }) => ({
    start,
    namespace,
    previousCount,
    count,
    wasPeak,
    isPeak,
  }));
  await recordCoverage(transaction, coverageRows(counted.coverage, range));
}

/** The coverage within a range, as rows to store. */
function coverageRows(coverage: Coverage, range: TimeRange): (TimeRange & { namespace: string | null })[] {
  const clipped = clipCoverage(coverage, range);
  return [
    ...clipped.all.map((span) => ({ ...span, namespace: null })),
    ...[...clipped.byNamespace].flatMap(([namespace, spans]) => spans.map((span) => ({ ...span, namespace }))),
  ];
}

function clipSpans(spans: readonly TimeRange[], range: TimeRange): TimeRange[] {
  return [...clipCoverage({ all: spans, byNamespace: new Map() }, range).all];
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

import type { Db, Prisma, PrismaClient } from "@/lib/db/client";
import {
  findBaselineSlots,
  findBaselineSpreads,
  findLatestThresholds,
  findSlots,
  findSlotsOfNamespaces,
  readLatestThresholds,
  saveBaselineSlots as writeBaselineSlots,
  saveBaselineSpreads,
  type BaselineSlotRow,
  type PeakDecisionColumns,
} from "@/lib/db/detection-store";
import { findPeaksAround, setContinuedPeak } from "@/lib/db/window-corrections";
import { namespaceSlotKeys, parseSlotKey, poolingSlots, slotKey, standsAlone, type BaselineTable } from "@/lib/pipeline/baseline";
import { createDispersionTracker, trackerFromState, type DispersionTracker } from "@/lib/pipeline/count-model";
import { plateausOf, type DecisionInputs, type PeakDetectionSettings, type Severity } from "@/lib/pipeline/detect";
import type { TimeRange } from "@/lib/pipeline/log-document";
import { standardDeviation, type RunningStats } from "@/lib/pipeline/running-stats";
import type { SlotKeys } from "@/lib/pipeline/time";
import { thresholdsOverDefaults } from "@/lib/thresholds/contract";

// The detection state as detection sees it (baseline tables keyed by slot, running statistics,
// the thresholds in force over values.yaml's, plateau links), over lib/db's rows.

type Reader = PrismaClient | Prisma.TransactionClient;

function tableOf(rows: readonly BaselineSlotRow[], table: BaselineTable = new Map()): BaselineTable {
  for (const row of rows) table.set(slotKey(row.namespace, row), { samples: row.samples, mean: row.mean, m2: row.m2 });
  return table;
}

/** The baseline slots of some namespaces (all of them when `namespaces` is null). */
export async function loadBaseline(db: Reader, namespaces: readonly string[] | null): Promise<BaselineTable> {
  if (namespaces !== null && namespaces.length === 0) return new Map();
  return tableOf(await findBaselineSlots(db, namespaces));
}

/**
 * The part of the baseline that judging the given slots of the given namespaces reads (see
 * effectiveBaseline): the slots themselves, and the pooling slots of those too young to stand
 * alone, or that would be once `withdrawable` samples left them (a run correcting stored windows
 * takes theirs out first). A day of windows of every namespace reads a few thousand rows, where
 * loadBaseline would read every slot of the week.
 */
export async function loadBaselineOfSlots(
  db: Reader,
  namespaces: readonly string[],
  slots: readonly SlotKeys[],
  windowsPerHour: number,
  withdrawable = 0,
): Promise<BaselineTable> {
  const table = tableOf(await findSlotsOfNamespaces(db, namespaces, slots));
  const pooling = new Map<string, { namespace: string } & SlotKeys>();
  for (const namespace of namespaces) {
    for (const slot of slots) {
      const stats = table.get(slotKey(namespace, slot));
      if (stats && standsAlone({ ...stats, samples: stats.samples - withdrawable })) continue;
      for (const other of poolingSlots(slot, windowsPerHour)) {
        const key = slotKey(namespace, other);
        if (!table.has(key)) pooling.set(key, { namespace, ...other });
      }
    }
  }
  return tableOf(await findSlots(db, [...pooling.values()]), table);
}

/**
 * Each namespace's dispersion tracker over its stored slots: taken up from its stored spread, or
 * for a namespace without a valid one (new, or its slots written since by anything but a run
 * that judged it), computed from all of its slots (`computedDispersion` names those).
 */
export async function loadDispersionTrackers(
  db: Reader,
  namespaces: readonly string[],
  windowsPerHour: number,
): Promise<{ dispersion: Map<string, DispersionTracker>; computedDispersion: Set<string> }> {
  const stored = await findBaselineSpreads(db, namespaces);
  const dispersion = new Map<string, DispersionTracker>();
  const computedDispersion = new Set<string>();
  for (const namespace of namespaces) {
    const tracker = trackerFromState(stored.get(namespace));
    if (tracker) dispersion.set(namespace, tracker);
    else computedDispersion.add(namespace);
  }
  const slots = await loadBaseline(db, [...computedDispersion]);
  for (const namespace of computedDispersion) {
    dispersion.set(namespace, createDispersionTracker(namespaceSlotKeys(namespace, windowsPerHour).map((key) => slots.get(key))));
  }
  return { dispersion, computedDispersion };
}

/** Stores the namespaces' trackers as their spreads; call after their slots are written, in the same transaction. */
export async function saveDispersionTrackers(db: Reader, trackers: ReadonlyMap<string, DispersionTracker>): Promise<number> {
  return saveBaselineSpreads(
    db,
    [...trackers].map(([namespace, tracker]) => ({ namespace, state: tracker.state() })),
  );
}

/** Writes baseline slots keyed by slotKey (insert or replace), in one statement. */
export async function saveBaselineSlots(db: Reader, slots: ReadonlyMap<string, RunningStats>): Promise<number> {
  return writeBaselineSlots(
    db,
    [...slots].map(([key, stats]) => ({ ...parseSlotKey(key), mean: stats.mean, stddev: standardDeviation(stats), samples: stats.samples, m2: stats.m2 })),
  );
}

/** The columns of a peak that hold its decision: what it was judged on, and by which thresholds. */
export function decisionColumns(peak: { severity: Severity; inputs: DecisionInputs; thresholdsVersion: number | null }): PeakDecisionColumns {
  return {
    severity: peak.severity,
    errorCount: peak.inputs.count,
    baselineMean: peak.inputs.mean,
    baselineStddev: peak.inputs.stddev,
    baselineSamples: peak.inputs.samples,
    ratio: peak.inputs.ratio,
    requiredRatio: peak.inputs.requiredRatio,
    average24h: peak.inputs.average24h,
    referenceCounts: peak.inputs.referenceCounts,
    sameDayRatio: peak.inputs.sameDayRatio,
    baselineSource: peak.inputs.baselineSource,
    dispersion: peak.inputs.dispersion,
    spreadThreshold: peak.inputs.spreadThreshold,
    thresholdsVersion: peak.thresholdsVersion,
  };
}

export type ThresholdsInForce = { settings: PeakDetectionSettings; version: number | null };

function thresholdsOf(latest: { id: number; values: unknown } | undefined, defaults: PeakDetectionSettings): ThresholdsInForce {
  if (!latest) return { settings: defaults, version: null };
  return { settings: thresholdsOverDefaults(latest.values, defaults), version: latest.id };
}

/** The thresholds in force: the newest saved version over values.yaml's, or values.yaml's (version null). */
export async function findEffectiveThresholds(db: Reader, defaults: PeakDetectionSettings): Promise<ThresholdsInForce> {
  return thresholdsOf(await findLatestThresholds(db), defaults);
}

/** findEffectiveThresholds for the charts, read outside any transaction. */
export async function readThresholdsInForce(db: Db, defaults: PeakDetectionSettings): Promise<ThresholdsInForce> {
  return thresholdsOf(await readLatestThresholds(db), defaults);
}

/**
 * Links the peaks of a namespace around a range to their plateaus again (see plateausOf), after
 * peaks appeared or disappeared there. A plateau reaches at most a day; a day either side is read.
 */
export async function relinkPlateaus(db: Reader, namespace: string, range: TimeRange, windowMs: number, referenceCount: number): Promise<void> {
  const DAY_MS = 86_400_000;
  const peaks = await findPeaksAround(db, namespace, { fromMs: range.fromMs - DAY_MS, toMs: range.toMs + DAY_MS });
  const idOf = new Map(peaks.map((peak) => [peak.timestamp.getTime(), peak.id]));
  const plateaus = plateausOf([...idOf.keys()], windowMs, referenceCount);
  for (const peak of peaks) {
    const plateau = plateaus.get(peak.timestamp.getTime());
    const wanted = plateau === undefined || plateau === peak.timestamp.getTime() ? null : (idOf.get(plateau) ?? null);
    if (wanted !== peak.continuesPeakId) await setContinuedPeak(db, peak.id, wanted);
  }
}

import { writeFileSync } from "node:fs";
import path from "node:path";
import type { FrozenConfig } from "@/lib/config";
import { expect } from "vitest";
import type { Db, PrismaClient } from "@/lib/db/client";
import { planBatch, readFolder, runBatch, type BatchPhase } from "@/lib/jobs/batch";
import { generateDays, planDataSet, serializeDocument, type DataSetPlan, type GeneratedDocument } from "@/lib/synthetic/generate";
import type { WindowGrid } from "@/lib/pipeline/time";

/** A generated data set in one timezone: its plan and every document (all levels), in time order. */
export type GeneratedSet = { plan: DataSetPlan; documents: GeneratedDocument[] };

/** Generates a small data set (few namespaces, low rate) whose local days are those of `timeZone`. */
export function generateSet(options: { timeZone: string; from: string; days: number; namespaces: number; rate: number; seed?: number }): GeneratedSet {
  const plan = planDataSet({
    seed: options.seed ?? 7,
    from: options.from,
    days: options.days,
    timeZone: options.timeZone,
    windowMinutes: 15,
    namespaces: options.namespaces,
    rate: options.rate,
  });
  const documents: GeneratedDocument[] = [];
  for (const { documents: day } of generateDays(plan)) for (const document of day) documents.push(document);
  documents.sort((left, right) => left.timestamp - right.timestamp);
  return { plan, documents };
}

/** `logs-YYYY.MM.DD.ndjson`: the name a daily export gets from the UTC date of its documents. */
export function utcFileName(instantMs: number): string {
  return `logs-${new Date(instantMs).toISOString().slice(0, 10).replaceAll("-", ".")}.ndjson`;
}

/** Writes documents into one file per UTC date of their timestamps (named by utcFileName); returns the file names in order. */
export function writeByUtcDate(dir: string, documents: readonly GeneratedDocument[]): string[] {
  const byFile = new Map<string, string[]>();
  for (const document of documents) {
    const name = utcFileName(document.timestamp);
    let lines = byFile.get(name);
    if (!lines) byFile.set(name, (lines = []));
    lines.push(serializeDocument(document));
  }
  for (const [name, lines] of byFile) writeFileSync(path.join(dir, name), `${lines.join("\n")}\n`);
  return [...byFile.keys()].sort();
}

/** Writes documents into a single NDJSON file. */
export function writeOneFile(file: string, documents: readonly GeneratedDocument[]): void {
  writeFileSync(file, `${documents.map(serializeDocument).join("\n")}\n`);
}

/** ERROR documents per window and namespace ("start|namespace" → count), by the documents' own timestamps. */
export function countErrorsByWindow(documents: readonly GeneratedDocument[], grid: WindowGrid): Map<string, number> {
  const counts = new Map<string, number>();
  for (const document of documents) {
    if (document.level !== "ERROR") continue;
    const key = `${grid.windowStartOf(document.timestamp)}|${document.namespace}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Reads a folder once, plans the batch and runs it (the library path of `peaks batch --input DIR`). */
export async function batchFolder(
  db: Db,
  config: FrozenConfig,
  folder: string,
  options: { phase: BatchPhase; fromDay?: string; toDay?: string; splitDay?: string; force?: boolean },
) {
  const read = await readFolder(config, folder);
  const plan = await planBatch(db, config, { input: read, ...options });
  const result = await runBatch(db, config, plan, () => {}, read);
  return { plan, ...result };
}

/** Everything detection stores (windows, baseline slots, peaks with their plateau start), without ids and times of writing. */
export async function dumpDetectionState(prisma: PrismaClient) {
  const [windows, slots, peaks] = await Promise.all([
    prisma.peakRawData.findMany({
      orderBy: [{ namespace: "asc" }, { timestamp: "asc" }],
      select: { timestamp: true, namespace: true, errorCount: true, isPeak: true, baselineValue: true, dayOfWeek: true, hourOfDay: true, quarterHour: true },
    }),
    prisma.aggregationData.findMany({
      orderBy: [{ namespace: "asc" }, { dayOfWeek: "asc" }, { hourOfDay: "asc" }, { quarterHour: "asc" }],
      omit: { id: true, updatedAt: true },
    }),
    prisma.peakInvestigation.findMany({
      orderBy: [{ namespace: "asc" }, { timestamp: "asc" }],
      // Ids differ between databases: a peak's plateau and incident are compared by their spans.
      omit: { id: true, detectedAt: true, updatedAt: true, continuesPeakId: true, incidentId: true },
      include: { continuesPeak: { select: { timestamp: true } }, incident: { select: { namespace: true, startedAt: true, lastWindowAt: true } } },
    }),
  ]);
  return { windows, slots, peaks };
}

export type DetectionState = Awaited<ReturnType<typeof dumpDetectionState>>;

/** Baseline slots keyed "namespace|day|hour|quarter", for comparisons with a tolerance. */
export function slotsByKey(slots: DetectionState["slots"]): Map<string, DetectionState["slots"][number]> {
  return new Map(slots.map((slot) => [`${slot.namespace}|${slot.dayOfWeek}|${slot.hourOfDay}|${slot.quarterHour}`, slot]));
}

const closeTo = (value: number | null) => (value === null ? null : expect.closeTo(value, 9));

/**
 * The windows and peaks of a state as expected values whose floats derived from baselines
 * (baseline_value, baseline mean and spread, ratios, 24-hour average, the over-dispersion and the
 * spread threshold) need only agree to 1e-9:
 * samples withdrawn and added in another order differ in the last bits.
 */
export function withFloatTolerance(state: DetectionState) {
  return {
    windows: state.windows.map((window) => ({ ...window, baselineValue: closeTo(window.baselineValue) })),
    peaks: state.peaks.map((peak) => ({
      ...peak,
      baselineMean: closeTo(peak.baselineMean),
      baselineStddev: closeTo(peak.baselineStddev),
      ratio: closeTo(peak.ratio),
      requiredRatio: closeTo(peak.requiredRatio),
      average24h: closeTo(peak.average24h),
      dispersion: closeTo(peak.dispersion),
      spreadThreshold: closeTo(peak.spreadThreshold),
    })),
  };
}

/** Whether two floats agree to `tolerance`, relative to their size (absolute below 1). */
function isClose(left: number, right: number, tolerance: number): boolean {
  return Math.abs(left - right) <= tolerance * Math.max(1, Math.abs(left), Math.abs(right));
}

/** The slots of two states whose samples differ or whose mean or m2 differ by more than `tolerance` (relative); empty when they match. */
export function differingSlots(expected: DetectionState["slots"], actual: DetectionState["slots"], tolerance = 1e-9): string[] {
  const left = slotsByKey(expected);
  const right = slotsByKey(actual);
  const differences: string[] = [];
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const a = left.get(key);
    const b = right.get(key);
    if (!a || !b) {
      differences.push(`${key}: only in ${a ? "expected" : "actual"}`);
      continue;
    }
    if (a.samples !== b.samples || !isClose(a.mean, b.mean, tolerance) || !isClose(a.m2, b.m2, tolerance)) {
      differences.push(`${key}: samples ${a.samples}/${b.samples}, mean ${a.mean}/${b.mean}, m2 ${a.m2}/${b.m2}`);
    }
  }
  return differences;
}

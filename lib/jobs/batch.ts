import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { findIngestedDays } from "@/lib/db/detection-store";
import { fileSourceOf } from "@/lib/es";
import type { FileSpan } from "@/lib/es/file-source";
import { InputError } from "@/lib/es/file-source";
import { clipCoverage, overallSpans } from "@/lib/pipeline/coverage";
import { VERSIONS_SEEN_BUCKET_MS, type CountReport, type LogSource, type TimeRange, type VersionsSeen, type WindowCounts } from "@/lib/pipeline/log-document";
import type { WindowGrid } from "@/lib/pipeline/time";
import { gridOf } from "@/lib/config/grid";
import { ingest, type IngestMode, type IngestReport } from "./ingest";

/** Days of baseline-only (INIT) loading before detection starts, when --all is given without --split. */
export const DEFAULT_INIT_DAYS = 21;

export type BatchPhase = "init" | "regular" | "all";

export type DayAction = "ingest" | "re-read (had gaps)" | "skip (already ingested)" | "re-ingest (--force)";

/** A local day of the plan, with the files whose documents reach into it (file source). */
export type PlannedDay = { day: string; mode: IngestMode; files: string[]; action: DayAction };

/** Everything a folder of log files holds, read once: counts, coverage and each file's span. */
export type ReadFolder = { counted: CountReport; files: FileSpan[] };

function isFolder(input: object): input is ReadFolder {
  return "counted" in input;
}

/** Every calendar date from `fromDay` to `toDay`, both included (YYYY-MM-DD). */
export function calendarDays(fromDay: string, toDay: string): string[] {
  const days: string[] = [];
  for (let day = Date.parse(`${fromDay}T00:00:00Z`); day <= Date.parse(`${toDay}T00:00:00Z`); day += 86_400_000) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * Reads every log file of a folder once. Which local day a document belongs to is decided by
 * its timestamp, never by the file's name: a file named by its UTC date holds the first hours of
 * the next local day east of UTC (and the last hours of the previous one west of it).
 */
export async function readFolder(config: FrozenConfig, input: string, hooks: { onFileDone?: (file: string, bytes: number) => void } = {}): Promise<ReadFolder> {
  const source = fileSourceOf(config, [input], hooks);
  const counted = await source.countWindows(null);
  if ((await source.listInputs()).length === 0) throw new InputError(`No log files (*.ndjson, *.jsonl, *.log, *.txt, optionally .gz) in ${input}`);
  return { counted, files: source.fileSpans() };
}

/**
 * The local days from the first a folder's coverage reaches to the last, in order: days between
 * with no coverage at all are planned too, so that their windows are reported as gaps.
 */
function daysOfCoverage(counted: CountReport, grid: WindowGrid): string[] {
  const spans = overallSpans(counted.coverage);
  const first = spans[0];
  const last = spans[spans.length - 1];
  if (!first || !last) return [];
  const days: string[] = [];
  const lastDay = grid.localDateOf(last.toMs);
  for (let day = grid.localDateOf(first.fromMs); day <= lastDay; day = grid.localDateOf(grid.localDayRange(day).endMs)) days.push(day);
  return days;
}

/** The part of a count that lies in a range: its windows, its coverage, its documents, its versions. */
export function sliceCount(counted: CountReport, range: TimeRange): CountReport {
  const counts: WindowCounts = new Map();
  let documents = 0;
  for (const [start, byNamespace] of counted.counts) {
    if (start < range.fromMs || start >= range.toMs) continue;
    counts.set(start, byNamespace);
    for (const count of byNamespace.values()) documents += count;
  }
  const sliced = { ...counted, counts, documents, coverage: clipCoverage(counted.coverage, range) };
  if (!counted.versions) return sliced;
  // A bucket reaching into the range comes along whole: its documents were read, and a timeline only widens.
  const versions: VersionsSeen = new Map();
  for (const [start, byNamespace] of counted.versions)
    if (start < range.toMs && start + VERSIONS_SEEN_BUCKET_MS > range.fromMs) versions.set(start, byNamespace);
  return { ...sliced, versions };
}

/**
 * The seed's batch_ingest plan: which local day, in which mode, and whether it runs. The days
 * are those the folder's documents reach (file source), or every day of the range
 * (Elasticsearch). A day read before is skipped unless it had gaps then (it is read again, in
 * case the missing data has arrived) or --force is given.
 */
export async function planBatch(
  db: Db,
  config: FrozenConfig,
  options: { input: ReadFolder | { fromDay: string; toDay: string }; phase: BatchPhase; fromDay?: string; toDay?: string; splitDay?: string; force?: boolean },
): Promise<PlannedDay[]> {
  const grid = gridOf(config);
  if (options.fromDay && options.toDay && options.fromDay > options.toDay) throw new InputError(`--from (${options.fromDay}) is after --to (${options.toDay})`);
  const folder = isFolder(options.input) ? options.input : null;
  const candidates = isFolder(options.input) ? daysOfCoverage(options.input.counted, grid) : calendarDays(options.input.fromDay, options.input.toDay);
  const days = candidates.filter((day) => (!options.fromDay || day >= options.fromDay) && (!options.toDay || day <= options.toDay));
  const split = options.splitDay ?? days[Math.min(DEFAULT_INIT_DAYS, days.length)] ?? "9999-12-31";
  const done = await findIngestedDays(db.prisma, days);
  return days.map((day) => {
    const mode: IngestMode = options.phase === "init" || (options.phase === "all" && day < split) ? "init" : "detect";
    const record = done.get(day);
    const action: DayAction =
      options.force && record ? "re-ingest (--force)" : !record ? "ingest" : record.gapWindows > 0 ? "re-read (had gaps)" : "skip (already ingested)";
    const { startMs, endMs } = grid.localDayRange(day);
    const files = folder ? folder.files.filter((file) => file.fromMs < endMs && file.toMs >= startMs).map((file) => file.file) : [];
    return { day, mode, files, action };
  });
}

/**
 * Runs a plan day by day, each day in its own transaction (see ingest). A forced day is the same
 * operation as a correction over the whole day: every window leaves its baseline, is judged
 * again and re-enters, and its peak keeps its id; so a killed batch followed by a re-run, or
 * three forced runs, end as one clean run does.
 */
export async function runBatch(
  db: Db,
  config: FrozenConfig,
  plan: readonly PlannedDay[],
  onDay: (day: PlannedDay, report: IngestReport | null) => void,
  /** What the days are read from: the folder read once, or the source of all days (Elasticsearch). */
  input: ReadFolder | LogSource,
): Promise<{ days: number; skipped: number; reports: IngestReport[] }> {
  const grid = gridOf(config);
  const reports: IngestReport[] = [];
  for (const entry of plan) {
    if (entry.action === "skip (already ingested)") {
      onDay(entry, null);
      continue;
    }
    const { startMs, endMs } = grid.localDayRange(entry.day);
    const range = { fromMs: startMs, toMs: endMs };
    const isForced = entry.action === "re-ingest (--force)";
    const report = isFolder(input)
      ? await ingest(db, config, {
          source: fileSourceOf(config, entry.files),
          counted: sliceCount(input.counted, range),
          mode: entry.mode,
          range,
          rejudge: isForced,
        })
      : await ingest(db, config, { source: input, mode: entry.mode, range, completedBefore: Date.now(), rejudge: isForced });
    reports.push(report);
    onDay(entry, report);
  }
  return { days: reports.length, skipped: plan.length - reports.length, reports };
}

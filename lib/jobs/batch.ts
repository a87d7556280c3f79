import path from "node:path";
import type { FrozenConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { findIngestedDays } from "@/lib/db/detection-store";
import { fileSourceOf } from "@/lib/es";
import { dateInFileName, InputError, listInputFiles } from "@/lib/es/file-source";
import type { LogSource } from "@/lib/pipeline/log-document";
import { recalculateBaseline } from "./baseline";
import { gridOf, ingest, type IngestMode, type IngestReport } from "./ingest";

/** Days of baseline-only (INIT) loading before detection starts, when --all is given without --split. */
export const DEFAULT_INIT_DAYS = 21;

export type BatchPhase = "init" | "regular" | "all";

export type PlannedDay = { day: string; mode: IngestMode; files: string[]; action: "ingest" | "skip (already ingested)" | "re-ingest (--force)" };


/** Groups input files by the local date in their names (errors-2026-01-15.ndjson.gz). */
export async function filesByDay(input: string): Promise<Map<string, string[]>> {
  const files = await listInputFiles([input]);
  const byDay = new Map<string, string[]>();
  const undated: string[] = [];
  for (const file of files) {
    const day = dateInFileName(file);
    if (day === null) {
      if (path.basename(file) !== "labels.json") undated.push(file);
      continue;
    }
    byDay.set(day, [...(byDay.get(day) ?? []), file]);
  }
  if (undated.length > 0) {
    throw new InputError(
      `Batch ingestion needs the day in each file name (e.g. errors-2026-01-15.ndjson.gz); these have none: ${undated.slice(0, 5).join(", ")}` +
        (undated.length > 5 ? ` and ${undated.length - 5} more` : "") +
        ". Use `peaks ingest` for such files.",
    );
  }
  return byDay;
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
 * The seed's batch_ingest plan: which day, in which mode, and whether it runs. The days are
 * those of the dated files in a folder, or, for Elasticsearch, every day of the range.
 */
export async function planBatch(
  prisma: PrismaClient,
  options: { input: string | { fromDay: string; toDay: string }; phase: BatchPhase; fromDay?: string; toDay?: string; splitDay?: string; force?: boolean },
): Promise<PlannedDay[]> {
  const byDay =
    typeof options.input === "string"
      ? await filesByDay(options.input)
      : new Map(calendarDays(options.input.fromDay, options.input.toDay).map((day) => [day, [] as string[]]));
  const days = [...byDay.keys()]
    .sort()
    .filter((day) => (!options.fromDay || day >= options.fromDay) && (!options.toDay || day <= options.toDay));
  const split = options.splitDay ?? days[Math.min(DEFAULT_INIT_DAYS, days.length)] ?? "9999-12-31";
  const done = await findIngestedDays(prisma, days);
  return days.map((day) => {
    const mode: IngestMode = options.phase === "init" || (options.phase === "all" && day < split) ? "init" : "detect";
    const action = !done.has(day) ? "ingest" : options.force ? "re-ingest (--force)" : "skip (already ingested)";
    return { day, mode, files: byDay.get(day) ?? [], action };
  });
}

/**
 * Runs a plan day by day, each day in its own transaction (see ingestFiles). Re-ingesting a
 * forced day first removes its stored windows and open peaks, and the baselines are recomputed
 * from the stored windows at the end, so that nothing is counted twice.
 */
export async function runBatch(
  prisma: PrismaClient,
  config: FrozenConfig,
  plan: readonly PlannedDay[],
  onDay: (day: PlannedDay, report: IngestReport | null) => void,
  /** The source of all days (Elasticsearch); without it, each day reads its planned files. */
  source?: LogSource,
): Promise<{ days: number; skipped: number; reports: IngestReport[] }> {
  const grid = gridOf(config);
  const reports: IngestReport[] = [];
  let isForced = false;
  for (const entry of plan) {
    if (entry.action === "skip (already ingested)") {
      onDay(entry, null);
      continue;
    }
    const { startMs, endMs } = grid.localDayRange(entry.day);
    if (entry.action === "re-ingest (--force)") {
      isForced = true;
      await prisma.$transaction([
        prisma.peakInvestigation.deleteMany({ where: { timestamp: { gte: new Date(startMs), lt: new Date(endMs) }, status: "open" } }),
        prisma.peakRawData.deleteMany({ where: { timestamp: { gte: new Date(startMs), lt: new Date(endMs) } } }),
        prisma.ingestedDay.deleteMany({ where: { day: entry.day } }),
      ]);
    }
    const report = await ingest(prisma, config, {
      source: source ?? fileSourceOf(config, entry.files),
      mode: entry.mode,
      range: { fromMs: startMs, toMs: endMs },
      ...(source ? { completedBefore: Date.now() } : {}),
    });
    reports.push(report);
    onDay(entry, report);
  }
  if (isForced) await recalculateBaseline(prisma);
  return { days: reports.length, skipped: plan.length - reports.length, reports };
}

import { exactFloats } from "./sql";
import type { Prisma, PrismaClient } from "./client";
import type { PeakDecisionColumns } from "./detection-store";

type Writer = PrismaClient | Prisma.TransactionClient;

/** A span of time in UTC ms, `toMs` excluded. */
type Span = { fromMs: number; toMs: number };

/** A stored window's new count and what it now adds to its baseline. */
export type CorrectedWindowRow = { start: number; namespace: string; count: number; isPeak: boolean; baselineValue: number };

/** Rewrites stored windows after they were read again, with the time they were stored again (`ingested_at`). */
export async function updateWindows(db: Writer, rows: readonly CorrectedWindowRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRawUnsafe(
    `UPDATE peak_raw_data w
        SET error_count = c.count, is_peak = c.is_peak, baseline_value = c.baseline_value, ingested_at = now()
       FROM unnest($1::timestamptz[], $2::text[], $3::int[], $4::bool[], $5::text[]::float8[]) AS c(timestamp, namespace, count, is_peak, baseline_value)
      WHERE w.timestamp = c.timestamp AND w.namespace = c.namespace`,
    rows.map((row) => new Date(row.start)),
    rows.map((row) => row.namespace),
    rows.map((row) => row.count),
    rows.map((row) => row.isPeak),
    exactFloats(rows.map((row) => row.baselineValue)),
  );
}

/** A peak's decision after its window was judged again. */
export type RejudgedPeakRow = { start: number; namespace: string; decision: PeakDecisionColumns };

/**
 * Updates the decision of peaks that stay peaks after a correction: id, enrichment, triage,
 * notes and deliveries are kept; the count, baseline, ratio and severity follow the new count.
 */
export async function updatePeakDecisions(db: Writer, peaks: readonly RejudgedPeakRow[]): Promise<void> {
  for (const peak of peaks) {
    await db.peakInvestigation.updateMany({ where: { timestamp: new Date(peak.start), namespace: peak.namespace }, data: peak.decision });
  }
}

/**
 * Removes the peaks of windows that are no longer peaks after a correction, when nobody acted
 * on them (still open); a peak an analyst triaged is kept for its record. Returns the windows
 * whose peak was kept: "start|namespace".
 */
export async function removeUntriagedPeaks(db: Writer, windows: readonly { start: number; namespace: string }[]): Promise<Set<string>> {
  const kept = new Set<string>();
  if (windows.length === 0) return kept;
  const rows = await db.$queryRawUnsafe<{ timestamp: Date; namespace: string; status: string }[]>(
    `SELECT p.timestamp, p.namespace, p.status::text AS status
       FROM peak_investigation p JOIN unnest($1::timestamptz[], $2::text[]) AS c(timestamp, namespace)
         ON p.timestamp = c.timestamp AND p.namespace = c.namespace`,
    windows.map((window) => new Date(window.start)),
    windows.map((window) => window.namespace),
  );
  const open = rows.filter((row) => row.status === "open");
  for (const row of rows) if (row.status !== "open") kept.add(`${row.timestamp.getTime()}|${row.namespace}`);
  if (open.length > 0) {
    await db.$executeRawUnsafe(
      `DELETE FROM peak_investigation p USING unnest($1::timestamptz[], $2::text[]) AS c(timestamp, namespace)
        WHERE p.timestamp = c.timestamp AND p.namespace = c.namespace AND p.status = 'open'`,
      open.map((row) => row.timestamp),
      open.map((row) => row.namespace),
    );
  }
  return kept;
}

/** The peaks of a namespace in a span, oldest first, with the plateau each continues. */
export async function findPeaksAround(db: Writer, namespace: string, span: Span) {
  return db.peakInvestigation.findMany({
    where: { namespace, timestamp: { gte: new Date(span.fromMs), lt: new Date(span.toMs) } },
    select: { id: true, timestamp: true, continuesPeakId: true },
    orderBy: { timestamp: "asc" },
  });
}

/** Sets the first peak of the plateau a peak continues (null: it starts one). */
export async function setContinuedPeak(db: Writer, peakId: number, continuesPeakId: number | null): Promise<void> {
  await db.peakInvestigation.update({ where: { id: peakId }, data: { continuesPeakId } });
}

export type CorrectionReason = "reread" | "recount" | "force";

export type WindowCorrectionRow = {
  start: number;
  namespace: string;
  previousCount: number;
  count: number;
  wasPeak: boolean;
  isPeak: boolean;
  reason: CorrectionReason;
};

/** Records corrections, each with the peak its window has afterwards. */
export async function recordCorrections(db: Writer, corrections: readonly WindowCorrectionRow[]): Promise<void> {
  if (corrections.length === 0) return;
  await db.$executeRawUnsafe(
    `INSERT INTO window_corrections (timestamp, namespace, previous_count, count, was_peak, is_peak, reason, peak_id)
     SELECT c.timestamp, c.namespace, c.previous_count, c.count, c.was_peak, c.is_peak, c.reason, p.id
       FROM unnest($1::timestamptz[], $2::text[], $3::int[], $4::int[], $5::bool[], $6::bool[], $7::text[])
            AS c(timestamp, namespace, previous_count, count, was_peak, is_peak, reason)
       LEFT JOIN peak_investigation p ON p.timestamp = c.timestamp AND p.namespace = c.namespace`,
    corrections.map((row) => new Date(row.start)),
    corrections.map((row) => row.namespace),
    corrections.map((row) => row.previousCount),
    corrections.map((row) => row.count),
    corrections.map((row) => row.wasPeak),
    corrections.map((row) => row.isPeak),
    corrections.map((row) => row.reason),
  );
}

/** The corrections of one window, newest first. */
export async function findCorrectionsOfWindow(db: Writer, start: number, namespace: string) {
  return db.windowCorrection.findMany({
    where: { timestamp: new Date(start), namespace },
    orderBy: { correctedAt: "desc" },
    select: { previousCount: true, count: true, wasPeak: true, isPeak: true, reason: true, correctedAt: true },
  });
}

/** Stores spans a source proved it read; namespace null: every namespace. */
export async function recordCoverage(db: Writer, spans: readonly (Span & { namespace: string | null })[]): Promise<void> {
  if (spans.length === 0) return;
  await db.sourceCoverage.createMany({
    data: spans.map((span) => ({ fromTime: new Date(span.fromMs), toTime: new Date(span.toMs), namespace: span.namespace })),
  });
}

/** The stored coverage meeting a range: spans for every namespace, and spans per namespace. */
export async function findCoverage(db: Writer, range: Span): Promise<{ all: Span[]; byNamespace: Map<string, Span[]> }> {
  const rows = await db.sourceCoverage.findMany({
    where: { fromTime: { lt: new Date(range.toMs) }, toTime: { gte: new Date(range.fromMs) } },
    select: { fromTime: true, toTime: true, namespace: true },
  });
  const all: Span[] = [];
  const byNamespace = new Map<string, Span[]>();
  for (const row of rows) {
    const span = { fromMs: row.fromTime.getTime(), toMs: row.toTime.getTime() };
    if (row.namespace === null) all.push(span);
    else byNamespace.set(row.namespace, [...(byNamespace.get(row.namespace) ?? []), span]);
  }
  return { all, byNamespace };
}

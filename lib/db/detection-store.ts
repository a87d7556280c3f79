import { exactFloats } from "./sql";
import type { Db, Prisma, PrismaClient } from "./client";

// The detection state as stored: windows, baseline slots, peaks' decisions, thresholds in force,
// ingested days. Rows in, rows out; what they mean to detection (slot keys, pooling, running
// statistics, thresholds over the defaults) is lib/detection's.

type Reader = PrismaClient | Prisma.TransactionClient;

/** A slot of the week in the configured timezone (0 = Monday; quarter_hour 0–3). */
export type SlotColumns = { dayOfWeek: number; hourOfDay: number; quarterHour: number };

/** A stored baseline slot: Welford's running statistics of its windows' counts. */
export type BaselineSlotRow = SlotColumns & { namespace: string; mean: number; samples: number; m2: number };

/** A stored window, with whether it was a peak, where its plateau started (UTC ms) and what it added to its baseline slot. */
export type StoredWindow = { start: number; count: number; isPeak: boolean; plateauStart: number | null; baselineValue: number | null };

/**
 * Every namespace the database knows (from windows and baselines). Each table's namespace index
 * is skipped through one namespace at a time (a loose index scan): a few thousand index probes
 * instead of reading millions of windows.
 */
export async function findKnownNamespaces(db: Reader): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ namespace: string }[]>(
    `WITH RECURSIVE slots AS (
       (SELECT namespace FROM aggregation_data ORDER BY namespace LIMIT 1)
       UNION ALL
       SELECT (SELECT a.namespace FROM aggregation_data a WHERE a.namespace > slots.namespace ORDER BY a.namespace LIMIT 1) FROM slots WHERE slots.namespace IS NOT NULL
     ), windows AS (
       (SELECT namespace FROM peak_raw_data ORDER BY namespace LIMIT 1)
       UNION ALL
       SELECT (SELECT w.namespace FROM peak_raw_data w WHERE w.namespace > windows.namespace ORDER BY w.namespace LIMIT 1) FROM windows WHERE windows.namespace IS NOT NULL
     )
     SELECT namespace FROM slots WHERE namespace IS NOT NULL
     UNION
     SELECT namespace FROM windows WHERE namespace IS NOT NULL
     ORDER BY 1`,
  );
  return rows.map((row) => row.namespace);
}

/**
 * Stored windows in [fromMs, toMs) per namespace (of the given ones, or all), chronological. One JSON text of tuples: a day
 * of a thousand namespaces' windows is 100,000 rows, whose parsing would cost more than the query.
 */
export async function findWindows(db: Reader, fromMs: number, toMs: number, namespaces?: readonly string[]): Promise<Map<string, StoredWindow[]>> {
  if (namespaces?.length === 0) return new Map();
  // [namespace, start (UTC ms), count, is peak, plateau start (UTC ms) or null, baseline value or null]
  type WindowTuple = [string, number, number, boolean, number | null, number | null];
  const rows = await db.$queryRawUnsafe<{ windows: string }[]>(
    `SELECT coalesce(json_agg(json_build_array(w.namespace, (extract(epoch FROM w.timestamp) * 1000)::bigint, w.error_count, w.is_peak,
                                               (extract(epoch FROM s.timestamp) * 1000)::bigint, w.baseline_value)
                              ORDER BY w.namespace, w.timestamp)::text, '[]') AS windows
       FROM peak_raw_data w
       LEFT JOIN peak_investigation p ON p.timestamp = w.timestamp AND p.namespace = w.namespace
       LEFT JOIN peak_investigation s ON s.id = p.continues_peak_id
      WHERE w.timestamp >= $1 AND w.timestamp < $2${namespaces ? " AND w.namespace = ANY($3::text[])" : ""}`,
    new Date(fromMs),
    new Date(toMs),
    ...(namespaces ? [[...namespaces]] : []),
  );
  const byNamespace = new Map<string, StoredWindow[]>();
  for (const [namespace, start, count, isPeak, plateauStart, baselineValue] of JSON.parse(rows[0]?.windows ?? "[]") as WindowTuple[]) {
    let list = byNamespace.get(namespace);
    if (!list) byNamespace.set(namespace, (list = []));
    list.push({ start, count, isPeak, plateauStart, baselineValue });
  }
  return byNamespace;
}

/** The namespaces whose stored window starting at `startMs` counted no error (read, not a gap). */
export async function findErrorlessWindowNamespaces(db: Reader, startMs: number): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ namespace: string }[]>(
    "SELECT namespace FROM peak_raw_data WHERE timestamp = $1 AND error_count = 0 ORDER BY namespace",
    new Date(startMs),
  );
  return rows.map((row) => row.namespace);
}

/** Starts of the peak windows in [fromMs, toMs), per namespace: what tells a recurring peak (lib/pipeline/detect.ts). */
export async function findPeakStarts(db: Reader, fromMs: number, toMs: number): Promise<Map<string, Set<number>>> {
  const rows = await db.$queryRawUnsafe<{ timestamp: Date; namespace: string }[]>(
    "SELECT timestamp, namespace FROM peak_raw_data WHERE is_peak AND timestamp >= $1 AND timestamp < $2",
    new Date(fromMs),
    new Date(toMs),
  );
  const byNamespace = new Map<string, Set<number>>();
  for (const row of rows) {
    let starts = byNamespace.get(row.namespace);
    if (!starts) byNamespace.set(row.namespace, (starts = new Set()));
    starts.add(row.timestamp.getTime());
  }
  return byNamespace;
}

/**
 * The baseline slots of some namespaces (all of them when `namespaces` is null): 672 per
 * namespace with quarter-hour windows, so one JSON text of tuples rather than a row per slot (a
 * thousand namespaces' 672,000 rows take seconds through the driver's row and array parsing).
 */
export async function findBaselineSlots(db: Reader, namespaces: readonly string[] | null): Promise<BaselineSlotRow[]> {
  if (namespaces === null) return slotQuery(db, "true");
  if (namespaces.length === 0) return [];
  return slotQuery(db, "namespace = ANY($1::text[])", [...namespaces]);
}

/** Slots as JSON arrays: [day_of_week, hour_of_day, quarter_hour, namespace, mean, samples, m2]. */
type SlotTuple = [number, number, number, string, number, number, number];

// One row of JSON rather than a row per slot: parsing thousands of rows costs more than the query.
const SLOT_TUPLES = "coalesce(json_agg(json_build_array(day_of_week, hour_of_day, quarter_hour, namespace, mean, samples, m2))::text, '[]') AS slots";

function slotRows(tuples: readonly SlotTuple[] | undefined): BaselineSlotRow[] {
  return (tuples ?? []).map(([dayOfWeek, hourOfDay, quarterHour, namespace, mean, samples, m2]) => ({
    dayOfWeek,
    hourOfDay,
    quarterHour,
    namespace,
    mean,
    samples,
    m2,
  }));
}

async function slotQuery(db: Reader, where: string, ...values: unknown[]): Promise<BaselineSlotRow[]> {
  const rows = await db.$queryRawUnsafe<{ slots: string }[]>(`SELECT ${SLOT_TUPLES} FROM aggregation_data WHERE ${where}`, ...values);
  return slotRows(JSON.parse(rows[0]?.slots ?? "[]") as SlotTuple[]);
}

/** The stored slots of every namespace at the given slots of the week (a few thousand rows for a day of windows). */
export async function findSlotsOfNamespaces(db: Reader, namespaces: readonly string[], slots: readonly SlotColumns[]): Promise<BaselineSlotRow[]> {
  if (namespaces.length === 0 || slots.length === 0) return [];
  return slotQuery(
    db,
    "namespace = ANY($1::text[]) AND (day_of_week, hour_of_day, quarter_hour) IN (SELECT * FROM unnest($2::smallint[], $3::smallint[], $4::smallint[]))",
    [...namespaces],
    slots.map((slot) => slot.dayOfWeek),
    slots.map((slot) => slot.hourOfDay),
    slots.map((slot) => slot.quarterHour),
  );
}

/** The stored slots of the given (namespace, slot) pairs. */
export async function findSlots(db: Reader, wanted: readonly (SlotColumns & { namespace: string })[]): Promise<BaselineSlotRow[]> {
  if (wanted.length === 0) return [];
  return slotQuery(
    db,
    "(namespace, day_of_week, hour_of_day, quarter_hour) IN (SELECT * FROM unnest($1::text[], $2::smallint[], $3::smallint[], $4::smallint[]))",
    wanted.map((slot) => slot.namespace),
    wanted.map((slot) => slot.dayOfWeek),
    wanted.map((slot) => slot.hourOfDay),
    wanted.map((slot) => slot.quarterHour),
  );
}

/** Where each namespace's dispersion tracker is kept between runs (derived from aggregation_data; migration 0018). */
export const BASELINE_SPREADS_TABLE = "baseline_spreads";

/**
 * The stored spreads (baseline_spreads) of some namespaces, by namespace, as stored: what they
 * hold is lib/pipeline/count-model's to check. A namespace without one is absent.
 */
export async function findBaselineSpreads(db: Reader, namespaces: readonly string[]): Promise<Map<string, unknown>> {
  if (namespaces.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<{ spreads: string }[]>(
    `SELECT coalesce(json_agg(json_build_array(namespace, state))::text, '[]') AS spreads FROM baseline_spreads WHERE namespace = ANY($1::text[])`,
    [...namespaces],
  );
  return new Map(JSON.parse(rows[0]?.spreads ?? "[]") as [string, unknown][]);
}

/**
 * Writes namespaces' spreads (insert or replace) in one statement. Written after their slots in
 * the same transaction: writing slots drops the spreads of their namespaces (migration 0018).
 */
export async function saveBaselineSpreads(db: Reader, spreads: readonly { namespace: string; state: unknown }[]): Promise<number> {
  if (spreads.length === 0) return 0;
  return db.$executeRawUnsafe(
    `INSERT INTO baseline_spreads (namespace, state, updated_at)
     SELECT spread->>0, spread->1, now() FROM json_array_elements($1::json) AS spread
     ON CONFLICT (namespace) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
    JSON.stringify(spreads.map((spread) => [spread.namespace, spread.state])),
  );
}

/** A baseline slot to write, with its standard deviation (stored for the seed's readers). */
export type BaselineSlotWrite = BaselineSlotRow & { stddev: number };

/** Writes baseline slots (insert or replace), in one statement. */
export async function saveBaselineSlots(db: Reader, slots: readonly BaselineSlotWrite[]): Promise<number> {
  if (slots.length === 0) return 0;
  return db.$executeRawUnsafe(
    `INSERT INTO aggregation_data (day_of_week, hour_of_day, quarter_hour, namespace, mean, stddev, samples, m2, updated_at)
     SELECT *, now() FROM unnest($1::smallint[], $2::smallint[], $3::smallint[], $4::text[], $5::text[]::float8[], $6::text[]::float8[], $7::int[], $8::text[]::float8[])
     ON CONFLICT (day_of_week, hour_of_day, quarter_hour, namespace)
     DO UPDATE SET mean = EXCLUDED.mean, stddev = EXCLUDED.stddev, samples = EXCLUDED.samples, m2 = EXCLUDED.m2, updated_at = now()`,
    slots.map((slot) => slot.dayOfWeek),
    slots.map((slot) => slot.hourOfDay),
    slots.map((slot) => slot.quarterHour),
    slots.map((slot) => slot.namespace),
    exactFloats(slots.map((slot) => slot.mean)),
    exactFloats(slots.map((slot) => slot.stddev)),
    slots.map((slot) => slot.samples),
    exactFloats(slots.map((slot) => slot.m2)),
  );
}

export type NewWindowRow = { start: number; namespace: string; keys: SlotColumns; count: number; isPeak: boolean; baselineValue: number };

/** Inserts windows; a window already stored (same unique key) is left as it is. */
export async function insertWindows(db: Reader, rows: readonly NewWindowRow[]): Promise<number> {
  let inserted = 0;
  for (let offset = 0; offset < rows.length; offset += 5000) {
    const batch = rows.slice(offset, offset + 5000);
    inserted += await db.$executeRawUnsafe(
      `INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count, is_peak, baseline_value)
       SELECT * FROM unnest($1::timestamptz[], $2::smallint[], $3::smallint[], $4::smallint[], $5::text[], $6::int[], $7::bool[], $8::text[]::float8[])
       ON CONFLICT (timestamp, day_of_week, hour_of_day, quarter_hour, namespace) DO NOTHING`,
      batch.map((row) => new Date(row.start)),
      batch.map((row) => row.keys.dayOfWeek),
      batch.map((row) => row.keys.hourOfDay),
      batch.map((row) => row.keys.quarterHour),
      batch.map((row) => row.namespace),
      batch.map((row) => row.count),
      batch.map((row) => row.isPeak),
      exactFloats(batch.map((row) => row.baselineValue)),
    );
  }
  return inserted;
}

/** The columns of a peak that hold its decision: what it was judged on, and by which thresholds. */
export type PeakDecisionColumns = Pick<
  Prisma.PeakInvestigationCreateManyInput,
  | "severity"
  | "errorCount"
  | "baselineMean"
  | "baselineStddev"
  | "baselineSamples"
  | "ratio"
  | "requiredRatio"
  | "average24h"
  | "referenceCounts"
  | "sameDayRatio"
  | "baselineSource"
  | "dispersion"
  | "spreadThreshold"
  | "thresholdsVersion"
>;

export type NewPeakRow = { start: number; namespace: string; keys: SlotColumns; decision: PeakDecisionColumns; plateauStart: number | null };

/** Inserts peaks (never twice for a window) and links continuing windows to their plateau's first peak. */
export async function insertPeaks(db: Reader, peaks: readonly NewPeakRow[]): Promise<number> {
  if (peaks.length === 0) return 0;
  const result = await db.peakInvestigation.createMany({
    data: peaks.map((peak) => ({
      timestamp: new Date(peak.start),
      namespace: peak.namespace,
      dayOfWeek: peak.keys.dayOfWeek,
      hourOfDay: peak.keys.hourOfDay,
      quarterHour: peak.keys.quarterHour,
      ...peak.decision,
    })),
    skipDuplicates: true,
  });
  const continuing = peaks.filter((peak) => peak.plateauStart !== null);
  if (continuing.length > 0) {
    await db.$executeRawUnsafe(
      `UPDATE peak_investigation p SET continues_peak_id = s.id
         FROM unnest($1::timestamptz[], $2::text[], $3::timestamptz[]) AS c(timestamp, namespace, plateau)
         JOIN peak_investigation s ON s.timestamp = c.plateau AND s.namespace = c.namespace
        WHERE p.timestamp = c.timestamp AND p.namespace = c.namespace AND p.continues_peak_id IS NULL`,
      continuing.map((peak) => new Date(peak.start)),
      continuing.map((peak) => peak.namespace),
      continuing.map((peak) => new Date(peak.plateauStart ?? peak.start)),
    );
  }
  return result.count;
}

/** The newest saved thresholds version (its values as stored), or undefined before the first. */
export async function findLatestThresholds(db: Reader): Promise<{ id: number; values: unknown } | undefined> {
  return (await db.thresholdSetting.findFirst({ orderBy: { id: "desc" }, select: { id: true, values: true } })) ?? undefined;
}

/** findLatestThresholds outside any transaction, for the charts. */
export async function readLatestThresholds(db: Db): Promise<{ id: number; values: unknown } | undefined> {
  return db.kysely.selectFrom("threshold_settings").select(["id", "values"]).orderBy("id", "desc").limit(1).executeTakeFirst();
}

/** Records local days as ingested; a day read again gets the record of its latest reading. */
export async function recordIngestedDays(
  db: Reader,
  days: readonly { day: string; mode: string; documents: number; skipped: number; files: string[]; gapWindows: number }[],
): Promise<void> {
  for (const { day, ...record } of days) {
    await db.ingestedDay.upsert({ where: { day }, create: { day, ...record }, update: { ...record, ingestedAt: new Date() } });
  }
}

/** The given local days as recorded: whether they were read, and how many of their windows no input covered. */
export async function findIngestedDays(db: Reader, days: readonly string[]): Promise<Map<string, { gapWindows: number }>> {
  const rows = await db.ingestedDay.findMany({ where: { day: { in: [...days] } }, select: { day: true, gapWindows: true } });
  return new Map(rows.map((row) => [row.day, { gapWindows: row.gapWindows }]));
}

/** The latest local day recorded as ingested, or null. */
export async function findLatestIngestedDay(db: Reader): Promise<string | null> {
  const row = await db.ingestedDay.findFirst({ orderBy: { day: "desc" }, select: { day: true } });
  return row?.day ?? null;
}

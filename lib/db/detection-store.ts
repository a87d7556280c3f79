import type { BaselineTable } from "@/lib/pipeline/baseline";
import { parseSlotKey, poolingSlots, slotKey, standsAlone } from "@/lib/pipeline/baseline";
import type { DecisionInputs, PeakDetectionSettings, Severity } from "@/lib/pipeline/detect";
import type { RunningStats } from "@/lib/pipeline/running-stats";
import { standardDeviation } from "@/lib/pipeline/running-stats";
import type { SlotKeys } from "@/lib/pipeline/time";
import { readRows, type Prisma, type PrismaClient } from "./client";

type Reader = PrismaClient | Prisma.TransactionClient;

/** A stored window, with whether it was a peak, where its plateau started (UTC ms) and what it added to its baseline slot. */
export type StoredWindow = { start: number; count: number; isPeak: boolean; plateauStart: number | null; baselineValue: number | null };

/** Every namespace the database knows (from windows and baselines). */
export async function findKnownNamespaces(db: Reader): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ namespace: string }[]>(
    `SELECT namespace FROM aggregation_data UNION SELECT DISTINCT namespace FROM peak_raw_data ORDER BY 1`,
  );
  return rows.map((row) => row.namespace);
}

/** Stored windows in [fromMs, toMs) per namespace, chronological. */
export async function findWindows(db: Reader, fromMs: number, toMs: number): Promise<Map<string, StoredWindow[]>> {
  const rows = await db.$queryRawUnsafe<
    { timestamp: Date; namespace: string; error_count: number; is_peak: boolean; plateau: Date | null; baseline_value: number | null }[]
  >(
    `SELECT w.timestamp, w.namespace, w.error_count, w.is_peak, s.timestamp AS plateau, w.baseline_value
       FROM peak_raw_data w
       LEFT JOIN peak_investigation p ON p.timestamp = w.timestamp AND p.namespace = w.namespace
       LEFT JOIN peak_investigation s ON s.id = p.continues_peak_id
      WHERE w.timestamp >= $1 AND w.timestamp < $2
      ORDER BY w.namespace, w.timestamp`,
    new Date(fromMs),
    new Date(toMs),
  );
  const byNamespace = new Map<string, StoredWindow[]>();
  for (const row of rows) {
    let list = byNamespace.get(row.namespace);
    if (!list) byNamespace.set(row.namespace, (list = []));
    list.push({
      start: row.timestamp.getTime(),
      count: row.error_count,
      isPeak: row.is_peak,
      plateauStart: row.plateau?.getTime() ?? null,
      baselineValue: row.baseline_value,
    });
  }
  return byNamespace;
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

/** The baseline slots of some namespaces (all of them when `namespaces` is null). */
export async function loadBaseline(db: Reader, namespaces: readonly string[] | null): Promise<BaselineTable> {
  const rows = await db.aggregationData.findMany({
    where: namespaces ? { namespace: { in: [...namespaces] } } : {},
    select: { dayOfWeek: true, hourOfDay: true, quarterHour: true, namespace: true, mean: true, samples: true, m2: true },
  });
  const table: BaselineTable = new Map();
  for (const row of rows) table.set(slotKey(row.namespace, row), { samples: row.samples, mean: row.mean, m2: row.m2 });
  return table;
}

/** Baseline slots as JSON arrays: [day_of_week, hour_of_day, quarter_hour, namespace, mean, samples, m2]. */
type SlotTuple = [number, number, number, string, number, number, number];

const SLOT_TUPLES = "coalesce(json_agg(json_build_array(day_of_week, hour_of_day, quarter_hour, namespace, mean, samples, m2)), '[]') AS slots";

/**
 * The part of the baseline that judging the given slots of the given namespaces reads (see
 * effectiveBaseline): the slots themselves, and the pooling slots of those too young to stand
 * alone. A day of windows of every namespace reads a few thousand rows, where loadBaseline
 * would read every slot of the week.
 */
export async function loadBaselineOfSlots(
  prisma: PrismaClient,
  namespaces: readonly string[],
  slots: readonly SlotKeys[],
  windowsPerHour: number,
): Promise<BaselineTable> {
  const table: BaselineTable = new Map();
  if (namespaces.length === 0 || slots.length === 0) return table;
  // One row of JSON rather than a row per slot: parsing thousands of rows costs more than the query.
  const keep = (rows: readonly { slots: SlotTuple[] }[]) => {
    for (const [dayOfWeek, hourOfDay, quarterHour, namespace, mean, samples, m2] of rows[0]?.slots ?? []) {
      table.set(slotKey(namespace, { dayOfWeek, hourOfDay, quarterHour }), { samples, mean, m2 });
    }
  };
  keep(
    await readRows<{ slots: SlotTuple[] }>(
      prisma,
      `SELECT ${SLOT_TUPLES} FROM aggregation_data
        WHERE namespace = ANY($1::text[])
          AND (day_of_week, hour_of_day, quarter_hour) IN (SELECT * FROM unnest($2::smallint[], $3::smallint[], $4::smallint[]))`,
      [namespaces, slots.map((slot) => slot.dayOfWeek), slots.map((slot) => slot.hourOfDay), slots.map((slot) => slot.quarterHour)],
    ),
  );
  const pooling = new Map<string, { namespace: string } & SlotKeys>();
  for (const namespace of namespaces) {
    for (const slot of slots) {
      if (standsAlone(table.get(slotKey(namespace, slot)))) continue;
      for (const other of poolingSlots(slot, windowsPerHour)) {
        const key = slotKey(namespace, other);
        if (!table.has(key)) pooling.set(key, { namespace, ...other });
      }
    }
  }
  if (pooling.size > 0) {
    const wanted = [...pooling.values()];
    keep(
      await readRows<{ slots: SlotTuple[] }>(
        prisma,
        `SELECT ${SLOT_TUPLES} FROM aggregation_data
          WHERE (namespace, day_of_week, hour_of_day, quarter_hour) IN (SELECT * FROM unnest($1::text[], $2::smallint[], $3::smallint[], $4::smallint[]))`,
        [
          wanted.map((slot) => slot.namespace),
          wanted.map((slot) => slot.dayOfWeek),
          wanted.map((slot) => slot.hourOfDay),
          wanted.map((slot) => slot.quarterHour),
        ],
      ),
    );
  }
  return table;
}

/** Writes baseline slots (insert or replace), in one statement. */
export async function saveBaselineSlots(db: Reader, slots: ReadonlyMap<string, RunningStats>): Promise<number> {
  if (slots.size === 0) return 0;
  const columns = {
    dow: [] as number[],
    hour: [] as number[],
    quarter: [] as number[],
    namespace: [] as string[],
    mean: [] as number[],
    stddev: [] as number[],
    samples: [] as number[],
    m2: [] as number[],
  };
  for (const [key, stats] of slots) {
    const slot = parseSlotKey(key);
    columns.dow.push(slot.dayOfWeek);
    columns.hour.push(slot.hourOfDay);
    columns.quarter.push(slot.quarterHour);
    columns.namespace.push(slot.namespace);
    columns.mean.push(stats.mean);
    columns.stddev.push(standardDeviation(stats));
    columns.samples.push(stats.samples);
    columns.m2.push(stats.m2);
  }
  return db.$executeRawUnsafe(
    `INSERT INTO aggregation_data (day_of_week, hour_of_day, quarter_hour, namespace, mean, stddev, samples, m2, updated_at)
     SELECT *, now() FROM unnest($1::smallint[], $2::smallint[], $3::smallint[], $4::text[], $5::float8[], $6::float8[], $7::int[], $8::float8[])
     ON CONFLICT (day_of_week, hour_of_day, quarter_hour, namespace)
     DO UPDATE SET mean = EXCLUDED.mean, stddev = EXCLUDED.stddev, samples = EXCLUDED.samples, m2 = EXCLUDED.m2, updated_at = now()`,
    columns.dow,
    columns.hour,
    columns.quarter,
    columns.namespace,
    columns.mean,
    columns.stddev,
    columns.samples,
    columns.m2,
  );
}

export type NewWindowRow = { start: number; namespace: string; keys: SlotKeys; count: number; isPeak: boolean; baselineValue: number };

/** Inserts windows; a window already stored (same unique key) is left as it is. */
export async function insertWindows(db: Reader, rows: readonly NewWindowRow[]): Promise<number> {
  let inserted = 0;
  for (let offset = 0; offset < rows.length; offset += 5000) {
    const batch = rows.slice(offset, offset + 5000);
    inserted += await db.$executeRawUnsafe(
      `INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count, is_peak, baseline_value)
       SELECT * FROM unnest($1::timestamptz[], $2::smallint[], $3::smallint[], $4::smallint[], $5::text[], $6::int[], $7::bool[], $8::float8[])
       ON CONFLICT (timestamp, day_of_week, hour_of_day, quarter_hour, namespace) DO NOTHING`,
      batch.map((row) => new Date(row.start)),
      batch.map((row) => row.keys.dayOfWeek),
      batch.map((row) => row.keys.hourOfDay),
      batch.map((row) => row.keys.quarterHour),
      batch.map((row) => row.namespace),
      batch.map((row) => row.count),
      batch.map((row) => row.isPeak),
      batch.map((row) => row.baselineValue),
    );
  }
  return inserted;
}

export type NewPeakRow = {
  start: number;
  namespace: string;
  keys: SlotKeys;
  severity: Severity;
  inputs: DecisionInputs;
  plateauStart: number | null;
  thresholdsVersion: number | null;
};

/** The columns of a peak that hold its decision: what it was judged on, and by which thresholds. */
export function decisionColumns(peak: { severity: Severity; inputs: DecisionInputs; thresholdsVersion: number | null }) {
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
      ...decisionColumns(peak),
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

export type ThresholdsInForce = { settings: PeakDetectionSettings; version: number | null };

/** A saved thresholds version's values over the defaults (an older version may lack a key added since). */
export function storedOverDefaults<Values extends object>(stored: unknown, defaults: Values): Values {
  return { ...defaults, ...(stored as Partial<Values>) };
}

function thresholdsOf(latest: { id: number; values: unknown } | undefined | null, defaults: PeakDetectionSettings): ThresholdsInForce {
  if (!latest) return { settings: defaults, version: null };
  return { settings: storedOverDefaults(latest.values, defaults), version: latest.id };
}

/** The thresholds in force: the newest saved version, or values.yaml's (version null). */
export async function findEffectiveThresholds(db: Reader, defaults: PeakDetectionSettings): Promise<ThresholdsInForce> {
  return thresholdsOf(await db.thresholdSetting.findFirst({ orderBy: { id: "desc" }, select: { id: true, values: true } }), defaults);
}

/** findEffectiveThresholds for the charts, read with plain SQL outside any transaction. */
export async function readThresholdsInForce(prisma: PrismaClient, defaults: PeakDetectionSettings): Promise<ThresholdsInForce> {
  const [latest] = await readRows<{ id: number; values: unknown }>(prisma, "SELECT id, values FROM threshold_settings ORDER BY id DESC LIMIT 1");
  return thresholdsOf(latest, defaults);
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

import {
  storedPreviousValuesSchema,
  storedSlotShiftsSchema,
  type NewNormalRecord,
  type StoredPreviousValues,
  type StoredSlotShifts,
} from "@/lib/new-normal/contract";
import type { Db, Prisma, PrismaClient } from "./client";
import { exactFloats } from "./sql";

type Reader = PrismaClient | Prisma.TransactionClient;

/** A stored window of a namespace with what it added to its slot. */
export type ContributingWindow = { start: number; count: number; baselineValue: number | null };

/** The namespace's stored windows from `fromMs` on, chronological. */
export async function findWindowsSince(db: Reader, namespace: string, fromMs: number): Promise<ContributingWindow[]> {
  const rows = await db.peakRawData.findMany({
    where: { namespace, timestamp: { gte: new Date(fromMs) } },
    orderBy: { timestamp: "asc" },
    select: { timestamp: true, errorCount: true, baselineValue: true },
  });
  return rows.map((row) => ({ start: row.timestamp.getTime(), count: row.errorCount, baselineValue: row.baselineValue }));
}

/** The start of the namespace's oldest stored window, or null. */
export async function findOldestWindow(db: Reader, namespace: string): Promise<number | null> {
  const row = await db.peakRawData.findFirst({ where: { namespace }, orderBy: { timestamp: "asc" }, select: { timestamp: true } });
  return row?.timestamp.getTime() ?? null;
}

/** A slot of a namespace's week and what its samples move by. */
export type SlotShift = { dayOfWeek: number; hourOfDay: number; quarterHour: number; shift: number };

/**
 * Moves every sample before `fromMs` of each shifted slot by its shift: the stored windows'
 * baseline values and the slot's retired mean (the windows retention deleted, all older).
 */
export async function shiftSamplesBefore(db: Reader, namespace: string, fromMs: number, shifts: readonly SlotShift[]): Promise<void> {
  if (shifts.length === 0) return;
  const columns = {
    dow: shifts.map((slot) => slot.dayOfWeek),
    hour: shifts.map((slot) => slot.hourOfDay),
    quarter: shifts.map((slot) => slot.quarterHour),
    shift: exactFloats(shifts.map((slot) => slot.shift)),
  };
  await db.$executeRawUnsafe(
    `UPDATE peak_raw_data w SET baseline_value = coalesce(w.baseline_value, w.error_count) + s.shift
       FROM unnest($3::smallint[], $4::smallint[], $5::smallint[], $6::text[]::float8[]) AS s(day_of_week, hour_of_day, quarter_hour, shift)
      WHERE w.namespace = $1 AND w.timestamp < $2
        AND w.day_of_week = s.day_of_week AND w.hour_of_day = s.hour_of_day AND w.quarter_hour = s.quarter_hour`,
    namespace,
    new Date(fromMs),
    columns.dow,
    columns.hour,
    columns.quarter,
    columns.shift,
  );
  await db.$executeRawUnsafe(
    `UPDATE aggregation_data a SET retired_mean = a.retired_mean + s.shift
       FROM unnest($2::smallint[], $3::smallint[], $4::smallint[], $5::text[]::float8[]) AS s(day_of_week, hour_of_day, quarter_hour, shift)
      WHERE a.namespace = $1 AND a.retired_samples > 0
        AND a.day_of_week = s.day_of_week AND a.hour_of_day = s.hour_of_day AND a.quarter_hour = s.quarter_hour`,
    namespace,
    columns.dow,
    columns.hour,
    columns.quarter,
    columns.shift,
  );
}

/** Sets the baseline values of windows of a namespace (start → value; null: the count itself). */
export async function setBaselineValues(db: Reader, namespace: string, values: ReadonlyMap<number, number | null>): Promise<void> {
  if (values.size === 0) return;
  await db.$executeRawUnsafe(
    `UPDATE peak_raw_data w SET baseline_value = v.value
       FROM unnest($2::timestamptz[], $3::text[]::float8[]) AS v(timestamp, value)
      WHERE w.namespace = $1 AND w.timestamp = v.timestamp`,
    namespace,
    [...values.keys()].map((start) => new Date(start)),
    exactFloats([...values.values()]),
  );
}

/** Sets the baseline value of every window of the namespace from `fromMs` on to its count. */
export async function setBaselineValuesToCounts(db: Reader, namespace: string, fromMs: number): Promise<void> {
  await db.$executeRawUnsafe(`UPDATE peak_raw_data SET baseline_value = error_count WHERE namespace = $1 AND timestamp >= $2`, namespace, new Date(fromMs));
}

/** The new normals in force that start after `fromMs`, with their shifts by slot key. */
export async function findAcceptancesAfter(db: Reader, fromMs: number): Promise<{ namespace: string; fromMs: number; shifts: Record<string, number> }[]> {
  const rows = await db.baselineAcceptance.findMany({
    where: { revertedAt: null, fromTimestamp: { gt: new Date(fromMs) } },
    select: { namespace: true, fromTimestamp: true, slotShifts: true },
  });
  return rows.map((row) => ({ namespace: row.namespace, fromMs: row.fromTimestamp.getTime(), shifts: storedSlotShiftsSchema.parse(row.slotShifts) }));
}

/**
 * Acknowledges the namespace's open peaks from `fromMs` on (the incident the new level began
 * with): they stay as the record of the change even when a later correction judges their windows
 * against the new normal, which only removes untriaged peaks. Returns their ids.
 */
export async function acknowledgePeaksSince(db: Reader, namespace: string, fromMs: number): Promise<number[]> {
  const ids = await findOpenPeaksSince(db, namespace, fromMs);
  if (ids.length > 0) await db.peakInvestigation.updateMany({ where: { id: { in: ids } }, data: { status: "acknowledged" } });
  return ids;
}

/** The ids of the namespace's open peaks from `fromMs` on, in order. */
export async function findOpenPeaksSince(db: Reader, namespace: string, fromMs: number): Promise<number[]> {
  const peaks = await db.peakInvestigation.findMany({
    where: { namespace, timestamp: { gte: new Date(fromMs) }, status: "open" },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return peaks.map((peak) => peak.id);
}

const recordSelect = {
  id: true,
  namespace: true,
  fromTimestamp: true,
  levelOffset: true,
  windows: true,
  peakId: true,
  comment: true,
  acceptedBy: true,
  acceptedAt: true,
  revertedBy: true,
  revertedAt: true,
} as const;

type RecordRow = Prisma.BaselineAcceptanceGetPayload<{ select: typeof recordSelect }>;

function toRecord(row: RecordRow): NewNormalRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    from: row.fromTimestamp.toISOString(),
    levelOffset: row.levelOffset,
    windows: row.windows,
    peakId: row.peakId,
    comment: row.comment,
    acceptedBy: row.acceptedBy,
    acceptedAt: row.acceptedAt.toISOString(),
    revertedBy: row.revertedBy,
    revertedAt: row.revertedAt?.toISOString() ?? null,
  };
}

export async function insertAcceptance(
  db: Reader,
  data: {
    namespace: string;
    fromMs: number;
    levelOffset: number;
    windows: number;
    slotShifts: ReadonlyMap<string, number>;
    previousValues: ReadonlyMap<number, number | null>;
    peakId: number | null;
    comment: string | null;
    acceptedBy: string;
    acceptedAt: Date;
  },
): Promise<NewNormalRecord> {
  const row = await db.baselineAcceptance.create({
    data: {
      namespace: data.namespace,
      fromTimestamp: new Date(data.fromMs),
      levelOffset: data.levelOffset,
      windows: data.windows,
      slotShifts: Object.fromEntries(data.slotShifts) satisfies StoredSlotShifts,
      previousValues: Object.fromEntries([...data.previousValues].map(([start, value]) => [String(start), value])) satisfies StoredPreviousValues,
      peakId: data.peakId,
      comment: data.comment,
      acceptedBy: data.acceptedBy,
      acceptedAt: data.acceptedAt,
    },
    select: recordSelect,
  });
  return toRecord(row);
}

/** An acceptance with what taking it back needs; null when it does not exist. */
export async function findAcceptance(db: Reader, id: number) {
  const row = await db.baselineAcceptance.findUnique({ where: { id }, select: { ...recordSelect, slotShifts: true, previousValues: true } });
  if (!row) return null;
  return {
    record: toRecord(row),
    slotShifts: new Map(Object.entries(storedSlotShiftsSchema.parse(row.slotShifts))),
    previousValues: new Map(Object.entries(storedPreviousValuesSchema.parse(row.previousValues)).map(([start, value]) => [Number(start), value])),
  };
}

/** The newest acceptance of a namespace not taken back, or null. */
export async function findNewestActiveAcceptance(db: Reader, namespace: string): Promise<NewNormalRecord | null> {
  const row = await db.baselineAcceptance.findFirst({ where: { namespace, revertedAt: null }, orderBy: { id: "desc" }, select: recordSelect });
  return row ? toRecord(row) : null;
}

export async function markReverted(db: Reader, id: number, revertedBy: string, revertedAt: Date): Promise<NewNormalRecord> {
  return toRecord(await db.baselineAcceptance.update({ where: { id }, data: { revertedBy, revertedAt }, select: recordSelect }));
}

/** Acceptances, newest first: of one namespace, or of all; at most `limit`. */
export async function listAcceptances(db: Db, options: { namespace?: string; limit: number }): Promise<NewNormalRecord[]> {
  const rows = await db.kysely
    .selectFrom("baseline_acceptances")
    .select([
      "id",
      "namespace",
      "from_timestamp as fromTimestamp",
      "level_offset as levelOffset",
      "windows",
      "peak_id as peakId",
      "comment",
      "accepted_by as acceptedBy",
      "accepted_at as acceptedAt",
      "reverted_by as revertedBy",
      "reverted_at as revertedAt",
    ])
    .$if(options.namespace !== undefined, (query) => query.where("namespace", "=", options.namespace ?? ""))
    .orderBy("id", "desc")
    .limit(options.limit)
    .execute();
  return rows.map(toRecord);
}

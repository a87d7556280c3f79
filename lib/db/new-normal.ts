import type { NewNormalRecord } from "@/lib/new-normal/schema";
import { parseSlotKey, slotKey } from "@/lib/pipeline/baseline";
import type { SlotKeys } from "@/lib/pipeline/time";
import type { Prisma, PrismaClient } from "./client";

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

/**
 * Moves every sample before `fromMs` of each shifted slot by its shift × `direction`: the stored
 * windows' baseline values and the slot's retired mean (the windows retention deleted, all older).
 */
export async function shiftSamplesBefore(db: Reader, namespace: string, fromMs: number, shifts: ReadonlyMap<string, number>, direction: 1 | -1): Promise<void> {
  if (shifts.size === 0) return;
  const columns = { dow: [] as number[], hour: [] as number[], quarter: [] as number[], shift: [] as number[] };
  for (const [key, shift] of shifts) {
    const slot = parseSlotKey(key);
    columns.dow.push(slot.dayOfWeek);
    columns.hour.push(slot.hourOfDay);
    columns.quarter.push(slot.quarterHour);
    columns.shift.push(direction * shift);
  }
  await db.$executeRawUnsafe(
    `UPDATE peak_raw_data w SET baseline_value = coalesce(w.baseline_value, w.error_count) + s.shift
       FROM unnest($3::smallint[], $4::smallint[], $5::smallint[], $6::float8[]) AS s(day_of_week, hour_of_day, quarter_hour, shift)
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
       FROM unnest($2::smallint[], $3::smallint[], $4::smallint[], $5::float8[]) AS s(day_of_week, hour_of_day, quarter_hour, shift)
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
       FROM unnest($2::timestamptz[], $3::float8[]) AS v(timestamp, value)
      WHERE w.namespace = $1 AND w.timestamp = v.timestamp`,
    namespace,
    [...values.keys()].map((start) => new Date(start)),
    [...values.values()],
  );
}

/** Sets the baseline value of every window of the namespace from `fromMs` on to its count. */
export async function setBaselineValuesToCounts(db: Reader, namespace: string, fromMs: number): Promise<void> {
  await db.$executeRawUnsafe(`UPDATE peak_raw_data SET baseline_value = error_count WHERE namespace = $1 AND timestamp >= $2`, namespace, new Date(fromMs));
}

/**
 * The shifts of the new normals in force that start after `fromMs`, as a function per namespace
 * (undefined for a namespace without any): the errors a window before their start adds to its
 * slot on top of its own value (lib/pipeline/detect.ts contributionShift).
 */
export async function findShiftsAfter(db: Reader, fromMs: number): Promise<(namespace: string) => ((start: number, keys: SlotKeys) => number) | undefined> {
  const rows = await db.baselineAcceptance.findMany({
    where: { revertedAt: null, fromTimestamp: { gt: new Date(fromMs) } },
    select: { namespace: true, fromTimestamp: true, slotShifts: true },
  });
  const byNamespace = new Map<string, { fromMs: number; shifts: Record<string, number> }[]>();
  for (const row of rows) {
    const list = byNamespace.get(row.namespace) ?? [];
    list.push({ fromMs: row.fromTimestamp.getTime(), shifts: row.slotShifts as Record<string, number> });
    byNamespace.set(row.namespace, list);
  }
  return (namespace) => {
    const acceptances = byNamespace.get(namespace);
    if (!acceptances) return undefined;
    return (start, keys) => {
      const key = slotKey(namespace, keys);
      return acceptances.reduce((sum, acceptance) => (start < acceptance.fromMs ? sum + (acceptance.shifts[key] ?? 0) : sum), 0);
    };
  };
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
      slotShifts: Object.fromEntries(data.slotShifts),
      previousValues: Object.fromEntries([...data.previousValues].map(([start, value]) => [String(start), value])),
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
    slotShifts: new Map(Object.entries(row.slotShifts as Record<string, number>)),
    previousValues: new Map(Object.entries(row.previousValues as Record<string, number | null>).map(([start, value]) => [Number(start), value])),
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
export async function listAcceptances(db: Reader, options: { namespace?: string; limit: number }): Promise<NewNormalRecord[]> {
  const rows = await db.baselineAcceptance.findMany({
    where: options.namespace ? { namespace: options.namespace } : {},
    orderBy: { id: "desc" },
    take: options.limit,
    select: recordSelect,
  });
  return rows.map(toRecord);
}

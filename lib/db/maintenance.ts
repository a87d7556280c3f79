import type { Prisma, PrismaClient } from "./client";

/** A table under retention and the column that dates its rows. Identifiers are constants, never input. */
export type RetainedTable = { table: string; column: string };

/** Rows of `table` dated before `cutoff`. */
export async function countExpiredRows(prisma: PrismaClient, target: RetainedTable, cutoff: Date): Promise<number> {
  const rows = await prisma.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM "${target.table}" WHERE "${target.column}" < $1`, cutoff);
  return Number(rows[0]?.count ?? 0);
}

/** Runs one deleting statement until it deletes fewer rows than a batch. */
async function deleteInBatches(batchSize: number, deleteBatch: () => Promise<number>): Promise<{ deleted: number; batches: number }> {
  let deleted = 0;
  let batches = 0;
  for (;;) {
    const count = await deleteBatch();
    batches += 1;
    deleted += count;
    if (count < batchSize) return { deleted, batches };
  }
}

/**
 * Deletes rows dated before `cutoff`, `batchSize` at a time, each batch its own statement so
 * that no long lock blocks the pipeline; returns the rows deleted and the batches used.
 */
export function deleteExpiredRows(prisma: PrismaClient, target: RetainedTable, cutoff: Date, batchSize: number): Promise<{ deleted: number; batches: number }> {
  return deleteInBatches(batchSize, () =>
    prisma.$executeRawUnsafe(
      `DELETE FROM "${target.table}" WHERE ctid IN (SELECT ctid FROM "${target.table}" WHERE "${target.column}" < $1 LIMIT $2)`,
      cutoff,
      batchSize,
    ),
  );
}

/** The windows of peak_raw_data (their `timestamp` dates them). */
export const WINDOWS: RetainedTable = { table: "peak_raw_data", column: "timestamp" };

// Serialises retiring windows into the baseline against recomputing slots from the stored
// windows (see holdOffRetirement). Not the migration runner's key (7_104_311_822).
const RETIREMENT_LOCK_KEY = 7_104_311_823;

/**
 * Until the transaction ends, maintenance retires no windows (it waits): a transaction that
 * reads the retired stats and then the stored windows sees each window exactly once. Shared:
 * several such transactions may hold it together.
 */
export async function holdOffRetirement(transaction: Prisma.TransactionClient): Promise<void> {
  await transaction.$executeRawUnsafe(`SELECT pg_advisory_xact_lock_shared(${RETIREMENT_LOCK_KEY})`);
}

/**
 * deleteExpiredRows for the windows of peak_raw_data, which keeps what they taught the baseline:
 * in the same statement as each batch's DELETE, the values the deleted windows added to their
 * slots (baseline_value, or error_count where it is null, as recalculateBaseline reads them) are
 * folded into the slots' retired stats by the parallel Welford combination. mean, samples and m2
 * are left as they are: they already hold every window, stored or retired. A window whose slot
 * has no aggregation_data row is in no baseline, so nothing is kept of it.
 */
export function deleteExpiredWindows(prisma: PrismaClient, cutoff: Date, batchSize: number): Promise<{ deleted: number; batches: number }> {
  return deleteInBatches(batchSize, async () => {
    // Data-modifying CTEs run exactly once whether or not the outer query reads them; each
    // batch's m2 is the sum of squared deviations from that batch's own mean (two passes).
    const [, rows] = await prisma.$transaction([
      prisma.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${RETIREMENT_LOCK_KEY})`),
      prisma.$queryRawUnsafe<{ count: number }[]>(
        `WITH deleted AS (
           DELETE FROM peak_raw_data
            WHERE ctid IN (SELECT ctid FROM peak_raw_data WHERE timestamp < $1 LIMIT $2)
           RETURNING namespace, day_of_week, hour_of_day, quarter_hour, coalesce(baseline_value, error_count)::float8 AS value
         ), deviations AS (
           SELECT namespace, day_of_week, hour_of_day, quarter_hour, value,
                  avg(value) OVER (PARTITION BY namespace, day_of_week, hour_of_day, quarter_hour) AS mean
             FROM deleted
         ), batch AS (
           SELECT namespace, day_of_week, hour_of_day, quarter_hour,
                  count(*)::int AS samples, min(mean) AS mean, sum((value - mean) * (value - mean)) AS m2
             FROM deviations
            GROUP BY namespace, day_of_week, hour_of_day, quarter_hour
         ), retired AS (
           UPDATE aggregation_data a
              SET retired_samples = a.retired_samples + b.samples,
                  retired_mean = a.retired_mean + (b.mean - a.retired_mean) * b.samples / (a.retired_samples + b.samples)::float8,
                  retired_m2 = a.retired_m2 + b.m2
                               + (b.mean - a.retired_mean) * (b.mean - a.retired_mean) * a.retired_samples * b.samples / (a.retired_samples + b.samples)::float8
             FROM batch b
            WHERE a.namespace = b.namespace AND a.day_of_week = b.day_of_week AND a.hour_of_day = b.hour_of_day AND a.quarter_hour = b.quarter_hour
         )
         SELECT count(*)::int AS count FROM deleted`,
        cutoff,
        batchSize,
      ),
    ]);
    return rows[0]?.count ?? 0;
  });
}

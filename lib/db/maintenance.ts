import type { PrismaClient } from "./client";

/** A table under retention and the column that dates its rows. Identifiers are constants, never input. */
export type RetainedTable = { table: string; column: string };

/** Rows of `table` dated before `cutoff`. */
export async function countExpiredRows(prisma: PrismaClient, target: RetainedTable, cutoff: Date): Promise<number> {
  const rows = await prisma.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM "${target.table}" WHERE "${target.column}" < $1`, cutoff);
  return Number(rows[0]?.count ?? 0);
}

/**
 * Deletes rows dated before `cutoff`, `batchSize` at a time, each batch its own statement so
 * that no long lock blocks the pipeline; returns the rows deleted and the batches used.
 */
export async function deleteExpiredRows(prisma: PrismaClient, target: RetainedTable, cutoff: Date, batchSize: number): Promise<{ deleted: number; batches: number }> {
  let deleted = 0;
  let batches = 0;
  for (;;) {
    const count = await prisma.$executeRawUnsafe(
      `DELETE FROM "${target.table}" WHERE ctid IN (SELECT ctid FROM "${target.table}" WHERE "${target.column}" < $1 LIMIT $2)`,
      cutoff,
      batchSize,
    );
    batches += 1;
    deleted += count;
    if (count < batchSize) return { deleted, batches };
  }
}

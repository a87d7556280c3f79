import { sql } from "kysely";
import type { Db, Prisma } from "./client";
import { epochMilliseconds } from "./sql";

// The queries of the thresholds: the saved versions (threshold_settings, whose `values` the
// use cases in lib/thresholds parse) and what a backtest replays.

/** A saved version as stored: `values` as written (threshold_settings.values), its author as a name. */
export type ThresholdSettingRow = { id: number; values: unknown; comment: string | null; createdAt: Date; createdBy: string | null };

/** Every saved version, oldest first. */
export async function findThresholdVersions(db: Db): Promise<ThresholdSettingRow[]> {
  return db.kysely
    .selectFrom("threshold_settings as t")
    .leftJoin("users as u", "u.id", "t.created_by_id")
    .select((eb) => ["t.id", "t.values", "t.comment", "t.created_at as createdAt", eb.fn.coalesce("u.name", "u.email").as("createdBy")])
    .orderBy("t.id", "asc")
    .execute();
}

/** The newest saved version, or null (values.yaml in force). */
export async function findLatestThresholdSetting(db: Db): Promise<{ id: number; values: unknown } | null> {
  const row = await db.kysely.selectFrom("threshold_settings").select(["id", "values"]).orderBy("id", "desc").limit(1).executeTakeFirst();
  return row ?? null;
}

/** A saved version's values, or null when there is no such version. */
export async function findThresholdSetting(db: Db, id: number): Promise<{ id: number; values: unknown } | null> {
  const row = await db.kysely.selectFrom("threshold_settings").select(["id", "values"]).where("id", "=", id).executeTakeFirst();
  return row ?? null;
}

/**
 * Queues the transaction behind every other writer of versions, then reads the newest version:
 * the one read is the newest committed one until the transaction ends.
 */
export async function lockLatestThresholdSetting(transaction: Prisma.TransactionClient): Promise<{ id: number; values: unknown } | null> {
  await transaction.$executeRawUnsafe("LOCK TABLE threshold_settings IN SHARE ROW EXCLUSIVE MODE");
  return transaction.thresholdSetting.findFirst({ orderBy: { id: "desc" }, select: { id: true, values: true } });
}

/** Stores a new version; `values` is threshold_settings.values as lib/thresholds/contract.ts describes it. */
export async function insertThresholdSetting(
  transaction: Prisma.TransactionClient,
  version: { values: Prisma.InputJsonObject; comment: string | null; createdById: number | null },
): Promise<{ id: number; createdAt: Date; createdBy: string | null }> {
  const row = await transaction.thresholdSetting.create({
    data: version,
    select: { id: true, createdAt: true, createdBy: { select: { email: true, name: true } } },
  });
  return { id: row.id, createdAt: row.createdAt, createdBy: row.createdBy ? (row.createdBy.name ?? row.createdBy.email) : null };
}

/** The start of the newest stored window (of one namespace, or of any), or null. */
export async function findNewestWindowStart(db: Db, namespace?: string): Promise<Date | null> {
  const row = await db.kysely
    .selectFrom("peak_raw_data")
    .select("timestamp")
    .$if(namespace !== undefined, (query) => query.where("namespace", "=", namespace ?? ""))
    .orderBy("timestamp", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.timestamp ?? null;
}

/**
 * The stored windows in [fromMs, toMs) per namespace (or of one), chronological. One row per
 * namespace with its windows as arrays: far fewer rows to decode than one per window.
 */
export async function findWindowsPerNamespace(
  db: Db,
  fromMs: number,
  toMs: number,
  namespace?: string,
): Promise<Map<string, { start: number; count: number }[]>> {
  const rows = await db.kysely
    .selectFrom("peak_raw_data")
    .select((eb) => [
      "namespace",
      sql<number[]>`array_agg(${epochMilliseconds(eb.ref("timestamp"))} ORDER BY ${eb.ref("timestamp")})`.as("starts"),
      sql<number[]>`array_agg(${eb.ref("error_count")} ORDER BY ${eb.ref("timestamp")})`.as("counts"),
    ])
    .where("timestamp", ">=", new Date(fromMs))
    .where("timestamp", "<", new Date(toMs))
    .$if(namespace !== undefined, (query) => query.where("namespace", "=", namespace ?? ""))
    .groupBy("namespace")
    .execute();
  return new Map(rows.map((row) => [row.namespace, row.starts.map((start, index) => ({ start: Number(start), count: row.counts[index]! }))]));
}

/** How many peaks are stored in [fromMs, toMs), per namespace (or of one). */
export async function countPeaksPerNamespace(db: Db, fromMs: number, toMs: number, namespace?: string): Promise<Map<string, number>> {
  const rows = await db.kysely
    .selectFrom("peak_investigation")
    .select(["namespace", sql<number>`count(*)::int`.as("stored")])
    .where("timestamp", ">=", new Date(fromMs))
    .where("timestamp", "<", new Date(toMs))
    .$if(namespace !== undefined, (query) => query.where("namespace", "=", namespace ?? ""))
    .groupBy("namespace")
    .execute();
  return new Map(rows.map((row) => [row.namespace, row.stored]));
}

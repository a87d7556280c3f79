import { sql } from "kysely";
import type { Db } from "./client";
import type { PeakRawData } from "./generated/kysely/types";
import { distinctNamespacesQuery, epochMilliseconds } from "./sql";

// The overview's queries: each a handful of index probes or a scan of a small table.

/**
 * Every namespace with stored windows and the starts of its newest window and of its newest
 * window with errors: two backward probes of the (namespace, timestamp) index per namespace.
 */
export async function findNewestWindows(db: Db): Promise<{ namespace: string; latestStart: number | null; lastErrorStart: number | null }[]> {
  const namespaces = sql<Pick<PeakRawData, "namespace">>`(${sql.raw(distinctNamespacesQuery("peak_raw_data"))})`.as("n");
  return db.kysely
    .selectFrom(namespaces)
    .select((eb) => [
      "n.namespace",
      eb
        .selectFrom("peak_raw_data as w")
        .select((inner) => epochMilliseconds(inner.ref("w.timestamp")).as("start"))
        .whereRef("w.namespace", "=", "n.namespace")
        .orderBy("w.timestamp", "desc")
        .limit(1)
        .as("latestStart"),
      eb
        .selectFrom("peak_raw_data as w")
        .select((inner) => epochMilliseconds(inner.ref("w.timestamp")).as("start"))
        .whereRef("w.namespace", "=", "n.namespace")
        .where("w.error_count", ">", 0)
        .orderBy("w.timestamp", "desc")
        .limit(1)
        .as("lastErrorStart"),
    ])
    .orderBy("n.namespace")
    .execute();
}

/** Data-gap episodes still open, oldest first (a handful of rows at most). */
export async function findOpenDataGapRows(db: Db) {
  return db.kysely
    .selectFrom("data_gaps")
    .select(["id", "kind", "subject", "data_until as dataUntil", "detail", "opened_at as openedAt", "last_seen_at as lastSeenAt"])
    .where("closed_at", "is", null)
    .orderBy("opened_at")
    .orderBy("id")
    .execute();
}

/** Open peaks per severity (severities without any are left out). */
export async function countOpenPeaksBySeverity(db: Db): Promise<{ severity: string; open: number }[]> {
  return db.kysely
    .selectFrom("peak_investigation")
    .select(["severity", sql<number>`count(*)::int`.as("open")])
    .where("status", "=", "open")
    .groupBy("severity")
    .execute();
}

/** The newest peaks, newest first. */
export async function findRecentPeaks(db: Db, limit: number) {
  return db.kysely
    .selectFrom("peak_investigation")
    .select(["id", "timestamp", "namespace", "severity", "status", "error_count as errorCount", "ratio"])
    .orderBy("timestamp", "desc")
    .limit(limit)
    .execute();
}

/** The run started last, or undefined before any. */
export async function findLastRun(db: Db) {
  return db.kysely
    .selectFrom("pipeline_runs")
    .select([
      "id",
      "status",
      "started_at as startedAt",
      "finished_at as finishedAt",
      "error",
      "range_from as rangeFrom",
      "range_to as rangeTo",
      "covered_to as coveredTo",
      "findings",
    ])
    .orderBy("started_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

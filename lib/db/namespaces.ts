import { sql } from "kysely";
import type { Db } from "./client";
import type { AggregationData, PeakRawData } from "./generated/kysely/types";
import { distinctNamespacesQuery, epochMilliseconds } from "./sql";

// The queries of the namespaces' charts and sparklines. The charts themselves are drawn by the
// use cases in lib/namespaces.

/**
 * Stored windows in [fromMs, toMs) per namespace (every namespace when null), chronological.
 * Each namespace comes as one row with its windows as a JSON array of [start in UTC ms, count]:
 * thousands of rows with a timestamp each cost far more to parse in Node than the query takes.
 */
export async function findNamespaceWindows(
  db: Db,
  namespaces: readonly string[] | null,
  fromMs: number,
  toMs: number,
): Promise<Map<string, { start: number; count: number }[]>> {
  const rows = await db.kysely
    .selectFrom("peak_raw_data")
    .select((eb) => [
      "namespace",
      sql<
        [number, number][]
      >`json_agg(json_build_array((extract(epoch FROM ${eb.ref("timestamp")}) * 1000)::bigint, ${eb.ref("error_count")}) ORDER BY ${eb.ref("timestamp")})`.as(
        "windows",
      ),
    ])
    .where("timestamp", ">=", new Date(fromMs))
    .where("timestamp", "<", new Date(toMs))
    .$if(namespaces !== null, (query) => query.where((eb) => sql<boolean>`${eb.ref("namespace")} = ANY(${namespaces}::text[])`))
    .groupBy("namespace")
    .execute();
  return new Map(rows.map((row) => [row.namespace, row.windows.map(([start, count]) => ({ start, count }))]));
}

/** Whether any baseline slot of the namespace is stored. */
export async function hasBaseline(db: Db, namespace: string): Promise<boolean> {
  const row = await db.kysely
    .selectFrom("aggregation_data")
    .select(sql<number>`1`.as("one"))
    .where("namespace", "=", namespace)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether any window of the namespace is stored. */
export async function hasWindows(db: Db, namespace: string): Promise<boolean> {
  const row = await db.kysely
    .selectFrom("peak_raw_data")
    .select(sql<number>`1`.as("one"))
    .where("namespace", "=", namespace)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The start (UTC ms) of the namespace's oldest stored window, or null. */
export async function findFirstWindowStart(db: Db, namespace: string): Promise<number | null> {
  const row = await db.kysely
    .selectFrom("peak_raw_data")
    .select((eb) => epochMilliseconds(eb.ref("timestamp")).as("start"))
    .where("namespace", "=", namespace)
    .orderBy("timestamp", "asc")
    .limit(1)
    .executeTakeFirst();
  return row?.start ?? null;
}

/** The start (UTC ms) of the namespace's newest stored window, or null. */
export async function findLatestWindowStart(db: Db, namespace: string): Promise<number | null> {
  const row = await db.kysely
    .selectFrom("peak_raw_data")
    .select((eb) => epochMilliseconds(eb.ref("timestamp")).as("start"))
    .where("namespace", "=", namespace)
    .orderBy("timestamp", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.start ?? null;
}

/** The namespace's peaks in [fromMs, toMs), newest first, at most `limit`, each with how many the range holds (`total`). */
export async function findSeriesPeaks(db: Db, namespace: string, fromMs: number, toMs: number, limit: number) {
  return db.kysely
    .selectFrom("peak_investigation as p")
    .leftJoin("known_issues as k", "k.id", "p.known_issue_id")
    .select((eb) => [
      "p.id",
      epochMilliseconds(eb.ref("p.timestamp")).as("start"),
      "p.severity",
      "p.status",
      "p.error_count as errorCount",
      "k.title as knownIssueTitle",
      eb("p.known_peak_id", "is not", null).$castTo<boolean>().as("isRegression"),
      sql<number>`count(*) OVER ()::int`.as("total"),
    ])
    .where("p.namespace", "=", namespace)
    .where("p.timestamp", ">=", new Date(fromMs))
    .where("p.timestamp", "<", new Date(toMs))
    .orderBy("p.timestamp", "desc")
    .limit(limit)
    .execute();
}

/** The namespace's new normals accepted from a window of [fromMs, toMs), taken-back ones too, chronological. */
export async function findNewNormalsFrom(db: Db, namespace: string, fromMs: number, toMs: number) {
  return db.kysely
    .selectFrom("baseline_acceptances")
    .select((eb) => [
      "id",
      epochMilliseconds(eb.ref("from_timestamp")).as("from"),
      "level_offset as levelOffset",
      "accepted_by as acceptedBy",
      "accepted_at as acceptedAt",
      "reverted_at as revertedAt",
    ])
    .where("namespace", "=", namespace)
    .where("from_timestamp", ">=", new Date(fromMs))
    .where("from_timestamp", "<", new Date(toMs))
    .orderBy("from_timestamp")
    .orderBy("id")
    .execute();
}

/** Every baseline slot's running stats of the namespace. */
export async function findSlotStats(db: Db, namespace: string): Promise<{ samples: number; mean: number; m2: number }[]> {
  return db.kysely.selectFrom("aggregation_data").select(["samples", "mean", "m2"]).where("namespace", "=", namespace).execute();
}

/** Namespaces with a baseline, sorted. */
export async function findBaselineNamespaces(db: Db): Promise<string[]> {
  const { rows } = await sql<Pick<AggregationData, "namespace">>`${sql.raw(distinctNamespacesQuery("aggregation_data"))}`.execute(db.kysely);
  return rows.map((row) => row.namespace);
}

/** Open peaks per namespace (namespaces without any are left out). */
export async function countOpenPeaksByNamespace(db: Db): Promise<{ namespace: string; open: number }[]> {
  return db.kysely
    .selectFrom("peak_investigation")
    .select(["namespace", sql<number>`count(*)::int`.as("open")])
    .where("status", "=", "open")
    .groupBy("namespace")
    .execute();
}

/** Incidents without an end that are open, acknowledged or a known issue, per namespace (namespaces without any are left out). */
export async function countOngoingIncidentsByNamespace(db: Db): Promise<{ namespace: string; ongoing: number }[]> {
  return db.kysely
    .selectFrom("incidents")
    .select(["namespace", sql<number>`count(*)::int`.as("ongoing")])
    .where("ended_at", "is", null)
    .where("status", "in", ["open", "acknowledged", "known_issue"])
    .groupBy("namespace")
    .execute();
}

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

/** The baseline slots' figures of some namespaces, all of their slots: what a namespace's spread (dispersionOf) is computed from. */
export async function findSlotStatsOfNamespaces(
  db: Db,
  namespaces: readonly string[],
): Promise<{ namespace: string; samples: number; mean: number; m2: number }[]> {
  if (namespaces.length === 0) return [];
  return db.kysely
    .selectFrom("aggregation_data")
    .select(["namespace", "samples", "mean", "m2"])
    .where((eb) => sql<boolean>`${eb.ref("namespace")} = ANY(${[...namespaces]}::text[])`)
    .execute();
}

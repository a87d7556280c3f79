import { sql } from "kysely";
import type { Db } from "./client";
import type { PeakStatus } from "./generated/kysely/types";

// The overview's queries: each a handful of index probes or a scan of a small table.

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

/**
 * Open incidents (open or acknowledged) per worst window severity and status: one probe of the
 * incidents' status index, then each incident's windows through their (incident_id, timestamp) index.
 * severityRank: 1 low … 4 critical, as lib/db/incidents.ts ranks an incident's windows.
 */
export async function countOpenIncidentsBySeverity(db: Db): Promise<{ severityRank: number; status: PeakStatus; incidents: number }[]> {
  const worst = db.kysely
    .selectFrom("incidents as i")
    .innerJoin("peak_investigation as p", "p.incident_id", "i.id")
    .select([
      "i.id",
      "i.status",
      sql<number>`MAX(CASE ${sql.ref("p.severity")} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)`.as("severityRank"),
    ])
    .where("i.status", "in", ["open", "acknowledged"])
    .groupBy(["i.id", "i.status"])
    .as("w");
  return db.kysely
    .selectFrom(worst)
    .select(["w.severityRank", "w.status", sql<number>`count(*)::int`.as("incidents")])
    .groupBy(["w.severityRank", "w.status"])
    .execute();
}

/** When the last incident that ended did (end of its last window); null before any ended. One probe of the ended_at index. */
export async function findLastIncidentEnd(db: Db): Promise<Date | null> {
  const row = await db.kysely
    .selectFrom("incidents")
    .select((eb) => eb.fn.max("ended_at").as("endedAt"))
    .executeTakeFirst();
  return row?.endedAt ?? null;
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

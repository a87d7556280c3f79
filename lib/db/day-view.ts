import type { Db } from "./client";

// The queries of a day's view (the seed's show_data_for_date): its windows and its peaks.

/** The windows of a range (of one namespace, or of all), by namespace then time. */
export async function findDayWindows(db: Db, range: { fromMs: number; toMs: number }, namespace?: string) {
  return db.kysely
    .selectFrom("peak_raw_data")
    .select(["timestamp", "namespace", "day_of_week as dayOfWeek", "hour_of_day as hourOfDay", "quarter_hour as quarterHour", "error_count as errorCount"])
    .where("timestamp", ">=", new Date(range.fromMs))
    .where("timestamp", "<", new Date(range.toMs))
    .$if(namespace !== undefined, (query) => query.where("namespace", "=", namespace ?? ""))
    .orderBy("namespace")
    .orderBy("timestamp")
    .execute();
}

/** The peaks of a range (of one namespace, or of all). */
export async function findDayPeaks(db: Db, range: { fromMs: number; toMs: number }, namespace?: string) {
  return db.kysely
    .selectFrom("peak_investigation")
    .select(["id", "timestamp", "namespace", "severity", "status", "ratio", "required_ratio as requiredRatio", "continues_peak_id as continuesPeakId"])
    .where("timestamp", ">=", new Date(range.fromMs))
    .where("timestamp", "<", new Date(range.toMs))
    .$if(namespace !== undefined, (query) => query.where("namespace", "=", namespace ?? ""))
    .execute();
}

import { sql } from "kysely";
import type { Db, Prisma } from "./client";
import type { PeakSeverity, PeakStatus } from "./generated/kysely/types";

// The reads of peaks: the jobs' selections, the timeline and a peak's page. The triage actions'
// reads and writes inside their transactions are lib/db/peak-triage.ts's.

export type PeakFilter = { fromMs?: number; toMs?: number; namespace?: string; limit?: number };

/** Peaks in a time range (window start), oldest first; the command line lists them in these columns. */
export async function findPeaks(db: Db, filter: PeakFilter) {
  const { namespace, fromMs, toMs, limit } = filter;
  return db.kysely
    .selectFrom("peak_investigation")
    .select([
      "id",
      "timestamp",
      "namespace",
      "severity",
      "status",
      "error_count as errorCount",
      "baseline_mean as baselineMean",
      "baseline_stddev as baselineStddev",
      "baseline_samples as baselineSamples",
      "ratio",
      "required_ratio as requiredRatio",
      "average_24h as average24h",
      "reference_counts as referenceCounts",
      "continues_peak_id as continuesPeakId",
      "thresholds_version as thresholdsVersion",
      "detected_at as detectedAt",
    ])
    .$if(Boolean(namespace), (query) => query.where("namespace", "=", namespace!))
    .$if(fromMs !== undefined, (query) => query.where("timestamp", ">=", new Date(fromMs!)))
    .$if(toMs !== undefined, (query) => query.where("timestamp", "<", new Date(toMs!)))
    .orderBy("timestamp")
    .orderBy("namespace")
    .$if(Boolean(limit), (query) => query.limit(limit!))
    .execute();
}

export type PeakListItem = Awaited<ReturnType<typeof findPeaks>>[number];

/** Ids of the peaks whose window lies in the range and that match a stage still to do. */
export async function findPeakIdsInRange(db: Db, range: { fromMs: number; toMs: number }, stage: "not enriched" | "not analysed by AI"): Promise<number[]> {
  const rows = await db.kysely
    .selectFrom("peak_investigation")
    .select("id")
    .where("timestamp", ">=", new Date(range.fromMs))
    .where("timestamp", "<", new Date(range.toMs))
    .$if(stage === "not enriched", (query) => query.where("enriched_at", "is", null))
    .$if(stage === "not analysed by AI", (query) => query.where("ai_analyzed_at", "is", null).where("enriched_at", "is not", null))
    .orderBy("timestamp")
    .orderBy("namespace")
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Peaks (`p`) with the first peak of the plateau each continues (`c`), its known issue (`k`) and
 * its known peak (`kp`): what every list and page of peaks reads its labels from. An unused left
 * join on a primary key is removed by the planner.
 */
function peaksWithLabels(db: Db) {
  return db.kysely
    .selectFrom("peak_investigation as p")
    .leftJoin("peak_investigation as c", "c.id", "p.continues_peak_id")
    .leftJoin("known_issues as k", "k.id", "p.known_issue_id")
    .leftJoin("known_peaks as kp", "kp.id", "p.known_peak_id");
}

/**
 * Peaks a notification may be about: those whose window starts in [fromMs, toMs), and those
 * whose earlier delivery on `channel` is not sent yet (to be retried), oldest first.
 */
export async function findNotifiablePeaks(db: Db, range: { fromMs: number; toMs: number }, channel: string, unsentSince: Date) {
  const rows = await peaksWithLabels(db)
    .select([
      "p.id",
      "p.incident_id as incidentId",
      "p.namespace",
      "p.timestamp",
      "p.severity",
      "p.error_count as errorCount",
      "p.baseline_mean as baselineMean",
      "p.ratio",
      "p.root_cause as rootCause",
      "p.error_type as errorType",
      "p.app_name as appName",
      "c.timestamp as continuesPeakTimestamp",
      "k.id as knownIssueId",
      "k.title as knownIssueTitle",
      "kp.id as knownPeakId",
      "kp.title as knownPeakTitle",
      "kp.solution as knownPeakSolution",
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb("p.timestamp", ">=", new Date(range.fromMs)), eb("p.timestamp", "<", new Date(range.toMs))]),
        eb.exists(
          eb
            .selectFrom("notification_deliveries as d")
            .select(sql.lit(1).as("one"))
            .whereRef("d.peak_id", "=", "p.id")
            .where("d.channel", "=", channel)
            .where("d.status", "<>", "sent")
            .where("d.created_at", ">=", unsentSince),
        ),
      ]),
    )
    .orderBy("p.timestamp")
    .orderBy("p.namespace")
    .execute();
  return rows.map(({ continuesPeakTimestamp, knownIssueId, knownIssueTitle, knownPeakId, knownPeakTitle, knownPeakSolution, ...peak }) => ({
    ...peak,
    continuesPeak: continuesPeakTimestamp ? { timestamp: continuesPeakTimestamp } : null,
    knownIssue: knownIssueId !== null && knownIssueTitle !== null ? { id: knownIssueId, title: knownIssueTitle } : null,
    knownPeak:
      knownPeakId !== null && knownPeakTitle !== null && knownPeakSolution !== null
        ? { id: knownPeakId, title: knownPeakTitle, solution: knownPeakSolution }
        : null,
  }));
}

export type NotifiablePeakRow = Awaited<ReturnType<typeof findNotifiablePeaks>>[number];

// ---------------------------------------------------------------------------------------------
// The timeline.

/** What a list of peaks shows of each (the timeline, an action's answer), as a Prisma selection. */
export const peakSummarySelect = {
  id: true,
  timestamp: true,
  namespace: true,
  severity: true,
  status: true,
  errorCount: true,
  baselineMean: true,
  ratio: true,
  rootCause: true,
  errorType: true,
  appName: true,
  continuesPeakId: true,
  knownIssue: { select: { id: true, title: true } },
  knownPeak: { select: { id: true, title: true } },
} satisfies Prisma.PeakInvestigationSelect;

export type PeakSummaryRow = Prisma.PeakInvestigationGetPayload<{ select: typeof peakSummarySelect }>;

/** A timeline filter, parsed: every list non-empty, `after` the last row of the page before. */
export type PeakSummaryFilter = {
  status?: readonly PeakStatus[];
  severity?: readonly PeakSeverity[];
  namespace?: readonly string[];
  /** known: with a known issue; regression: of a known peak; unknown: neither. */
  label?: "known" | "regression" | "unknown";
  /** Window start, inclusive. */
  from?: Date;
  /** Window start, exclusive. */
  to?: Date;
  after?: { timestamp: Date; id: number };
  limit: number;
};

/**
 * Peaks of the timeline, newest first: (timestamp desc, id desc), at most `limit`, strictly after
 * `after` in that order. One plain query: the timeline is the dashboard's most requested list.
 */
export async function findPeakSummaries(db: Db, filter: PeakSummaryFilter): Promise<PeakSummaryRow[]> {
  const { status, severity, namespace, label, from, to, after } = filter;
  const rows = await peaksWithLabels(db)
    .select([
      "p.id",
      "p.timestamp",
      "p.namespace",
      "p.severity",
      "p.status",
      "p.error_count",
      "p.baseline_mean",
      "p.ratio",
      "p.root_cause",
      "p.error_type",
      "p.app_name",
      "p.continues_peak_id",
      "k.id as known_issue_id",
      "k.title as known_issue_title",
      "kp.id as known_peak_id",
      "kp.title as known_peak_title",
    ])
    .$if(status !== undefined, (query) => query.where((eb) => sql<boolean>`${eb.ref("p.status")} = ANY(${status}::"PeakStatus"[])`))
    .$if(severity !== undefined, (query) => query.where((eb) => sql<boolean>`${eb.ref("p.severity")} = ANY(${severity}::"PeakSeverity"[])`))
    .$if(namespace !== undefined, (query) => query.where((eb) => sql<boolean>`${eb.ref("p.namespace")} = ANY(${namespace}::text[])`))
    .$if(label === "known", (query) => query.where("p.known_issue_id", "is not", null))
    .$if(label === "regression", (query) => query.where("p.known_peak_id", "is not", null))
    .$if(label === "unknown", (query) => query.where("p.known_issue_id", "is", null).where("p.known_peak_id", "is", null))
    .$if(from !== undefined, (query) => query.where("p.timestamp", ">=", from!))
    .$if(to !== undefined, (query) => query.where("p.timestamp", "<", to!))
    // The `<=` bound lets the planner range-scan the timestamp index; the OR breaks ties on id.
    .$if(after !== undefined, (query) =>
      query.where("p.timestamp", "<=", after!.timestamp).where((eb) => eb.or([eb("p.timestamp", "<", after!.timestamp), eb("p.id", "<", after!.id)])),
    )
    .orderBy("p.timestamp", "desc")
    .orderBy("p.id", "desc")
    .limit(filter.limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    timestamp: row.timestamp,
    namespace: row.namespace,
    severity: row.severity,
    status: row.status,
    errorCount: row.error_count,
    baselineMean: row.baseline_mean,
    ratio: row.ratio,
    rootCause: row.root_cause,
    errorType: row.error_type,
    appName: row.app_name,
    continuesPeakId: row.continues_peak_id,
    knownIssue: row.known_issue_id !== null && row.known_issue_title !== null ? { id: row.known_issue_id, title: row.known_issue_title } : null,
    knownPeak: row.known_peak_id !== null && row.known_peak_title !== null ? { id: row.known_peak_id, title: row.known_peak_title } : null,
  }));
}

// ---------------------------------------------------------------------------------------------
// A peak's page: plain queries, as a peak's page is opened often and reads many of them.

/** Whether a peak with this id exists: one indexed lookup. */
export async function peakExists(db: Db, peakId: number): Promise<boolean> {
  const row = await db.kysely.selectFrom("peak_investigation").select("id").where("id", "=", peakId).executeTakeFirst();
  return row !== undefined;
}

/** A peak's row with the start of the plateau it continues, its known issue and its known peak; undefined when there is none. */
export async function findPeakDetailRow(db: Db, peakId: number) {
  return peaksWithLabels(db)
    .select([
      "p.id",
      "p.timestamp",
      "p.namespace",
      "p.severity",
      "p.status",
      "p.error_count as errorCount",
      "p.baseline_mean as baselineMean",
      "p.ratio",
      "p.root_cause as rootCause",
      "p.error_type as errorType",
      "p.app_name as appName",
      "p.continues_peak_id as continuesPeakId",
      "p.incident_id as incidentId",
      "p.known_issue_id as knownIssueId",
      "p.known_peak_id as knownPeakId",
      "p.day_of_week as dayOfWeek",
      "p.hour_of_day as hourOfDay",
      "p.quarter_hour as quarterHour",
      "p.detected_at as detectedAt",
      "p.updated_at as updatedAt",
      "p.baseline_stddev as baselineStddev",
      "p.baseline_samples as baselineSamples",
      "p.required_ratio as requiredRatio",
      "p.average_24h as average24h",
      "p.reference_counts as referenceCounts",
      "p.same_day_ratio as sameDayRatio",
      "p.baseline_source as baselineSource",
      "p.dispersion",
      "p.spread_threshold as spreadThreshold",
      "p.thresholds_version as thresholdsVersion",
      "p.trace_id as traceId",
      "p.affected_services as affectedServices",
      "p.top_patterns as topPatterns",
      "p.enriched_at as enrichedAt",
      "p.ai_summary as aiSummary",
      "p.ai_next_steps as aiNextSteps",
      "p.ai_model as aiModel",
      "p.ai_error as aiError",
      "p.ai_analyzed_at as aiAnalyzedAt",
      "c.timestamp as continuesPeakTimestamp",
      "k.title as knownIssueTitle",
      "k.description as knownIssueDescription",
      "k.status as knownIssueStatus",
      "k.link as knownIssueLink",
      "kp.title as knownPeakTitle",
      "kp.description as knownPeakDescription",
      "kp.solution as knownPeakSolution",
      "kp.link as knownPeakLink",
      "kp.resolved_at as knownPeakResolvedAt",
    ])
    .where("p.id", "=", peakId)
    .executeTakeFirst();
}

export type PeakDetailRow = NonNullable<Awaited<ReturnType<typeof findPeakDetailRow>>>;

export type PeakRef = { id: number; timestamp: Date };

/** The windows continuing the plateau that starts with `firstPeakId`, oldest first. */
export async function findPlateauContinuations(db: Db, firstPeakId: number): Promise<PeakRef[]> {
  return db.kysely
    .selectFrom("peak_investigation")
    .select(["id", "timestamp"])
    .where("continues_peak_id", "=", firstPeakId)
    .orderBy("timestamp")
    .orderBy("id")
    .execute();
}

/** The namespace's peak just before (`previous`) or just after (`next`) an instant; (namespace, timestamp) is unique, so no tie-break is needed. */
export async function findNeighbourPeak(db: Db, namespace: string, timestamp: Date, side: "previous" | "next"): Promise<PeakRef | undefined> {
  return db.kysely
    .selectFrom("peak_investigation")
    .select(["id", "timestamp"])
    .where("namespace", "=", namespace)
    .where("timestamp", side === "previous" ? "<" : ">", timestamp)
    .orderBy("timestamp", side === "previous" ? "desc" : "asc")
    .limit(1)
    .executeTakeFirst();
}

/** A peak's notes, newest first. */
export async function findPeakNotes(db: Db, peakId: number): Promise<{ id: number; text: string; actor: string; createdAt: Date }[]> {
  return db.kysely
    .selectFrom("peak_notes")
    .select(["id", "text", "actor", "created_at as createdAt"])
    .where("peak_id", "=", peakId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

/** A peak's audit entries, newest first; `details` as stored (see peakAuditDetailsSchema). */
export async function findPeakAuditEntries(
  db: Db,
  peakId: number,
): Promise<{ id: string; actor: string; action: string; details: unknown; createdAt: Date }[]> {
  return db.kysely
    .selectFrom("audit_log")
    .select(["id", "actor", "action", "details", "created_at as createdAt"])
    .where("entity_type", "=", "peak")
    .where("entity_id", "=", String(peakId))
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

/** The corrections of a window, newest first. */
export async function findWindowCorrections(db: Db, namespace: string, timestamp: Date) {
  return db.kysely
    .selectFrom("window_corrections")
    .select(["previous_count as previousCount", "count", "was_peak as wasPeak", "is_peak as isPeak", "reason", "corrected_at as correctedAt"])
    .where("namespace", "=", namespace)
    .where("timestamp", "=", timestamp)
    .orderBy("corrected_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

/**
 * A slot's history as it bears on a peak of its window: the slot's samples now, whether the
 * window is still stored, and how many windows of the slot entered the baseline since (the
 * window's own included).
 */
export async function findSlotHistory(
  db: Db,
  window: { namespace: string; dayOfWeek: number; hourOfDay: number; quarterHour: number; timestamp: Date },
): Promise<{ samples: number | null; ownWindow: boolean; since: number }> {
  const { namespace, dayOfWeek, hourOfDay, quarterHour, timestamp } = window;
  const row = await db.kysely
    .selectNoFrom((eb) => [
      eb
        .selectFrom("aggregation_data")
        .select("samples")
        .where("namespace", "=", namespace)
        .where("day_of_week", "=", dayOfWeek)
        .where("hour_of_day", "=", hourOfDay)
        .where("quarter_hour", "=", quarterHour)
        .as("samples"),
      eb
        .exists(eb.selectFrom("peak_raw_data").select(sql.lit(1).as("one")).where("namespace", "=", namespace).where("timestamp", "=", timestamp))
        .as("ownWindow"),
      eb
        .selectFrom("peak_raw_data")
        .select(sql<number>`count(*)::int`.as("since"))
        .where("namespace", "=", namespace)
        .where("day_of_week", "=", dayOfWeek)
        .where("hour_of_day", "=", hourOfDay)
        .where("quarter_hour", "=", quarterHour)
        .where("timestamp", ">=", timestamp)
        .where("baseline_value", "is not", null)
        .as("since"),
    ])
    .executeTakeFirstOrThrow();
  return { samples: row.samples, ownWindow: Boolean(row.ownWindow), since: row.since ?? 0 };
}

/** The values saved as a thresholds version (threshold_settings.values, read by storedOverDefaults); undefined for a version that no longer exists. */
export async function findThresholdValues(db: Db, version: number): Promise<{ values: unknown } | undefined> {
  return db.kysely.selectFrom("threshold_settings").select("values").where("id", "=", version).executeTakeFirst();
}

import type { Db } from "./client";
import type { DeliveryStatus, PeakSeverity, PeakStatus, RunStatus, RunTrigger } from "./generated/prisma/enums";
import { findWatermark } from "./pipeline-runs";
import { epochMilliseconds } from "./sql";

// The figures /api/metrics reports that the database holds, so that every process (web server,
// scheduled routes, command line) is seen alike and a restart loses nothing. Each is one
// aggregate over an indexed column.

export type LastRun = {
  trigger: RunTrigger;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  /** pipeline_runs.steps as stored (lib/runs/contract.ts storedStepsSchema parses it). */
  steps: unknown;
};

export type OperationalFigures = {
  /** The newest finished run of each trigger. */
  lastRuns: LastRun[];
  /** When each trigger last finished with each outcome (epoch ms). */
  lastFinishedMs: { trigger: RunTrigger; status: RunStatus; atMs: number }[];
  /** Runs started in the last 24 hours, by trigger and outcome. */
  recentRuns: { trigger: RunTrigger; status: RunStatus; count: number }[];
  /** Where processing stands: the end of the windows processed (epoch ms), null before any. */
  processedUntilMs: number | null;
  /** Where the log source's data ended when a run last asked it (epoch ms), null before any. */
  sourceCoveredUntilMs: number | null;
  /** Peak windows of the last 24 hours by severity. */
  recentPeaks: { severity: PeakSeverity; count: number }[];
  /** Incidents not ended, by status. */
  ongoingIncidents: { status: PeakStatus; count: number }[];
  /** Notifications created in the last 24 hours by delivery status, and those pending now. */
  recentDeliveries: { status: DeliveryStatus; count: number }[];
};

const DAY_MS = 86_400_000;

/** The operational figures at `now`, for a window grid of `windowMs`. */
export async function readOperationalFigures(db: Db, now: Date, windowMs: number): Promise<OperationalFigures> {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const [lastRuns, lastFinished, recentRuns, watermark, covered, recentPeaks, ongoingIncidents, recentDeliveries] = await Promise.all([
    db.kysely
      .selectFrom("pipeline_runs")
      .distinctOn("trigger")
      .select(["trigger", "status", "started_at", "finished_at", "steps"])
      .where("finished_at", "is not", null)
      .where("is_dry_run", "=", false)
      .orderBy("trigger")
      .orderBy("finished_at", "desc")
      .execute(),
    db.kysely
      .selectFrom("pipeline_runs")
      .select((eb) => ["trigger", "status", epochMilliseconds(eb.fn.max("finished_at")).as("at")])
      .where("finished_at", "is not", null)
      .where("is_dry_run", "=", false)
      .groupBy(["trigger", "status"])
      .execute(),
    db.kysely
      .selectFrom("pipeline_runs")
      .select((eb) => ["trigger", "status", eb.fn.countAll<string>().as("count")])
      .where("started_at", ">=", dayAgo)
      .groupBy(["trigger", "status"])
      .execute(),
    findWatermark(db, windowMs),
    db.kysely
      .selectFrom("pipeline_runs")
      // A run that failed before it knew its coverage read nothing it can vouch for; a succeeded run recorded before coverage existed read its whole range.
      .select((eb) =>
        epochMilliseconds(eb.fn.max(eb.fn.coalesce("covered_to", eb.case().when("status", "=", "succeeded").then(eb.ref("range_to")).end()))).as("until"),
      )
      .where("finished_at", "is not", null)
      .where("is_dry_run", "=", false)
      .executeTakeFirst(),
    db.kysely
      .selectFrom("peak_investigation")
      .select((eb) => ["severity", eb.fn.countAll<string>().as("count")])
      .where("timestamp", ">=", dayAgo)
      .groupBy("severity")
      .execute(),
    db.kysely
      .selectFrom("incidents")
      .select((eb) => ["status", eb.fn.countAll<string>().as("count")])
      .where("ended_at", "is", null)
      .groupBy("status")
      .execute(),
    db.kysely
      .selectFrom("notification_deliveries")
      .select((eb) => ["status", eb.fn.countAll<string>().as("count")])
      .where("created_at", ">=", dayAgo)
      .groupBy("status")
      .execute(),
  ]);
  return {
    lastRuns: lastRuns.map((row) => ({ trigger: row.trigger, status: row.status, startedAt: row.started_at, finishedAt: row.finished_at, steps: row.steps })),
    lastFinishedMs: lastFinished.map((row) => ({ trigger: row.trigger, status: row.status, atMs: Number(row.at) })),
    recentRuns: recentRuns.map((row) => ({ trigger: row.trigger, status: row.status, count: Number(row.count) })),
    processedUntilMs: watermark?.atMs ?? null,
    sourceCoveredUntilMs: covered?.until === null || covered?.until === undefined ? null : Number(covered.until),
    recentPeaks: recentPeaks.map((row) => ({ severity: row.severity, count: Number(row.count) })),
    ongoingIncidents: ongoingIncidents.map((row) => ({ status: row.status, count: Number(row.count) })),
    recentDeliveries: recentDeliveries.map((row) => ({ status: row.status, count: Number(row.count) })),
  };
}

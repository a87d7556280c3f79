import { z } from "zod";
import type { FrozenConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import type { Db } from "@/lib/db/client";
import { findFirstSeenPatternsOfWindows, findIncidentsToNotify, findIncidentTotals, findResolvedIncidentsToAnnounce } from "@/lib/db/incidents";
import { findNotifiablePeaks, type NotifiablePeakRow } from "@/lib/db/peaks";
import type { OutgoingMessage } from "@/lib/notify/deliver";
import {
  firstSeenMessage,
  incidentsOfPeaks,
  isQuiet,
  resolutionMessage,
  teamsMessage,
  type Incident,
  type MessageOptions,
  type NotifiablePeak,
} from "@/lib/notify/teams";
import { firstSeenPatternSchema } from "@/lib/peaks/contract";
import { storedSnoozeState } from "@/lib/pipeline/incidents";
import type { TimeRange } from "@/lib/pipeline/log-document";
import { formatLocalTime } from "@/lib/pipeline/time";

// The Teams messages of a pipeline run, about its incidents (see lib/notify/teams.ts).

/** Deliveries that failed are retried by later runs for this long. */
const RETRY_UNSENT_FOR_MS = 86_400_000;

/** What the messages of a run add to its notification tally. */
export type TeamsMessageTally = { quiet: number; skippedKnown: number; snoozed: number; resolutions: number };

function notifiablePeakOf(row: NotifiablePeakRow): NotifiablePeak {
  return {
    id: row.id,
    incidentId: row.incidentId,
    namespace: row.namespace,
    start: row.timestamp.getTime(),
    plateauStart: row.continuesPeak?.timestamp.getTime() ?? null,
    severity: row.severity,
    errorCount: row.errorCount,
    baselineMean: row.baselineMean,
    ratio: row.ratio,
    rootCause: row.rootCause,
    errorType: row.errorType,
    appName: row.appName,
    knownIssue: row.knownIssue,
    regressionOf: row.knownPeak,
  };
}

/** How long after an incident's resolution its resolution is still announced: a run that failed for a day catches up. */
const ANNOUNCE_RESOLUTIONS_FOR_MS = 24 * 3_600_000;

/** The standing of the runs' incidents that decides their message: snoozed ones wait, false positives stay silent. */
async function standingOf(db: Db, incidentIds: readonly number[], now: Date) {
  const [rows, totals] = await Promise.all([findIncidentsToNotify(db, incidentIds), findIncidentTotals(db, incidentIds)]);
  const excessOf = new Map(totals.map((total) => [total.incident_id, total.excess]));
  return new Map(
    rows.map((row) => {
      const snooze = storedSnoozeState(row, excessOf.get(row.id) ?? 0, now);
      return [row.id, { status: row.status, isSnoozed: snooze === "active", reopenCount: row.reopen_count, returnedAfterMinutes: row.returned_after_minutes }];
    }),
  );
}

const resolvedHowSchema = z.object({
  actor: z.string(),
  details: z.object({ solution: z.string().optional(), quietWindows: z.number().optional() }).loose(),
});

/** A window's stored first-seen patterns; a damaged value announces none. */
const storedFirstSeenSchema = z.array(firstSeenPatternSchema).catch([]);

/**
 * One message per pattern first seen in a namespace in the incidents' windows
 * (notifications.teams.first_seen), keyed by namespace and pattern: sent once ever.
 */
async function firstSeenMessagesFor(db: Db, incidents: readonly Incident[], options: MessageOptions): Promise<OutgoingMessage[]> {
  const peaks = new Map(incidents.flatMap((incident) => incident.peaks.map((peak) => [peak.id, { incidentId: incident.incidentId, peak }] as const)));
  const rows = await findFirstSeenPatternsOfWindows(db, { peakIds: [...peaks.keys()] });
  const messages: OutgoingMessage[] = [];
  for (const row of rows) {
    const placed = peaks.get(row.id);
    if (!placed) continue;
    for (const pattern of storedFirstSeenSchema.parse(row.patterns)) {
      const notice = { ...pattern, namespace: row.namespace, windowStart: row.timestamp.getTime(), incidentId: placed.incidentId, peakId: row.id };
      messages.push({ ...firstSeenMessage(notice, options), peakId: row.id });
    }
  }
  return messages;
}

/**
 * The Teams messages of a run: one per incident with a window in the range, or with a delivery
 * still to retry, keyed by the incident (so an incident that began in an earlier run is not
 * announced again; a reopening as a regression is); snoozed incidents wait and false positives
 * stay silent. With notifications.teams.first_seen, one per pattern first seen in a namespace in
 * those incidents (not for snoozed ones or false positives). Then one for each announced
 * incident resolved since, once per resolution.
 */
export async function teamsMessagesFor(
  db: Db,
  config: FrozenConfig,
  range: TimeRange,
  clocks: { now: Date; runNow: Date },
  notifyKnownIssues: boolean,
  tally: TeamsMessageTally,
): Promise<OutgoingMessage[]> {
  const grid = gridOf(config);
  const windowMs = config.window_minutes * 60_000;
  const gapMinutes = config.notifications.teams.incident_gap_minutes;
  const lookbackFrom = range.fromMs - gapMinutes * 60_000 - windowMs;
  // Deliveries are dated by the wall clock; incidents by the run's.
  const { now, runNow } = clocks;
  const rows = await findNotifiablePeaks(db, { fromMs: lookbackFrom, toMs: range.toMs }, "teams", new Date(now.getTime() - RETRY_UNSENT_FOR_MS));
  const retryIds = new Set(rows.filter((row) => row.timestamp.getTime() < lookbackFrom).map((row) => row.id));
  const incidents = incidentsOfPeaks(rows.map(notifiablePeakOf), windowMs, gapMinutes).filter((incident) =>
    incident.peaks.some((peak) => (peak.start >= range.fromMs && peak.start < range.toMs) || retryIds.has(peak.id)),
  );
  const standing = await standingOf(
    db,
    incidents.flatMap((incident) => (incident.incidentId === null ? [] : [incident.incidentId])),
    runNow,
  );
  const options = {
    dashboardUrl: config.notifications.dashboard_url,
    formatTime: (instantMs: number) => formatLocalTime(instantMs, grid),
    timeZone: config.timezone,
  };
  const messages: OutgoingMessage[] = [];
  const announced: Incident[] = [];
  for (const incident of incidents) {
    const stood = incident.incidentId === null ? undefined : standing.get(incident.incidentId);
    if (stood?.status === "false_positive") continue;
    if (stood?.isSnoozed) {
      tally.snoozed += 1;
      continue;
    }
    announced.push(incident);
    if (isQuiet(incident)) {
      if (!notifyKnownIssues) {
        tally.skippedKnown += 1;
        continue;
      }
      tally.quiet += 1;
    }
    const isReopened = stood !== undefined && stood.reopenCount > 0;
    const payload = teamsMessage(incident, { ...options, returnedAfterMinutes: isReopened ? stood.returnedAfterMinutes : null });
    const dedupeKey = isReopened ? `${incident.dedupeKey}:reopened:${stood.reopenCount}` : incident.dedupeKey;
    messages.push({ dedupeKey, peakId: incident.peaks[0]!.id, payload });
  }
  if (config.notifications.teams.first_seen) messages.push(...(await firstSeenMessagesFor(db, announced, options)));
  for (const resolved of await findResolvedIncidentsToAnnounce(db, new Date(runNow.getTime() - ANNOUNCE_RESOLUTIONS_FOR_MS))) {
    const how = resolvedHowSchema.safeParse(resolved.how);
    const { dedupeKey, payload } = resolutionMessage(
      {
        incidentId: resolved.id,
        namespace: resolved.namespace,
        start: resolved.started_at.getTime(),
        end: resolved.last_window_at.getTime() + windowMs,
        resolution: resolved.resolution === "quiet" ? "quiet" : "solution",
        actor: how.success ? how.data.actor : "an analyst",
        solution: how.success ? (how.data.details.solution ?? null) : null,
        quietWindows: how.success
          ? (how.data.details.quietWindows ?? config.incidents.auto_resolve_quiet_windows)
          : config.incidents.auto_resolve_quiet_windows,
        reopenCount: resolved.reopen_count,
      },
      options,
    );
    tally.resolutions += 1;
    messages.push({ dedupeKey, peakId: resolved.first_peak_id, payload });
  }
  return messages;
}

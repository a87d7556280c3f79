import { thresholdsOverDefaults } from "@/lib/thresholds/contract";
import type { Db } from "@/lib/db/client";
import { findIncidentHeadline } from "@/lib/db/incidents";
import { findDeliveriesOfPeaks } from "@/lib/db/notifications";
import {
  findNeighbourPeak,
  findPeakAuditEntries,
  findPeakDetailRow,
  findPeakNotes,
  findPlateauContinuations,
  findSlotHistory,
  findThresholdValues,
  findWindowCorrections,
  peakExists,
  type PeakDetailRow,
  type PeakRef,
} from "@/lib/db/peaks";
import { NotFoundError, parseInput } from "@/lib/errors";
import { buildLogsLinks, type LogsLinkSettings } from "@/lib/logs-link";
import { MIN_OWN_SAMPLES, MIN_POOLED_SAMPLES } from "@/lib/pipeline/baseline";
import type { BaselineSource as DetectionBaselineSource, PeakDetectionSettings } from "@/lib/pipeline/detect";
import { assertRole, type Actor } from "@/lib/roles";
import {
  baselineSources,
  peakAuditDetailsSchema,
  peakIdSchema,
  peakInvestigationFactsSchema,
  type BaselineSource,
  type DecisionThresholds,
  type PeakDetail,
  type PeakInvestigationFacts,
} from "./contract";

// A peak's page: the peak with everything known about it, and the thresholds it was judged with.

// The contract declares the pipeline's shapes it sends to the browser; these keep them the same.
type Same<Left, Right> = [Left] extends [Right] ? ([Right] extends [Left] ? true : false) : false;
const sameSources: Same<BaselineSource, Exclude<DetectionBaselineSource, "insufficient">> = true;
const sameThresholds: Same<Omit<DecisionThresholds, "version">, { -readonly [Key in keyof PeakDetectionSettings]: PeakDetectionSettings[Key] }> = true;
void sameSources;
void sameThresholds;

const isBaselineSource = (value: string | null): value is BaselineSource => value !== null && (baselineSources as readonly string[]).includes(value);

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

function readInvestigation(value: unknown): PeakInvestigationFacts | null {
  if (value === null) return null;
  const parsed = peakInvestigationFactsSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Which baseline a stored peak was judged against, which the peak does not store: a pool needs
 * MIN_POOLED_SAMPLES, so fewer samples were the slot's own. With more, the slot's own samples
 * then are its samples now less the windows it was given since (the peak's included); that holds
 * while the peak's window is still stored (retention deletes the oldest windows first).
 */
async function inferBaselineSource(
  db: Db,
  peak: { timestamp: Date; namespace: string; dayOfWeek: number; hourOfDay: number; quarterHour: number; baselineSamples: number },
): Promise<BaselineSource | null> {
  if (peak.baselineSamples < MIN_POOLED_SAMPLES) return "slot";
  const history = await findSlotHistory(db, peak);
  if (history.samples === null || !history.ownWindow) return null;
  return history.samples - history.since >= MIN_OWN_SAMPLES ? "slot" : "pooled";
}

/**
 * The detection settings of a thresholds version (viewers and above): the saved values over
 * `defaults` (values.yaml), as detection merges them; `defaults` alone for null (no version was
 * saved then; values.yaml may have changed since). Null for a version that no longer exists.
 */
export async function findDecisionThresholds(
  db: Db,
  actor: Actor | null,
  version: number | null,
  defaults: PeakDetectionSettings,
): Promise<DecisionThresholds | null> {
  assertRole(actor, "viewer");
  if (version === null) return { ...defaults, version: null };
  const row = await findThresholdValues(db, version);
  return row ? { ...thresholdsOverDefaults(row.values, defaults), version } : null;
}

/** Whether a peak with this id exists (viewers and above): one indexed lookup, for a page to answer 404 before it streams. */
export async function hasPeak(db: Db, actor: Actor | null, id: number): Promise<boolean> {
  assertRole(actor, "viewer");
  const peakId = parseInput(peakIdSchema, id);
  return peakExists(db, peakId);
}

function knownIssueOf(row: PeakDetailRow): PeakDetail["knownIssue"] {
  const { knownIssueId: id, knownIssueTitle: title, knownIssueStatus: status } = row;
  return id !== null && title !== null && status !== null ? { id, title, description: row.knownIssueDescription, status, link: row.knownIssueLink } : null;
}

function regressionOf(row: PeakDetailRow): PeakDetail["regressionOf"] {
  const { knownPeakId: id, knownPeakTitle: title, knownPeakSolution: solution, knownPeakResolvedAt: resolvedAt } = row;
  return id !== null && title !== null && solution !== null && resolvedAt
    ? { id, title, description: row.knownPeakDescription, solution, link: row.knownPeakLink, resolvedAt: resolvedAt.toISOString() }
    : null;
}

/**
 * One peak with everything known about it (viewers and above); `links`: how to link to the logs
 * (logsLinkSettingsOf(values.yaml)).
 */
export async function getPeak(db: Db, actor: Actor | null, id: number, links: LogsLinkSettings): Promise<PeakDetail> {
  assertRole(actor, "viewer");
  const peakId = parseInput(peakIdSchema, id);
  const row = await findPeakDetailRow(db, peakId);
  if (!row) throw new NotFoundError(`Peak ${peakId} does not exist`);
  const continuesPeak = row.continuesPeakId !== null && row.continuesPeakTimestamp ? { id: row.continuesPeakId, timestamp: row.continuesPeakTimestamp } : null;
  const first = continuesPeak ?? { id: row.id, timestamp: row.timestamp };
  const [continuations, deliveries, notes, audit, previous, next, baselineSource, corrections, incident] = await Promise.all([
    findPlateauContinuations(db, first.id),
    findDeliveriesOfPeaks(db, [peakId]),
    findPeakNotes(db, peakId),
    findPeakAuditEntries(db, peakId),
    findNeighbourPeak(db, row.namespace, row.timestamp, "previous"),
    findNeighbourPeak(db, row.namespace, row.timestamp, "next"),
    isBaselineSource(row.baselineSource) ? row.baselineSource : inferBaselineSource(db, row),
    findWindowCorrections(db, row.namespace, row.timestamp),
    row.incidentId === null ? undefined : findIncidentHeadline(db, row.incidentId),
  ]);
  const neighbour = (peak: PeakRef | undefined) => (peak ? { id: peak.id, timestamp: peak.timestamp.toISOString() } : null);
  const investigation = readInvestigation(row.topPatterns);
  const traceIds = [investigation?.representativeTrace?.traceId, row.traceId].filter((traceId): traceId is string => typeof traceId === "string");
  return {
    id: row.id,
    timestamp: row.timestamp.toISOString(),
    namespace: row.namespace,
    severity: row.severity,
    status: row.status,
    errorCount: row.errorCount,
    baselineMean: row.baselineMean,
    ratio: row.ratio,
    rootCause: row.rootCause,
    errorType: row.errorType,
    appName: row.appName,
    continuesPeakId: row.continuesPeakId,
    dayOfWeek: row.dayOfWeek,
    hourOfDay: row.hourOfDay,
    quarterHour: row.quarterHour,
    detectedAt: row.detectedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    decision: {
      errorCount: row.errorCount,
      baselineMean: row.baselineMean,
      baselineStddev: row.baselineStddev,
      baselineSamples: row.baselineSamples,
      ratio: row.ratio,
      requiredRatio: row.requiredRatio,
      average24h: row.average24h,
      referenceCounts: row.referenceCounts,
      thresholdsVersion: row.thresholdsVersion,
      baselineSource,
      sameDayRatio: row.sameDayRatio,
      dispersion: row.dispersion,
      spreadThreshold: row.spreadThreshold,
    },
    enrichment: {
      enrichedAt: iso(row.enrichedAt),
      traceId: row.traceId,
      appName: row.appName,
      errorType: row.errorType,
      affectedServices: row.affectedServices,
      rootCause: row.rootCause,
      investigation,
    },
    ai: { summary: row.aiSummary, nextSteps: row.aiNextSteps, model: row.aiModel, error: row.aiError, analyzedAt: iso(row.aiAnalyzedAt) },
    neighbours: { previous: neighbour(previous), next: neighbour(next) },
    incident: incident ? { id: incident.id, windows: Number(incident.windows ?? 0), status: incident.status } : null,
    plateau:
      continuesPeak || continuations.length > 0
        ? {
            first: { id: first.id, timestamp: first.timestamp.toISOString() },
            continuations: continuations.map((peak) => ({ id: peak.id, timestamp: peak.timestamp.toISOString() })),
          }
        : null,
    knownIssue: knownIssueOf(row),
    regressionOf: regressionOf(row),
    deliveries: deliveries.map((delivery) => ({
      id: delivery.id,
      channel: delivery.channel,
      status: delivery.status,
      attempts: delivery.attempts,
      lastError: delivery.lastError,
      createdAt: delivery.createdAt.toISOString(),
      sentAt: iso(delivery.sentAt),
    })),
    notes: notes.map((note) => ({ ...note, createdAt: note.createdAt.toISOString() })),
    audit: audit.map((entry) => ({ ...entry, details: peakAuditDetailsSchema.parse(entry.details), createdAt: entry.createdAt.toISOString() })),
    corrections: corrections.map((correction) => ({ ...correction, correctedAt: correction.correctedAt.toISOString() })),
    logLinks: buildLogsLinks(links, { namespace: row.namespace, windowStartMs: row.timestamp.getTime(), traceIds }),
  };
}

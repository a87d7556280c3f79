import type { FrozenConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import { analyzePeaks } from "@/lib/ai/peak-analysis";
import type { RunFindings } from "@/lib/completeness/run-findings";
import type { PipelineServices } from "@/lib/services/notifiers";
import type { Db } from "@/lib/db/client";
import { syncDataGaps } from "@/lib/db/data-gaps";
import { findSentDedupeKeys } from "@/lib/db/notifications";
import { findPeakIdsInRange } from "@/lib/db/peaks";
import type { RunTotals } from "@/lib/db/pipeline-runs";
import type { StoredStep } from "@/lib/runs/contract";
import { deliverMessages } from "@/lib/notify/deliver";
import { coveredUntil, overallSpans } from "@/lib/pipeline/coverage";
import type { CountReport, LogSource, TimeRange } from "@/lib/pipeline/log-document";
import { formatLocalTime, type WindowGrid } from "@/lib/pipeline/time";
import { sliceCount } from "./batch";
import { teamsMessagesFor } from "./teams-messages";
import { dataGapMessagesFor, findSilentInStore, observedDataGaps } from "./data-gaps";
import { enrichPeaks } from "./enrich";
import { ingest, type IngestReport } from "./ingest";
import { runMaintenance } from "./maintenance";
import { classifyPeriod, traceAndStorePeriod, type ClassifiedPeriod } from "./track-patterns";

/** The nine steps of the seed's run_pipeline.py, in order. */
export const PIPELINE_STEPS = [
  { name: "collect", title: "Collect error counts" },
  { name: "classify", title: "Classify errors" },
  { name: "trace_analysis", title: "Trace analysis" },
  { name: "ingest_detect", title: "Ingest and detect peaks" },
  { name: "known_issues", title: "Investigate peaks and match known issues" },
  { name: "record_stats", title: "Record statistics" },
  { name: "ai_analysis", title: "AI analysis" },
  { name: "notify", title: "Notify Teams" },
  { name: "maintenance", title: "Maintenance" },
] as const;

export type StepName = (typeof PIPELINE_STEPS)[number]["name"];

/** What a run is asked to do, as its steps see it. */
export type RunInputs = {
  /** An explicit range; without it, every completed window since the watermark. */
  range?: TimeRange;
  /** Skips the period's classification and trace analysis (steps 2–3) and AI analysis (step 7). */
  skipAnalysis?: boolean;
  isDryRun: boolean;
  source: LogSource;
  services: PipelineServices;
  /** The run's clock: which windows count as completed, when data gaps open. */
  now: () => Date;
};

export type NotificationTally = {
  sent: number;
  alreadySent: number;
  failed: number;
  quiet: number;
  skippedKnown: number;
  /** Incidents not announced because they are snoozed. */
  snoozed: number;
  /** Resolution messages among the messages. */
  resolutions: number;
  wouldSend: number;
};

/** What the steps of one run share: its inputs, the tallies and findings they fill in, and what earlier steps produced. */
export type RunContext = {
  db: Db;
  config: FrozenConfig;
  inputs: RunInputs;
  grid: WindowGrid;
  range: TimeRange;
  /** The windows counted: the run's range, widened back by pipeline.recount_hours for late documents. */
  countRange: TimeRange;
  totals: RunTotals;
  notifications: NotificationTally;
  findings: RunFindings;
  produced: Produced;
};

/** Values a required step produces for the steps after it. */
type Produced = {
  counted?: CountReport;
  /** Where the source's data lets the run's processing end (see processableEnd). */
  coveredTo?: number;
  classified?: ClassifiedPeriod;
  ingestReport?: IngestReport;
};

/** A value an earlier, required step produced; read before that step ran is a defect of the table's order. */
function producedBy<Key extends keyof Produced>(context: RunContext, key: Key): NonNullable<Produced[Key]> {
  const value = context.produced[key];
  if (value === undefined || value === null) throw new Error(`Pipeline step order: "${key}" is read before the step that produces it ran`);
  return value;
}

/** The windows the run processes: from its start to where the source's data ends. */
function processedRangeOf(context: RunContext): TimeRange {
  return { fromMs: context.range.fromMs, toMs: Math.max(context.range.fromMs, producedBy(context, "coveredTo")) };
}

/** The windows stored and judged: the re-counted hours before the range, then the processed range. */
function ingestRangeOf(context: RunContext): TimeRange {
  return { fromMs: context.countRange.fromMs, toMs: processedRangeOf(context).toMs };
}

export type RunStep = {
  name: StepName;
  /** An optional step's failure is recorded and the run goes on; a required step's failure ends the run. */
  isOptional?: boolean;
  /** Why this run skips the step (kept as the step's note), or null when it runs. */
  skipReason?: (context: RunContext) => string | null;
  /** Does the step and answers its counts; `record.note` may say what it noticed. */
  run: (context: RunContext, record: StoredStep) => Promise<Record<string, number>>;
};

const skipAnalysisReason = (context: RunContext): string | null => {
  if (context.inputs.skipAnalysis) return "--skip-analysis";
  const counted = producedBy(context, "counted");
  const processed = processedRangeOf(context);
  return counted.documents === 0 || processed.fromMs >= processed.toMs ? "no error documents in the range" : null;
};

const collect: RunStep = {
  name: "collect",
  async run(context, record) {
    const { grid, range, config, findings, inputs } = context;
    const report = await inputs.source.countWindows(context.countRange);
    context.produced.counted = report;
    const namespaces = new Set<string>();
    for (const byNamespace of report.counts.values()) for (const namespace of byNamespace.keys()) namespaces.add(namespace);
    // The run's own documents; those of the re-counted hours before it were seen by earlier runs.
    const ownDocuments = sliceCount(report, range).documents;
    context.totals.documentsSeen = ownDocuments;
    const processed = processableEnd(report, range, config, inputs.now().getTime());
    findings.coverage = overallSpans(report.coverage).map((span) => ({ from: new Date(span.fromMs).toISOString(), to: new Date(span.toMs).toISOString() }));
    findings.dataUntil = processed.dataUntilMs === null ? null : new Date(processed.dataUntilMs).toISOString();
    context.produced.coveredTo = processed.endMs;
    if (processed.endMs < range.toMs) {
      const behind = processed.dataUntilMs === null ? null : Math.round((inputs.now().getTime() - processed.dataUntilMs) / 60_000);
      findings.waiting =
        processed.dataUntilMs === null
          ? `waiting for data: the source holds no document of any level from ${formatLocalTime(range.fromMs, grid)} on`
          : `waiting for data: the source ends at ${formatLocalTime(processed.dataUntilMs, grid)}${behind !== null && behind > 0 ? `, ${behind} min behind` : ""}; windows after it wait for the next run`;
      record.note = findings.waiting;
      if (behind === null || behind > config.pipeline.stale_after_minutes) {
        findings.stale = { dataUntil: findings.dataUntil, minutesBehind: behind, threshold: config.pipeline.stale_after_minutes };
      }
    }
    if (report.documents === 0 && report.coverage.all.length === 0 && report.coverage.byNamespace.size === 0) findings.readNothing = true;
    return {
      documents: ownDocuments,
      windows: grid.windowsBetween(range.fromMs, range.toMs).length,
      namespaces: namespaces.size,
      skipped: report.skipped.total,
    };
  },
};

const classify: RunStep = {
  name: "classify",
  skipReason: skipAnalysisReason,
  async run(context) {
    const period = await classifyPeriod(context.db, context.config, context.inputs.source, processedRangeOf(context));
    context.produced.classified = period;
    return { documentsRead: period.documentsRead, documents: period.documentsTotal, ...prefixed("type.", period.errorTypes) };
  },
};

const traceAnalysis: RunStep = {
  name: "trace_analysis",
  skipReason: skipAnalysisReason,
  async run(context, record) {
    const tracked = await traceAndStorePeriod(context.db, context.config, producedBy(context, "classified"), { isDryRun: context.inputs.isDryRun });
    const top = tracked.rootCauses[0];
    if (top) record.note = `Top root cause: ${top.template} (${top.traces} traces)`;
    return {
      traces: tracked.rootCauses.reduce((sum, cause) => sum + cause.traces, 0),
      rootCauses: tracked.rootCauses.length,
      knownIssueMatches: tracked.rootCauses.filter((cause) => cause.knownIssue !== null).length,
      regressions: tracked.rootCauses.filter((cause) => cause.regressionOf !== null).length,
      patterns: tracked.patterns.length,
      newPatterns: tracked.patterns.filter((pattern) => pattern.isNew).length,
      windowsCounted: tracked.counted,
      windowsAlreadyCounted: tracked.alreadyCounted,
    };
  },
};

const ingestDetect: RunStep = {
  name: "ingest_detect",
  async run(context, record) {
    const ingestRange = ingestRangeOf(context);
    const report = await ingest(context.db, context.config, {
      source: context.inputs.source,
      mode: "detect",
      range: ingestRange,
      isDryRun: context.inputs.isDryRun,
      counted: sliceCount(producedBy(context, "counted"), ingestRange),
      correctionReason: "recount",
      autoResolveIncidents: true,
      now: context.inputs.now(),
    });
    context.produced.ingestReport = report;
    context.findings.gapWindows = report.coverage.gapWindows;
    context.findings.corrected = report.windows.corrected;
    if (report.corrections.length > 0) record.note = `${report.corrections.length} windows corrected by late documents`;
    context.totals.peaksFound = report.peaks.new + report.peaks.continuing;
    return {
      windowsStored: report.windows.stored,
      windowsAlreadyStored: report.windows.alreadyStored,
      windowsCorrected: report.windows.corrected,
      gapWindows: report.coverage.gapWindows,
      newPeaks: report.peaks.new,
      continuingPeaks: report.peaks.continuing,
      insufficientHistory: report.insufficientHistory,
      baselineSlots: report.baselineSlots,
      newIncidents: report.incidents?.created ?? 0,
      reopenedIncidents: report.incidents?.reopened ?? 0,
      autoResolvedIncidents: report.incidents?.autoResolved ?? 0,
    };
  },
};

const knownIssues: RunStep = {
  name: "known_issues",
  skipReason: (context) => (context.inputs.isDryRun ? `dry run: would investigate ${producedBy(context, "ingestReport").detected.length} new peak(s)` : null),
  async run(context) {
    const peakIds = await findPeakIdsInRange(context.db, ingestRangeOf(context), "not enriched");
    const enriched =
      peakIds.length > 0 ? await enrichPeaks(context.db, context.config, context.inputs.source, { peakIds }) : { peaks: [], enriched: 0, withoutDocuments: 0 };
    return {
      investigated: enriched.enriched,
      withoutDocuments: enriched.withoutDocuments,
      knownIssues: enriched.peaks.filter((peak) => peak.knownIssue !== null).length,
      regressions: enriched.peaks.filter((peak) => peak.regressionOf !== null).length,
      unknown: enriched.peaks.filter((peak) => peak.status === "enriched" && peak.knownIssue === null && peak.regressionOf === null).length,
    };
  },
};

const recordStats: RunStep = {
  name: "record_stats",
  async run(context, record) {
    const { findings, inputs } = context;
    const counts: Record<string, number> = { documentsSeen: context.totals.documentsSeen, peaksFound: context.totals.peaksFound };
    const silent = await findSilentInStore(context.db, context.config, processedRangeOf(context).toMs);
    if (silent.length > 0)
      findings.silent = silent.map((namespace) => ({
        namespace: namespace.namespace,
        since: new Date(namespace.sinceMs).toISOString(),
        expected: Math.round(namespace.expected),
      }));
    if (inputs.isDryRun) {
      record.note = "dry run: nothing recorded";
      return counts;
    }
    // Episodes follow the live edge only: a run over an explicit (older) range reports what it found but opens nothing.
    if (inputs.range) return counts;
    const stale = findings.stale
      ? { dataUntilMs: findings.dataUntil ? Date.parse(findings.dataUntil) : null, detail: findings.waiting ?? "the source is behind" }
      : null;
    const episodes = await syncDataGaps(context.db.prisma, observedDataGaps(context.config, stale, silent), ["stale", "silent"], inputs.now());
    counts.dataGapsOpened = episodes.opened.length;
    counts.dataGapsRecovered = episodes.recovered.length;
    if (episodes.opened.length + episodes.recovered.length > 0) {
      record.note = [
        ...episodes.opened.map((episode) => `data gap opened: ${episode.detail}`),
        ...episodes.recovered.map((episode) => `data gap closed: ${episode.kind === "stale" ? "source" : episode.subject} is back`),
      ].join("; ");
    }
    return counts;
  },
};

const aiAnalysis: RunStep = {
  name: "ai_analysis",
  isOptional: true,
  skipReason: ({ inputs }) => {
    if (inputs.skipAnalysis) return "--skip-analysis";
    if (inputs.services.ai.status === "off") return inputs.services.ai.reason;
    return inputs.isDryRun ? "dry run: no AI requests" : null;
  },
  async run(context, record) {
    const ai = context.inputs.services.ai;
    if (ai.status === "off") throw new Error("AI analysis runs only when AI is on (see skipReason)");
    const peakIds = await findPeakIdsInRange(context.db, ingestRangeOf(context), "not analysed by AI");
    const analysis = peakIds.length > 0 ? await analyzePeaks(context.db, ai.settings, peakIds) : { analyzed: 0, failed: 0, results: [] };
    const firstFailure = analysis.results.find((result) => result.status === "failed");
    if (firstFailure) record.note = `Peak #${firstFailure.peakId}: ${firstFailure.error}`;
    return { analyzed: analysis.analyzed, failed: analysis.failed };
  },
};

const notify: RunStep = {
  name: "notify",
  isOptional: true,
  skipReason: ({ inputs }) => (inputs.services.teams.status === "off" ? inputs.services.teams.reason : null),
  async run(context, record): Promise<Record<string, number>> {
    const { db, config, inputs, notifications } = context;
    const teams = inputs.services.teams;
    if (teams.status === "off") throw new Error("Notifications are sent only when Teams is on (see skipReason)");
    const outgoing = [
      ...(await teamsMessagesFor(db, config, ingestRangeOf(context), { now: new Date(), runNow: inputs.now() }, teams.notifyKnownIssues, notifications)),
      ...(inputs.range ? [] : await dataGapMessagesFor(db, config, inputs.now())),
    ];
    if (inputs.isDryRun) {
      const sent = await findSentDedupeKeys(
        db.prisma,
        outgoing.map((message) => message.dedupeKey),
      );
      const unsent = outgoing.filter((message) => !sent.has(message.dedupeKey));
      notifications.wouldSend = unsent.length;
      notifications.alreadySent = outgoing.length - unsent.length;
      record.note = "dry run: nothing sent";
      return {
        wouldSend: unsent.length,
        alreadySent: notifications.alreadySent,
        quiet: notifications.quiet,
        skippedKnownIssues: notifications.skippedKnown,
        snoozed: notifications.snoozed,
        resolutions: notifications.resolutions,
      };
    }
    const delivered = await deliverMessages(db, "teams", outgoing, teams.settings);
    notifications.sent = delivered.sent;
    notifications.alreadySent = delivered.alreadySent;
    notifications.failed = delivered.failed;
    context.totals.notificationsSent = delivered.sent;
    const failure = delivered.outcomes.find((outcome) => outcome.status === "failed");
    if (failure) record.note = `Not delivered (retried by the next run): ${failure.error}`;
    return {
      sent: delivered.sent,
      alreadySent: delivered.alreadySent,
      failed: delivered.failed,
      quiet: notifications.quiet,
      skippedKnownIssues: notifications.skippedKnown,
      snoozed: notifications.snoozed,
      resolutions: notifications.resolutions,
    };
  },
};

const maintenance: RunStep = {
  name: "maintenance",
  async run(context, record) {
    const report = await runMaintenance(context.db, context.config, { now: context.inputs.now(), isDryRun: context.inputs.isDryRun });
    if (context.inputs.isDryRun) record.note = "dry run: rows that would be deleted";
    return { ...Object.fromEntries(report.tables.filter((table) => table.deleted > 0).map((table) => [table.table, table.deleted])), deleted: report.deleted };
  },
};

/** The run, in order: one entry per step of PIPELINE_STEPS. */
export const RUN_STEPS: readonly RunStep[] = [collect, classify, traceAnalysis, ingestDetect, knownIssues, recordStats, aiAnalysis, notify, maintenance];

/**
 * Where a run's processing ends: at the last window the source covered, so that windows after
 * its high-water mark wait for the next run instead of being stored as zeros. An Elasticsearch
 * source's newest document is taken settle_seconds early, since other shippers may lag it.
 */
export function processableEnd(counted: CountReport, range: TimeRange, config: FrozenConfig, nowMs: number): { endMs: number; dataUntilMs: number | null } {
  const grid = gridOf(config);
  const coveredMs = coveredUntil(counted.coverage);
  const dataUntilMs = counted.newestMs !== undefined ? (counted.newestMs ?? null) : coveredMs;
  if (coveredMs === null) return { endMs: range.fromMs, dataUntilMs };
  // The settling time counts back from the newest document itself (which may lie past the range), not from the range's end.
  const settled =
    counted.newestMs !== undefined && counted.newestMs !== null ? Math.min(counted.newestMs, nowMs) - config.pipeline.settle_seconds * 1000 : coveredMs;
  const endMs = Math.min(range.toMs, grid.windowStartOf(Math.min(settled, coveredMs)), coveredMs);
  return { endMs: Math.max(range.fromMs, endMs), dataUntilMs };
}

function prefixed(prefix: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([key, value]) => [`${prefix}${key}`, value]));
}

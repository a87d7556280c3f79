import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import {
  findPeaksToEnrich,
  findStoredPatternHistory,
  loadIssueCandidates,
  loadKnownPatterns,
  readDatabaseNow,
  savePeakEnrichment,
  type IssueCandidates,
  type PeakToEnrich,
  type WindowPattern,
} from "@/lib/db/investigation";
import { createClassifier } from "@/lib/pipeline/classify";
import { findFirstSeenPatterns } from "@/lib/pipeline/first-seen";
import { comparePatterns, explainingRootCauses, findMatchingIssue, investigateWindow, type WindowInvestigation } from "@/lib/pipeline/investigate";
import type { LogDocument, LogSource } from "@/lib/pipeline/log-document";
import { createPatternMiner, type PatternMiner } from "@/lib/pipeline/patterns";
import { withPatternSplits } from "@/lib/pipeline/pattern-rules";
import { loadPatternRuleSet, withMergedPatternIds } from "@/lib/patterns/rules";
import type { WindowGrid } from "@/lib/pipeline/time";
import { gridOf } from "@/lib/config/grid";
import type { FirstSeenPattern, PeakWildcardSample, StoredInvestigation } from "@/lib/peaks/contract";
import { keepTopValues, sampleWildcardValues, type HeadlineGroup } from "@/lib/pipeline/value-sample";
import { addWildcardSamples, windowHeadlines } from "./wildcard-values";
import { countErrorsByVersion, sightVersions } from "@/lib/pipeline/versions";
import { withVersionSightings } from "./version-timeline";

export type EnrichSelection = { peakIds: readonly number[] } | { missingOnly: true };

export type PeakEnrichmentResult = {
  peakId: number;
  namespace: string;
  start: number;
  status: "enriched" | "no documents";
  documents: number;
  /** Error documents the window holds; `documents` of them were read. */
  total: number;
  rootCause: string | null;
  errorType: string | null;
  knownIssue: { id: number; title: string } | null;
  regressionOf: { id: number; title: string; solution: string } | null;
  newPatterns: number;
  grownPatterns: number;
  /** Patterns first seen in the namespace in this window (against the stored history, see lib/pipeline/first-seen.ts). */
  firstSeenPatterns: FirstSeenPattern[];
};

export type EnrichReport = { peaks: PeakEnrichmentResult[]; enriched: number; withoutDocuments: number };

/**
 * The seed's enrich_peaks with its analyze_and_track: for each peak, reads its window's
 * documents in its namespace (at most source.max_documents_per_window, the total is kept),
 * finds patterns, root causes by trace and the representative trace, compares the patterns with
 * the usual period before the peak, matches active known issues and resolved known peaks, and
 * stores it all with the patterns in one transaction per peak. Enriching a peak again gives the
 * same result and never counts its errors twice. Patterns new to the namespace's stored history
 * are flagged as first seen; history stored by this very call does not count (the first
 * enrichment of existing data flags nothing).
 */
export async function enrichPeaks(
  db: Db,
  config: FrozenConfig,
  source: LogSource,
  selection: EnrichSelection,
  options: { now?: () => Date; onPeak?: (result: PeakEnrichmentResult, index: number, total: number) => void; onStart?: (total: number) => void } = {},
): Promise<EnrichReport> {
  const peaks = await findPeaksToEnrich(db.prisma, selection);
  options.onStart?.(peaks.length);
  if (peaks.length === 0) return { peaks: [], enriched: 0, withoutDocuments: 0 };

  const settings = config.investigation;
  const rules = await loadPatternRuleSet(db.prisma);
  const enrichment: Enrichment = {
    db,
    config,
    grid: gridOf(config),
    source,
    now: options.now ?? (() => new Date()),
    classify: createClassifier(config.classification.rules),
    // Analysts' splits apply to what the miner answers; merges to the known issues' pattern ids.
    miner: withPatternSplits(createPatternMiner({ maxExamples: settings.max_examples }, await loadKnownPatterns(db.prisma)), rules),
    candidates: withMergedPatternIds(await loadIssueCandidates(db.prisma), rules),
    usualPeriods: new Map(),
    storedBefore: await readDatabaseNow(db),
  };
  const results: PeakEnrichmentResult[] = [];
  for (const [index, peak] of peaks.entries()) {
    const result = await enrichOne(enrichment, peak);
    results.push(result);
    options.onPeak?.(result, index + 1, peaks.length);
  }
  return {
    peaks: results,
    enriched: results.filter((result) => result.status === "enriched").length,
    withoutDocuments: results.filter((result) => result.status === "no documents").length,
  };
}

/** What enriching a batch of peaks shares: one miner (patterns accumulate across peaks), the issues to match, the usual periods read. */
type Enrichment = {
  db: Db;
  config: FrozenConfig;
  grid: WindowGrid;
  source: LogSource;
  now: () => Date;
  classify: ReturnType<typeof createClassifier>;
  miner: PatternMiner;
  candidates: IssueCandidates;
  /** By namespace and end: the windows of one plateau share their usual period. */
  usualPeriods: Map<string, Promise<UsualPeriod>>;
  /** When this call began, by the database's clock: pattern history stored since is not "before" (first-seen patterns). */
  storedBefore: Date;
};

async function enrichOne(enrichment: Enrichment, peak: PeakToEnrich): Promise<PeakEnrichmentResult> {
  const { config, grid, miner, candidates } = enrichment;
  const settings = config.investigation;
  const window = { fromMs: peak.start, toMs: peak.start + grid.windowMs };
  const documents: LogDocument[] = [];
  let total = 0;
  await enrichment.source.readDocuments({ range: window, namespace: peak.namespace, maxPerWindow: config.source.max_documents_per_window }, (read) => {
    documents.push(...read.documents);
    total += read.total;
  });
  const base: PeakEnrichmentResult = {
    peakId: peak.id,
    namespace: peak.namespace,
    start: peak.start,
    status: "no documents",
    documents: documents.length,
    total,
    rootCause: null,
    errorType: null,
    knownIssue: null,
    regressionOf: null,
    newPatterns: 0,
    grownPatterns: 0,
    firstSeenPatterns: [],
  };
  if (documents.length === 0) return base;

  const investigation = investigateWindow(documents, miner, enrichment.classify);
  const { during, comparison, usualPeriod, usualByPattern } = await compareWithUsual(enrichment, peak, investigation);
  const history = await findStoredPatternHistory(
    enrichment.db,
    peak,
    during.map((pattern) => pattern.patternId),
    enrichment.storedBefore,
  );
  const firstSeenPatterns = findFirstSeenPatterns(
    peak,
    during,
    { ...history, seenInUsualPeriod: new Set([...usualByPattern].flatMap(([patternId, count]) => (count > 0 ? [patternId] : []))) },
    config.patterns.first_seen_min_count,
  ).slice(0, settings.top_patterns);
  const rootCausePatterns = (
    investigation.rootCauses.length > 0 ? explainingRootCauses(investigation.rootCauses) : investigation.rootCause ? [investigation.rootCause] : []
  ).map((pattern) => {
    const current = miner.match(pattern.example);
    return { patternId: current?.id ?? pattern.patternId, template: current?.template ?? pattern.template, example: pattern.example };
  });
  const subject = { namespace: peak.namespace, app: investigation.app, patterns: rootCausePatterns };
  // Enrichment counts a window's patterns as read (no scaling), so a headline stands for count ÷ sampled.
  const headlines = windowHeadlines(
    { start: peak.start, namespace: peak.namespace, weight: 1, investigation },
    (pattern) => miner.match(pattern.example)?.id ?? pattern.patternId,
  );
  const knownIssue = findMatchingIssue(candidates.knownIssues, subject);
  const knownPeak = findMatchingIssue(candidates.knownPeaks, subject);

  // What the peak's top_patterns column holds (the contract's storedInvestigationSchema): the facts an analyst reads first.
  const stored: StoredInvestigation = {
    version: 1,
    documents: documents.length,
    total,
    untraced: investigation.untraced,
    traces: investigation.traces,
    patterns: during.slice(0, settings.top_patterns),
    rootCauses: investigation.rootCauses.slice(0, settings.top_patterns),
    representativeTrace: investigation.representativeTrace,
    changed: comparison.changed.slice(0, settings.top_patterns),
    usual: comparison.usual.slice(0, settings.top_patterns),
    usualPeriod,
    firstSeenPatterns,
    wildcardValues: peakWildcardSamples(miner, headlines.byPattern, [
      ...during.slice(0, settings.top_patterns),
      ...investigation.rootCauses.slice(0, settings.top_patterns),
    ]),
  };
  const windowPatterns: WindowPattern[] = during.map((pattern) => ({
    patternId: pattern.patternId,
    template: pattern.template,
    errorType: pattern.errorType,
    count: pattern.count,
    firstSeen: pattern.firstSeen,
    lastSeen: pattern.lastSeen,
    examples: pattern.examples,
  }));
  await savePeakEnrichment(
    enrichment.db.prisma,
    peak,
    {
      traceId: investigation.representativeTrace?.traceId ?? null,
      appName: investigation.app,
      errorType: investigation.errorType,
      affectedServices: investigation.affectedServices,
      rootCause: investigation.rootCause?.example ?? null,
      rootCausePatternId: rootCausePatterns[0]?.patternId ?? null,
      topPatterns: JSON.parse(JSON.stringify(stored)) as StoredInvestigationJson,
      knownIssueId: knownIssue?.id ?? null,
      knownPeakId: knownPeak?.id ?? null,
      // Release impact: the window's errors by version, and its versions into the namespace's timeline (once, as its patterns).
      errorsByVersion: countErrorsByVersion(documents, total),
    },
    windowPatterns,
    {
      documents: documents.length,
      maxExamples: settings.max_examples,
      now: enrichment.now(),
      afterCounting: withVersionSightings(addWildcardSamples([headlines]), [
        { start: peak.start, namespace: peak.namespace, sightings: sightVersions(documents, total) },
      ]),
    },
  );
  return {
    ...base,
    status: "enriched",
    rootCause: investigation.rootCause?.template ?? null,
    errorType: investigation.errorType,
    knownIssue: knownIssue ? { id: knownIssue.id, title: knownIssue.title } : null,
    regressionOf: knownPeak ? { id: knownPeak.id, title: knownPeak.title, solution: knownPeak.solution } : null,
    newPatterns: comparison.changed.filter((change) => change.isNew).length,
    grownPatterns: comparison.changed.filter((change) => !change.isNew).length,
    firstSeenPatterns,
  };
}

/**
 * The peak window's patterns as they are now, compared with the usual period before it. The
 * usual period ends where the peak (or its plateau) began, so that it holds no peak window of
 * this incident.
 */
async function compareWithUsual(enrichment: Enrichment, peak: PeakToEnrich, investigation: WindowInvestigation) {
  const { grid, miner } = enrichment;
  const settings = enrichment.config.investigation;
  const usualEnd = peak.plateauStart ?? peak.start;
  const period = { fromMs: usualEnd - settings.usual_hours * 3_600_000, toMs: usualEnd };
  const usual = await readUsualPeriod(enrichment, peak.namespace, period);
  // Counted per miner handle: patterns may merge while the usual period is read, so ids are taken at the end.
  const usualByPattern = new Map<string, number>();
  for (const [handle, count] of usual.byHandle) {
    const patternId = miner.patternOf(handle).id;
    usualByPattern.set(patternId, (usualByPattern.get(patternId) ?? 0) + count);
  }
  const windows = grid.windowsBetween(period.fromMs, period.toMs).length;
  const during = refreshed(miner, settings.max_examples, investigation.patterns);
  return {
    during,
    comparison: comparePatterns(during, usualByPattern, windows, settings.min_growth),
    usualPeriod: { ...period, windows, sampled: usual.sampled, total: usual.total },
    usualByPattern,
  };
}

/**
 * The usual period's documents as estimated counts per miner handle. The windows of one plateau
 * share their usual period (it ends where the plateau began), so it is read once for them all.
 */
function readUsualPeriod(enrichment: Enrichment, namespace: string, period: { fromMs: number; toMs: number }): Promise<UsualPeriod> {
  const key = `${namespace} ${period.toMs}`;
  let read = enrichment.usualPeriods.get(key);
  if (!read) {
    read = (async () => {
      const usual: UsualPeriod = { byHandle: new Map(), sampled: 0, total: 0 };
      const maxPerWindow = enrichment.config.investigation.usual_sample_per_window;
      await enrichment.source.readDocuments({ range: period, namespace, maxPerWindow }, (window) => {
        // Each sampled document stands for total / read documents of its window.
        const weight = window.documents.length > 0 ? window.total / window.documents.length : 0;
        usual.sampled += window.documents.length;
        usual.total += window.total;
        for (const document of window.documents) {
          const handle = enrichment.miner.add(document.message);
          usual.byHandle.set(handle, (usual.byHandle.get(handle) ?? 0) + weight);
        }
      });
      return usual;
    })();
    enrichment.usualPeriods.set(key, read);
  }
  return read;
}

/** Pattern counts of a window with ids and templates as they are now (patterns may have merged or been refined). */
function refreshed(miner: PatternMiner, maxExamples: number, patterns: WindowInvestigation["patterns"]): WindowInvestigation["patterns"] {
  const byId = new Map<string, WindowInvestigation["patterns"][number]>();
  for (const pattern of patterns) {
    const current = miner.match(pattern.example) ?? { id: pattern.patternId, template: pattern.template };
    const entry = byId.get(current.id);
    if (!entry) {
      byId.set(current.id, { ...pattern, examples: [...pattern.examples], patternId: current.id, template: current.template });
      continue;
    }
    entry.count += pattern.count;
    entry.firstSeen = Math.min(entry.firstSeen, pattern.firstSeen);
    entry.lastSeen = Math.max(entry.lastSeen, pattern.lastSeen);
    for (const example of pattern.examples) if (entry.examples.length < maxExamples && !entry.examples.includes(example)) entry.examples.push(example);
  }
  return [...byId.values()].sort((left, right) => right.count - left.count || left.patternId.localeCompare(right.patternId));
}

/** Values kept per wildcard in a peak's investigation. */
const PEAK_VALUES_KEPT = 5;

/**
 * The values at the wildcards of the peak window's listed patterns, by the id each is listed with
 * (a root cause keeps the id it had when its trace was read), read with its template as it is now.
 */
function peakWildcardSamples(
  miner: PatternMiner,
  byPattern: ReadonlyMap<string, readonly HeadlineGroup[]>,
  listed: readonly { patternId: string; template: string; example: string }[],
): PeakWildcardSample[] {
  const samples = new Map<string, PeakWildcardSample>();
  for (const pattern of listed) {
    if (samples.has(pattern.patternId)) continue;
    const current = miner.match(pattern.example) ?? { id: pattern.patternId, template: pattern.template };
    const groups = byPattern.get(current.id);
    if (!groups) continue;
    // One window: its sample's exact counts (no history to bound), then a few per wildcard, enough
    // for the page's sentence, so that top_patterns stays small.
    const sample = sampleWildcardValues(current.template, groups, Number.POSITIVE_INFINITY);
    samples.set(pattern.patternId, { patternId: pattern.patternId, ...keepTopValues(sample, PEAK_VALUES_KEPT) });
  }
  return [...samples.values()];
}

type UsualPeriod = { byHandle: Map<number, number>; sampled: number; total: number };

type StoredInvestigationJson = Parameters<typeof savePeakEnrichment>[2]["topPatterns"];

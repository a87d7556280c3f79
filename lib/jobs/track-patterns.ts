import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { countUntrackedWindows, loadIssueCandidates, loadKnownPatterns, saveTrackedWindows, type WindowPattern } from "@/lib/db/investigation";
import { createClassifier } from "@/lib/pipeline/classify";
import { findMatchingIssue, investigateWindow, type WindowInvestigation } from "@/lib/pipeline/investigate";
import type { LogDocument, LogSource, TimeRange } from "@/lib/pipeline/log-document";
import { createPatternMiner, type PatternMiner } from "@/lib/pipeline/patterns";
import { addWildcardSamples, windowHeadlines } from "./wildcard-values";
import { sightVersions, type VersionSighting } from "@/lib/pipeline/versions";
import { withVersionSightings } from "./version-timeline";
import { withPatternSplits } from "@/lib/pipeline/pattern-rules";
import { loadPatternRuleSet, withMergedPatternIds } from "@/lib/patterns/rules";

export type PeriodRootCause = {
  patternId: string;
  template: string;
  errorType: string;
  /** Traces of the period whose earliest error has this pattern (in the documents read). */
  traces: number;
  namespaces: string[];
  example: string;
  knownIssue: { id: number; title: string } | null;
  regressionOf: { id: number; title: string; solution: string } | null;
};

export type TrackReport = {
  range: TimeRange;
  windows: number;
  /** (window, namespace) pairs whose patterns were added now, and those counted by an earlier run. */
  counted: number;
  alreadyCounted: number;
  documentsRead: number;
  documentsTotal: number;
  patterns: { patternId: string; template: string; errorType: string; estimated: number; isNew: boolean }[];
  /** Root causes by trace over the period, most traces first, with the known issue each matches. */
  rootCauses: PeriodRootCause[];
};

/** A period's documents read, grouped into patterns and classified (pipeline step 2). */
export type ClassifiedPeriod = {
  range: TimeRange;
  windows: number;
  documentsRead: number;
  documentsTotal: number;
  /** Error documents per error type, scaled to the windows' totals. */
  errorTypes: Record<string, number>;
  knownIds: ReadonlySet<string>;
  miner: PatternMiner;
  investigated: {
    start: number;
    namespace: string;
    documents: number;
    weight: number;
    investigation: WindowInvestigation;
    /** The application versions of its documents, errors scaled like the patterns'. */
    versions: VersionSighting[];
  }[];
};

/**
 * Reads each window's error documents (at most source.max_documents_per_window, scaled to the
 * window's total), groups them per namespace into patterns, ids continuing those stored, and
 * gives each its error type.
 */
export async function classifyPeriod(db: Db, config: FrozenConfig, source: LogSource, range: TimeRange): Promise<ClassifiedPeriod> {
  const known = await loadKnownPatterns(db.prisma);
  // Analysts' splits apply to what the miner answers (lib/pipeline/pattern-rules.ts).
  const miner = withPatternSplits(createPatternMiner({ maxExamples: config.investigation.max_examples }, known), await loadPatternRuleSet(db.prisma));
  const classify = createClassifier(config.classification.rules);
  const investigated: ClassifiedPeriod["investigated"] = [];
  const errorTypes: Record<string, number> = {};
  let documentsRead = 0;
  const read = await source.readDocuments({ range, maxPerWindow: config.source.max_documents_per_window }, ({ windowStart, documents, total }) => {
    const weight = documents.length > 0 ? total / documents.length : 0;
    documentsRead += documents.length;
    const byNamespace = new Map<string, LogDocument[]>();
    for (const document of documents) {
      const list = byNamespace.get(document.namespace);
      if (list) list.push(document);
      else byNamespace.set(document.namespace, [document]);
    }
    for (const [namespace, list] of byNamespace) {
      const investigation = investigateWindow(list, miner, classify);
      for (const pattern of investigation.patterns) errorTypes[pattern.errorType] = (errorTypes[pattern.errorType] ?? 0) + Math.round(pattern.count * weight);
      investigated.push({
        start: windowStart,
        namespace,
        documents: list.length,
        weight,
        investigation,
        versions: sightVersions(list, Math.round(list.length * weight)),
      });
    }
  });
  return {
    range,
    windows: read.windows,
    documentsRead,
    documentsTotal: read.total,
    errorTypes,
    knownIds: new Set(known.map((pattern) => pattern.id)),
    miner,
    investigated,
  };
}

/**
 * Finds the root cause of every trace of a classified period, matches the root causes with
 * known issues and resolved known peaks, and adds the patterns to error_patterns with the values
 * at their wildcards, and the versions to their namespaces' timelines (each window and namespace
 * once however often the period is tracked); a dry run stores nothing.
 */
export async function traceAndStorePeriod(db: Db, config: FrozenConfig, period: ClassifiedPeriod, options: { isDryRun?: boolean } = {}): Promise<TrackReport> {
  const { miner, knownIds } = period;
  const candidates = withMergedPatternIds(await loadIssueCandidates(db.prisma), await loadPatternRuleSet(db.prisma));
  // Patterns may have merged since a window was read: ids and templates are taken now.
  const current = (pattern: { patternId: string; template: string; example: string }) => {
    const found = miner.match(pattern.example);
    return found ? { id: found.id, template: found.template } : { id: pattern.patternId, template: pattern.template };
  };
  const totals = new Map<string, { template: string; errorType: string; estimated: number }>();
  const causes = new Map<string, PeriodRootCause>();
  const toStore = period.investigated.map((window) => {
    const patterns = new Map<string, WindowPattern>();
    for (const pattern of window.investigation.patterns) {
      const { id, template } = current(pattern);
      const estimated = Math.round(pattern.count * window.weight);
      const existing = patterns.get(id);
      if (existing) {
        existing.count += estimated;
        existing.firstSeen = Math.min(existing.firstSeen, pattern.firstSeen);
        existing.lastSeen = Math.max(existing.lastSeen, pattern.lastSeen);
      } else {
        patterns.set(id, {
          patternId: id,
          template,
          errorType: pattern.errorType,
          count: estimated,
          firstSeen: pattern.firstSeen,
          lastSeen: pattern.lastSeen,
          examples: pattern.examples,
        });
      }
      const total = totals.get(id);
      if (total) total.estimated += estimated;
      else totals.set(id, { template, errorType: pattern.errorType, estimated });
    }
    for (const cause of window.investigation.rootCauses) {
      const { id, template } = current(cause);
      const entry = causes.get(id);
      if (entry) {
        entry.traces += cause.traces;
        if (!entry.namespaces.includes(window.namespace)) entry.namespaces.push(window.namespace);
      } else {
        causes.set(id, {
          patternId: id,
          template,
          errorType: cause.errorType,
          traces: cause.traces,
          namespaces: [window.namespace],
          example: cause.example,
          knownIssue: null,
          regressionOf: null,
        });
      }
    }
    return { start: window.start, namespace: window.namespace, documents: window.documents, patterns: [...patterns.values()] };
  });

  for (const cause of causes.values()) {
    cause.namespaces.sort();
    const subject = (namespace: string) => ({
      namespace,
      app: null,
      patterns: [{ patternId: cause.patternId, template: cause.template, example: cause.example }],
    });
    const issue = cause.namespaces.map((namespace) => findMatchingIssue(candidates.knownIssues, subject(namespace))).find((match) => match !== null) ?? null;
    const resolved = cause.namespaces.map((namespace) => findMatchingIssue(candidates.knownPeaks, subject(namespace))).find((match) => match !== null) ?? null;
    cause.knownIssue = issue ? { id: issue.id, title: issue.title } : null;
    cause.regressionOf = resolved ? { id: resolved.id, title: resolved.title, solution: resolved.solution } : null;
  }

  const saved = options.isDryRun
    ? await countUntrackedWindows(db.prisma, toStore)
    : await saveTrackedWindows(
        db.prisma,
        toStore,
        config.investigation.max_examples,
        withVersionSightings(
          addWildcardSamples(period.investigated.map((window) => windowHeadlines(window, (pattern) => current(pattern).id))),
          period.investigated.map((window) => ({ start: window.start, namespace: window.namespace, sightings: window.versions })),
        ),
      );
  return {
    range: period.range,
    windows: period.windows,
    counted: saved.counted,
    alreadyCounted: saved.alreadyCounted,
    documentsRead: period.documentsRead,
    documentsTotal: period.documentsTotal,
    patterns: [...totals]
      .map(([patternId, total]) => ({ patternId, ...total, isNew: !knownIds.has(patternId) }))
      .sort((left, right) => right.estimated - left.estimated || left.patternId.localeCompare(right.patternId)),
    rootCauses: [...causes.values()].sort((left, right) => right.traces - left.traces || left.patternId.localeCompare(right.patternId)),
  };
}

/**
 * The seed's analyze_and_track for a period: ErrorPatternTracker (patterns added to
 * error_patterns), TraceAnalyzer (root cause of every trace) and KnownIssuesMatcher.
 */
export async function trackPatterns(db: Db, config: FrozenConfig, source: LogSource, range: TimeRange): Promise<TrackReport> {
  return traceAndStorePeriod(db, config, await classifyPeriod(db, config, source, range));
}

import type { z } from "zod";
import type { Db } from "@/lib/db/client";
import { createVersionedRead } from "@/lib/db/data-versions";
import {
  countPeaksOfPatterns,
  findDailyCounts,
  findKnownIssuesOfPattern,
  findKnownPeaksOfPattern,
  findPattern,
  findPatternFilterValues,
  findPatternPage,
  findPatternTrackingStart,
  findPeaksOfPattern,
  patternExists,
} from "@/lib/db/patterns";
import { findWildcardSampleOfPattern } from "@/lib/db/pattern-values";
import { NotFoundError, parseInput } from "@/lib/errors";
import { rekeyWildcardSample } from "@/lib/pipeline/value-sample";
import { assertRole, type Actor } from "@/lib/roles";
import {
  addDays,
  classifyTrend,
  fillDailySeries,
  getPatternSchema,
  listPatternsSchema,
  MAX_PATTERN_PEAKS,
  patternHashSchema,
  trendWindow,
  utcDay,
  type GetPatternInput,
  type ListPatternsInput,
  type PatternDetail,
  type PatternFilters,
  type PatternPage,
  type TrendWindow,
} from "./contract";
import { findRulesOfPattern } from "./rules";

// Reading error patterns: who may, what is asked, the series and trends of the answers. The
// queries are lib/db/patterns.ts's.

/** Series and trend of one pattern from its daily counts over the window and the one before. */
function seriesAndTrend(window: TrendWindow, days: ReadonlyMap<string, number> | undefined, firstSeen: Date, trackedSince: Date | null) {
  const counts = days ?? new Map<string, number>();
  const series = fillDailySeries(window.from, window.days, counts);
  const previous = fillDailySeries(window.previousFrom, window.days, counts).reduce((sum, count) => sum + count, 0);
  const current = series.reduce((sum, count) => sum + count, 0);
  const hasHistory = trackedSince !== null && utcDay(trackedSince) < window.from;
  return { series, trend: classifyTrend(current, previous, utcDay(firstSeen) >= window.from, hasHistory) };
}

/**
 * A page of error patterns is computed from these tables alone (merges are error_patterns'
 * merged_into; peaks count from peak_investigation), so it is reused while none was written:
 * ranking every pattern costs tens of milliseconds of database time per page.
 */
const reusePatternPage = createVersionedRead<PatternPage>(["error_patterns", "pattern_daily_counts", "pattern_windows", "peak_investigation"]);

/**
 * A page of error patterns with counts, trend and peaks (viewers and above). Three queries
 * whatever the page size: the page with its total, the daily counts of its patterns, and their
 * peaks; the page is reused while the patterns, their counts and the peaks are unchanged (the
 * trend window, whole UTC days, is part of what it is reused for). Sorting by trend ranks by the
 * change against the window before (largest rise first).
 */
export async function listPatterns(db: Db, actor: Actor | null, input: ListPatternsInput = {}, now: Date = new Date()): Promise<PatternPage> {
  assertRole(actor, "viewer");
  const parsed = parseInput(listPatternsSchema, input);
  const window = trendWindow(now, parsed.days);
  return reusePatternPage(db, JSON.stringify({ parsed, window }), () => readPatternPage(db, parsed, window));
}

async function readPatternPage(db: Db, parsed: z.output<typeof listPatternsSchema>, window: TrendWindow): Promise<PatternPage> {
  const namespace = parsed.namespace ?? null;
  const { total, patterns } = await findPatternPage(db, {
    q: parsed.q,
    namespace,
    errorType: parsed.errorType,
    sort: parsed.sort,
    window,
    limit: parsed.limit,
    offset: parsed.offset,
  });
  const hashes = patterns.map((pattern) => pattern.hash);
  const [daily, peakCounts, trackedSince] = await Promise.all([
    findDailyCounts(db, hashes, window.previousFrom, window.to, namespace),
    countPeaksOfPatterns(db, hashes),
    findPatternTrackingStart(db),
  ]);

  return {
    patterns: patterns.map((pattern) => {
      const { series, trend } = seriesAndTrend(window, daily.get(pattern.hash), pattern.firstSeen, trackedSince);
      return {
        hash: pattern.hash,
        template: pattern.template,
        errorType: pattern.errorType,
        occurrences: pattern.occurrences,
        windowOccurrences: trend.current,
        firstSeen: pattern.firstSeen.toISOString(),
        lastSeen: pattern.lastSeen.toISOString(),
        namespaces: pattern.namespaces,
        series,
        trend,
        peaks: peakCounts.get(pattern.hash) ?? 0,
      };
    }),
    total,
    offset: parsed.offset,
    limit: parsed.limit,
    nextOffset: parsed.offset + patterns.length < total ? parsed.offset + patterns.length : null,
    window,
    namespace,
  };
}

/** Every namespace and error type of the stored patterns, sorted, for the list's filters (viewers and above). */
export async function listPatternFilters(db: Db, actor: Actor | null): Promise<PatternFilters> {
  assertRole(actor, "viewer");
  return findPatternFilterValues(db);
}

/** Whether a pattern with this hash is stored (viewers and above): one indexed lookup, for a page to answer 404 before it streams. */
export async function hasPattern(db: Db, actor: Actor | null, hash: string): Promise<boolean> {
  assertRole(actor, "viewer");
  return patternExists(db, parseInput(patternHashSchema, hash));
}

/**
 * One pattern with its examples, counts per namespace, daily series over `days`, the known
 * issues and known peaks recognised by it, and its peaks, newest first (viewers and above).
 */
export async function getPattern(db: Db, actor: Actor | null, hash: string, input: GetPatternInput = {}, now: Date = new Date()): Promise<PatternDetail> {
  assertRole(actor, "viewer");
  const patternHash = parseInput(patternHashSchema, hash);
  const { days } = parseInput(getPatternSchema, input);
  const pattern = await findPattern(db, patternHash);
  if (!pattern) throw new NotFoundError(`Pattern ${patternHash} does not exist`);
  const window = trendWindow(now, days);
  const rules = await findRulesOfPattern(db, patternHash, pattern.mergedInto);
  // A pattern answers for those merged into it; a merged-away one for itself alone (its page says where it went).
  const shown = [patternHash, ...rules.mergedFrom];
  const [daily, knownIssues, knownPeaks, peaks, trackedSince] = await Promise.all([
    findDailyCounts(db, [patternHash], window.previousFrom, window.to, null, new Map([[patternHash, rules.mergedFrom]])),
    findKnownIssuesOfPattern(db, shown),
    findKnownPeaksOfPattern(db, shown),
    findPeaksOfPattern(db, shown, MAX_PATTERN_PEAKS),
    findPatternTrackingStart(db),
  ]);
  const { series, trend } = seriesAndTrend(window, daily.get(patternHash), pattern.firstSeen, trackedSince);
  // A sample taken under another template than the pattern's now is re-keyed to it, or not shown.
  const values = await findWildcardSampleOfPattern(db, patternHash);
  const whyGrouped = values?.sample ? rekeyWildcardSample(values.sample, values.template) : null;
  return {
    hash: pattern.hash,
    template: pattern.template,
    errorType: pattern.errorType,
    occurrences: pattern.occurrences,
    firstSeen: pattern.firstSeen.toISOString(),
    lastSeen: pattern.lastSeen.toISOString(),
    namespaces: pattern.namespaces,
    namespaceOccurrences: Object.entries(pattern.namespaceOccurrences)
      .map(([namespace, occurrences]) => ({ namespace, occurrences }))
      .sort((left, right) => right.occurrences - left.occurrences || left.namespace.localeCompare(right.namespace)),
    examples: pattern.examples,
    window,
    series: series.map((occurrences, index) => ({ day: addDays(window.from, index), occurrences })),
    trend,
    knownIssues,
    knownPeaks: knownPeaks.map((peak) => ({ id: peak.id, title: peak.title, resolvedAt: peak.resolvedAt.toISOString() })),
    peaks: peaks.map((peak) => ({
      id: peak.id,
      timestamp: peak.timestamp.toISOString(),
      namespace: peak.namespace,
      severity: peak.severity,
      status: peak.status,
      errorCount: peak.errorCount,
      knownIssue: peak.knownIssueId !== null && peak.knownIssueTitle !== null ? { id: peak.knownIssueId, title: peak.knownIssueTitle } : null,
    })),
    peakCount: peaks[0]?.total ?? 0,
    whyGrouped,
    ...rules,
  };
}

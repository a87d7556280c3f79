import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { createVersionedRead } from "@/lib/db/data-versions";
import { findKnownIssueNames, findProblemIncidentFacts, findWindowRootCauses, type ProblemFactRow } from "@/lib/db/problems";
import { UNKNOWN_ERROR_TYPE } from "@/lib/pipeline/classify";
import { countStoredWindows, findOldestStoredWindowStart } from "@/lib/db/gaps";
import { buildProblems, previousPeriodGapOf, problemPeriodOf, type Problem, type ProblemSettings, type StoredWindowsBefore } from "@/lib/pipeline/problems";
import { MAX_GAP_NAMESPACES, sinceMs, type ProblemJudgement, type ProblemPeriod, type ProblemPreviousGap, type ProblemSummary } from "./contract";

// What the list and a problem's page share: reading the period's facts, making problems of them
// and naming them (template, example, known issue) for an answer.

/** A period and the one of the same length before it (from `previousFrom`), as dates for the queries. */
export type ProblemRange = { previousFrom: Date; from: Date; to: Date };

/** What problems are judged with, from values.yaml, and the instant the period ends at. */
export type ProblemsSettings = ProblemSettings & { now: Date };

/** The problems settings of a configuration (the clock is the caller's). */
export function problemSettingsOf(config: Pick<FrozenConfig, "window_minutes" | "problems">): ProblemSettings {
  return {
    windowMs: config.window_minutes * 60_000,
    systemicNamespaces: config.problems.systemic_namespaces,
    trendFactor: config.problems.trend_factor,
    trendMinErrors: config.problems.trend_min_errors,
  };
}

/** The period ending with the window of `now` and the one before it, as dates for the queries and ISO text for the answer. */
export function periodOf(since: string, now: Date, windowMs: number): { range: { previousFrom: Date; from: Date; to: Date }; answer: ProblemPeriod } {
  const period = problemPeriodOf(now.getTime(), sinceMs(since), windowMs);
  const range = { previousFrom: new Date(period.previousFromMs), from: new Date(period.fromMs), to: new Date(period.toMs) };
  return {
    range,
    answer: { since, from: range.from.toISOString(), to: range.to.toISOString(), previousFrom: range.previousFrom.toISOString() },
  };
}

export function judgementOf(settings: ProblemSettings): ProblemJudgement {
  return { systemicNamespaces: settings.systemicNamespaces, trendFactor: settings.trendFactor, trendMinErrors: settings.trendMinErrors };
}

/** The problems of the period (all of them, or of one key's patterns), unsorted. */
export async function readProblems(
  db: Db,
  range: { previousFrom: Date; from: Date; to: Date },
  settings: ProblemSettings,
  only?: { patternIds: readonly string[]; errorType: string },
): Promise<{ problems: Problem[]; facts: ProblemFactRow[] }> {
  const facts = await findProblemIncidentFacts(db, { ...range, unclassified: UNKNOWN_ERROR_TYPE, ...(only ? { only } : {}) });
  return { problems: buildProblems(facts, settings), facts };
}

/** What the stored windows of a period before show, reused while no window is written (a run writes them every few minutes at most). */
const reuseStoredWindowsBefore = createVersionedRead<StoredWindowsBefore>(["peak_raw_data"]);

/**
 * Where the period before lacks data for each of these problems' namespaces (problem id → gap;
 * a problem read in full is absent), from the oldest stored window and the stored windows of
 * these problems' namespaces in the period before (none is older than the oldest, so the two
 * reads go together).
 */
async function previousGapsOf(db: Db, problems: readonly Problem[], range: ProblemRange, windowMs: number): Promise<Map<string, ProblemPreviousGap>> {
  const gaps = new Map<string, ProblemPreviousGap>();
  if (problems.length === 0) return gaps;
  const period = { previousFromMs: range.previousFrom.getTime(), fromMs: range.from.getTime() };
  const namespaces = [...new Set(problems.flatMap((problem) => problem.namespaces))].sort();
  const stored = await reuseStoredWindowsBefore(db, JSON.stringify({ period, namespaces }), async () => {
    const [oldestStoredMs, byNamespace] = await Promise.all([
      findOldestStoredWindowStart(db),
      countStoredWindows(db, namespaces, { fromMs: period.previousFromMs, toMs: period.fromMs }),
    ]);
    return { oldestStoredMs, byNamespace };
  });
  for (const problem of problems) {
    const gap = previousPeriodGapOf(problem.namespaces, period, windowMs, stored);
    if (!gap) continue;
    gaps.set(problem.id, {
      missingWindows: gap.missingWindows,
      namespaces: gap.namespaces.slice(0, MAX_GAP_NAMESPACES),
      namespaceTotal: gap.namespaces.length,
      storedFrom: gap.storedFromMs === null ? null : new Date(gap.storedFromMs).toISOString(),
    });
  }
  return gaps;
}

/**
 * Problems as answers, with their example (from the newest window), known issue and the gaps of
 * the period before (`range`'s, judged on whole windows of `windowMs`) read for these only.
 */
export async function summarize(
  db: Db,
  problems: readonly Problem[],
  templates: ReadonlyMap<string, string | null>,
  range: ProblemRange,
  windowMs: number,
): Promise<ProblemSummary[]> {
  const [rootCauses, knownIssues, previousGaps] = await Promise.all([
    findWindowRootCauses(
      db,
      problems.map((problem) => problem.latestWindowId),
    ),
    findKnownIssueNames(db, [...new Set(problems.flatMap((problem) => (problem.knownIssueId === null ? [] : [problem.knownIssueId])))]),
    previousGapsOf(db, problems, range, windowMs),
  ]);
  return problems.map((problem) => ({
    id: problem.id,
    patternId: problem.patternId,
    errorType: problem.errorType,
    template: templates.get(problem.id) ?? null,
    example: rootCauses.get(problem.latestWindowId)?.example ?? null,
    occurrences: problem.occurrences,
    incidents: problem.incidents,
    namespaces: problem.namespaces,
    apps: problem.apps,
    firstSeen: new Date(problem.firstSeenMs).toISOString(),
    lastSeen: new Date(problem.lastSeenMs).toISOString(),
    errors: problem.errors,
    trend: { ...problem.trend, previousGap: previousGaps.get(problem.id) ?? null },
    scope: {
      kind: problem.scope.kind,
      namespaces: problem.scope.namespaces,
      mostAtOnce: problem.scope.mostAtOnce,
      mostAtOnceFrom: new Date(problem.scope.mostAtOnceFromMs).toISOString(),
    },
    knownIssue: problem.knownIssueId === null ? null : (knownIssues.get(problem.knownIssueId) ?? null),
  }));
}

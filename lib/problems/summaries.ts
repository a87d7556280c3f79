import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { findKnownIssueNames, findProblemIncidentFacts, findProblemTemplates, findWindowRootCauses, type ProblemFactRow } from "@/lib/db/problems";
import { UNKNOWN_ERROR_TYPE } from "@/lib/pipeline/classify";
import { buildProblems, problemPeriodOf, type Problem, type ProblemSettings } from "@/lib/pipeline/problems";
import { sinceMs, type ProblemJudgement, type ProblemPeriod, type ProblemSummary } from "./contract";

// What the list and a problem's page share: reading the period's facts, making problems of them
// and naming them (template, example, known issue) for an answer.

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

/** Each problem's template (see findProblemTemplates): the digest and the problems' reads take it from here. */
export const templatesOf = findProblemTemplates;

/** Problems as answers, with their example (from the newest window) and known issue read for these only. */
export async function summarize(db: Db, problems: readonly Problem[], templates: ReadonlyMap<string, string | null>): Promise<ProblemSummary[]> {
  const [rootCauses, knownIssues] = await Promise.all([
    findWindowRootCauses(
      db,
      problems.map((problem) => problem.latestWindowId),
    ),
    findKnownIssueNames(db, [...new Set(problems.flatMap((problem) => (problem.knownIssueId === null ? [] : [problem.knownIssueId])))]),
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
    trend: problem.trend,
    scope: {
      kind: problem.scope.kind,
      namespaces: problem.scope.namespaces,
      mostAtOnce: problem.scope.mostAtOnce,
      mostAtOnceFrom: new Date(problem.scope.mostAtOnceFromMs).toISOString(),
    },
    knownIssue: problem.knownIssueId === null ? null : (knownIssues.get(problem.knownIssueId) ?? null),
  }));
}

import type { Db } from "@/lib/db/client";
import { findIncidentsOfProblem, findProblemPattern, findProblemSpan, findProblemTemplates, type ProblemFactRow } from "@/lib/db/problems";
import { NotFoundError, parseInput } from "@/lib/errors";
import { UNKNOWN_ERROR_TYPE } from "@/lib/pipeline/classify";
import { parseProblemId, problemIdOf } from "@/lib/pipeline/problems";
import { assertRole, type Actor } from "@/lib/roles";
import { MAX_PROBLEM_INCIDENTS, problemRequestSchema, type ProblemDetail, type ProblemIncident, type ProblemRequestInput } from "./contract";
import { problemVersionsOf } from "./versions";
import { judgementOf, periodOf, readProblems, summarize, type ProblemsSettings } from "./summaries";

/**
 * One problem over the period (viewers and above): its figures, trend, scope and known issue as
 * the list has them, its pattern's examples, its whole history's span, and its incidents for a
 * timeline, its errors by version per namespace. 404 for a problem without any window, one whose pattern now shows under another
 * (merged), and one without a window in the period (the message says when its last one was).
 */
export async function getProblem(db: Db, actor: Actor | null, input: ProblemRequestInput, settings: ProblemsSettings): Promise<ProblemDetail> {
  assertRole(actor, "viewer");
  const parsed = parseInput(problemRequestSchema, input);
  const { pattern, patternIds, only, period, history, problem, facts } = await readProblemOfPeriod(db, parsed, settings);
  const [[summary], incidents, versions] = await Promise.all([
    summarize(db, [problem], await findProblemTemplates(db, [problem]), period.range, settings.windowMs),
    incidentsOf(db, facts, settings.windowMs),
    problemVersionsOf(db, only, facts, period.range, settings.windowMs),
  ]);
  return {
    ...summary!,
    patternIds,
    examples: pattern?.examples ?? [],
    history: { firstWindow: history.firstWindow.toISOString(), lastWindow: history.lastWindow.toISOString(), windows: history.windows },
    incidentList: incidents.list,
    incidentTotal: incidents.total,
    versions,
    period: period.answer,
    judgement: judgementOf(settings),
  };
}

/**
 * A problem as its period holds it, with its pattern, history and facts; NotFoundError for a
 * problem without any window, one whose pattern shows under another now (merged), and one
 * without a window in the period. `input` is parsed (problemRequestSchema).
 */
export async function readProblemOfPeriod(db: Db, input: { id: string; since: string }, settings: ProblemsSettings) {
  const key = parseProblemId(input.id)!;
  const pattern = await findProblemPattern(db, key.patternId);
  if (pattern?.mergedInto) {
    const shownAs = problemIdOf({ patternId: pattern.mergedInto, errorType: key.errorType });
    throw new NotFoundError(`Problem ${input.id} is part of problem ${shownAs} now: its pattern was merged into ${pattern.mergedInto}`);
  }
  const patternIds = [key.patternId, ...(pattern?.mergedFrom ?? [])];
  const only = { patternIds, errorType: key.errorType };
  const period = periodOf(input.since, settings.now, settings.windowMs);
  const [history, { problems, facts }] = await Promise.all([
    findProblemSpan(db, { ...only, unclassified: UNKNOWN_ERROR_TYPE }),
    readProblems(db, period.range, settings, only),
  ]);
  if (!history) throw new NotFoundError(`Problem ${input.id} does not exist`);
  const [problem] = problems;
  if (!problem) {
    throw new NotFoundError(`Problem ${input.id} had no peak window in the last ${input.since}; its last one began at ${history.lastWindow.toISOString()}`);
  }
  return { pattern, patternIds, only, period, history, problem, facts };
}

/** The period's incidents of the problem, newest first (by last window, then namespace), at most MAX_PROBLEM_INCIDENTS with their status, and how many there are. */
async function incidentsOf(db: Db, facts: readonly ProblemFactRow[], windowMs: number): Promise<{ list: ProblemIncident[]; total: number }> {
  const current = facts
    .filter((fact) => fact.isCurrent)
    .sort(
      (left, right) => right.lastWindowMs - left.lastWindowMs || left.namespace.localeCompare(right.namespace) || right.latestWindowId - left.latestWindowId,
    );
  const shown = current.slice(0, MAX_PROBLEM_INCIDENTS);
  const incidents = new Map(
    (await findIncidentsOfProblem(db, [...new Set(shown.flatMap((fact) => (fact.incidentId === null ? [] : [fact.incidentId])))])).map((row) => [row.id, row]),
  );
  const list = shown.map((fact) => {
    const incident = fact.incidentId === null ? undefined : incidents.get(fact.incidentId);
    return {
      incidentId: fact.incidentId,
      namespace: fact.namespace,
      start: new Date(fact.firstWindowMs).toISOString(),
      end: new Date(fact.lastWindowMs + windowMs).toISOString(),
      windows: fact.windows,
      errors: fact.errors,
      status: incident?.status ?? null,
      isOngoing: incident ? incident.ended_at === null : null,
    };
  });
  return { list, total: current.length };
}

/**
 * Whether the problem exists in any period (viewers and above): it has a window, and its pattern
 * shows as itself (not merged into another). The page's 404 check before anything streams; a
 * text that is no problem id is not one.
 */
export async function hasProblem(db: Db, actor: Actor | null, id: string): Promise<boolean> {
  assertRole(actor, "viewer");
  const key = parseProblemId(id);
  if (!key) return false;
  const pattern = await findProblemPattern(db, key.patternId);
  if (pattern?.mergedInto) return false;
  const span = await findProblemSpan(db, {
    patternIds: [key.patternId, ...(pattern?.mergedFrom ?? [])],
    errorType: key.errorType,
    unclassified: UNKNOWN_ERROR_TYPE,
  });
  return span !== null;
}

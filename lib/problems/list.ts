import type { Db } from "@/lib/db/client";
import { countWindowsWithoutRootCause } from "@/lib/db/problems";
import { parseInput } from "@/lib/errors";
import { compareActionable, type Problem } from "@/lib/pipeline/problems";
import { assertRole, type Actor } from "@/lib/roles";
import { listProblemsSchema, type ListProblemsInput, type ProblemPage } from "./contract";
import { judgementOf, periodOf, readProblems, summarize, templatesOf, type ProblemsSettings } from "./summaries";

/**
 * One page of the problems of the period (viewers and above), most actionable first: without a
 * known issue, growing, wide, big, recent. Every problem of the period is ranked (their count is
 * what the period's incidents give, not the table's), the page's alone are named.
 */
export async function listProblems(db: Db, actor: Actor | null, input: ListProblemsInput, settings: ProblemsSettings): Promise<ProblemPage> {
  assertRole(actor, "viewer");
  const parsed = parseInput(listProblemsSchema, input);
  const period = periodOf(parsed.since, settings.now);
  const [{ problems }, windowsWithoutRootCause] = await Promise.all([readProblems(db, period.range, settings), countWindowsWithoutRootCause(db, period.range)]);
  const templates = await templatesOf(db, problems);
  const matching = problems
    .filter((problem) => parsed.scope === undefined || parsed.scope.includes(problem.scope.kind))
    .filter((problem) => parsed.known === undefined || (problem.knownIssueId !== null) === (parsed.known === "true"))
    .filter((problem) => parsed.q === undefined || matchesText(problem, templates.get(problem.id) ?? null, parsed.q))
    .sort(compareActionable);
  const page = matching.slice(parsed.offset, parsed.offset + parsed.limit);
  const nextOffset = parsed.offset + page.length;
  return {
    problems: await summarize(db, page, templates),
    total: matching.length,
    offset: parsed.offset,
    limit: parsed.limit,
    nextOffset: nextOffset < matching.length ? nextOffset : null,
    period: period.answer,
    judgement: judgementOf(settings),
    windowsWithoutRootCause,
  };
}

/** Whether `q` (any case) is part of the problem's id, template, error type, a namespace or an app. */
function matchesText(problem: Problem, template: string | null, q: string): boolean {
  const needle = q.toLowerCase();
  return [problem.id, template ?? "", problem.errorType, ...problem.namespaces, ...problem.apps].some((text) => text.toLowerCase().includes(needle));
}

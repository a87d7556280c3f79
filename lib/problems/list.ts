import { createVersionedRead } from "@/lib/db/data-versions";
import type { Db } from "@/lib/db/client";
import { countWindowsWithoutRootCause, findProblemTemplates } from "@/lib/db/problems";
import { parseInput } from "@/lib/errors";
import { compareActionable, type Problem, type ProblemSettings } from "@/lib/pipeline/problems";
import { assertRole, type Actor } from "@/lib/roles";
import { listProblemsSchema, type ListProblemsInput, type ProblemPage } from "./contract";
import { judgementOf, periodOf, readProblems, summarize, type ProblemsSettings } from "./summaries";

/** Every problem of a period, most actionable first, with its template, and the windows in none. */
type RankedProblems = { problems: Problem[]; templates: Map<string, string | null>; windowsWithoutRootCause: number };

// The windows (their root causes, incidents and known issues) and the patterns (templates,
// merges) are all a ranking is made of; known issues' names and examples are read per page.
const reuseRankedProblems = createVersionedRead<RankedProblems>(["peak_investigation", "error_patterns"]);

/**
 * One page of the problems of the period (viewers and above), most actionable first: without a
 * known issue, growing, wide, big, recent. Every problem of the period is ranked, and the ranking
 * reused while no window or pattern was written and the period (whole windows) is the same; the
 * page's problems alone are named (known issue, example).
 */
export async function listProblems(db: Db, actor: Actor | null, input: ListProblemsInput, settings: ProblemsSettings): Promise<ProblemPage> {
  assertRole(actor, "viewer");
  const parsed = parseInput(listProblemsSchema, input);
  const { now, ...judgedWith } = settings;
  const period = periodOf(parsed.since, now, settings.windowMs);
  const ranked = await reuseRankedProblems(db, JSON.stringify({ period: period.answer, judgedWith }), () => rankProblems(db, period.range, judgedWith));
  const matching = ranked.problems
    .filter((problem) => parsed.scope === undefined || parsed.scope.includes(problem.scope.kind))
    .filter((problem) => parsed.known === undefined || (problem.knownIssueId !== null) === (parsed.known === "true"))
    .filter((problem) => parsed.q === undefined || matchesText(problem, ranked.templates.get(problem.id) ?? null, parsed.q));
  const page = matching.slice(parsed.offset, parsed.offset + parsed.limit);
  const nextOffset = parsed.offset + page.length;
  return {
    problems: await summarize(db, page, ranked.templates, period.range, settings.windowMs),
    total: matching.length,
    offset: parsed.offset,
    limit: parsed.limit,
    nextOffset: nextOffset < matching.length ? nextOffset : null,
    period: period.answer,
    judgement: judgementOf(settings),
    windowsWithoutRootCause: ranked.windowsWithoutRootCause,
  };
}

async function rankProblems(db: Db, range: { previousFrom: Date; from: Date; to: Date }, settings: ProblemSettings): Promise<RankedProblems> {
  const [{ problems }, windowsWithoutRootCause] = await Promise.all([readProblems(db, range, settings), countWindowsWithoutRootCause(db, range)]);
  return { problems: problems.sort(compareActionable), templates: await findProblemTemplates(db, problems), windowsWithoutRootCause };
}

/** Whether `q` (any case) is part of the problem's id, template, error type, a namespace or an app. */
function matchesText(problem: Problem, template: string | null, q: string): boolean {
  const needle = q.toLowerCase();
  return [problem.id, template ?? "", problem.errorType, ...problem.namespaces, ...problem.apps].some((text) => text.toLowerCase().includes(needle));
}

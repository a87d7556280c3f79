import { Command, Option } from "commander";
import { InvalidInputError } from "@/lib/errors";
import {
  DEFAULT_PROBLEMS_SINCE,
  MAX_PROBLEM_PAGE_SIZE,
  MAX_PROBLEMS_SINCE_DAYS,
  sinceSchema,
  type ProblemPage,
  type ProblemSummary,
  type ProblemTrend,
} from "@/lib/problems/contract";
import { listProblems } from "@/lib/problems/list";
import { problemSettingsOf } from "@/lib/problems/summaries";
import { trendLabel } from "@/lib/problems/words";
import { cliActor } from "@/lib/roles";
import { csvCell, formatConfiguredTime, formatTable } from "../output";
import { cliSettings, withServices } from "../services";

// peaks problems: the problems of a period (lib/problems), most actionable first, as GET
// /api/problems answers them, every page of them.

const formats = ["table", "json", "csv"] as const;
type ProblemsFormat = (typeof formats)[number];

/** Characters of a template shown in the table (CSV and JSON keep it whole). */
const TEMPLATE_CHARS = 60;

const CSV_COLUMNS = [
  "id",
  "pattern_id",
  "error_type",
  "template",
  "occurrences",
  "incidents",
  "errors",
  "trend",
  "previous_occurrences",
  "previous_errors",
  "previous_missing_windows",
  "previous_stored_from",
  "scope",
  "most_namespaces_at_once",
  "namespaces",
  "apps",
  "first_seen",
  "last_seen",
  "known_issue_id",
  "known_issue_title",
] as const;

export function problemsCommand(): Command {
  return new Command("problems")
    .description("problems of a period: peak windows grouped by root-cause pattern and error type across namespaces, most actionable first")
    .option("--since <period>", `how far back from now, in hours or days (1h to ${MAX_PROBLEMS_SINCE_DAYS}d)`, DEFAULT_PROBLEMS_SINCE)
    .option("--limit <n>", "at most this many problems (default: all)")
    .addOption(new Option("--format <format>", "output format").choices(formats).default("table"))
    .action(async (options: { since: string; limit?: string; format: ProblemsFormat }) => {
      const since = sinceSchema.safeParse(options.since);
      if (!since.success) {
        throw new InvalidInputError(
          `--since must be a number of hours or days from 1h to ${MAX_PROBLEMS_SINCE_DAYS}d, such as 24h or 7d, not "${options.since}"`,
        );
      }
      const limit = options.limit === undefined ? Number.POSITIVE_INFINITY : parseLimit(options.limit);
      const settings = { ...problemSettingsOf(cliSettings().config), now: new Date() };
      const page = await withServices(async ({ db }) => {
        // Every page, so that a script gets the whole period.
        const first = await listProblems(db, cliActor, { since: since.data, limit: Math.min(limit, MAX_PROBLEM_PAGE_SIZE) }, settings);
        const problems = [...first.problems];
        let offset = first.nextOffset;
        while (offset !== null && problems.length < limit) {
          const next = await listProblems(
            db,
            cliActor,
            { since: since.data, offset, limit: Math.min(limit - problems.length, MAX_PROBLEM_PAGE_SIZE) },
            settings,
          );
          problems.push(...next.problems);
          offset = next.nextOffset;
        }
        return { ...first, problems, nextOffset: offset };
      });
      if (options.format === "json") console.log(JSON.stringify(page, null, 2));
      else if (options.format === "csv") printCsv(page.problems);
      else printTable(page);
    });
}

function parseLimit(value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new InvalidInputError(`--limit must be a whole number from 1, not "${value}"`);
  return Number(value);
}

/** "up 400 → 2000 errors (×5.0)", "down …", "stable …": the two periods' errors, and whether the period before lacks data. */
function describeTrend(trend: ProblemTrend): string {
  const ratio = trend.ratio === null ? "new" : `×${trend.ratio.toFixed(1)}`;
  const caveat = trendLabel(trend).caveat;
  return `${trend.direction} ${trend.previous.errors} → ${trend.current.errors} (${ratio})${caveat ? `, ${caveat}` : ""}`;
}

function describeScope(problem: ProblemSummary): string {
  if (problem.scope.kind === "single") return `single: ${problem.namespaces[0] ?? "-"}`;
  return `${problem.scope.kind}: ${problem.scope.namespaces} namespaces, ${problem.scope.mostAtOnce} at once`;
}

function shortened(text: string | null, length: number): string {
  if (text === null) return "-";
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function printTable(page: ProblemPage): void {
  const shown = page.problems.length < page.total ? `${page.problems.length} of ${page.total}` : String(page.total);
  console.log(
    `Problems of the last ${page.period.since} (${formatConfiguredTime(new Date(page.period.from))} to ${formatConfiguredTime(new Date(page.period.to))}), most actionable first: ${shown}`,
  );
  if (page.problems.length > 0) {
    console.log(
      formatTable(
        ["PROBLEM", "ERROR TYPE", "TREND (ERRORS)", "SCOPE", "WINDOWS", "INCIDENTS", "KNOWN ISSUE", "LAST SEEN", "ROOT CAUSE"],
        page.problems.map((problem) => [
          problem.id,
          problem.errorType,
          describeTrend(problem.trend),
          describeScope(problem),
          String(problem.occurrences),
          String(problem.incidents),
          problem.knownIssue ? `#${problem.knownIssue.id} ${shortened(problem.knownIssue.title, 30)}` : "-",
          formatConfiguredTime(new Date(problem.lastSeen)),
          shortened(problem.template ?? problem.example, TEMPLATE_CHARS),
        ]),
      ),
    );
  }
  if (page.windowsWithoutRootCause > 0) {
    console.log(`${page.windowsWithoutRootCause} peak windows of the period are not investigated yet and in no problem (peaks enrich investigates them).`);
  }
}

function printCsv(problems: readonly ProblemSummary[]): void {
  const lines = [CSV_COLUMNS.join(",")];
  for (const problem of problems) {
    lines.push(
      [
        problem.id,
        problem.patternId,
        problem.errorType,
        problem.template,
        problem.occurrences,
        problem.incidents,
        problem.errors,
        problem.trend.direction,
        problem.trend.previous.windows,
        problem.trend.previous.errors,
        problem.trend.previousGap?.missingWindows ?? 0,
        problem.trend.previousGap?.storedFrom,
        problem.scope.kind,
        problem.scope.mostAtOnce,
        problem.namespaces,
        problem.apps,
        problem.firstSeen,
        problem.lastSeen,
        problem.knownIssue?.id,
        problem.knownIssue?.title,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  console.log(lines.join("\n"));
}

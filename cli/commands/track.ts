import { Command, Option } from "commander";
import { formatCount } from "@/lib/format";
import { trackPatterns } from "@/lib/jobs/track-patterns";
import { describeRange } from "@/lib/pipeline/time";
import { withWindowsLock } from "@/lib/jobs/run-lock";
import { parseRange } from "../dates";
import { formatTable } from "../output";
import { cliSettings, withServices } from "../services";
import { withSource, withSourceOptions, type SourceFlags } from "../source";

export function trackCommand(): Command {
  return withSourceOptions(
    new Command("track").description(
      "analyse and track a period (the seed's analyze_and_track): error patterns into error_patterns, each window and namespace counted once; root causes by trace with the known issues they match",
    ),
  )
    .requiredOption("--from <date>", "first day (YYYY-MM-DD, local) or instant (ISO-8601)")
    .option("--to <date>", "last day (included) or instant (excluded); default now")
    .option("--top <n>", "patterns to print", (value) => Math.max(1, Number.parseInt(value, 10) || 10), 10)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (options: SourceFlags & { from: string; to?: string; top: number; format: "text" | "json" }) => {
      const settings = cliSettings();
      const range = parseRange(options.from, options.to, settings.grid, { fromMs: 0, toMs: Date.now() })!;
      await withSource(settings, options, {}, (source) =>
        withServices(async ({ db, config, grid }) => {
          const report = await withWindowsLock(db, config, "peaks track", () => trackPatterns(db, config, source, range));
          if (options.format === "json") {
            console.log(JSON.stringify(report, null, 2));
            return;
          }
          console.log(
            `${describeRange(range, grid)}: ${formatCount(report.documentsRead)} of ${formatCount(report.documentsTotal)} error documents read in ${report.windows} windows`,
          );
          console.log(
            `Window and namespace pairs counted: ${report.counted}; already counted by an earlier run: ${report.alreadyCounted}; patterns: ${report.patterns.length} (${report.patterns.filter((pattern) => pattern.isNew).length} new)`,
          );
          if (report.patterns.length === 0) return;
          const shorten = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);
          console.log("\nPatterns");
          console.log(
            formatTable(
              ["PATTERN", "ESTIMATED", "TYPE", "NEW", "TEMPLATE"],
              report.patterns
                .slice(0, options.top)
                .map((pattern) => [
                  pattern.patternId,
                  formatCount(pattern.estimated),
                  pattern.errorType,
                  pattern.isNew ? "yes" : "",
                  shorten(pattern.template, 100),
                ]),
            ),
          );
          if (report.rootCauses.length === 0) return;
          console.log("\nRoot causes (the earliest error of each trace)");
          console.log(
            formatTable(
              ["PATTERN", "TRACES", "TYPE", "NAMESPACES", "KNOWN ISSUE", "TEMPLATE"],
              report.rootCauses
                .slice(0, options.top)
                .map((cause) => [
                  cause.patternId,
                  formatCount(cause.traces),
                  cause.errorType,
                  cause.namespaces.join(", "),
                  cause.regressionOf
                    ? `regression of #${cause.regressionOf.id}`
                    : cause.knownIssue
                      ? `#${cause.knownIssue.id} ${shorten(cause.knownIssue.title, 30)}`
                      : "",
                  shorten(cause.template, 80),
                ]),
            ),
          );
        }),
      );
    });
}

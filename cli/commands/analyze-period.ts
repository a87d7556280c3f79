import { Command, InvalidArgumentError, Option } from "commander";
import { analyzePeriod, type PeriodAnalysis } from "@/lib/jobs/analyze-period";
import { describeRange, formatLocalTime, type WindowGrid } from "@/lib/pipeline/time";
import { formatCount } from "@/lib/format";
import { parseRange } from "../dates";
import { formatTable } from "../output";
import { cliSettings } from "../services";
import { withSource, withSourceOptions, type SourceFlags } from "../source";

const positiveInteger = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`${name} must be a positive whole number`);
  return parsed;
};

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The analysis as plain-text tables, times in the configured timezone. */
export function formatPeriodAnalysis(analysis: PeriodAnalysis, grid: WindowGrid): string {
  const lines = [
    `${describeRange(analysis.range, grid)} from ${analysis.source}`,
    `Errors: ${formatCount(analysis.errors)} in ${analysis.windows} windows, ${analysis.namespaces.length} namespaces; other levels: ${formatCount(analysis.ignoredLevels)}; unusable: ${formatCount(analysis.skipped)}`,
  ];
  if (analysis.uncoveredWindows > 0) {
    lines.push(
      analysis.covered.length === 0
        ? `Not covered: the source holds no document of any level in this period; its errors are unknown, not zero.`
        : `Covered: ${analysis.covered.map((span) => describeRange(span, grid)).join(", ")}; ${analysis.uncoveredWindows} of ${analysis.windows} windows were not covered (unknown, not zero).`,
    );
  }
  if (analysis.errors === 0)
    return [...lines, "", analysis.covered.length === 0 ? "Nothing was read." : "No errors in the covered part of this period."].join("\n");
  lines.push(
    "",
    "Namespaces",
    formatTable(
      ["NAMESPACE", "ERRORS", "SHARE", "WINDOWS WITH ERRORS", "BUSIEST WINDOW", "ITS ERRORS"],
      analysis.namespaces.map((total) => [
        total.namespace,
        formatCount(total.errors),
        percent(total.share),
        String(total.windowsWithErrors),
        formatLocalTime(total.busiestWindow.start, grid),
        formatCount(total.busiestWindow.count),
      ]),
    ),
    "",
    "Busiest windows",
    formatTable(
      [`WINDOW (${grid.timeZone})`, "NAMESPACE", "ERRORS"],
      analysis.busiestWindows.map((window) => [formatLocalTime(window.start, grid), window.namespace, formatCount(window.count)]),
    ),
    "",
    `Top patterns (from ${formatCount(analysis.sample.read)} of ${formatCount(analysis.sample.total)} error documents read; estimated counts scale each window's sample to its total)`,
    formatTable(
      ["PATTERN", "ESTIMATED", "SAMPLED", "NAMESPACES", "TEMPLATE"],
      analysis.patterns.map((pattern) => [
        pattern.patternId,
        formatCount(pattern.estimated),
        formatCount(pattern.sampled),
        pattern.namespaces
          .map((entry) => entry.namespace)
          .slice(0, 3)
          .join(", ") + (pattern.namespaces.length > 3 ? ` +${pattern.namespaces.length - 3}` : ""),
        pattern.template.length > 120 ? `${pattern.template.slice(0, 119)}…` : pattern.template,
      ]),
    ),
  );
  return lines.join("\n");
}

export function analyzePeriodCommand(): Command {
  return withSourceOptions(new Command("analyze-period").description("summarise the errors of a period: totals per namespace, busiest windows, top patterns"))
    .requiredOption("--from <date>", "first day (YYYY-MM-DD, local) or instant (ISO-8601)")
    .option("--to <date>", "last day (included) or instant (excluded); default now")
    .option("--top <n>", "rows per ranking", positiveInteger("--top"), 10)
    .option("--sample <n>", "documents read per window for the patterns", positiveInteger("--sample"), 200)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (options: SourceFlags & { from: string; to?: string; top: number; sample: number; format: "text" | "json" }) => {
      const settings = cliSettings();
      const { config, grid } = settings;
      const range = parseRange(options.from, options.to, grid, { fromMs: 0, toMs: Date.now() })!;
      await withSource(settings, options, {}, async (source) => {
        const analysis = await analyzePeriod(source, config, { range, top: options.top, samplePerWindow: options.sample });
        console.log(options.format === "json" ? JSON.stringify(analysis, null, 2) : formatPeriodAnalysis(analysis, grid));
      });
    });
}

import { Command, Option } from "commander";
import { describeTarget } from "@/lib/db/target";
import { findGaps } from "@/lib/detection/gaps";
import { readTableStats } from "@/lib/db/stats";
import { formatTable, formatConfiguredTime, outputFormats, type OutputFormat } from "../output";
import { withServices } from "../services";

/** How far back from the newest stored window stats looks for gaps. */
const GAP_DAYS = 92;

export function statsCommand(): Command {
  return new Command("stats")
    .description("rows and date range of every table")
    .addOption(new Option("--format <format>", "output format").choices(outputFormats).default("table"))
    .action(async (options: { format: OutputFormat }) => {
      await withServices(async ({ db, grid, target }) => {
        const stats = await readTableStats(db);
        if (options.format === "json") {
          console.log(JSON.stringify(stats, null, 2));
          return;
        }
        console.log(`Database: ${describeTarget(target)}\n`);
        console.log(
          formatTable(
            ["TABLE", "ROWS", "FROM", "TO"],
            stats.map((row) => [row.table, String(row.rows), formatConfiguredTime(row.from), formatConfiguredTime(row.to)]),
          ),
        );
        // Gaps between the stored windows: time nobody read, which a row count cannot show.
        const windows = stats.find((row) => row.table === "peak_raw_data");
        if (windows?.from && windows.to) {
          const toMs = new Date(windows.to).getTime() + grid.windowMs;
          const fromMs = Math.max(new Date(windows.from).getTime(), toMs - GAP_DAYS * 86_400_000);
          const gaps = await findGaps(db, grid, { fromMs, toMs });
          const missing = gaps.reduce((sum, gap) => sum + gap.windows, 0);
          console.log(
            missing === 0
              ? `\nGaps: none between ${formatConfiguredTime(new Date(fromMs))} and ${formatConfiguredTime(new Date(toMs))}.`
              : `\nGaps: ${missing} windows in ${new Set(gaps.map((gap) => gap.namespace)).size} namespaces between ${formatConfiguredTime(new Date(fromMs))} and ${formatConfiguredTime(new Date(toMs))} were not read (not zero); list them with peaks gaps.`,
          );
        }
      });
    });
}

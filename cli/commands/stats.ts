import { Command, Option } from "commander";
import { describeTarget } from "@/lib/db/client";
import { readTableStats } from "@/lib/db/stats";
import { withDatabase } from "../database";
import { formatTable, formatTime, outputFormats, type OutputFormat } from "../output";

export function statsCommand(): Command {
  return new Command("stats")
    .description("rows and date range of every table")
    .addOption(new Option("--format <format>", "output format").choices(outputFormats).default("table"))
    .action(async (options: { format: OutputFormat }) => {
      await withDatabase(async ({ prisma, target }) => {
        const stats = await readTableStats(prisma);
        if (options.format === "json") {
          console.log(JSON.stringify(stats, null, 2));
          return;
        }
        console.log(`Database: ${describeTarget(target)}\n`);
        console.log(
          formatTable(
            ["TABLE", "ROWS", "FROM", "TO"],
            stats.map((row) => [row.table, String(row.rows), formatTime(row.from), formatTime(row.to)]),
          ),
        );
      });
    });
}

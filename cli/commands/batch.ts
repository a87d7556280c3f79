import { Command, InvalidArgumentError } from "commander";
import { getConfig } from "@/lib/config";
import { InvalidInputError } from "@/lib/errors";
import { planBatch, runBatch, DEFAULT_INIT_DAYS, type BatchPhase } from "@/lib/jobs/batch";
import { findLatestIngestedDay } from "@/lib/db/detection-store";
import { gridOf } from "@/lib/jobs/ingest";
import { withWindowsLock } from "@/lib/jobs/run-lock";
import { withDatabase } from "../database";
import { isCalendarDate } from "../dates";
import { formatTable } from "../output";
import { createProgress } from "../progress";
import { withSource, withSourceOptions, type SourceFlags } from "../source";

const dateOption = (name: string) => (value: string) => {
  if (!isCalendarDate(value)) throw new InvalidArgumentError(`${name} must be a calendar date (YYYY-MM-DD)`);
  return value;
};

export function batchCommand(): Command {
  return withSourceOptions(
    new Command("batch").description(
      "ingest day by day, from Elasticsearch or a folder of daily log files: INIT (baseline only), REGULAR (with detection) or both",
    ),
    "folder of files named with their local date, e.g. errors-2026-01-15.ndjson.gz",
  )
    .option("--init", "INIT phase only: baselines without detection")
    .option("--regular", "REGULAR phase only: with peak detection")
    .option("--all", `both: INIT for the days before --split (default: the first ${DEFAULT_INIT_DAYS} days), REGULAR after`)
    .option("--from <date>", "first day (YYYY-MM-DD); Elasticsearch: default the day after the last ingested one", dateOption("--from"))
    .option("--to <date>", "last day, included (YYYY-MM-DD); Elasticsearch: default yesterday", dateOption("--to"))
    .option("--split <date>", "with --all: the first REGULAR day", dateOption("--split"))
    .option("--force", "re-ingest days already ingested (baselines are recomputed at the end)")
    .option("--dry-run", "print the plan, change nothing")
    .action(
      async (options: SourceFlags & { init?: boolean; regular?: boolean; all?: boolean; from?: string; to?: string; split?: string; force?: boolean; dryRun?: boolean }) => {
        const phases = (["init", "regular", "all"] as const).filter((phase) => options[phase]);
        if (phases.length !== 1) throw new InvalidInputError("Give exactly one of --init, --regular, --all");
        const phase: BatchPhase = phases[0]!;
        if ((options.input?.length ?? 0) > 1) throw new InvalidInputError("batch reads one folder: give one --input");
        const config = getConfig();
        await withSource(config, options, {}, async (source) => withDatabase(async ({ prisma }) => {
          const isLive = source.kind === "elasticsearch";
          const grid = gridOf(config);
          const yesterday = grid.localDateOf(grid.localDayRange(grid.localDateOf(Date.now())).startMs - 1);
          const latest = isLive && !options.from ? await findLatestIngestedDay(prisma) : null;
          const fromDay = options.from ?? (latest ? grid.localDateOf(grid.localDayRange(latest).endMs) : undefined);
          if (isLive && !fromDay) throw new InvalidInputError("Nothing is ingested yet: give --from, the first day to read from Elasticsearch.");
          const plan = await planBatch(prisma, {
            input: isLive ? { fromDay: fromDay!, toDay: options.to ?? yesterday } : options.input![0]!,
            phase,
            ...(options.from ? { fromDay: options.from } : {}),
            ...(options.to ? { toDay: options.to } : {}),
            ...(options.split ? { splitDay: options.split } : {}),
            force: options.force ?? false,
          });
          if (plan.length === 0) {
            console.log(isLive ? "No day to ingest: the range is empty (everything up to --to is ingested)." : "No day to ingest: no dated files in that range.");
            return;
          }
          if (options.dryRun) {
            console.log(formatTable(["DAY", "PHASE", "FILES", "ACTION"], plan.map((day) => [day.day, day.mode === "init" ? "INIT" : "REGULAR", String(day.files.length), day.action])));
            return;
          }
          const progress = createProgress("ingested", "days");
          progress.setTotal(plan.length);
          const result = await withWindowsLock(prisma, config, "peaks batch", () =>
            runBatch(
              prisma,
              config,
              plan,
              (day, report) =>
                progress.tick(
                  report
                    ? `${day.day} ${day.mode === "init" ? "INIT" : "REGULAR"}: ${report.documents} errors, ${report.peaks.new} new peaks${report.skipped.total ? `, ${report.skipped.total} skipped` : ""}`
                    : `${day.day} skipped (already ingested)`,
                ),
              isLive ? source : undefined,
            ),
          );
          progress.done();
          const peaks = result.reports.reduce((sum, report) => sum + report.peaks.new, 0);
          const documents = result.reports.reduce((sum, report) => sum + report.documents, 0);
          const skippedLines = result.reports.reduce((sum, report) => sum + report.skipped.total, 0);
          console.log(`Ingested ${result.days} days (${documents} error documents, ${peaks} new peaks); skipped ${result.skipped} days already ingested.`);
          if (skippedLines > 0) {
            console.log(`${skippedLines} lines could not be used; the first ones:`);
            for (const report of result.reports) for (const example of report.skipped.examples.slice(0, 3)) console.log(`  ${example}`);
          }
        }));
      },
    );
}

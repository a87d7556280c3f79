import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { InvalidInputError } from "@/lib/errors";
import { planBatch, readFolder, runBatch, DEFAULT_INIT_DAYS, type BatchPhase } from "@/lib/jobs/batch";
import { findLatestIngestedDay } from "@/lib/db/detection-store";
import { withWindowsLock } from "@/lib/jobs/run-lock";
import { isCalendarDate } from "../dates";
import { formatTable } from "../output";
import { createProgress } from "../progress";
import { cliSettings, withServices } from "../services";
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
    "folder of log files (any names: each document's timestamp decides its day), e.g. daily exports named by UTC date",
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
      async (
        options: SourceFlags & {
          init?: boolean;
          regular?: boolean;
          all?: boolean;
          from?: string;
          to?: string;
          split?: string;
          force?: boolean;
          dryRun?: boolean;
        },
      ) => {
        const phases = (["init", "regular", "all"] as const).filter((phase) => options[phase]);
        if (phases.length !== 1) throw new InvalidInputError("Give exactly one of --init, --regular, --all");
        const phase: BatchPhase = phases[0]!;
        if ((options.input?.length ?? 0) > 1) throw new InvalidInputError("batch reads one folder: give one --input");
        if (options.from && options.to && options.from > options.to) throw new InvalidInputError(`--from (${options.from}) is after --to (${options.to})`);
        await withSource(cliSettings(), options, {}, async (source) =>
          withServices(async ({ db, config, grid }) => {
            const isLive = source.kind === "elasticsearch";
            const yesterday = grid.localDateOf(grid.localDayRange(grid.localDateOf(Date.now())).startMs - 1);
            const latest = isLive && !options.from ? await findLatestIngestedDay(db.prisma) : null;
            const fromDay = options.from ?? (latest ? grid.localDateOf(grid.localDayRange(latest).endMs) : undefined);
            if (isLive && !fromDay) throw new InvalidInputError("Nothing is ingested yet: give --from, the first day to read from Elasticsearch.");
            const reading = createProgress("reading", "files");
            const folder = isLive ? null : await readFolder(config, options.input![0]!, { onFileDone: () => reading.tick() });
            reading.done();
            const skipped = folder?.counted.skipped;
            if (folder && folder.counted.documents === 0 && skipped && skipped.total > 0) {
              throw new InvalidInputError(`No line of ${options.input![0]} could be used (${skipped.total} skipped; the first: ${skipped.examples[0] ?? "-"})`);
            }
            const plan = await planBatch(db, config, {
              input: folder ?? { fromDay: fromDay!, toDay: options.to ?? yesterday },
              phase,
              ...(options.from ? { fromDay: options.from } : {}),
              ...(options.to ? { toDay: options.to } : {}),
              ...(options.split ? { splitDay: options.split } : {}),
              force: options.force ?? false,
            });
            if (plan.length === 0) {
              console.log(
                isLive
                  ? "No day to ingest: the range is empty (everything up to --to is ingested)."
                  : "No day to ingest: the files hold no document in that range.",
              );
              return;
            }
            if (options.dryRun) {
              console.log(
                formatTable(
                  ["DAY", "PHASE", "FILES", "ACTION"],
                  plan.map((day) => [
                    day.day,
                    day.mode === "init" ? "INIT" : "REGULAR",
                    isLive ? "-" : day.files.map((file) => path.basename(file)).join(" ") || "(none)",
                    day.action,
                  ]),
                ),
              );
              return;
            }
            const progress = createProgress("ingested", "days");
            progress.setTotal(plan.length);
            const result = await withWindowsLock(db, config, "peaks batch", () =>
              runBatch(
                db,
                config,
                plan,
                (day, report) =>
                  progress.tick(
                    report
                      ? `${day.day} ${day.mode === "init" ? "INIT" : "REGULAR"}: ${report.documents} errors, ${report.peaks.new} new peaks` +
                          `${report.windows.corrected ? `, ${report.windows.corrected} windows corrected` : ""}${report.coverage.gapWindows ? `, ${report.coverage.gapWindows} gap windows` : ""}` +
                          `${isLive ? "" : ` (from ${day.files.map((file) => path.basename(file)).join(", ") || "no file"})`}`
                      : `${day.day} skipped (already ingested)`,
                  ),
                folder ?? source,
              ),
            );
            progress.done();
            const peaks = result.reports.reduce((sum, report) => sum + report.peaks.new, 0);
            const documents = result.reports.reduce((sum, report) => sum + report.documents, 0);
            const gapWindows = result.reports.reduce((sum, report) => sum + report.coverage.gapWindows, 0);
            const corrected = result.reports.reduce((sum, report) => sum + report.windows.corrected, 0);
            console.log(`Ingested ${result.days} days (${documents} error documents, ${peaks} new peaks); skipped ${result.skipped} days already ingested.`);
            if (corrected > 0) console.log(`Corrected ${corrected} stored windows whose count differed; their baselines and peaks followed.`);
            if (gapWindows > 0)
              console.log(`Gaps: ${gapWindows} windows no input covered (not stored; see peaks gaps). Days with gaps are read again by the next batch.`);
            if (skipped && skipped.total > 0) {
              console.log(`${skipped.total} lines could not be used; the first ones:`);
              for (const example of skipped.examples.slice(0, 5)) console.log(`  ${example}`);
            }
          }),
        );
      },
    );
}

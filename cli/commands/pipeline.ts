import { Command, InvalidArgumentError, Option } from "commander";
import type { PipelineRunRecord, StoredStep } from "@/lib/runs/contract";
import { getRun, getRuns } from "@/lib/runs/history";
import { exitCodeByCode, InvalidInputError } from "@/lib/errors";
import { runMaintenance } from "@/lib/jobs/maintenance";
import { initialSteps, runPipeline, type PipelineRunReport } from "@/lib/jobs/pipeline";
import { formatDuration } from "@/lib/format";
import { describeRange, type WindowGrid } from "@/lib/pipeline/time";
import { parseBoundary } from "../dates";
import { formatTable, formatConfiguredTime } from "../output";
import { openSource, withSourceOptions, type SourceFlags } from "../source";
import { cliSettings, withServices } from "../services";

const formats = ["text", "json"] as const;
type Format = (typeof formats)[number];

const positiveInteger = (flag: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`${flag} must be a positive whole number`);
  return parsed;
};

function describeCounts(step: StoredStep): string {
  // Stored as jsonb, whose key order is not the order written: sorted for a stable read.
  const counts = Object.entries(step.counts)
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([key, value]) => `${key} ${value}`);
  return [...counts, ...(step.error ? [`error: ${step.error}`] : []), ...(step.note ? [step.note] : [])].join("; ");
}

/** Characters of a step's details in the table; the progress lines and --format json have them all. */
const DETAILS_WIDTH = 110;

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function stepTable(steps: readonly StoredStep[]): string {
  return formatTable(
    ["#", "STEP", "STATUS", "TIME", "DETAILS"],
    steps.map((step, index) => [String(index + 1), step.title, step.status, formatDuration(step.durationMs), truncate(describeCounts(step), DETAILS_WIDTH)]),
  );
}

/** Prints each step as it starts and ends, on standard error. */
function progressPrinter(): (steps: readonly StoredStep[]) => void {
  const seen = new Map<string, string>();
  return (steps) => {
    steps.forEach((step, index) => {
      if (seen.get(step.name) === step.status) return;
      seen.set(step.name, step.status);
      if (step.status === "pending") return;
      const place = `[${index + 1}/${steps.length}] ${step.title}`;
      const detail =
        step.status === "running"
          ? "…"
          : `${step.status}${step.durationMs !== null ? ` in ${formatDuration(step.durationMs)}` : ""}${describeCounts(step) ? ` (${describeCounts(step)})` : ""}`;
      process.stderr.write(`${place} ${detail}\n`);
    });
  };
}

function runSummary(report: PipelineRunReport): string {
  const what = `${report.totals.documentsSeen} error documents, ${report.totals.peaksFound} peak windows, ${report.totals.notificationsSent} notifications sent`;
  if (report.isDryRun) return `Dry run over ${report.rangeText}: ${what}. Nothing was written or sent.`;
  const subject = `Run #${report.runId} over ${report.rangeText}`;
  if (report.status !== "succeeded") return `${subject} FAILED: ${report.error}`;
  // A run that could not read all of its range is never reported as a plain success.
  const { findings } = report;
  const caveats = [
    findings.waiting,
    findings.stale ? `the source is stale: more than ${findings.stale.threshold} min behind` : undefined,
    ...(findings.silent ?? []).map((entry) => `${entry.namespace} is silent since ${entry.since} (about ${entry.expected} errors expected)`),
    findings.gapWindows ? `${findings.gapWindows} windows no input covered (gaps; see peaks gaps)` : undefined,
    findings.corrected ? `${findings.corrected} stored windows corrected by late documents` : undefined,
  ].filter((caveat): caveat is string => caveat !== undefined);
  return `${subject} succeeded: ${what}.${caveats.map((caveat) => `\n  ${caveat}`).join("")}`;
}

function runCommand(): Command {
  return withSourceOptions(
    new Command("run").description(
      "run the 9 steps (collect, classify, trace analysis, ingest + detect, known issues, record stats, AI analysis, notify, maintenance) over every completed window since the last successful run, or over --from/--to",
    ),
  )
    .option("--from <when>", "start: a local date (YYYY-MM-DD) or an ISO-8601 time with offset; default: where the last successful run ended")
    .option("--to <when>", "end (exclusive; a date includes that day); default: the last completed window")
    .option("--skip-analysis", "skip the period's classification and trace analysis and the AI analysis (faster)")
    .option("--dry-run", "write nothing and send nothing; report what the run would do")
    .addOption(new Option("--format <format>", "output format").choices(formats).default("text"))
    .action(async (options: SourceFlags & { from?: string; to?: string; skipAnalysis?: boolean; dryRun?: boolean; format: Format }) => {
      const settings = cliSettings();
      const { grid } = settings;
      if (options.to !== undefined && options.from === undefined)
        throw new InvalidInputError("--to needs --from (without both, the run starts where the last one ended)");
      const range =
        options.from === undefined
          ? undefined
          : { fromMs: parseBoundary(options.from, grid, "from"), toMs: options.to === undefined ? Date.now() : parseBoundary(options.to, grid, "to") };
      const source = openSource(settings, options);
      await withServices(async ({ db, config, pipeline }) => {
        const outcome = await runPipeline(db, config, {
          trigger: "cli",
          ...(range ? { range } : {}),
          skipAnalysis: options.skipAnalysis ?? false,
          isDryRun: options.dryRun ?? false,
          source,
          services: pipeline,
          ...(options.format === "text" ? { onProgress: progressPrinter() } : {}),
        });
        if (outcome.status === "up_to_date") {
          if (options.format === "json") console.log(JSON.stringify(outcome, null, 2));
          else console.log(outcome.message);
          return;
        }
        if (options.format === "json") console.log(JSON.stringify(outcome, null, 2));
        else console.log(`\n${stepTable(outcome.steps)}\n\n${runSummary(outcome)}`);
        if (outcome.status === "failed") process.exitCode = outcome.errorCode ? exitCodeByCode[outcome.errorCode] : 1;
      });
    });
}

function runRow(run: PipelineRunRecord, grid: WindowGrid): string[] {
  const duration = run.finishedAt ? formatDuration(run.finishedAt.getTime() - run.startedAt.getTime()) : "";
  const failedStep = run.steps.find((step) => step.status === "failed");
  return [
    String(run.id),
    formatConfiguredTime(run.startedAt),
    run.trigger,
    describeRange({ fromMs: run.rangeFrom.getTime(), toMs: run.rangeTo.getTime() }, grid),
    run.status,
    duration,
    String(run.documentsSeen),
    String(run.peaksFound),
    String(run.notificationsSent),
    run.error ? `${failedStep ? `${failedStep.title}: ` : ""}${run.error}`.slice(0, 80) : "",
  ];
}

function runsCommand(): Command {
  return new Command("runs")
    .description("recent pipeline runs, newest first")
    .addOption(new Option("--limit <n>", "how many").default(20).argParser(positiveInteger("--limit")))
    .addOption(new Option("--status <status>", "only runs with this status").choices(["running", "succeeded", "failed"]))
    .addOption(new Option("--format <format>", "output format").choices(formats).default("text"))
    .action(async (options: { limit: number; status?: "running" | "succeeded" | "failed"; format: Format }) => {
      await withServices(async ({ db, grid }) => {
        const { runs } = await getRuns(db, { limit: options.limit, ...(options.status ? { status: options.status } : {}) });
        if (options.format === "json") {
          console.log(JSON.stringify(runs, null, 2));
          return;
        }
        if (runs.length === 0) {
          console.log("No pipeline run yet. Start one with: peaks pipeline run");
          return;
        }
        console.log(
          formatTable(
            ["RUN", "STARTED (UTC)", "TRIGGER", "RANGE", "STATUS", "TOOK", "DOCUMENTS", "PEAKS", "SENT", "ERROR"],
            runs.map((run) => runRow(run, grid)),
          ),
        );
      });
    });
}

function showCommand(): Command {
  return new Command("show")
    .description("one pipeline run step by step")
    .argument("<run-id>", "the run's number", positiveInteger("<run-id>"))
    .addOption(new Option("--format <format>", "output format").choices(formats).default("text"))
    .action(async (runId: number, options: { format: Format }) => {
      await withServices(async ({ db, grid }) => {
        const run = await getRun(db, runId);
        if (options.format === "json") {
          console.log(JSON.stringify(run, null, 2));
          return;
        }
        const range = describeRange({ fromMs: run.rangeFrom.getTime(), toMs: run.rangeTo.getTime() }, grid);
        console.log(`Run #${run.id} (${run.trigger}${run.startedBy ? ` by ${run.startedBy.email}` : ""}) over ${range}: ${run.status}`);
        console.log(
          `Source: ${run.source ?? "-"}; started ${formatConfiguredTime(run.startedAt)}, finished ${formatConfiguredTime(run.finishedAt)}${run.isAnalysisSkipped ? "; analysis skipped" : ""}`,
        );
        console.log(`Documents seen ${run.documentsSeen}, peak windows ${run.peaksFound}, notifications sent ${run.notificationsSent}`);
        if (run.error) console.log(`Error: ${run.error}`);
        const steps = run.steps.length > 0 ? run.steps : initialSteps();
        console.log(`\n${stepTable(steps)}`);
      });
    });
}

export function pipelineCommand(): Command {
  return new Command("pipeline")
    .description("the scheduled pipeline run (the system's run_pipeline)")
    .addCommand(runCommand())
    .addCommand(runsCommand())
    .addCommand(showCommand());
}

export function maintenanceCommand(): Command {
  return new Command("maintenance")
    .description("delete rows older than their retention in values.yaml (retention_days), in batches")
    .option("--dry-run", "only count the rows that would be deleted")
    .addOption(new Option("--format <format>", "output format").choices(formats).default("text"))
    .action(async (options: { dryRun?: boolean; format: Format }) => {
      await withServices(async ({ db, config }) => {
        const report = await runMaintenance(db, config, { now: new Date(), isDryRun: options.dryRun ?? false });
        if (options.format === "json") {
          console.log(JSON.stringify(report, null, 2));
          return;
        }
        console.log(
          formatTable(
            ["TABLE", "KEEP", "OLDER THAN (UTC)", report.isDryRun ? "WOULD DELETE" : "DELETED"],
            report.tables.map((table) => [
              table.table,
              table.retentionDays === null ? "forever" : `${table.retentionDays} day${table.retentionDays === 1 ? "" : "s"}`,
              table.cutoff ?? "-",
              String(table.deleted),
            ]),
          ),
        );
        console.log(`${report.isDryRun ? "Would delete" : "Deleted"} ${report.deleted} rows.`);
      });
    });
}

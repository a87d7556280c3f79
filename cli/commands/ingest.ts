import { Command, Option } from "commander";
import { InvalidInputError } from "@/lib/errors";
import { sliceCount } from "@/lib/jobs/batch";
import { coveredExtent, ingest, type IngestReport } from "@/lib/jobs/ingest";
import { withWindowsLock } from "@/lib/jobs/run-lock";
import { parseRange } from "../dates";
import { formatConfiguredTime } from "../output";
import { groupGaps } from "@/lib/pipeline/coverage";
import { createProgress } from "../progress";
import { cliSettings, withServices } from "../services";
import { withSource, withSourceOptions, type SourceFlags } from "../source";

/** Plain-text summary of an ingestion, including where bad lines were. */
export function formatIngestReport(report: IngestReport): string {
  const lines = [
    `${report.isDryRun ? "Dry run (nothing written): " : ""}${report.mode === "init" ? "INIT (baseline only)" : "REGULAR (with detection)"}`,
    `Source: ${report.source}${report.inputs.length > 1 ? ` (${report.inputs.length} files)` : ""}; range: ${report.range ? `${formatConfiguredTime(new Date(report.range.fromMs))} – ${formatConfiguredTime(new Date(report.range.toMs))}` : "no data"}`,
    `Error documents: ${report.documents}; other levels ignored: ${report.ignoredLevels}; outside the range: ${report.outsideRange}`,
    `Namespaces: ${report.namespaces.length}; windows stored: ${report.windows.stored}, already stored: ${report.windows.alreadyStored}`,
  ];
  lines.push(
    `Covered: ${report.coverage.spans.length === 0 ? "nothing (no document of any level in the range)" : report.coverage.spans.map((span) => `${formatConfiguredTime(new Date(span.fromMs))} – ${formatConfiguredTime(new Date(span.toMs))}`).join(", ")}`,
  );
  if (report.coverage.gapWindows > 0) {
    lines.push(`Gaps (no input covered them; not stored, not judged): ${report.coverage.gapWindows} windows`);
    for (const gap of groupGaps(report.coverage.gaps).slice(0, 10)) {
      lines.push(
        `  ${formatConfiguredTime(new Date(gap.fromMs))} – ${formatConfiguredTime(new Date(gap.toMs))}: ${gap.namespaces.length > 5 ? `${gap.namespaces.length} namespaces` : gap.namespaces.join(", ")}`,
      );
    }
  }
  if (report.windows.corrected > 0) {
    lines.push(
      `Corrected: ${report.windows.corrected} stored windows had another count; counts, baselines and peaks follow (peaks changed: ${report.peaks.changed}, removed: ${report.peaks.removed})`,
    );
  }
  if (report.mode === "detect") {
    lines.push(`Peaks: ${report.peaks.new} new, ${report.peaks.continuing} continuing a plateau`);
    if (report.insufficientHistory > 0) {
      lines.push(`Not judged (namespace too young: less than two hours of its history): ${report.insufficientHistory} windows`);
    }
  }
  lines.push(`Baseline slots updated: ${report.baselineSlots}`);
  if (report.skipped.total > 0) {
    lines.push(
      `Skipped lines: ${report.skipped.total} (${Object.entries(report.skipped.byReason)
        .map(([reason, count]) => `${reason}: ${count}`)
        .join(", ")})`,
    );
    for (const example of report.skipped.examples) lines.push(`  ${example}`);
    if (report.skipped.total > report.skipped.examples.length) lines.push(`  … and ${report.skipped.total - report.skipped.examples.length} more`);
  }
  return lines.join("\n");
}

export function ingestCommand(): Command {
  return withSourceOptions(
    new Command("ingest").description(
      "load error logs (Elasticsearch, or NDJSON files: optionally gzip, optionally Elasticsearch hits) into windows and baselines; detects peaks unless --init",
    ),
  )
    .option("--init", "INIT phase: load windows and baselines without peak detection")
    .option(
      "--from <date>",
      "first day (YYYY-MM-DD, local) or instant (ISO-8601) to ingest; required for Elasticsearch; files: default where their data starts",
    )
    .option(
      "--to <date>",
      "last day (included) or instant (excluded) to ingest; Elasticsearch: default now (completed windows only); files: default where their data ends",
    )
    .option("--dry-run", "read and decide everything, write nothing")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (options: SourceFlags & { init?: boolean; from?: string; to?: string; dryRun?: boolean; format: "text" | "json" }) => {
      const settings = cliSettings();
      const { grid } = settings;
      const progress = createProgress("reading", "files");
      await withSource(settings, options, { onFileDone: () => progress.tick() }, async (source) => {
        const isLive = source.kind === "elasticsearch";
        if (isLive && options.from === undefined) throw new InvalidInputError("Reading from Elasticsearch needs --from (a date or an instant).");
        const now = Date.now();
        const isHalfOpen = !isLive && (options.from === undefined) !== (options.to === undefined);
        // Files with only --from or only --to: the other end is where the files' data ends.
        const counted = isHalfOpen ? await source.countWindows(null) : undefined;
        const extent = counted ? coveredExtent(counted.coverage, grid) : null;
        if (counted && !extent) throw new InvalidInputError(`The input holds no document with a timestamp: ${source.description}`);
        const range = parseRange(options.from, options.to, grid, isLive ? { fromMs: now, toMs: now } : (extent ?? undefined)) ?? undefined;
        if (isLive && range && options.from !== undefined && range.fromMs >= now) throw new InvalidInputError("--from is in the future");
        await withServices(async ({ db, config }) => {
          const run = () =>
            ingest(db, config, {
              source,
              mode: options.init ? "init" : "detect",
              ...(range ? { range } : {}),
              ...(counted && range ? { counted: sliceCount(counted, range) } : {}),
              ...(isLive ? { completedBefore: now } : {}),
              isDryRun: options.dryRun ?? false,
            });
          // A dry run writes nothing, so it need not wait for a run that does.
          const report = options.dryRun ? await run() : await withWindowsLock(db, config, "peaks ingest", run);
          progress.done();
          console.log(options.format === "json" ? JSON.stringify(report, null, 2) : formatIngestReport(report));
          if (report.documents === 0 && report.skipped.total > 0) {
            throw new InvalidInputError(
              `No line of the input could be used (${report.skipped.total} skipped; the first: ${report.skipped.examples[0] ?? "-"})`,
            );
          }
        });
      });
    });
}

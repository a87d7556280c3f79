import { Command, InvalidArgumentError, Option } from "commander";
import { InvalidInputError } from "@/lib/errors";
import { enrichPeaks, type PeakEnrichmentResult } from "@/lib/jobs/enrich";
import { formatLocalTime, type WindowGrid } from "@/lib/pipeline/time";
import { withWindowsLock } from "@/lib/jobs/run-lock";
import { formatTable } from "../output";
import { createProgress } from "../progress";
import { cliSettings, withServices } from "../services";
import { withSource, withSourceOptions, type SourceFlags } from "../source";

const peakId = (value: string, previous: number[] = []) => {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new InvalidArgumentError("--peak-id must be a positive whole number");
  return [...previous, id];
};

export function enrichCommand(): Command {
  return withSourceOptions(
    new Command("enrich").description(
      "investigate peaks: patterns, root cause and representative trace, affected services, error type, new vs. usual patterns, known issue or regression",
    ),
  )
    .option("--all", "every peak not enriched yet")
    .option("--peak-id <id>", "this peak (again, if it was enriched); repeat for more", peakId)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (options: SourceFlags & { all?: boolean; peakId?: number[]; format: "text" | "json" }) => {
      if (Boolean(options.all) === Boolean(options.peakId)) throw new InvalidInputError("Give either --all or --peak-id");
      const progress = createProgress("enriched", "peaks");
      await withSource(cliSettings(), options, {}, (source) =>
        withServices(async ({ db, config, grid }) => {
          const report = await withWindowsLock(db, config, "peaks enrich", () =>
            enrichPeaks(db, config, source, options.peakId ? { peakIds: options.peakId } : { missingOnly: true }, {
              onStart: (total) => progress.setTotal(total),
              onPeak: (result) =>
                progress.tick(
                  `#${result.peakId} ${result.namespace}: ${result.status === "enriched" ? (result.rootCause ?? "") : "no documents"}`.slice(0, 100),
                ),
            }),
          );
          progress.done();
          if (options.peakId) {
            const missing = options.peakId.filter((id) => !report.peaks.some((peak) => peak.peakId === id));
            if (missing.length > 0) throw new InvalidInputError(`No peak with id ${missing.join(", ")}`);
          }
          if (options.format === "json") {
            console.log(JSON.stringify(report, null, 2));
            return;
          }
          if (report.peaks.length === 0) {
            console.log("No peak to enrich: every peak is enriched.");
            return;
          }
          console.log(
            formatTable(
              ["PEAK", `WINDOW (${grid.timeZone})`, "NAMESPACE", "READ", "ROOT CAUSE", "TYPE", "NEW", "GROWN", "FIRST SEEN", "KNOWN ISSUE"],
              report.peaks.map((peak) => row(peak, grid)),
            ),
          );
          console.log(
            `Enriched ${report.enriched} peaks${report.withoutDocuments > 0 ? `; ${report.withoutDocuments} had no documents in the source (left for a later run)` : ""}.`,
          );
        }),
      );
    });
}

function row(peak: PeakEnrichmentResult, grid: WindowGrid): string[] {
  const issue = peak.regressionOf
    ? `regression of #${peak.regressionOf.id} ${peak.regressionOf.title}`
    : peak.knownIssue
      ? `#${peak.knownIssue.id} ${peak.knownIssue.title}`
      : "";
  const rootCause = peak.status === "enriched" ? (peak.rootCause ?? "") : "(no documents)";
  return [
    String(peak.peakId),
    formatLocalTime(peak.start, grid),
    peak.namespace,
    `${peak.documents}/${peak.total}`,
    rootCause.length > 70 ? `${rootCause.slice(0, 69)}…` : rootCause,
    peak.errorType ?? "",
    String(peak.newPatterns),
    String(peak.grownPatterns),
    String(peak.firstSeenPatterns.length),
    issue,
  ];
}

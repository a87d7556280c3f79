import { Command, InvalidArgumentError, Option } from "commander";
import { dateTimeFormat } from "@/lib/format";
import { readDay } from "@/lib/namespaces/day-view";
import { InvalidInputError } from "@/lib/errors";
import { findPeaks } from "@/lib/db/peaks";
import { cliActor } from "@/lib/roles";
import { recalculateBaseline } from "@/lib/jobs/baseline";
import { acceptNewNormal, listNewNormals, takeBackNewNormal } from "@/lib/jobs/new-normal";
import { fillMissingWindows } from "@/lib/jobs/fill-windows";
import { findGaps } from "@/lib/detection/gaps";
import { groupGaps } from "@/lib/pipeline/coverage";
import { formatLocalTime } from "@/lib/pipeline/time";
import { isCalendarDate, parseBoundary, parseRange } from "../dates";
import { csvCell, formatTable, formatConfiguredTime, outputFormats, type OutputFormat } from "../output";
import { cliSettings, withServices } from "../services";

function localTime(ms: number, timeZone: string): string {
  return dateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(ms);
}

export function baselineCommand(): Command {
  const baseline = new Command("baseline").description("seasonal baselines (per weekday, hour, quarter hour and namespace)");
  baseline
    .command("recalc")
    .description("recompute every baseline from the stored windows (the seed's calculate_aggregation_baseline)")
    .option("--namespace <name>", "only this namespace")
    .action(async (options: { namespace?: string }) => {
      await withServices(async ({ db }) => {
        const report = await recalculateBaseline(db, options);
        console.log(
          `Recomputed ${report.slots} slots of ${report.namespaces} namespaces from ${report.windows} windows; ` +
            `largest change of a mean: ${(report.largestMeanDifference * 100).toFixed(6)} %`,
        );
      });
    });
  baseline
    .command("accept")
    .description(
      "accept a namespace's new level as normal from a window on (a release that adds a steady error rate): every slot is re-seeded by the level measured since",
    )
    .option("--peak <id>", "from the first window of this peak's incident (its namespace)", positiveId("--peak"))
    .option("--namespace <name>", "the namespace (with --from)")
    .option("--from <instant>", "the first window of the new level, ISO-8601 (e.g. 2026-03-02T10:00:00Z)")
    .option("--comment <text>", "why, kept with the acceptance")
    .option("--preview", "measure the level and say what would change, write nothing")
    .action(async (options: { peak?: number; namespace?: string; from?: string; comment?: string; preview?: boolean }) => {
      await withServices(async ({ db, config, grid }) => {
        const result = await acceptNewNormal(db, config, cliActor, {
          ...(options.peak === undefined ? {} : { peakId: options.peak }),
          ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
          ...(options.from === undefined ? {} : { from: options.from }),
          comment: options.comment,
          preview: options.preview ?? false,
        });
        if ("preview" in result) {
          const { preview } = result;
          console.log(
            `Would accept the level of ${preview.namespace} from ${formatLocalTime(Date.parse(preview.from), grid)}: ${signed(preview.levelOffset)} errors a window ` +
              `(measured on ${preview.windows} windows), re-seeding ${preview.slots} slots and acknowledging ${preview.openPeaks.length} open peaks since. Nothing was written.`,
          );
          return;
        }
        const { accepted } = result;
        console.log(
          `Accepted #${accepted.id}: the level of ${accepted.namespace} from ${formatLocalTime(Date.parse(accepted.from), grid)} is normal, ${signed(accepted.levelOffset)} errors a window ` +
            `(measured on ${accepted.windows} windows). Take it back with: peaks baseline take-back ${accepted.id}`,
        );
      });
    });

  baseline
    .command("accepted")
    .description("the new normals accepted, newest first, with who took them back")
    .option("--namespace <name>", "only this namespace")
    .addOption(new Option("--format <format>", "output format").choices(outputFormats).default("table"))
    .action(async (options: { namespace?: string; format: OutputFormat }) => {
      await withServices(async ({ db, grid }) => {
        const records = await listNewNormals(db, cliActor, options.namespace ? { namespace: options.namespace } : {});
        if (options.format === "json") return console.log(JSON.stringify(records, null, 2));
        if (records.length === 0) return console.log("No new normal was accepted.");
        console.log(
          formatTable(
            ["ID", "NAMESPACE", "FROM", "LEVEL", "WINDOWS", "BY", "TAKEN BACK", "COMMENT"],
            records.map((record) => [
              String(record.id),
              record.namespace,
              formatLocalTime(Date.parse(record.from), grid),
              `${signed(record.levelOffset)}/window`,
              String(record.windows),
              record.acceptedBy,
              record.revertedAt ? `${formatConfiguredTime(new Date(record.revertedAt))} by ${record.revertedBy}` : "-",
              record.comment ?? "-",
            ]),
          ),
        );
      });
    });

  baseline
    .command("take-back")
    .description("take an accepted new normal back (the newest of its namespace first, while its windows are stored)")
    .argument("<id>", "the acceptance, as `baseline accepted` lists it", positiveId("<id>"))
    .action(async (id: number) => {
      await withServices(async ({ db, config, grid }) => {
        const record = await takeBackNewNormal(db, config, cliActor, id);
        console.log(`Took back #${record.id}: the baseline of ${record.namespace} is as it was before ${formatLocalTime(Date.parse(record.from), grid)}.`);
      });
    });

  return baseline;
}

/** A parser of an id option or argument: a whole number from 1, or a usage error naming it. */
function positiveId(name: string) {
  return (value: string): number => {
    const number = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < 1 || number > 2_147_483_647)
      throw new InvalidArgumentError(`${name} must be a whole number from 1, got "${value}"`);
    return number;
  };
}

/** An offset with its sign: "+80", "−12.5". */
function signed(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return rounded < 0 ? `−${Math.abs(rounded)}` : `+${rounded}`;
}

export function windowsCommand(): Command {
  const windows = new Command("windows").description("stored error-count windows");
  windows
    .command("fill")
    .description(
      "add measured zeros for windows missing where a source covered the time (a namespace first seen later), then recompute their baselines; gaps stay gaps",
    )
    .option("--from <date>", "first day (YYYY-MM-DD) or instant; default: the first stored window")
    .option("--to <date>", "last day (included) or instant (excluded); default: the last stored window")
    .option("--dry-run", "count the missing windows, write nothing")
    .action(async (options: { from?: string; to?: string; dryRun?: boolean }) => {
      const range = parseRange(options.from, options.to, cliSettings().grid) ?? undefined;
      await withServices(async ({ db, config }) => {
        const report = await fillMissingWindows(db, config, { ...(range ? { range } : {}), isDryRun: options.dryRun ?? false });
        if (!report.range) {
          console.log("No windows are stored yet; nothing to fill.");
          return;
        }
        console.log(
          `${report.isDryRun ? "Would add" : "Added"} ${report.windowsAdded} measured zero windows for ${report.namespaces} namespaces between ` +
            `${formatConfiguredTime(new Date(report.range.fromMs))} and ${formatConfiguredTime(new Date(report.range.toMs))}`,
        );
        if (report.gapWindows > 0) {
          console.log(
            `Not filled: ${report.gapWindows} windows no source covered (gaps; a zero there would be a guess). Read their data with peaks ingest or peaks batch:`,
          );
          for (const gap of groupGaps(report.gaps).slice(0, 20)) {
            console.log(
              `  ${formatConfiguredTime(new Date(gap.fromMs))} – ${formatConfiguredTime(new Date(gap.toMs))}  ${gap.namespaces.length > 5 ? `${gap.namespaces.length} namespaces` : gap.namespaces.join(", ")}`,
            );
          }
        }
      });
    });
  return windows;
}

export function showCommand(): Command {
  return new Command("show")
    .description("a day's windows, baselines and peaks per namespace (local date in the configured timezone)")
    .argument("<date>", "YYYY-MM-DD")
    .option("--namespace <name>", "only this namespace")
    .option("--all", "every window, not only those with errors or a peak")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .action(async (date: string, options: { namespace?: string; all?: boolean; format: "table" | "json" }) => {
      if (!isCalendarDate(date)) throw new InvalidInputError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
      const day = cliSettings().grid.localDayRange(date);
      const range = { fromMs: day.startMs, toMs: day.endMs };
      await withServices(async ({ db, config, grid }) => {
        const namespaces = await readDay(db, range, options.namespace);
        if (options.format === "json") {
          console.log(JSON.stringify(namespaces, null, 2));
          return;
        }
        const gaps = groupGaps(await findGaps(db, grid, range, options.namespace));
        if (namespaces.length === 0) console.log(`No windows stored for ${date}${options.namespace ? ` in ${options.namespace}` : ""}.`);
        for (const gap of gaps) {
          console.log(
            `Gap (no data read, not a zero): ${localTime(gap.fromMs, config.timezone)}–${localTime(gap.toMs, config.timezone)}, ${gap.windows} windows: ${gap.namespaces.join(", ")}`,
          );
        }
        for (const namespace of namespaces) {
          console.log(`\n${namespace.namespace}: ${namespace.total} errors in ${namespace.windows.length} windows, ${namespace.peaks} peak windows`);
          const rows = namespace.windows
            .filter((window) => options.all || window.count > 0 || window.peak)
            .map((window) => [
              localTime(window.start.getTime(), config.timezone),
              String(window.count),
              window.baseline ? window.baseline.mean.toFixed(1) : "-",
              window.baseline ? window.baseline.stddev.toFixed(1) : "-",
              window.baseline ? String(window.baseline.samples) : "0",
              window.peak
                ? `${window.peak.severity} peak #${window.peak.id} (×${window.peak.ratio >= 999 ? "∞" : window.peak.ratio.toFixed(1)} ≥ ×${window.peak.requiredRatio.toFixed(1)})${window.peak.continuesPeakId ? ` continues #${window.peak.continuesPeakId}` : ""}`
                : "",
            ]);
          console.log(formatTable([`TIME (${config.timezone})`, "ERRORS", "MEAN", "STDDEV", "SAMPLES", "PEAK"], rows));
        }
      });
    });
}

const MAX_GAP_RANGE_DAYS = 92;

export function gapsCommand(): Command {
  return new Command("gaps")
    .description("windows no source covered (not stored, not judged): per namespace, the runs of missing windows")
    .option("--from <date>", "first day (YYYY-MM-DD) or instant; default: 7 days before --to")
    .option("--to <date>", "last day (included) or instant (excluded); default: the last completed window")
    .option("--namespace <name>", "only this namespace")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv"]).default("table"))
    .action(async (options: { from?: string; to?: string; namespace?: string; format: "table" | "json" | "csv" }) => {
      const { config, grid } = cliSettings();
      const toMs = options.to !== undefined ? parseBoundary(options.to, grid, "to") : grid.windowStartOf(Date.now());
      const fromMs = options.from !== undefined ? parseBoundary(options.from, grid, "from") : toMs - 7 * 86_400_000;
      if (fromMs >= toMs) throw new InvalidInputError("--from must be before --to");
      // The listing walks every window of the range: bounded like the charts'.
      if (toMs - fromMs > MAX_GAP_RANGE_DAYS * 86_400_000)
        throw new InvalidInputError(`--from to --to spans more than ${MAX_GAP_RANGE_DAYS} days; list a shorter range`);
      await withServices(async ({ db }) => {
        const gaps = await findGaps(db, grid, { fromMs, toMs }, options.namespace);
        if (options.format === "json") {
          console.log(
            JSON.stringify(
              gaps.map((gap) => ({ ...gap, from: new Date(gap.fromMs).toISOString(), to: new Date(gap.toMs).toISOString() })),
              null,
              2,
            ),
          );
          return;
        }
        if (options.format === "csv") {
          console.log(
            [
              "namespace,from,to,windows",
              ...gaps.map((gap) => [csvCell(gap.namespace), new Date(gap.fromMs).toISOString(), new Date(gap.toMs).toISOString(), gap.windows].join(",")),
            ].join("\n"),
          );
          return;
        }
        console.log(`Gaps between ${formatLocalTime(fromMs, grid)} and ${formatLocalTime(toMs, grid)} (${config.timezone}):`);
        if (gaps.length === 0) {
          console.log("none: every window of every namespace is stored.");
          return;
        }
        const grouped = groupGaps(gaps);
        console.log(
          formatTable(
            ["FROM", "TO", "WINDOWS", "NAMESPACES"],
            grouped.map((gap) => [formatLocalTime(gap.fromMs, grid), formatLocalTime(gap.toMs, grid), String(gap.windows), gap.namespaces.join(", ")]),
          ),
        );
        console.log(
          `${gaps.reduce((sum, gap) => sum + gap.windows, 0)} missing windows. Read their data with peaks ingest or peaks batch; peaks windows fill adds measured zeros only where a source covered the time.`,
        );
      });
    });
}

export function peaksCommand(): Command {
  const peaks = new Command("peaks").description("detected peaks");
  peaks
    .command("list")
    .description("list peaks, oldest first")
    .option("--from <date>", "first day (YYYY-MM-DD) or instant")
    .option("--to <date>", "last day (included) or instant (excluded)")
    .option("--namespace <name>", "only this namespace")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv"]).default("table"))
    .action(async (options: { from?: string; to?: string; namespace?: string; format: "table" | "json" | "csv" }) => {
      const range = parseRange(options.from, options.to, cliSettings().grid);
      await withServices(async ({ db }) => {
        const list = await findPeaks(db, { ...(range ?? {}), ...(options.namespace ? { namespace: options.namespace } : {}) });
        if (options.format === "json") {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        if (options.format === "csv") {
          const headers = Object.keys(list[0] ?? { id: null, timestamp: null, namespace: null, severity: null, status: null, errorCount: null, ratio: null });
          console.log(headers.join(","));
          for (const peak of list) console.log(Object.values(peak).map(csvCell).join(","));
          return;
        }
        if (list.length === 0) {
          console.log("No peaks in that range.");
          return;
        }
        console.log(
          formatTable(
            ["ID", "WINDOW (UTC)", "NAMESPACE", "SEVERITY", "STATUS", "ERRORS", "MEAN", "RATIO", "REQUIRED", "CONTINUES"],
            list.map((peak) => [
              String(peak.id),
              formatConfiguredTime(peak.timestamp),
              peak.namespace,
              peak.severity,
              peak.status,
              String(peak.errorCount),
              peak.baselineMean.toFixed(1),
              peak.ratio >= 999 ? "999 (no baseline)" : peak.ratio.toFixed(2),
              peak.requiredRatio.toFixed(2),
              peak.continuesPeakId ? `#${peak.continuesPeakId}` : "",
            ]),
          ),
        );
      });
    });
  return peaks;
}

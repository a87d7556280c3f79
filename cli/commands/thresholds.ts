import { Command, InvalidArgumentError, Option } from "commander";
import { cliActor } from "@/lib/roles";
import { thresholdFields, type ThresholdField } from "@/lib/thresholds/form";
import { backtestThresholds } from "@/lib/thresholds/backtest";
import { BACKTEST_DEFAULT_DAYS, type ThresholdValues, type ThresholdVersion } from "@/lib/thresholds/contract";
import { getThresholds, restoreThresholds, saveThresholds } from "@/lib/thresholds/settings";
import { formatTable, formatConfiguredTime, outputFormats, type OutputFormat } from "../output";
import { withServices } from "../services";

type Overrides = Partial<Record<ThresholdField, number>>;

/** Collects repeated KEY=VALUE arguments, naming the key or value that is wrong. */
function collectOverride(argument: string, previous: Overrides): Overrides {
  const match = /^([a-z_]+)=(.+)$/.exec(argument);
  if (!match) throw new InvalidArgumentError(`"${argument}" is not KEY=VALUE (e.g. min_absolute_value=50)`);
  const [, key, text] = match as unknown as [string, string, string];
  if (!thresholdFields.includes(key as ThresholdField)) throw new InvalidArgumentError(`unknown threshold "${key}"; one of ${thresholdFields.join(", ")}`);
  const value = Number(text);
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`${key}: "${text}" is not a number`);
  return { ...previous, [key]: value };
}

function versionLabel(version: ThresholdVersion): string {
  return version.version === null ? "values.yaml" : `version ${version.version}`;
}

function describeChanges(version: ThresholdVersion): string {
  return version.changes.map((change) => `${change.key} ${change.from} → ${change.to}`).join(", ") || "-";
}

export function thresholdsCommand(): Command {
  const thresholds = new Command("thresholds").description("the peak_detection thresholds: versions, backtest, save and restore");
  const formatOption = () => new Option("--format <format>", "output format").choices(outputFormats).default("table");

  thresholds
    .command("show")
    .description("the thresholds in force and every version, newest first")
    .addOption(formatOption())
    .action(async (options: { format: OutputFormat }) => {
      await withServices(async ({ db, config }) => {
        const state = await getThresholds(db, cliActor, config.peak_detection);
        if (options.format === "json") return console.log(JSON.stringify(state, null, 2));
        console.log(`In force: ${versionLabel(state.current)}`);
        console.log(
          formatTable(
            ["KEY", "VALUE"],
            thresholdFields.map((field) => [field, String(state.current.values[field])]),
          ),
        );
        console.log("");
        console.log(
          formatTable(
            ["VERSION", "SAVED", "BY", "CHANGES", "COMMENT"],
            state.history.map((version) => [
              version.version === null ? "defaults" : String(version.version),
              formatConfiguredTime(version.createdAt ? new Date(version.createdAt) : null),
              version.createdBy ?? "-",
              describeChanges(version),
              version.version === null ? "values.yaml" : (version.comment ?? "-"),
            ]),
          ),
        );
      });
    });

  thresholds
    .command("backtest")
    .description("what the thresholds in force with KEY=VALUE changes would have flagged over the last days, next to what they flag")
    .argument("<changes...>", "KEY=VALUE, e.g. min_absolute_value=50", collectOverride, {} as Overrides)
    .option("--days <n>", "days to judge, ending with the newest stored window (1–30)", String(BACKTEST_DEFAULT_DAYS))
    .option("--namespace <name>", "only this namespace")
    .addOption(formatOption())
    .action(async (changes: Overrides, options: { days: string; namespace?: string; format: OutputFormat }) => {
      await withServices(async ({ db, config, grid }) => {
        const { current } = await getThresholds(db, cliActor, config.peak_detection);
        const proposed: ThresholdValues = { ...current.values, ...changes };
        const answer = await backtestThresholds(
          db,
          cliActor,
          { grid, defaults: config.peak_detection },
          { values: proposed, days: options.days, ...(options.namespace ? { namespace: options.namespace } : {}) },
        );
        if (options.format === "json") {
          // The chart's points are for the dashboard; the per-namespace changes are the answer here.
          return console.log(JSON.stringify({ ...answer, chart: undefined }, null, 2));
        }
        console.log(
          `Backtest of ${new Date(answer.from).toISOString()} – ${new Date(answer.to).toISOString()} (${answer.days} days after ${answer.warmupDays} days of warm-up)`,
        );
        console.log(
          `In force (${versionLabel(current)}): ${answer.totals.current} peak windows; proposed: ${answer.totals.proposed} (+${answer.totals.added} added, −${answer.totals.removed} removed); stored: ${answer.totals.stored}`,
        );
        console.log(
          formatTable(
            ["NAMESPACE", "STORED", "IN FORCE", "PROPOSED", "ADDED", "REMOVED"],
            answer.namespaces.map((entry) => [
              entry.namespace,
              String(entry.stored),
              String(entry.current),
              String(entry.proposed),
              String(entry.added.length),
              String(entry.removed.length),
            ]),
          ),
        );
      });
    });

  thresholds
    .command("set")
    .description("save the thresholds in force with KEY=VALUE changes as a new version")
    .argument("<changes...>", "KEY=VALUE, e.g. min_absolute_value=50", collectOverride, {} as Overrides)
    .option("--comment <text>", "why, kept with the version")
    .action(async (changes: Overrides, options: { comment?: string }) => {
      await withServices(async ({ db, config }) => {
        const defaults = config.peak_detection;
        const { current } = await getThresholds(db, cliActor, defaults);
        const saved = await saveThresholds(db, cliActor, defaults, {
          values: { ...current.values, ...changes },
          comment: options.comment,
          basedOnVersion: current.version,
        });
        console.log(`Saved version ${saved.version}: ${describeChanges(saved)}`);
      });
    });

  thresholds
    .command("restore")
    .description("put an earlier version's values in force again, as a new version")
    .argument("<version>", "the version to restore")
    .option("--comment <text>", "why, kept with the version")
    .action(async (version: string, options: { comment?: string }) => {
      await withServices(async ({ db, config }) => {
        const saved = await restoreThresholds(db, cliActor, config.peak_detection, { version, comment: options.comment });
        console.log(`Restored version ${version} as version ${saved.version}: ${describeChanges(saved)}`);
      });
    });

  return thresholds;
}

import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { Command, InvalidArgumentError, Option } from "commander";
import { InvalidInputError } from "@/lib/errors";
import {
  addDays,
  CASES_MIN_DAYS,
  dayFileName,
  DEFAULT_NAMESPACE_COUNT,
  generateDayWindows,
  isIsoDate,
  labelsOf,
  planDataSet,
  serializeDocument,
  type DocumentLevel,
  type GeneratedDocument,
  type PlannedIncident,
} from "@/lib/synthetic/generate";
import { incidentKinds } from "@/lib/synthetic/labels";
import { formatTable, formatConfiguredTime } from "../output";
import { cliSettings } from "../services";

export const MAX_DAYS = 366;
export const MAX_NAMESPACES = 50;
export const MAX_RATE = 100;

const DAY_FILE = /^errors-\d{4}-\d{2}-\d{2}\.ndjson\.gz$/;

function wholeNumber(option: string, min: number, max: number) {
  return (value: string): number => {
    const number = /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`${option} must be a whole number from ${min} to ${max}`);
    }
    return number;
  };
}

function parseSeed(value: string): number {
  const number = /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number)) throw new InvalidArgumentError("--seed must be a whole number");
  return number;
}

function parseRate(value: string): number {
  const number = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(number) || number <= 0 || number > MAX_RATE) {
    throw new InvalidArgumentError(`--rate must be a number above 0 and at most ${MAX_RATE}`);
  }
  return number;
}

function parseDate(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError("--from must be a date as YYYY-MM-DD");
  return value;
}

type GenerateCommandOptions = {
  out: string;
  days: number;
  seed: number;
  from?: string;
  namespaces: number;
  rate: number;
  cases: boolean;
  releases: boolean;
  outbreak: boolean;
};

/**
 * Writes a day's documents as gzip-compressed NDJSON, streamed window by window through a
 * temporary file renamed at the end; counts the documents per level into `byLevel`.
 */
async function writeDayFile(file: string, batches: Iterable<readonly GeneratedDocument[]>, byLevel: Record<DocumentLevel, number>): Promise<void> {
  function* chunks(): Generator<Buffer> {
    let chunk = "";
    for (const batch of batches) {
      for (const document of batch) {
        byLevel[document.level] += 1;
        chunk += `${serializeDocument(document)}\n`;
        if (chunk.length >= 256 * 1024) {
          yield Buffer.from(chunk);
          chunk = "";
        }
      }
    }
    if (chunk !== "") yield Buffer.from(chunk);
  }
  const partial = `${file}.partial`;
  try {
    await pipeline(Readable.from(chunks()), createGzip(), createWriteStream(partial));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

const thousands = (value: number) => value.toLocaleString("en-US");

/** "incident 16, moderate 4, …": the number of incidents of each kind present. */
function kindSummary(incidents: readonly PlannedIncident[]): string {
  return incidentKinds
    .map((kind) => ({ kind, count: incidents.filter((incident) => incident.kind === kind).length }))
    .filter(({ count }) => count > 0)
    .map(({ kind, count }) => `${kind} ${count}`)
    .join(", ");
}

export function generateCommand(): Command {
  const command = new Command("generate");
  return command
    .description("write a synthetic data set of application error logs (one .ndjson.gz per day) and its labels.json; no database needed")
    .requiredOption("--out <dir>", "folder for errors-YYYY-MM-DD.ndjson.gz and labels.json (created when missing)")
    .addOption(new Option("--days <n>", `number of local days (1–${MAX_DAYS})`).argParser(wholeNumber("--days", 1, MAX_DAYS)).default(28))
    .addOption(new Option("--seed <n>", "random seed: the same seed and options give identical files").argParser(parseSeed).default(1))
    .addOption(new Option("--from <date>", "first local day as YYYY-MM-DD (default: so that the data end yesterday)").argParser(parseDate))
    .addOption(
      new Option("--namespaces <n>", `number of namespaces (1–${MAX_NAMESPACES})`)
        .argParser(wholeNumber("--namespaces", 1, MAX_NAMESPACES))
        .default(DEFAULT_NAMESPACE_COUNT),
    )
    .addOption(new Option("--rate <r>", "multiplier of every namespace's error rate").argParser(parseRate).default(1))
    .option(
      "--cases",
      `add the detection test cases (noisy and newborn namespaces, moderate, repeated, level-shift, ramp, midnight and DST incidents, a weekly batch), each labelled with its kind; needs --days ${CASES_MIN_DAYS} or more`,
      false,
    )
    .option(
      "--releases",
      "add application versions (service.version) with planned releases: three versions per namespace (the last namespace has none), an error that comes with a release and one that a release fixes and the next brings back",
      false,
    )
    .option(
      "--outbreak",
      "add an outbreak: one root cause (a shared dependency failing) in two namespaces at the same 2–4 windows, labelled in labels.json; needs --namespaces 2 or more",
      false,
    )
    .action(async (options: GenerateCommandOptions) => {
      if (options.cases && options.days < CASES_MIN_DAYS) {
        // Exit code 2 like every usage error (cli/main turns a CommanderError into EXIT_USAGE).
        command.error(
          `error: --cases needs --days ${CASES_MIN_DAYS} or more (an incident in the 4th week repeats one and two weeks later), got --days ${options.days}`,
          { exitCode: 2, code: "peaks.generate.casesDays" },
        );
      }
      if (options.outbreak && options.namespaces < 2) {
        command.error(`error: --outbreak needs --namespaces 2 or more (it breaks out in two at once), got --namespaces ${options.namespaces}`, {
          exitCode: 2,
          code: "peaks.generate.outbreakNamespaces",
        });
      }
      const started = performance.now();
      const { config, grid } = cliSettings();
      const timeZone = config.timezone;
      const windowMinutes = config.window_minutes;
      const today = grid.localDateOf(Date.now());
      const from = options.from ?? addDays(today, -options.days);
      const plan = planDataSet({
        seed: options.seed,
        from,
        days: options.days,
        timeZone,
        windowMinutes,
        namespaces: options.namespaces,
        rate: options.rate,
        minAbsoluteValue: config.peak_detection.min_absolute_value,
        dynamicMinMultiplier: config.peak_detection.dynamic_min_multiplier,
        minRatioMultiplier: config.peak_detection.min_ratio_multiplier,
        cases: options.cases,
        releases: options.releases,
        outbreak: options.outbreak,
      });
      const out = path.resolve(options.out);
      try {
        await mkdir(out, { recursive: true });
      } catch (error) {
        throw new InvalidInputError(`Cannot create the folder ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const names = new Set(plan.days.map(dayFileName));
      const stale = (await readdir(out)).filter((name) => DAY_FILE.test(name) && !names.has(name)).sort();
      if (stale.length > 0) {
        console.warn(
          `Warning: ${out} also holds ${stale.length} day file(s) of another data set (${stale[0]}${stale.length > 1 ? ` … ${stale[stale.length - 1]}` : ""}); ` +
            "they do not match labels.json, remove them before ingesting the folder.",
        );
      }
      console.log(
        `Generating ${plan.days.length} day(s) from ${from} (${timeZone}), ${plan.namespaces.length} namespaces, seed ${options.seed}${plan.cases ? ", with test cases" : ""}${plan.releases ? ", with releases" : ""}${options.outbreak ? ", with an outbreak" : ""}, into ${out}`,
      );

      const byLevel: Record<DocumentLevel, number> = { ERROR: 0, WARN: 0, INFO: 0 };
      for (const date of plan.days) {
        await writeDayFile(path.join(out, dayFileName(date)), generateDayWindows(plan, date), byLevel);
      }
      const labels = labelsOf(plan);
      await writeFile(path.join(out, "labels.json"), `${JSON.stringify(labels, null, 2)}\n`);

      const documents = byLevel.ERROR + byLevel.WARN + byLevel.INFO;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        [
          `Files: ${plan.days.length} × errors-YYYY-MM-DD.ndjson.gz (${plan.days[0]} … ${plan.days[plan.days.length - 1]}) and labels.json`,
          `Documents: ${thousands(documents)} (${thousands(byLevel.ERROR)} ERROR, ${thousands(byLevel.WARN)} WARN, ${thousands(byLevel.INFO)} INFO)`,
          `Namespaces: ${labels.namespaces.join(", ")}`,
          `Incidents: ${labels.incidents.length}; scheduled spikes: ${labels.scheduled.length}; below-minimum spikes: ${labels.below_minimum.length}`,
          ...(plan.cases ? [`Incident kinds: ${kindSummary(plan.incidents)}`] : []),
          ...(plan.releases
            ? [
                `Releases: ${plan.releases.releases
                  .filter((release) => release.at >= plan.fromMs)
                  .map((release) => `${release.namespace} ${release.version} at ${formatConfiguredTime(new Date(release.at))}`)
                  .join("; ")}`,
              ]
            : []),
          ...(options.outbreak
            ? [
                plan.outbreak
                  ? `Outbreak: ${plan.outbreak.namespaces.join(" and ")} from ${formatConfiguredTime(new Date(plan.outbreak.start))} to ${formatConfiguredTime(new Date(plan.outbreak.end))}`
                  : "Outbreak: none (no windows free in two namespaces at once)",
              ]
            : []),
          `Time: ${seconds} s`,
        ].join("\n"),
      );
      if (plan.incidents.length > 0) {
        const header = ["INCIDENT", "NAMESPACE", "APP", "START", "END", "MAGNITUDE"];
        console.log(
          `\n${formatTable(
            plan.cases ? [...header, "KIND", "REACHES THRESHOLDS"] : header,
            plan.incidents.map((incident) => {
              const cells = [
                incident.id,
                incident.namespace,
                incident.app,
                formatConfiguredTime(new Date(incident.start)),
                formatConfiguredTime(new Date(incident.end)),
                `${incident.magnitude}×`,
              ];
              return plan.cases ? [...cells, incident.kind, incident.reachesThresholds ? "yes" : "no"] : cells;
            }),
          )}`,
        );
      }
    });
}

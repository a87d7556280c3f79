import { readFile } from "node:fs/promises";
import { Command, Option } from "commander";
import { findPeaks } from "@/lib/db/peaks";
import { InvalidInputError } from "@/lib/errors";
import { labelsSchema, type Labels } from "@/lib/synthetic/labels";
import { formatValidationReport, validateDetection } from "@/lib/synthetic/validate";
import { parseRange } from "../dates";
import { cliSettings, withServices } from "../services";

/** Reads and checks a labels.json; labels written before the test-case fields parse too. Throws InvalidInputError. */
export async function readLabels(file: string): Promise<Labels> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InvalidInputError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = labelsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new InvalidInputError(`${file} is not a labels file: ${problems.join("; ")}`);
  }
  return parsed.data;
}

export function validateCommand(): Command {
  return new Command("validate")
    .description(
      "score the stored peaks against labelled incidents: precision, recall, F1, detection delay, misses and false alarms; " +
        "recall and delays per incident kind, precision per namespace kind and the flags on distractors (labels of `generate --cases`)",
    )
    .requiredOption("--labels <file>", "labels.json of a generated data set")
    .option("--from <date>", "first day (YYYY-MM-DD) or instant; default: the labels' range")
    .option("--to <date>", "last day (included) or instant (excluded)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (options: { labels: string; from?: string; to?: string; format: "text" | "json" }) => {
      const labels = await readLabels(options.labels);
      const range = parseRange(options.from, options.to, cliSettings().grid, { fromMs: Date.parse(labels.from), toMs: Date.parse(labels.to) });
      await withServices(async ({ db }) => {
        const peaks = await findPeaks(db, range ?? {});
        const startOf = new Map(peaks.map((peak) => [peak.id, peak.timestamp.getTime()]));
        const report = validateDetection(
          labels,
          peaks.map((peak) => ({
            namespace: peak.namespace,
            start: peak.timestamp.getTime(),
            plateauStart: peak.continuesPeakId === null ? null : (startOf.get(peak.continuesPeakId) ?? null),
          })),
          { ...(range ?? {}), windowMinutes: labels.window_minutes },
        );
        console.log(options.format === "json" ? JSON.stringify(report, null, 2) : formatValidationReport(report));
      });
    });
}

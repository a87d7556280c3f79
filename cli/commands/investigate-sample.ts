import { Command } from "commander";
import { investigateSample } from "@/lib/jobs/first-start";
import { cliSettings, withServices } from "../services";
import { withSource } from "../source";

export function investigateSampleCommand(): Command {
  return new Command("investigate-sample")
    .description(
      "what `npm start` does after loading its sample data set: investigate every peak not investigated yet, then (when there is no known issue or known peak yet) make the biggest incident's root cause a known issue and resolve a peak of another root cause with an example solution, as the actor `sample data`",
    )
    .requiredOption("--input <folder>", "the sample's log files (generate --out)")
    .action(async (options: { input: string }) => {
      await withSource(cliSettings(), { source: "file", input: [options.input] }, {}, (source) =>
        withServices(({ db, config }) => investigateSample(db, config, source, { onStep: (line) => console.log(`  ${line}`) })),
      );
    });
}

import { readFile } from "node:fs/promises";
import path from "node:path";
import { Command, Option } from "commander";
import { checkConfiguration, formatConfigCheck, type ConfigCheckReport } from "@/lib/config/check";
import { environmentSchema } from "@/lib/env-schema.js";
import { environmentSource } from "@/lib/env-source.js";
import { ConfigurationError } from "@/lib/errors";
import { programOf, runProgram } from "../program";

// `peaks config check` must run when the environment or values.yaml is broken, to list what is
// wrong: it reads both itself and imports nothing that loads them (lib/env.js, lib/config's
// loader, cli/services), so cli/index.ts can also run it alone when lib/env.js refuses to load.

/** Checks a configuration file and an environment record; the file as the app would find it unless named. */
export async function checkConfigurationFile(file: string | undefined, environment: Readonly<Record<string, string | undefined>>): Promise<ConfigCheckReport> {
  const absolute = path.resolve(file ?? environmentSchema.shape.PEAKS_CONFIG.parse(environment.PEAKS_CONFIG));
  const shownName = path.relative(process.cwd(), absolute) || absolute;
  let content: { text: string } | { readError: string };
  try {
    content = { text: await readFile(absolute, "utf8") };
  } catch (error) {
    content = { readError: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  return checkConfiguration({ file: shownName, content, environment });
}

export function configCommand(): Command {
  const check = new Command("check")
    .description(
      "check values.yaml and the environment together: every problem with its file, line and key path or its variable, warnings about settings " +
        "that do not fit together, and the configuration in effect (defaults filled in, secrets redacted); exit 7 when there is a problem",
    )
    .option("--config <file>", "the configuration file (default: PEAKS_CONFIG, else values.yaml)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (options: { config?: string; format: "text" | "json" }) => {
      const report = await checkConfigurationFile(options.config, environmentSource());
      console.log(options.format === "json" ? JSON.stringify(report, null, 2) : formatConfigCheck(report));
      if (!report.isValid) {
        const count = report.problems.length;
        throw new ConfigurationError(`${count} ${count === 1 ? "problem" : "problems"} in the configuration or the environment (listed above)`);
      }
    });
  return new Command("config").description("the configuration: values.yaml and the environment").addCommand(check);
}

/** Whether argv runs the `config` command (the first word that is not an option). */
export function isConfigCommand(argv: readonly string[]): boolean {
  return argv.slice(2).find((word) => !word.startsWith("-")) === "config";
}

/** Runs `peaks config …` without the other commands (whose modules refuse an invalid environment). */
export function runConfigCommandAlone(argv: string[]): Promise<number> {
  return runProgram(() => programOf([configCommand()]), argv);
}

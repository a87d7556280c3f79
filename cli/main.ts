import { Command, CommanderError } from "commander";
import { exitCodeByCode, isAppError } from "@/lib/errors";
import { analyzePeriodCommand } from "./commands/analyze-period";
import { backupCommand, restoreCommand } from "./commands/backup";
import { batchCommand } from "./commands/batch";
import { dbCommand } from "./commands/db";
import { enrichCommand } from "./commands/enrich";
import { generateCommand } from "./commands/generate";
import { baselineCommand, peaksCommand, showCommand, windowsCommand } from "./commands/detection";
import { ingestCommand } from "./commands/ingest";
import { patternsCommand } from "./commands/patterns";
import { maintenanceCommand, pipelineCommand } from "./commands/pipeline";
import { thresholdsCommand } from "./commands/thresholds";
import { serveCommand } from "./commands/serve";
import { sourceCommand } from "./commands/source";
import { trackCommand } from "./commands/track";
import { statsCommand } from "./commands/stats";
import { usersCommand } from "./commands/users";
import { validateCommand } from "./commands/validate";

/** Exit codes: 0 success, 1 unexpected failure, 2 usage or invalid input, others per lib/errors. */
const EXIT_UNEXPECTED = 1;
const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command("peaks")
    .description("Peak Investigation: error-peak detection and investigation for application logs")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const command of [
    serveCommand(),
    pipelineCommand(),
    thresholdsCommand(),
    dbCommand(),
    usersCommand(),
    statsCommand(),
    backupCommand(),
    restoreCommand(),
    ingestCommand(),
    batchCommand(),
    analyzePeriodCommand(),
    patternsCommand(),
    enrichCommand(),
    trackCommand(),
    sourceCommand(),
    baselineCommand(),
    windowsCommand(),
    showCommand(),
    peaksCommand(),
    maintenanceCommand(),
    generateCommand(),
    validateCommand(),
  ]) {
    program.addCommand(command);
  }
  // Every subcommand reports usage errors through the same path as the root.
  const inherit = (command: Command) => {
    command.exitOverride().showHelpAfterError("(run with --help for usage)");
    command.commands.forEach(inherit);
  };
  program.commands.forEach(inherit);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output are successes; everything else is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (isAppError(error)) {
      console.error(`Error: ${error.message}`);
      return exitCodeByCode[error.code];
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return EXIT_UNEXPECTED;
  }
}

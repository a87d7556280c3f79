import { Command, CommanderError } from "commander";
import { analyzePeriodCommand } from "./commands/analyze-period";
import { backupCommand, restoreCommand } from "./commands/backup";
import { batchCommand } from "./commands/batch";
import { dbCommand } from "./commands/db";
import { enrichCommand } from "./commands/enrich";
import { generateCommand } from "./commands/generate";
import { baselineCommand, gapsCommand, peaksCommand, showCommand, windowsCommand } from "./commands/detection";
import { ingestCommand } from "./commands/ingest";
import { investigateSampleCommand } from "./commands/investigate-sample";
import { patternsCommand } from "./commands/patterns";
import { maintenanceCommand, pipelineCommand } from "./commands/pipeline";
import { thresholdsCommand } from "./commands/thresholds";
import { serveCommand } from "./commands/serve";
import { sourceCommand } from "./commands/source";
import { trackCommand } from "./commands/track";
import { statsCommand } from "./commands/stats";
import { usersCommand } from "./commands/users";
import { validateCommand } from "./commands/validate";
import { EXIT_USAGE, reportFailure, VERBOSE_DESCRIPTION } from "./failure";

export function buildProgram(): Command {
  // A program option: commander recognises it before and after the subcommand's name (as long
  // as no command enables positional options), so `peaks --verbose stats` and
  // `peaks stats --verbose` both work.
  const program = new Command("peaks")
    .description("Peak Investigation: error-peak detection and investigation for application logs")
    .option("--verbose", VERBOSE_DESCRIPTION)
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
    gapsCommand(),
    peaksCommand(),
    maintenanceCommand(),
    generateCommand(),
    investigateSampleCommand(),
    validateCommand(),
  ]) {
    program.addCommand(command);
  }
  // Every subcommand reports usage errors through the same path as the root, and lists
  // --verbose in its help.
  const inherit = (command: Command) => {
    command
      .exitOverride()
      .showHelpAfterError("(run with --help for usage)")
      .configureHelp({ ...command.configureHelp(), showGlobalOptions: true });
    command.commands.forEach(inherit);
  };
  program.commands.forEach(inherit);
  return program;
}

/** Runs the command line; resolves the exit code. Failures are reported on standard error. */
export async function main(argv: string[]): Promise<number> {
  let program: Command | undefined;
  try {
    program = buildProgram();
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output are successes; everything else is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const verbose = program ? program.opts<{ verbose?: boolean }>().verbose === true : argv.includes("--verbose");
    return reportFailure(error, verbose);
  }
}

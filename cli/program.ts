import { Command, CommanderError } from "commander";
import { EXIT_USAGE, reportFailure, VERBOSE_DESCRIPTION } from "./failure";

// The `peaks` program around a list of commands: cli/main.ts builds it with every command, and
// cli/index.ts with `config` alone when the environment is too broken for the others to load.

/** The root command with the given subcommands; usage errors and --verbose behave alike in all. */
export function programOf(commands: readonly Command[]): Command {
  // A program option: commander recognises it before and after the subcommand's name (as long
  // as no command enables positional options), so `peaks --verbose stats` and
  // `peaks stats --verbose` both work.
  const program = new Command("peaks")
    .description("Peak Investigation: error-peak detection and investigation for application logs")
    .option("--verbose", VERBOSE_DESCRIPTION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const command of commands) program.addCommand(command);
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

/** Runs a program on argv; resolves the exit code. Failures are reported on standard error. */
export async function runProgram(build: () => Command, argv: string[]): Promise<number> {
  let program: Command | undefined;
  try {
    program = build();
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

import { EXIT_UNEXPECTED, reportFailure } from "./failure";

// Entry point. The program is imported dynamically so that an invalid environment or
// configuration, detected while modules load, is reported as a message and an exit code.
// The process ends when the command is done, even if a library left a handle open (standard
// output and error are synchronous on pipes and files, so nothing printed is lost).

// If the event loop empties while the command still waits (a library awaiting a connection
// that is gone, with nothing left to wake it), Node would end with exit 13 and print nothing.
process.once("beforeExit", () => {
  console.error("Error: the command ended before finishing: it was waiting for something that can no longer answer");
  process.exit(EXIT_UNEXPECTED);
});

try {
  const { main } = await import("./main");
  process.exit(await main(process.argv));
} catch (error) {
  // Only failures while the modules load get here: main() reports its own.
  if (error instanceof Error && error.name === "EnvironmentError") {
    // `config check` lists an invalid environment's problems with everything else it checks.
    const { isConfigCommand, runConfigCommandAlone } = await import("./commands/config");
    if (isConfigCommand(process.argv)) process.exit(await runConfigCommandAlone(process.argv));
    console.error(error.message);
    process.exit(7);
  }
  process.exit(reportFailure(error, process.argv.slice(2).includes("--verbose")));
}

export {};

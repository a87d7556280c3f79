// Entry point. The program is imported dynamically so that an invalid environment or
// configuration, detected while modules load, is reported as a message and an exit code.
// The process ends when the command is done, even if a library left a handle open (standard
// output and error are synchronous on pipes and files, so nothing printed is lost).
try {
  const { main } = await import("./main");
  process.exit(await main(process.argv));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof Error && error.name === "EnvironmentError" ? 7 : 1);
}

export {};

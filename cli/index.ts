// Entry point. The program is imported dynamically so that an invalid environment or
// configuration, detected while modules load, is reported as a message and an exit code.
try {
  const { main } = await import("./main");
  process.exitCode = await main(process.argv);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = error instanceof Error && error.name === "EnvironmentError" ? 7 : 1;
}

export {};

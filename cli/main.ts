import type { Command } from "commander";
import { analyzePeriodCommand } from "./commands/analyze-period";
import { backupCommand, restoreCommand } from "./commands/backup";
import { batchCommand } from "./commands/batch";
import { configCommand } from "./commands/config";
import { dbCommand } from "./commands/db";
import { enrichCommand } from "./commands/enrich";
import { generateCommand } from "./commands/generate";
import { baselineCommand, gapsCommand, peaksCommand, showCommand, windowsCommand } from "./commands/detection";
import { ingestCommand } from "./commands/ingest";
import { investigateSampleCommand } from "./commands/investigate-sample";
import { patternsCommand } from "./commands/patterns";
import { maintenanceCommand, pipelineCommand } from "./commands/pipeline";
import { problemsCommand } from "./commands/problems";
import { digestCommand } from "./commands/digest";
import { thresholdsCommand } from "./commands/thresholds";
import { serveCommand } from "./commands/serve";
import { sourceCommand } from "./commands/source";
import { trackCommand } from "./commands/track";
import { statsCommand } from "./commands/stats";
import { usersCommand } from "./commands/users";
import { validateCommand } from "./commands/validate";
import { programOf, runProgram } from "./program";

export function buildProgram(): Command {
  return programOf([
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
    problemsCommand(),
    digestCommand(),
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
    configCommand(),
  ]);
}

/** Runs the command line; resolves the exit code. Failures are reported on standard error. */
export function main(argv: string[]): Promise<number> {
  return runProgram(buildProgram, argv);
}

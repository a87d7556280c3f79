import { Command, InvalidArgumentError, Option } from "commander";
import { migrateDatabase } from "@/lib/db/client";
import { mapConnectionError } from "@/lib/db/connection-error";
import { checkRoleName, formatGrantScript, grantRoles, passwordHint, type GrantReport } from "@/lib/db/database-roles";
import { databaseTargetFromEnvironment, describeTarget } from "@/lib/db/target";
import { canConnect } from "@/lib/db/embedded/ensure-server";
import { isProcessAlive, readLockOwner } from "@/lib/db/embedded/lock";
import { embeddedPaths } from "@/lib/db/embedded/paths";
import { runEmbeddedServer } from "@/lib/db/embedded/run-server";
import { env } from "@/lib/env.js";
import { InvalidInputError, UnavailableError } from "@/lib/errors";
import { cliSettings } from "../services";

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function roleNameParser(flag: string): (value: string) => string {
  return (value) => {
    try {
      return checkRoleName(flag, value);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

function printGrantReport(report: GrantReport, target: string, roles: string[]): void {
  const { state } = report;
  if (report.isDryRun) {
    console.log(`-- ${target}: would run, in one transaction (nothing was changed):`);
    console.log(formatGrantScript(report.statements));
    return;
  }
  console.log(
    `${target}: ${roles.join(" and ")} brought in line on ${state.tables.length} tables and ${state.sequences.length} sequences of schema ${state.schema} (owner ${state.owner}); ${report.statements.length} statements in one transaction`,
  );
  console.log(`Tables that later migrations create as ${state.owner} are granted to them by default privileges.`);
  if (report.createdRoles.length > 0) {
    console.log("Created without a password; set one before connecting with it:");
    for (const name of report.createdRoles) console.log(`  ${passwordHint(name)}`);
  }
  if (state.isSchemaCreateOpenToAll) {
    console.log(
      `Note: every role (PUBLIC) may create objects in schema ${state.schema} (PostgreSQL before 15); to deny it: REVOKE CREATE ON SCHEMA "${state.schema}" FROM PUBLIC`,
    );
  }
}

export function dbCommand(): Command {
  const db = new Command("db").description("database: migrations, PostgreSQL roles and the embedded database server");

  db.command("migrate")
    .description("apply pending migrations (each in its own transaction; a no-op when up to date)")
    .action(async () => {
      const target = databaseTargetFromEnvironment();
      const { report } = await migrateDatabase(target);
      if (report.applied.length === 0) {
        console.log(`${describeTarget(target)}: up to date (${report.alreadyApplied} migrations applied before)`);
      } else {
        console.log(`${describeTarget(target)}: applied ${report.applied.join(", ")}`);
      }
    });

  db.command("grant")
    .description(
      "create or update least-privilege PostgreSQL roles: the app's (read and write the app's rows, read the migrations; no schema changes) and optionally a read-only one for reporting; run with the owner's DATABASE_URL",
    )
    .requiredOption("--app-role <name>", "the role the dashboard, cron and CLI connect as", roleNameParser("--app-role"))
    .option("--read-only-role <name>", "also a role that may only read the app's tables", roleNameParser("--read-only-role"))
    .option("--dry-run", "print the SQL it would run and change nothing")
    .action(async (options: { appRole: string; readOnlyRole?: string; dryRun?: boolean }) => {
      const target = databaseTargetFromEnvironment();
      if (target.kind === "embedded") {
        throw new InvalidInputError(
          `Database roles apply to a PostgreSQL server only; this is the ${describeTarget(target)}, which has no roles to grant. Set DATABASE_URL to the PostgreSQL server (as the tables' owner).`,
        );
      }
      const request = { appRole: options.appRole, readOnlyRole: options.readOnlyRole };
      let report;
      try {
        report = await grantRoles({ connectionString: target.url }, request, { dryRun: options.dryRun === true });
      } catch (error) {
        throw mapConnectionError(error, target) ?? error;
      }
      printGrantReport(
        report,
        describeTarget(target),
        [options.appRole, options.readOnlyRole].filter((name) => name !== undefined),
      );
    });

  db.command("serve")
    .description("serve the embedded database to the web server and CLI (started automatically when needed)")
    .addOption(new Option("--data-dir <dir>", "data folder").default(env.PEAKS_DATA_DIR))
    .addOption(
      new Option("--idle-minutes <minutes>", "stop after this long without a client; 0 never stops").argParser((value) => {
        const minutes = Number(value);
        if (!Number.isFinite(minutes) || minutes < 0) throw new InvalidArgumentError("--idle-minutes must be a number of minutes, 0 or more");
        return minutes;
      }),
    )
    .action(async (options: { dataDir: string; idleMinutes?: number }) => {
      const idleMinutes = options.idleMinutes ?? cliSettings().config.database.embedded_idle_shutdown_minutes;
      const log = (message: string) => console.log(`${new Date().toISOString()} embedded-db: ${message}`);
      let server;
      try {
        server = await runEmbeddedServer({ dataDir: options.dataDir, idleShutdownMs: idleMinutes * 60_000, log });
      } catch (error) {
        if (error instanceof Error && error.name === "ConflictError") {
          log(error.message);
          return;
        }
        throw error;
      }
      const stop = () => void server.stop();
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      await server.stopped;
    });

  db.command("stop")
    .description("stop the embedded database server of the data folder (a running dashboard starts it again)")
    .addOption(new Option("--data-dir <dir>", "data folder").default(env.PEAKS_DATA_DIR))
    .action(async (options: { dataDir: string }) => {
      const paths = embeddedPaths(options.dataDir);
      const owner = readLockOwner(paths.lockFile);
      if (!owner) {
        console.log(`No embedded database server is running for ${paths.root}`);
        return;
      }
      process.kill(owner.pid, "SIGTERM");
      if (!(await waitForExit(owner.pid, 30_000))) {
        throw new UnavailableError(`The embedded database server (pid ${owner.pid}) did not stop within 30 s`);
      }
      console.log(`Stopped the embedded database server (pid ${owner.pid})`);
    });

  db.command("status")
    .description("show which database is used and whether the embedded server runs")
    .action(async () => {
      const target = databaseTargetFromEnvironment();
      console.log(`Database: ${describeTarget(target)}`);
      if (target.kind === "embedded") {
        const paths = embeddedPaths(target.dataDir);
        const owner = readLockOwner(paths.lockFile);
        const answers = await canConnect(paths.socketPath);
        console.log(
          owner
            ? `Embedded server: running (pid ${owner.pid}, since ${owner.startedAt}), socket ${answers ? "answering" : "not answering"}: ${paths.socketPath}`
            : "Embedded server: not running (starts automatically on first use)",
        );
      }
    });

  return db;
}

import { Command, InvalidArgumentError, Option } from "commander";
import { migrateDatabase } from "@/lib/db/client";
import { databaseTargetFromEnvironment, describeTarget } from "@/lib/db/target";
import { canConnect } from "@/lib/db/embedded/ensure-server";
import { isProcessAlive, readLockOwner } from "@/lib/db/embedded/lock";
import { embeddedPaths } from "@/lib/db/embedded/paths";
import { runEmbeddedServer } from "@/lib/db/embedded/run-server";
import { env } from "@/lib/env.js";
import { UnavailableError } from "@/lib/errors";
import { cliSettings } from "../services";

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

export function dbCommand(): Command {
  const db = new Command("db").description("database: migrations and the embedded database server");

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

import { Command } from "commander";
import { backupDatabase, restoreDatabase, type TableProgress } from "@/lib/db/backup";
import { describeTarget } from "@/lib/db/target";
import { createProgress } from "../progress";
import { withServices } from "../services";

/** Progress per table on standard error. */
function tableProgress(verb: string): { onTable: (progress: TableProgress) => void; done: () => void } {
  const progress = createProgress(verb, "tables");
  return {
    onTable: ({ table, rows, total }) => {
      progress.setTotal(total);
      progress.tick(`${table}: ${rows.toLocaleString("en-US")} row${rows === 1 ? "" : "s"}`);
    },
    done: progress.done,
  };
}

export function backupCommand(): Command {
  return new Command("backup")
    .description("write every table as CSV (one file per table) and manifest.json into a new folder, from one consistent snapshot")
    .requiredOption("--out <dir>", "folder for the backup; must be new or empty")
    .action(async (options: { out: string }) => {
      await withServices(async ({ db, target }) => {
        const progress = tableProgress("backed up");
        const report = await backupDatabase(db.prisma, options.out, { onTable: progress.onTable });
        progress.done();
        console.log(`Backed up ${report.tables.length} tables (${report.rows.toLocaleString("en-US")} rows) of the ${describeTarget(target)} to ${report.dir}`);
      });
    });
}

export function restoreCommand(): Command {
  return new Command("restore")
    .description("load a backup made by `peaks backup` into an empty database with the same migrations, all or nothing")
    .requiredOption("--from <dir>", "backup folder (with manifest.json)")
    .action(async (options: { from: string }) => {
      await withServices(async ({ target }) => {
        const progress = tableProgress("restored");
        const report = await restoreDatabase(target, options.from, { onTable: progress.onTable });
        progress.done();
        console.log(
          `Restored ${report.tables.length} tables (${report.rows.toLocaleString("en-US")} rows) from ${report.dir} into the ${describeTarget(target)}; ${report.sequencesReset} id sequences moved past the restored ids`,
        );
      });
    });
}

import { Command, Option } from "commander";
import { digestFormats, digestTables, type DigestFormat, type DigestTable } from "@/lib/digest/contract";
import { digestChannelsOf, sendDigest } from "@/lib/digest/send";
import { newestDueDate, readDigest } from "@/lib/digest/read";
import { digestCsv } from "@/lib/digest/render-csv";
import { digestHtml } from "@/lib/digest/render-html";
import { InvalidInputError } from "@/lib/errors";
import { digestPeriodOf, isDigestDue, isIsoDate } from "@/lib/pipeline/digest-period";
import { describeInstant } from "@/lib/pipeline/time";
import { cliActor } from "@/lib/roles";
import { cliSettings, withServices } from "../services";

// peaks digest: the daily digest of a local date (lib/digest) printed as HTML, JSON or one CSV
// table, or sent to its channels as the hourly cron call sends it.

type DigestOptions = { date?: string; send?: boolean; format: DigestFormat; table?: DigestTable };

export function digestCommand(): Command {
  return new Command("digest")
    .description("the daily digest of a local date: top problems, new versions, incidents still open, data gaps; printed, or sent with --send")
    .option(
      "--date <YYYY-MM-DD>",
      "the local date whose digest it is: the 24 h up to its digest.local_time (default: the newest date whose local_time has passed)",
    )
    .option("--send", "send it to Teams and by e-mail (each channel once per date; a failed one is tried again)")
    .addOption(new Option("--format <format>", "output format (without --send)").choices(digestFormats).default("html"))
    .addOption(new Option("--table <table>", "the table --format csv prints").choices(digestTables))
    .action(async (options: DigestOptions) => {
      const { config, grid, connections } = cliSettings();
      const now = new Date();
      if (options.table !== undefined && options.format !== "csv") throw new InvalidInputError("--table goes with --format csv");
      if (options.date !== undefined) {
        if (!isIsoDate(options.date)) throw new InvalidInputError(`--date must be a date written YYYY-MM-DD, not "${options.date}"`);
        if (!isDigestDue(options.date, config.digest.local_time, now.getTime(), grid)) {
          const endsAt = describeInstant(digestPeriodOf(options.date, config.digest.local_time, grid).toMs, grid);
          throw new InvalidInputError(`--date ${options.date}: its digest covers the 24 h up to ${endsAt}, which has not come yet`);
        }
      }
      const date = options.date ?? newestDueDate({ config, grid, now });
      if (options.send) {
        const report = await withServices(({ db }) =>
          sendDigest(
            db,
            { date },
            { config, grid, now, channels: digestChannelsOf(config, connections), lockLeaseMs: config.pipeline.lock_lease_seconds * 1000 },
          ),
        );
        if (options.format === "json") console.log(JSON.stringify(report, null, 2));
        else {
          console.log(report.message);
          for (const delivery of report.deliveries) {
            console.log(
              `  ${delivery.channel}: ${delivery.status}${delivery.attempts > 0 ? `, ${delivery.attempts} attempts` : ""}${delivery.error ? ` (${delivery.error})` : ""}`,
            );
          }
        }
        if (report.status === "failed") process.exitCode = 1;
        return;
      }
      const content = await withServices(({ db }) => readDigest(db, cliActor, { date }, { config, grid, now }));
      if (options.format === "json") console.log(JSON.stringify(content, null, 2));
      else if (options.format === "csv") process.stdout.write(digestCsv(content, options.table ?? "problems"));
      else console.log(digestHtml(content));
    });
}

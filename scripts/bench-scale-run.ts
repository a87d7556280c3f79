// One scheduled pipeline run for `npm run bench:scale`, in a process of its own so that its memory
// is its own:  tsx scripts/bench-scale-run.ts --now <ISO time>
//
// The run is what the cron route (/api/cron/pipeline) starts: runPipeline over every completed
// window since the watermark, with the configured source (ES_URL), Teams (TEAMS_WEBHOOK_URL) and
// AI, and the database of DATABASE_URL. `--now` is the run's clock: which windows count as
// completed (the benchmark replays windows that are already past). Prints one JSON line on
// stdout: the run's outcome, its wall time (from the call to its end, without this process's
// start), this process's CPU time and its peak resident memory.
import { runPipeline } from "@/lib/jobs/pipeline";
import { getLogger } from "@/lib/log";
import { withServices } from "../cli/services";
import { optionValue } from "./bench-support";

const nowText = optionValue("--now");
const nowMs = nowText === undefined ? Number.NaN : Date.parse(nowText);
if (!Number.isFinite(nowMs)) throw new Error("--now <ISO time> is required");

await withServices(async ({ db, config, pipeline, openSource }) => {
  const log = getLogger().child({ trigger: "cron" });
  const started = performance.now();
  const outcome = await runPipeline(db, config, {
    trigger: "cron",
    source: openSource({ onRetry: (message: string) => log.warn({ source: "elasticsearch" }, message) }),
    services: pipeline,
    now: () => new Date(nowMs),
  });
  const wallMs = performance.now() - started;
  const usage = process.resourceUsage();
  const answer =
    outcome.status === "up_to_date"
      ? { status: outcome.status, message: outcome.message }
      : {
          status: outcome.status,
          runId: outcome.runId,
          range: { from: new Date(outcome.range.fromMs).toISOString(), to: new Date(outcome.range.toMs).toISOString() },
          steps: outcome.steps,
          totals: outcome.totals,
          error: outcome.error,
          notifications: outcome.details.notifications,
        };
  // maxRSS is in kilobytes.
  // CPU time of this process over its whole life (start and tsx included), µs → ms; the database's is not in it.
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  process.stdout.write(`${JSON.stringify({ ...answer, wallMs, cpuMs, maxRssBytes: usage.maxRSS * 1024 })}\n`);
});

import type { FrozenConfig } from "@/lib/config";
import { ConflictError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { nextFireTime, parseCron, type CronSchedule } from "@/lib/pipeline/cron";
import type { Services } from "@/lib/services";
import { runScheduledDigest, runScheduledEnrichment, runScheduledMaintenance, runScheduledPipeline } from "./scheduled";

// The scheduler built into `peaks serve`: the jobs of the /api/cron/* routes on their cron
// schedules, in the server's own process, for an installation without an outside cron.

export type ScheduledJob = { name: string; schedule: CronSchedule; run: () => Promise<unknown> };

/** Runs a job body with freshly built services (a composition root's, e.g. the command line's). */
export type WithServices = <T>(body: (services: Services) => Promise<T>) => Promise<T>;

/**
 * The four jobs of the cron routes, with the same functions (lib/jobs/scheduled.ts) on the
 * configured schedules; each run gets its services from `withServices`.
 */
export function builtInJobs(settings: FrozenConfig["scheduler"], withServices: WithServices): ScheduledJob[] {
  return [
    { name: "pipeline", schedule: parseCron(settings.pipeline), run: () => withServices(runScheduledPipeline) },
    { name: "enrichment", schedule: parseCron(settings.enrichment), run: () => withServices(runScheduledEnrichment) },
    { name: "maintenance", schedule: parseCron(settings.maintenance), run: () => withServices(runScheduledMaintenance) },
    { name: "digest", schedule: parseCron(settings.digest), run: () => withServices(runScheduledDigest) },
  ];
}

// Decided with the configuration (`peaks config check` shows it too).
export { isSchedulerOn } from "@/lib/config/schema";

export type Scheduler = {
  /** When each job fires next (UTC ms), null once stopped. */
  nextRuns: () => { job: string; atMs: number | null }[];
  /**
   * Fires nothing more and waits for the runs in progress, at most `graceMs`; resolves the
   * names of the jobs still running when it gave up (their lock is taken over by a later run).
   */
  stop: (options?: { graceMs?: number }) => Promise<string[]>;
};

/** setTimeout's largest delay; a later fire time is reached by waiting again. */
const MAX_DELAY_MS = 2 ** 31 - 1;
const DEFAULT_GRACE_MS = 10_000;

type JobState = { job: ScheduledJob; nextMs: number | null; timer: ReturnType<typeof setTimeout> | null; running: Promise<void> | null };

/**
 * Starts timers that run each job at its schedule's fire times (UTC). A job whose previous run
 * is still going is skipped for that time; a run refused by the run lock (ConflictError) is
 * skipped; a failing run is logged and the next fire time comes as usual.
 */
export function startScheduler(jobs: readonly ScheduledJob[], options: { logger: Logger; now?: () => number }): Scheduler {
  const now = options.now ?? Date.now;
  const log = options.logger;
  const states: JobState[] = jobs.map((job) => ({ job, nextMs: null, timer: null, running: null }));
  let isStopped = false;

  const arm = (state: JobState, afterMs: number) => {
    if (isStopped) return;
    state.nextMs = nextFireTime(state.job.schedule, afterMs);
    if (state.nextMs === null) return;
    wait(state);
  };

  const wait = (state: JobState) => {
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, (state.nextMs ?? 0) - now()));
    state.timer = setTimeout(() => fire(state), delay);
  };

  const fire = (state: JobState) => {
    state.timer = null;
    if (isStopped || state.nextMs === null) return;
    const firedAt = state.nextMs;
    // A timer may wake early (long delays are waited in parts); wait for the rest.
    if (now() < firedAt) return wait(state);
    const { job } = state;
    if (state.running) {
      log.warn({ job: job.name, scheduledFor: new Date(firedAt).toISOString() }, `scheduled ${job.name} skipped: its previous run is still going`);
    } else {
      state.running = execute(job, firedAt).finally(() => {
        state.running = null;
      });
    }
    // From the later of now and the fire time, so that a late timer never fires one time twice.
    arm(state, Math.max(now(), firedAt));
  };

  const execute = async (job: ScheduledJob, firedAt: number) => {
    const fields = { job: job.name, scheduledFor: new Date(firedAt).toISOString() };
    const startedAt = now();
    log.info(fields, `scheduled ${job.name} started`);
    try {
      const result = await job.run();
      log.info({ ...fields, durationMs: now() - startedAt, result }, `scheduled ${job.name} finished`);
    } catch (error) {
      if (error instanceof ConflictError) log.info({ ...fields, reason: error.message }, `scheduled ${job.name} skipped: ${error.message}`);
      else log.error({ ...fields, durationMs: now() - startedAt, err: error }, `scheduled ${job.name} failed`);
    }
  };

  const startedAt = now();
  for (const state of states) arm(state, startedAt);

  return {
    nextRuns: () => states.map((state) => ({ job: state.job.name, atMs: isStopped ? null : state.nextMs })),
    stop: async ({ graceMs = DEFAULT_GRACE_MS } = {}) => {
      isStopped = true;
      for (const state of states) {
        if (state.timer) clearTimeout(state.timer);
        state.timer = null;
      }
      const running = states.filter((state) => state.running !== null);
      if (running.length === 0) return [];
      log.info({ jobs: running.map((state) => state.job.name) }, "scheduler stopping: waiting for the runs in progress");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = await Promise.race([
        Promise.all(running.map((state) => state.running)).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), graceMs);
        }),
      ]);
      clearTimeout(timer);
      return gaveUp ? states.filter((state) => state.running !== null).map((state) => state.job.name) : [];
    },
  };
}

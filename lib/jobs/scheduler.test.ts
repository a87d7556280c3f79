import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConflictError } from "@/lib/errors";
import { createLogger } from "@/lib/log";
import { parseCron } from "@/lib/pipeline/cron";
import type { Services } from "@/lib/services";
import { builtInJobs, isSchedulerOn, startScheduler, type ScheduledJob } from "./scheduler";

// The scheduler on a controlled clock: vitest's fake timers move Date.now and setTimeout together.

type LogLine = { level: number; msg: string; job?: string };

function recordingLogger() {
  const lines: LogLine[] = [];
  const destination = { write: (line: string) => lines.push(JSON.parse(line) as LogLine) } as unknown as NodeJS.WritableStream;
  return { logger: createLogger({ isDevelopment: false, level: "info", destination }), lines, messages: () => lines.map((line) => line.msg) };
}

const minute = 60_000;
const at = (iso: string) => Date.parse(iso);

/** A job that records the clock's time at each run and resolves when `finish` is called (or at once). */
function recordingJob(name: string, expression: string, behaviour: { hold?: boolean; fail?: (run: number) => unknown } = {}) {
  const runs: string[] = [];
  const pending: (() => void)[] = [];
  const job: ScheduledJob = {
    name,
    schedule: parseCron(expression),
    run: async () => {
      runs.push(new Date(Date.now()).toISOString());
      const failure = behaviour.fail?.(runs.length);
      if (failure) throw failure;
      if (behaviour.hold) await new Promise<void>((resolve) => pending.push(resolve));
      return { ok: true };
    },
  };
  return { job, runs, finish: () => pending.shift()?.() };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(at("2026-03-10T10:00:30Z"));
});

afterEach(() => {
  vi.useRealTimers();
});

describe("startScheduler", () => {
  it("fires each job at its schedule's minutes in UTC, and nothing in between", async () => {
    const { logger, messages } = recordingLogger();
    const pipeline = recordingJob("pipeline", "2,17,32,47 * * * *");
    const enrichment = recordingJob("enrichment", "9 * * * *");
    const scheduler = startScheduler([pipeline.job, enrichment.job], { logger });
    expect(scheduler.nextRuns()).toEqual([
      { job: "pipeline", atMs: at("2026-03-10T10:02:00Z") },
      { job: "enrichment", atMs: at("2026-03-10T10:09:00Z") },
    ]);

    await vi.advanceTimersByTimeAsync(at("2026-03-10T10:01:59.999Z") - Date.now());
    expect(pipeline.runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(at("2026-03-10T11:10:00Z") - Date.now());
    expect(pipeline.runs).toEqual([
      "2026-03-10T10:02:00.000Z",
      "2026-03-10T10:17:00.000Z",
      "2026-03-10T10:32:00.000Z",
      "2026-03-10T10:47:00.000Z",
      "2026-03-10T11:02:00.000Z",
    ]);
    expect(enrichment.runs).toEqual(["2026-03-10T10:09:00.000Z", "2026-03-10T11:09:00.000Z"]);
    expect(messages().filter((message) => message === "scheduled enrichment finished")).toHaveLength(2);
    await scheduler.stop();
  });

  it("skips a time while the job's previous run is still going, then runs it again at the next time", async () => {
    const { logger, messages } = recordingLogger();
    const slow = recordingJob("pipeline", "*/15 * * * *", { hold: true });
    const scheduler = startScheduler([slow.job], { logger });
    await vi.advanceTimersByTimeAsync(at("2026-03-10T10:31:00Z") - Date.now());
    // Started at 10:15; still going at 10:30.
    expect(slow.runs).toEqual(["2026-03-10T10:15:00.000Z"]);
    expect(messages()).toContain("scheduled pipeline skipped: its previous run is still going");
    slow.finish();
    await vi.advanceTimersByTimeAsync(at("2026-03-10T10:45:00Z") - Date.now());
    expect(slow.runs).toEqual(["2026-03-10T10:15:00.000Z", "2026-03-10T10:45:00.000Z"]);
    slow.finish();
    await scheduler.stop();
  });

  it("skips a run the run lock refuses, with the holder in the log, and keeps its schedule", async () => {
    const { logger, lines } = recordingLogger();
    const locked = recordingJob("enrichment", "9 * * * *", {
      fail: (run) => (run === 1 ? new ConflictError("Another run is processing windows: peaks batch (pid 42)") : undefined),
    });
    const scheduler = startScheduler([locked.job], { logger });
    await vi.advanceTimersByTimeAsync(at("2026-03-10T11:09:00Z") - Date.now());
    expect(locked.runs).toHaveLength(2);
    const skipped = lines.find((line) => line.msg.startsWith("scheduled enrichment skipped"));
    expect(skipped?.msg).toBe("scheduled enrichment skipped: Another run is processing windows: peaks batch (pid 42)");
    expect(skipped?.level).toBe(30);
    expect(lines.filter((line) => line.msg === "scheduled enrichment finished")).toHaveLength(1);
    await scheduler.stop();
  });

  it("logs a failing run as an error and still fires the next time", async () => {
    const { logger, lines } = recordingLogger();
    const failing = recordingJob("maintenance", "23 3 * * *", { fail: (run) => (run === 1 ? new Error("disk full") : undefined) });
    const scheduler = startScheduler([failing.job], { logger });
    await vi.advanceTimersByTimeAsync(at("2026-03-12T03:23:00Z") - Date.now());
    expect(failing.runs).toEqual(["2026-03-11T03:23:00.000Z", "2026-03-12T03:23:00.000Z"]);
    const failed = lines.find((line) => line.msg === "scheduled maintenance failed") as (LogLine & { err?: { message: string } }) | undefined;
    expect(failed?.level).toBe(50);
    expect(failed?.err?.message).toBe("disk full");
    expect(lines.filter((line) => line.msg === "scheduled maintenance finished")).toHaveLength(1);
    await scheduler.stop();
  });

  it("fires nothing once stopped, and waits for the run in progress", async () => {
    const { logger } = recordingLogger();
    const slow = recordingJob("pipeline", "*/15 * * * *", { hold: true });
    const other = recordingJob("enrichment", "9 * * * *");
    const scheduler = startScheduler([slow.job, other.job], { logger });
    await vi.advanceTimersByTimeAsync(at("2026-03-10T10:15:00Z") - Date.now());
    expect(slow.runs).toHaveLength(1);
    expect(other.runs).toEqual(["2026-03-10T10:09:00.000Z"]);

    let stopped: string[] | undefined;
    void scheduler.stop({ graceMs: 5 * minute }).then((stillRunning) => (stopped = stillRunning));
    await vi.advanceTimersByTimeAsync(minute);
    expect(stopped).toBeUndefined();
    slow.finish();
    await vi.advanceTimersByTimeAsync(1);
    expect(stopped).toEqual([]);
    expect(scheduler.nextRuns()).toEqual([
      { job: "pipeline", atMs: null },
      { job: "enrichment", atMs: null },
    ]);
    await vi.advanceTimersByTimeAsync(24 * 60 * minute);
    expect(slow.runs).toHaveLength(1);
    expect(other.runs).toEqual(["2026-03-10T10:09:00.000Z"]);
  });

  it("gives up waiting after the grace period and names the job still running", async () => {
    const { logger } = recordingLogger();
    const stuck = recordingJob("pipeline", "*/15 * * * *", { hold: true });
    const scheduler = startScheduler([stuck.job], { logger });
    await vi.advanceTimersByTimeAsync(at("2026-03-10T10:15:00Z") - Date.now());
    const stopping = scheduler.stop({ graceMs: 10_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(stopping).resolves.toEqual(["pipeline"]);
    stuck.finish();
  });

  it("waits in parts for a fire time beyond setTimeout's longest delay", async () => {
    const { logger } = recordingLogger();
    // The 29th of February: the next one is in 2028, beyond 24.8 days.
    const rare = recordingJob("rare", "0 0 29 2 *");
    const scheduler = startScheduler([rare.job], { logger });
    await vi.advanceTimersByTimeAsync(at("2028-02-28T23:59:00Z") - Date.now());
    expect(rare.runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(minute);
    expect(rare.runs).toEqual(["2028-02-29T00:00:00.000Z"]);
    await scheduler.stop();
  });
});

describe("builtInJobs", () => {
  it("runs the cron routes' four jobs on the configured schedules, each with services of its own", async () => {
    const opened: string[] = [];
    const withServices = async <T>(body: (services: Services) => Promise<T>): Promise<T> => {
      opened.push(body.name);
      throw new Error("no database here");
    };
    const jobs = builtInJobs(
      { enabled: true, pipeline: "2,17,32,47 * * * *", enrichment: "9 * * * *", maintenance: "23 3 * * *", digest: "5 * * * *" },
      withServices,
    );
    expect(jobs.map((job) => [job.name, job.schedule.expression])).toEqual([
      ["pipeline", "2,17,32,47 * * * *"],
      ["enrichment", "9 * * * *"],
      ["maintenance", "23 3 * * *"],
      ["digest", "5 * * * *"],
    ]);
    for (const job of jobs) await expect(job.run()).rejects.toThrow("no database here");
    expect(opened).toEqual(["runScheduledPipeline", "runScheduledEnrichment", "runScheduledMaintenance", "runScheduledDigest"]);
  });
});

describe("isSchedulerOn", () => {
  it("is on with auto unless CRON_SECRET is set, and as forced otherwise", () => {
    expect(isSchedulerOn("auto", { isCronSecretSet: false })).toBe(true);
    expect(isSchedulerOn("auto", { isCronSecretSet: true })).toBe(false);
    expect(isSchedulerOn(true, { isCronSecretSet: true })).toBe(true);
    expect(isSchedulerOn(false, { isCronSecretSet: false })).toBe(false);
  });
});

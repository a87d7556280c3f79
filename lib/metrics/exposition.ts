import { Gauge, Registry } from "prom-client";
import type { OperationalFigures } from "@/lib/db/metrics";
import { storedStepsSchema } from "@/lib/runs/contract";
import { instruments } from "./instruments";

/** The database pool of the process answering the scrape. */
export type PoolFigures = { total: number; idle: number; waiting: number; max: number };

const seconds = (ms: number) => ms / 1000;

/**
 * The Prometheus text exposition: the process's own instruments, then the figures read from the
 * database at `now` (names and meanings in the README's Metrics section).
 */
export async function renderMetrics(figures: OperationalFigures, pool: PoolFigures, now: Date): Promise<{ text: string; contentType: string }> {
  const scrape = new Registry();
  const gauge = <Label extends string>(name: string, help: string, labelNames: readonly Label[] = []) =>
    new Gauge<Label>({ name, help, labelNames, registers: [scrape] });

  const lastFinished = gauge("peaks_run_last_finished_timestamp_seconds", "When a run of this trigger last finished with this outcome (Unix time).", [
    "trigger",
    "status",
  ]);
  for (const run of figures.lastFinishedMs) lastFinished.set({ trigger: run.trigger, status: run.status }, seconds(run.atMs));

  const lastDuration = gauge("peaks_run_last_duration_seconds", "How long the newest finished run of this trigger took.", ["trigger", "status"]);
  const stepDuration = gauge("peaks_run_last_step_duration_seconds", "How long each step of the newest finished run of this trigger took.", [
    "trigger",
    "step",
    "status",
  ]);
  for (const run of figures.lastRuns) {
    if (run.finishedAt) lastDuration.set({ trigger: run.trigger, status: run.status }, seconds(run.finishedAt.getTime() - run.startedAt.getTime()));
    for (const step of storedStepsSchema.parse(run.steps)) {
      if (step.durationMs !== null) stepDuration.set({ trigger: run.trigger, step: step.name, status: step.status }, seconds(step.durationMs));
    }
  }

  const recentRuns = gauge("peaks_runs_last_24h", "Runs started in the last 24 hours, by trigger and outcome (running: not finished yet).", [
    "trigger",
    "status",
  ]);
  for (const row of figures.recentRuns) recentRuns.set({ trigger: row.trigger, status: row.status }, row.count);

  if (figures.processedUntilMs !== null) {
    gauge("peaks_processed_until_timestamp_seconds", "End of the newest window processed (Unix time).").set(seconds(figures.processedUntilMs));
    gauge("peaks_processing_lag_seconds", "How far the newest window processed is behind now.").set(seconds(now.getTime() - figures.processedUntilMs));
  }
  if (figures.sourceCoveredUntilMs !== null) {
    gauge("peaks_source_covered_until_timestamp_seconds", "Where the log source's data ended when a run last read it (Unix time).").set(
      seconds(figures.sourceCoveredUntilMs),
    );
    gauge("peaks_source_lag_seconds", "How far the log source's data was behind now when a run last read it, as of now.").set(
      seconds(now.getTime() - figures.sourceCoveredUntilMs),
    );
  }

  const peaks = gauge("peaks_peak_windows_last_24h", "Peak windows of the last 24 hours, by severity.", ["severity"]);
  for (const row of figures.recentPeaks) peaks.set({ severity: row.severity }, row.count);
  const incidents = gauge("peaks_ongoing_incidents", "Incidents not ended, by status.", ["status"]);
  for (const row of figures.ongoingIncidents) incidents.set({ status: row.status }, row.count);
  const deliveries = gauge("peaks_notifications_last_24h", "Notifications created in the last 24 hours, by delivery status (failed: every attempt failed).", [
    "status",
  ]);
  for (const row of figures.recentDeliveries) deliveries.set({ status: row.status }, row.count);

  const connections = gauge("peaks_db_pool_connections", "Database connections of the process answering, by state (max: the pool's size).", ["state"]);
  connections.set({ state: "total" }, pool.total);
  connections.set({ state: "idle" }, pool.idle);
  connections.set({ state: "waiting" }, pool.waiting);
  connections.set({ state: "max" }, pool.max);

  const merged = Registry.merge([instruments().registry, scrape]);
  return { text: await merged.metrics(), contentType: merged.contentType };
}

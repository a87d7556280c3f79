import { describe, expect, it } from "vitest";
import { createRun, finishRun } from "@/lib/db/pipeline-runs";
import { isAppError } from "@/lib/errors";
import { peakRow } from "@/test/support/peak-rows";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { scrapeMetrics } from "./scrape";

const TOKEN = "metrics-token-0123456789";
const config = { timezone: "Europe/Prague", window_minutes: 15 };
const now = new Date("2026-12-03T07:00:00Z");
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

/** The value of one sample line of the exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(databaseKinds)("metrics on %s", (kind) => {
  const database = useMigratedDatabase(kind);
  const scrape = (authorization: string | null, token: string | undefined) =>
    scrapeMetrics({ authorization, token, database: () => Promise.resolve(database()), config, now });

  it("are off (404) without a token and refused (401) without the right bearer", async () => {
    await expect(scrape(`Bearer ${TOKEN}`, undefined)).rejects.toSatisfy((error) => isAppError(error) && error.code === "not_found");
    for (const header of [null, "", `Bearer ${TOKEN}x`, TOKEN, `bearer ${TOKEN}`]) {
      await expect(scrape(header, TOKEN), String(header)).rejects.toSatisfy((error) => isAppError(error) && error.code === "unauthenticated");
    }
  });

  it("report runs, lag, peaks, incidents, deliveries and the pool from what is stored", async () => {
    const db = database();
    const steps = [
      { name: "count", title: "Count", status: "succeeded", startedAt: minutesAgo(31).toISOString(), durationMs: 1_500, counts: {}, note: null, error: null },
      { name: "detect", title: "Detect", status: "succeeded", startedAt: minutesAgo(30).toISOString(), durationMs: 250, counts: {}, note: null, error: null },
    ];
    const succeeded = await createRun(db, {
      trigger: "cron",
      range: { fromMs: minutesAgo(60).getTime(), toMs: minutesAgo(30).getTime() },
      source: "files",
      isAnalysisSkipped: false,
      advancesWatermark: true,
      startedById: null,
      steps: [],
      startedAt: minutesAgo(32),
    });
    await finishRun(db, succeeded, {
      status: "succeeded",
      error: null,
      steps,
      totals: { documentsSeen: 10, peaksFound: 1, notificationsSent: 1 },
      finishedAt: minutesAgo(29),
      coveredTo: minutesAgo(45),
    });
    const failed = await createRun(db, {
      trigger: "cron",
      range: { fromMs: minutesAgo(45).getTime(), toMs: minutesAgo(15).getTime() },
      source: "files",
      isAnalysisSkipped: false,
      advancesWatermark: true,
      startedById: null,
      steps: [],
      startedAt: minutesAgo(16),
    });
    await finishRun(db, failed, {
      status: "failed",
      error: "source unreachable",
      steps: [],
      totals: { documentsSeen: 0, peaksFound: 0, notificationsSent: 0 },
      finishedAt: minutesAgo(14),
    });
    await db.prisma.peakInvestigation.createMany({
      data: [
        peakRow(minutesAgo(60), { severity: "critical" }),
        peakRow(minutesAgo(75), { severity: "high" }),
        peakRow(minutesAgo(90), { severity: "high" }),
        peakRow(minutesAgo(3 * 24 * 60), { severity: "low" }),
      ],
    });
    await db.prisma.incident.create({ data: { namespace: "payments", startedAt: minutesAgo(90), lastWindowAt: minutesAgo(60), status: "open" } });
    await db.prisma.notificationDelivery.createMany({
      data: [
        { channel: "teams", dedupeKey: "a", status: "sent", payload: {}, createdAt: minutesAgo(50) },
        { channel: "teams", dedupeKey: "b", status: "failed", payload: {}, createdAt: minutesAgo(40) },
        { channel: "teams", dedupeKey: "c", status: "failed", payload: {}, createdAt: minutesAgo(30) },
      ],
    });

    const { text, contentType } = await scrape(`Bearer ${TOKEN}`, TOKEN);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'peaks_run_last_finished_timestamp_seconds{trigger="cron",status="succeeded"}')).toBe(minutesAgo(29).getTime() / 1000);
    expect(sample(text, 'peaks_run_last_finished_timestamp_seconds{trigger="cron",status="failed"}')).toBe(minutesAgo(14).getTime() / 1000);
    // The newest finished cron run is the failed one: its duration, and no steps.
    expect(sample(text, 'peaks_run_last_duration_seconds{trigger="cron",status="failed"}')).toBe(120);
    expect(sample(text, 'peaks_runs_last_24h{trigger="cron",status="succeeded"}')).toBe(1);
    expect(sample(text, 'peaks_runs_last_24h{trigger="cron",status="failed"}')).toBe(1);
    // The watermark is where the succeeded run's source ended (45 minutes ago).
    expect(sample(text, "peaks_processing_lag_seconds")).toBe(45 * 60);
    expect(sample(text, "peaks_processed_until_timestamp_seconds")).toBe(minutesAgo(45).getTime() / 1000);
    // The failed run recorded no coverage, so it vouches for nothing: the source is known up to the succeeded run's coverage.
    expect(sample(text, "peaks_source_lag_seconds")).toBe(45 * 60);
    expect(sample(text, 'peaks_peak_windows_last_24h{severity="critical"}')).toBe(1);
    expect(sample(text, 'peaks_peak_windows_last_24h{severity="high"}')).toBe(2);
    expect(sample(text, 'peaks_peak_windows_last_24h{severity="low"}')).toBeUndefined();
    expect(sample(text, 'peaks_ongoing_incidents{status="open"}')).toBe(1);
    expect(sample(text, 'peaks_notifications_last_24h{status="sent"}')).toBe(1);
    expect(sample(text, 'peaks_notifications_last_24h{status="failed"}')).toBe(2);
    expect(sample(text, 'peaks_db_pool_connections{state="max"}')).toBeGreaterThan(0);
    expect(text).toContain("# TYPE peaks_elasticsearch_requests_total counter");
    expect(text).toMatch(/^peaks_process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^peaks_nodejs_eventloop_lag_p99_seconds /m);
  });

  it("report the steps of the newest finished run of each trigger", async () => {
    const db = database();
    const id = await createRun(db, {
      trigger: "api",
      range: { fromMs: minutesAgo(30).getTime(), toMs: minutesAgo(15).getTime() },
      source: "files",
      isAnalysisSkipped: false,
      advancesWatermark: false,
      startedById: null,
      steps: [],
      startedAt: minutesAgo(10),
    });
    await finishRun(db, id, {
      status: "succeeded",
      error: null,
      steps: [
        { name: "count", title: "Count", status: "succeeded", startedAt: minutesAgo(10).toISOString(), durationMs: 2_000, counts: {}, note: null, error: null },
      ],
      totals: { documentsSeen: 0, peaksFound: 0, notificationsSent: 0 },
      finishedAt: minutesAgo(9),
    });
    const { text } = await scrape(`Bearer ${TOKEN}`, TOKEN);
    expect(sample(text, 'peaks_run_last_step_duration_seconds{trigger="api",step="count",status="succeeded"}')).toBe(2);
    expect(sample(text, 'peaks_run_last_duration_seconds{trigger="api",status="succeeded"}')).toBe(60);
  });
});

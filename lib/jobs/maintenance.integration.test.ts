import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { runMaintenance } from "./maintenance";

// Retention on real databases: what is older than values.yaml's retention_days goes, in
// batches; what is younger or kept forever stays.

const DAY_MS = 86_400_000;
const defaults = loadConfig(path.resolve("values.yaml"));
const config = { ...defaults, pipeline: { ...defaults.pipeline, maintenance_batch_size: 100 } };
const now = new Date("2026-06-01T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

describe.each(databaseKinds)("maintenance on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  beforeAll(async () => {
    const prisma = db().prisma;
    // 250 windows 40 days old (3 batches of 100), 20 from 10 days ago.
    await prisma.$executeRaw`
      INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count, baseline_value)
      SELECT ${daysAgo(40)}::timestamptz + (n * interval '15 minutes'), 0, 0, 0, 'orders', n, n FROM generate_series(0, 249) AS n`;
    await prisma.$executeRaw`
      INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count, baseline_value)
      SELECT ${daysAgo(10)}::timestamptz + (n * interval '15 minutes'), 0, 0, 0, 'orders', n, n FROM generate_series(0, 19) AS n`;
    for (const [hash, lastSeen] of [["old", daysAgo(100)], ["recent", daysAgo(5)]] as const) {
      await prisma.errorPattern.create({ data: { patternHash: hash, template: hash, firstSeen: lastSeen, lastSeen } });
    }
    await prisma.patternDailyCount.createMany({
      data: [
        // Goes with its pattern (cascade); the other two are a day past the retention and a recent one.
        { patternHash: "old", day: daysAgo(100), namespace: "orders", occurrences: 3 },
        { patternHash: "recent", day: daysAgo(95), namespace: "orders", occurrences: 2 },
        { patternHash: "recent", day: daysAgo(5), namespace: "orders", occurrences: 1 },
      ],
    });
    await prisma.patternWindow.createMany({ data: [{ windowStart: daysAgo(100), namespace: "orders", documents: 1 }, { windowStart: daysAgo(5), namespace: "orders", documents: 1 }] });
    const peak = await prisma.peakInvestigation.create({
      data: { timestamp: daysAgo(400), namespace: "orders", dayOfWeek: 0, hourOfDay: 0, quarterHour: 0, severity: "high", errorCount: 500, baselineMean: 10, baselineStddev: 2, baselineSamples: 4, ratio: 50, requiredRatio: 3, average24h: 12, referenceCounts: [] },
    });
    await prisma.pipelineRun.createMany({
      data: [
        { trigger: "cron", rangeFrom: daysAgo(400), rangeTo: daysAgo(400), status: "succeeded", startedAt: daysAgo(400) },
        { trigger: "cron", rangeFrom: daysAgo(1), rangeTo: daysAgo(1), status: "succeeded", startedAt: daysAgo(1) },
      ],
    });
    await prisma.notificationDelivery.create({ data: { channel: "teams", dedupeKey: "teams:orders:old", peakId: peak.id, status: "sent", payload: {}, createdAt: daysAgo(400) } });
    await prisma.loginFailure.createMany({ data: [{ key: "a", failedAt: daysAgo(2) }, { key: "b", failedAt: now }] });
  });

  it("counts in a dry run what it would delete, and deletes nothing", async () => {
    const report = await runMaintenance(db().prisma, config, { now, isDryRun: true });
    const deleted = Object.fromEntries(report.tables.map((table) => [table.table, table.deleted]));
    expect(deleted).toMatchObject({ peak_raw_data: 250, error_patterns: 1, pattern_windows: 1, pattern_daily_counts: 2, pipeline_runs: 1, notification_deliveries: 1, login_failures: 1, peak_investigation: 0 });
    expect(report.deleted).toBe(257);
    expect(await db().prisma.peakRawData.count()).toBe(270);
  });

  it("deletes what is older than its retention in batches and keeps the rest", async () => {
    const prisma = db().prisma;
    const report = await runMaintenance(prisma, config, { now });
    const rawWindows = report.tables.find((table) => table.table === "peak_raw_data")!;
    expect(rawWindows).toMatchObject({ retentionDays: 30, deleted: 250, batches: 3, cutoff: daysAgo(30).toISOString() });
    expect(report.tables.find((table) => table.table === "peak_investigation")).toMatchObject({ retentionDays: null, deleted: 0 });
    // The old pattern's daily count went with it, so retention deletes one more, not two.
    expect(report.deleted).toBe(256);
    expect(await prisma.peakRawData.count()).toBe(20);
    expect((await prisma.errorPattern.findMany()).map((pattern) => pattern.patternHash)).toEqual(["recent"]);
    expect(await prisma.patternWindow.count()).toBe(1);
    expect((await prisma.patternDailyCount.findMany()).map((row) => row.occurrences)).toEqual([1]);
    expect(await prisma.pipelineRun.count()).toBe(1);
    expect(await prisma.notificationDelivery.count()).toBe(0);
    expect(await prisma.loginFailure.count()).toBe(1);
    // Peaks are kept forever by default, however old.
    expect(await prisma.peakInvestigation.count()).toBe(1);

    const again = await runMaintenance(prisma, config, { now });
    expect(again.deleted).toBe(0);
  });
});

import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { DEFAULT_MIGRATIONS_DIR, migrate } from "@/lib/db/migrate";
import { slotKey } from "@/lib/pipeline/baseline";
import { statsOf, type RunningStats } from "@/lib/pipeline/running-stats";
import { daysFrom, dayDocuments, writeLines, type CountPlan } from "@/test/support/log-files";
import { createTestDatabase, databaseKinds, useMigratedDatabase, type DatabaseKind, type TestDatabase } from "@/test/support/test-database";
import { recalculateBaseline } from "./baseline";
import { gridOf } from "@/lib/config/grid";
import { ingestFiles } from "./ingest";
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
    const database = db();
    const { prisma } = database;
    // 250 windows 40 days old (3 batches of 100), 20 from 10 days ago.
    await prisma.$executeRaw`
      INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count, baseline_value)
      SELECT ${daysAgo(40)}::timestamptz + (n * interval '15 minutes'), 0, 0, 0, 'orders', n, n FROM generate_series(0, 249) AS n`;
    await prisma.$executeRaw`
      INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count, baseline_value)
      SELECT ${daysAgo(10)}::timestamptz + (n * interval '15 minutes'), 0, 0, 0, 'orders', n, n FROM generate_series(0, 19) AS n`;
    for (const [hash, lastSeen] of [
      ["old", daysAgo(100)],
      ["recent", daysAgo(5)],
    ] as const) {
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
    await prisma.patternWindow.createMany({
      data: [
        { windowStart: daysAgo(100), namespace: "orders", documents: 1 },
        { windowStart: daysAgo(5), namespace: "orders", documents: 1 },
      ],
    });
    // A version last seen past the retention goes; one first seen long ago but seen lately stays.
    await prisma.namespaceVersion.createMany({
      data: [
        { namespace: "orders", version: "1.3.0", firstSeen: daysAgo(200), lastSeen: daysAgo(100), errors: 40 },
        { namespace: "orders", version: "1.4.0", firstSeen: daysAgo(120), lastSeen: daysAgo(5), errors: 70 },
      ],
    });
    const peak = await prisma.peakInvestigation.create({
      data: {
        timestamp: daysAgo(400),
        namespace: "orders",
        dayOfWeek: 0,
        hourOfDay: 0,
        quarterHour: 0,
        severity: "high",
        errorCount: 500,
        baselineMean: 10,
        baselineStddev: 2,
        baselineSamples: 4,
        ratio: 50,
        requiredRatio: 3,
        average24h: 12,
        referenceCounts: [],
      },
    });
    await prisma.pipelineRun.createMany({
      data: [
        { trigger: "cron", rangeFrom: daysAgo(400), rangeTo: daysAgo(400), status: "succeeded", startedAt: daysAgo(400) },
        { trigger: "cron", rangeFrom: daysAgo(1), rangeTo: daysAgo(1), status: "succeeded", startedAt: daysAgo(1) },
      ],
    });
    await prisma.notificationDelivery.create({
      data: { channel: "teams", dedupeKey: "teams:orders:old", peakId: peak.id, status: "sent", payload: {}, createdAt: daysAgo(400) },
    });
    await prisma.loginFailure.createMany({
      data: [
        { key: "a", failedAt: daysAgo(2) },
        { key: "b", failedAt: now },
      ],
    });
    // Writes recorded for the dashboard's reuse are kept an hour (those of the inserts above are the database clock's now).
    await prisma.dataVersion.createMany({
      data: [
        { tableName: "incidents", transactionId: 1, writtenAt: daysAgo(2) },
        { tableName: "incidents", transactionId: 2, writtenAt: new Date(now.getTime() - 61 * 60_000) },
        { tableName: "incidents", transactionId: 3, writtenAt: new Date(now.getTime() - 59 * 60_000) },
      ],
    });
    // Coverage goes with the windows it covered.
    await prisma.sourceCoverage.createMany({
      data: [
        { fromTime: daysAgo(60), toTime: daysAgo(59), namespace: null },
        { fromTime: daysAgo(2), toTime: daysAgo(1), namespace: "orders" },
      ],
    });
  });

  it("counts in a dry run what it would delete, and deletes nothing", async () => {
    const report = await runMaintenance(db(), config, { now, isDryRun: true });
    const deleted = Object.fromEntries(report.tables.map((table) => [table.table, table.deleted]));
    expect(deleted).toMatchObject({
      peak_raw_data: 250,
      source_coverage: 1,
      error_patterns: 1,
      pattern_windows: 1,
      pattern_daily_counts: 2,
      namespace_versions: 1,
      pipeline_runs: 1,
      notification_deliveries: 1,
      login_failures: 1,
      data_versions: 2,
      peak_investigation: 0,
    });
    expect(report.deleted).toBe(261);
    expect(await db().prisma.peakRawData.count()).toBe(270);
  });

  it("deletes what is older than its retention in batches and keeps the rest", async () => {
    const database = db();
    const { prisma } = database;
    const report = await runMaintenance(database, config, { now });
    const rawWindows = report.tables.find((table) => table.table === "peak_raw_data")!;
    expect(rawWindows).toMatchObject({ retentionDays: 30, deleted: 250, batches: 3, cutoff: daysAgo(30).toISOString() });
    expect(report.tables.find((table) => table.table === "peak_investigation")).toMatchObject({ retentionDays: null, deleted: 0 });
    // The old pattern's daily count went with it, so retention deletes one more, not two.
    expect(report.deleted).toBe(260);
    expect((await prisma.sourceCoverage.findMany()).map((row) => row.namespace)).toEqual(["orders"]);
    expect(await prisma.peakRawData.count()).toBe(20);
    expect((await prisma.errorPattern.findMany()).map((pattern) => pattern.patternHash)).toEqual(["recent"]);
    expect(await prisma.patternWindow.count()).toBe(1);
    expect((await prisma.patternDailyCount.findMany()).map((row) => row.occurrences)).toEqual([1]);
    expect((await prisma.namespaceVersion.findMany()).map((row) => row.version)).toEqual(["1.4.0"]);
    expect(await prisma.pipelineRun.count()).toBe(1);
    expect(await prisma.notificationDelivery.count()).toBe(0);
    expect(await prisma.loginFailure.count()).toBe(1);
    expect(await prisma.dataVersion.count({ where: { tableName: "incidents", transactionId: { lte: 3 } } })).toBe(1);
    // Peaks are kept forever by default, however old.
    expect(await prisma.peakInvestigation.count()).toBe(1);
    // The deleted windows' slot had no baseline row: retiring them creates none.
    expect(await prisma.aggregationData.count()).toBe(0);

    const again = await runMaintenance(database, config, { now });
    expect(again.deleted).toBe(0);
  });
});

// Baselines across retention: a slot learns from every window ingestion gave it, and deleting
// old windows must not make a recalculation forget them.

const grid = gridOf(defaults);
/** Six weeks from Monday 5 January 2026 (no DST change), and one more day ingested after maintenance. */
const sixWeeks = daysFrom(grid, "2026-01-05", 43);
const inputDir = mkdtempSync(path.join(os.tmpdir(), "peaks-retention-"));
const dayFile = (day: string) => path.join(inputDir, `errors-${day}.ndjson.gz`);
/** Retention (30 days) from this instant deletes exactly the first four weeks, Monday 2 February 00:00 local being the cutoff. */
const expiryNow = new Date(grid.localDayRange("2026-02-02").startMs + 30 * DAY_MS);
const retentionConfig = { ...defaults, pipeline: { ...defaults.pipeline, maintenance_batch_size: 700 } };
/** An incident in the weeks retention deletes and one in the weeks it keeps: peaks add their threshold, not their count. */
const incidents = new Map([
  ["payments", [0, 1, 2, 3].map((index) => Date.parse("2026-01-29T09:00:00Z") + index * 900_000)],
  ["orders", [0, 1, 2].map((index) => Date.parse("2026-02-12T13:00:00Z") + index * 900_000)],
]);
/** Counts with daily seasonality and deterministic noise, so that no slot's values are all equal. */
const noisyPlan: CountPlan = (namespace, start) => {
  if (incidents.get(namespace)?.includes(start)) return namespace === "payments" ? 400 : 300;
  const daily = grid.slotOf(start).hourOfDay >= 8 && grid.slotOf(start).hourOfDay < 18 ? 2 : 1;
  const noise = Math.abs(Math.imul(start / 900_000, 2_654_435_761) ^ (namespace.length * 40_503)) % 9;
  return (namespace === "orders" ? 6 : 10) * daily + noise;
};

beforeAll(async () => {
  for (const day of sixWeeks) await writeLines(dayFile(day), dayDocuments(grid, day, ["orders", "payments"], noisyPlan));
});
afterAll(() => rmSync(inputDir, { recursive: true, force: true }));

type Slot = { key: string; samples: number; mean: number; m2: number; retired: RunningStats };

async function readSlots(prisma: PrismaClient): Promise<Map<string, Slot>> {
  const rows = await prisma.aggregationData.findMany();
  return new Map(
    rows.map((row) => {
      const key = slotKey(row.namespace, row);
      return [
        key,
        { key, samples: row.samples, mean: row.mean, m2: row.m2, retired: { samples: row.retiredSamples, mean: row.retiredMean, m2: row.retiredM2 } },
      ];
    }),
  );
}

/** Relative to the larger of 1 and the expected value's size, as recalculateBaseline measures means. */
const isClose = (actual: number, expected: number) => Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));

/** The ways `actual` differs from `expected` beyond rounding, slot by slot (empty when equal). */
function differences(actual: ReadonlyMap<string, RunningStats>, expected: ReadonlyMap<string, RunningStats>): string[] {
  const found: string[] = [];
  for (const [key, stats] of expected) {
    const other = actual.get(key);
    if (!other) found.push(`${key}: missing`);
    else if (other.samples !== stats.samples || !isClose(other.mean, stats.mean) || !isClose(other.m2, stats.m2)) {
      found.push(`${key}: ${JSON.stringify(other)} instead of ${JSON.stringify(stats)}`);
    }
  }
  for (const key of actual.keys()) if (!expected.has(key)) found.push(`${key}: unexpected`);
  return found;
}

const statsOfSlots = (slots: ReadonlyMap<string, Slot>) =>
  new Map([...slots].map(([key, slot]) => [key, { samples: slot.samples, mean: slot.mean, m2: slot.m2 }]));
const retiredOfSlots = (slots: ReadonlyMap<string, Slot>) => new Map([...slots].map(([key, slot]) => [key, slot.retired]));
/** Batches deleteExpiredRows takes for `rows` rows: full ones, then one that is not. */
const batchesFor = (rows: number, batchSize: number) => Math.floor(rows / batchSize) + 1;

/** The value each stored window added to its slot, per slot in time order, for windows before `cutoff`. */
async function windowValuesBefore(prisma: PrismaClient, cutoff: Date): Promise<Map<string, number[]>> {
  const rows = await prisma.peakRawData.findMany({ where: { timestamp: { lt: cutoff } }, orderBy: { timestamp: "asc" } });
  const values = new Map<string, number[]>();
  for (const row of rows) {
    const key = slotKey(row.namespace, row);
    values.set(key, [...(values.get(key) ?? []), row.baselineValue ?? row.errorCount]);
  }
  return values;
}

describe.each(databaseKinds)("baselines across retention on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  const allSlots = 2 * 7 * 96;
  const cutoff = new Date(grid.localDayRange("2026-02-02").startMs);

  beforeAll(async () => {
    const database = db();
    const { prisma } = database;
    await ingestFiles(database, defaults, { paths: sixWeeks.slice(0, 21).map(dayFile), mode: "init" });
    const detected = await ingestFiles(database, defaults, { paths: sixWeeks.slice(21, 42).map(dayFile), mode: "detect" });
    expect(detected.detected.map((peak) => peak.namespace)).toEqual(["payments", "payments", "payments", "payments", "orders", "orders", "orders"]);
    // Windows stored before baseline_value existed have none; their count is what they added.
    await prisma.$executeRaw`UPDATE peak_raw_data SET baseline_value = NULL WHERE timestamp < ${new Date(grid.localDayRange("2026-01-06").startMs)} AND namespace = 'orders'`;
  });

  it("adds the retired columns, empty, to every slot", async () => {
    const slots = await readSlots(db().prisma);
    expect(slots.size).toBe(allSlots);
    expect([...slots.values()].every((slot) => slot.samples > 0 && slot.retired.samples === 0 && slot.retired.mean === 0 && slot.retired.m2 === 0)).toBe(true);
  });

  it("retires nothing in a dry run", async () => {
    const before = await db().prisma.aggregationData.findMany({ orderBy: { id: "asc" } });
    const expiring = await db().prisma.peakRawData.count({ where: { timestamp: { lt: cutoff } } });
    // Four weeks of both namespaces, give or take a window the source could not prove it read.
    expect(expiring).toBeGreaterThan(28 * 96 * 2 - 10);
    const report = await runMaintenance(db(), retentionConfig, { now: expiryNow, isDryRun: true });
    expect(report.tables.find((table) => table.table === "peak_raw_data")?.deleted).toBe(expiring);
    expect(await db().prisma.aggregationData.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("keeps the deleted windows in their slots, so that a recalculation gives the incremental baseline", async () => {
    const database = db();
    const { prisma } = database;
    const incremental = await readSlots(prisma);
    const expiring = await windowValuesBefore(prisma, cutoff);
    const expiringCount = [...expiring.values()].reduce((sum, values) => sum + values.length, 0);
    const storedCount = await prisma.peakRawData.count();

    const report = await runMaintenance(database, retentionConfig, { now: expiryNow });
    expect(report.tables.find((table) => table.table === "peak_raw_data")).toMatchObject({
      deleted: expiringCount,
      batches: batchesFor(expiringCount, retentionConfig.pipeline.maintenance_batch_size),
      cutoff: cutoff.toISOString(),
    });
    expect(await prisma.peakRawData.count({ where: { timestamp: { lt: cutoff } } })).toBe(0);
    const retired = await readSlots(prisma);
    // Maintenance moves windows from stored to retired: the slot's complete stats stay as they are.
    expect(statsOfSlots(retired)).toEqual(statsOfSlots(incremental));
    const expected = new Map([...expiring].map(([key, values]) => [key, statsOf(values)]));
    expect(differences(retiredOfSlots(retired), expected)).toEqual([]);

    const recalculation = await recalculateBaseline(database);
    expect(recalculation).toMatchObject({ namespaces: 2, windows: storedCount - expiringCount, slots: allSlots });
    expect(recalculation.largestMeanDifference).toBeLessThan(1e-9);
    const recalculated = await readSlots(prisma);
    expect(differences(statsOfSlots(recalculated), statsOfSlots(incremental))).toEqual([]);
    // The retired stats are what they were: recalculating again changes nothing.
    expect(retiredOfSlots(recalculated)).toEqual(retiredOfSlots(retired));
  });

  it("changes nothing when a second run deletes nothing", async () => {
    const database = db();
    const { prisma } = database;
    const before = await prisma.aggregationData.findMany({ orderBy: { id: "asc" } });
    const report = await runMaintenance(database, retentionConfig, { now: expiryNow });
    expect(report.tables.find((table) => table.table === "peak_raw_data")).toMatchObject({ deleted: 0, batches: 1 });
    expect(await prisma.aggregationData.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("keeps the retired stats when ingestion updates a slot afterwards", async () => {
    const database = db();
    const { prisma } = database;
    const before = await readSlots(prisma);
    await ingestFiles(database, defaults, { paths: [dayFile(sixWeeks[42]!)], mode: "detect" });
    const incremental = await readSlots(prisma);
    // Monday's slots got another window; the other slots are as they were.
    const grown = [...incremental.values()].filter((slot) => slot.samples > (before.get(slot.key)?.samples ?? 0));
    expect(grown.length).toBeGreaterThan(2 * 96 - 10);
    expect(retiredOfSlots(incremental)).toEqual(retiredOfSlots(before));
    const recalculation = await recalculateBaseline(database);
    expect(recalculation.largestMeanDifference).toBeLessThan(1e-9);
    expect(differences(statsOfSlots(await readSlots(prisma)), statsOfSlots(incremental))).toEqual([]);
  });

  it("keeps nothing of a deleted window whose slot has no baseline", async () => {
    const database = db();
    const { prisma } = database;
    const before = await prisma.aggregationData.findMany({ orderBy: { id: "asc" } });
    const old = new Date(grid.localDayRange("2026-01-07").startMs);
    await prisma.peakRawData.create({ data: { timestamp: old, namespace: "stray", errorCount: 5, baselineValue: 5, ...grid.slotOf(old.getTime()) } });
    const report = await runMaintenance(database, retentionConfig, { now: expiryNow });
    expect(report.tables.find((table) => table.table === "peak_raw_data")?.deleted).toBe(1);
    expect(await prisma.aggregationData.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});

// Installations that ran maintenance before the retired columns existed: migration 0009 gives
// each slot the stats of the windows it holds beyond those still stored.

const RETIRED_MIGRATION = "0009_retired_baseline";

describe.each(databaseKinds)("the retired-baseline migration on %s", (kind: DatabaseKind) => {
  let database: TestDatabase;
  let earlierMigrations: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    earlierMigrations = mkdtempSync(path.join(os.tmpdir(), "peaks-migrations-"));
    cpSync(DEFAULT_MIGRATIONS_DIR, earlierMigrations, { recursive: true });
    // Only the migrations before 0009, as an installation of the previous version has them.
    for (const name of readdirSync(earlierMigrations).filter((name) => name >= RETIRED_MIGRATION))
      rmSync(path.join(earlierMigrations, name), { recursive: true });
  });
  afterAll(async () => {
    await database.drop();
    rmSync(earlierMigrations, { recursive: true, force: true });
  });

  it("backfills the retired stats of slots that already lost windows, and a recalculation keeps them", async () => {
    await migrate(database.connection, earlierMigrations);
    // Four slots of one weekday at 09:00, a window a week: values in time order, and how many of
    // the oldest maintenance deleted before the upgrade (null: a window stored without baseline_value).
    const slots = [
      { quarterHour: 0, values: [12, 15, null, 9, 30.5, 14], deleted: 4 },
      { quarterHour: 1, values: [7, 8, 9], deleted: 0 },
      { quarterHour: 2, values: [40, 41, 39], deleted: 3 },
      { quarterHour: 3, values: [5, 6], deleted: 0, samples: 1 },
    ];
    const firstWeek = Date.parse("2026-01-07T08:00:00Z");
    const client = new pg.Client(database.connection);
    await client.connect();
    const expected = new Map<string, { retired: RunningStats; recalculated: RunningStats }>();
    try {
      for (const slot of slots) {
        const keys = { dayOfWeek: 3, hourOfDay: 9, quarterHour: slot.quarterHour };
        const counted = slot.values.map((value) => value ?? 20);
        const complete = statsOf(counted.slice(0, slot.samples ?? counted.length));
        await client.query(
          "INSERT INTO aggregation_data (day_of_week, hour_of_day, quarter_hour, namespace, mean, stddev, samples, m2) VALUES ($1, $2, $3, 'orders', $4, 0, $5, $6)",
          [keys.dayOfWeek, keys.hourOfDay, keys.quarterHour, complete.mean, complete.samples, complete.m2],
        );
        for (const [week, value] of slot.values.entries()) {
          if (week < slot.deleted) continue;
          const timestamp = new Date(firstWeek + week * 7 * DAY_MS + slot.quarterHour * 900_000);
          await client.query(
            "INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count, baseline_value) VALUES ($1, $2, $3, $4, 'orders', 20, $5)",
            [timestamp, keys.dayOfWeek, keys.hourOfDay, keys.quarterHour, value],
          );
        }
        // The slot with fewer samples than stored windows retired nothing: it is recomputed from its windows.
        const retired = slot.samples === undefined ? statsOf(counted.slice(0, slot.deleted)) : statsOf([]);
        expected.set(slotKey("orders", keys), { retired, recalculated: slot.samples === undefined ? complete : statsOf(counted) });
      }
    } finally {
      await client.end();
    }

    const opened = await database.open();
    try {
      const backfilled = await readSlots(opened.prisma);
      expect(differences(retiredOfSlots(backfilled), new Map([...expected].map(([key, slot]) => [key, slot.retired])))).toEqual([]);
      const recalculation = await recalculateBaseline(opened);
      expect(differences(statsOfSlots(await readSlots(opened.prisma)), new Map([...expected].map(([key, slot]) => [key, slot.recalculated])))).toEqual([]);
      expect(recalculation.slots).toBe(4);
    } finally {
      await opened.close();
    }
  });
});

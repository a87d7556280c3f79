import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "@/test/support/test-database";
import { migrationsBefore, runSql as run } from "@/test/support/migrations-before";
import { migrate, readMigrations } from "./migrate";

const INCIDENTS_MIGRATION = "0012_incidents";

describe.each(databaseKinds)("the incidents migration on %s", (kind) => {
  let database: TestDatabase;
  let folder: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    folder = await migrationsBefore(INCIDENTS_MIGRATION);
  });
  afterAll(async () => {
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("builds incidents for the peaks stored before it: consecutive windows per namespace, their status, ended when followed by quiet windows", async () => {
    await migrate(database.connection, folder);
    const peak = (minutes: number, namespace: string, status: string) =>
      run(
        database.connection,
        `INSERT INTO peak_investigation (timestamp, namespace, day_of_week, hour_of_day, quarter_hour, status, severity, error_count, baseline_mean,
           baseline_stddev, baseline_samples, ratio, required_ratio, average_24h, reference_counts)
         VALUES ($1, $2, 1, 8, 0, $3, 'high', 400, 40, 5, 4, 10, 3, 40, '{}')`,
        [new Date(Date.UTC(2026, 10, 23, 8, 0) + minutes * 60_000), namespace, status],
      );
    // payments: 08:00, 08:15 and 08:45 (30 minutes after the last window's end) form one incident; 10:00 another.
    await peak(0, "payments", "resolved");
    await peak(15, "payments", "open");
    await peak(45, "payments", "resolved");
    await peak(120, "payments", "false_positive");
    await peak(15, "orders", "acknowledged");
    // Four counted windows after payments' 10:00 window end both its incidents; orders has none after its own.
    for (const minutes of [135, 150, 165, 180]) {
      await run(
        database.connection,
        `INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count) VALUES ($1, 1, 10, 0, 'payments', 20)`,
        [new Date(Date.UTC(2026, 10, 23, 8, 0) + minutes * 60_000)],
      );
    }

    const report = await migrate(database.connection);
    expect(report.applied).toEqual((await readMigrations()).filter((migration) => migration.name >= INCIDENTS_MIGRATION).map((migration) => migration.name));

    const incidents = await run<{ namespace: string; started_at: Date; last_window_at: Date; status: string; ended: boolean; windows: string }>(
      database.connection,
      `SELECT i.namespace, i.started_at, i.last_window_at, i.status, i.ended_at IS NOT NULL AS ended, COUNT(p.id)::text AS windows
         FROM incidents i JOIN peak_investigation p ON p.incident_id = i.id
        GROUP BY i.id ORDER BY i.namespace, i.started_at`,
    );
    expect(
      incidents.map(({ namespace, started_at, last_window_at, status, ended, windows }) => [
        namespace,
        started_at.toISOString(),
        last_window_at.toISOString(),
        status,
        ended,
        windows,
      ]),
    ).toEqual([
      ["orders", "2026-11-23T08:15:00.000Z", "2026-11-23T08:15:00.000Z", "acknowledged", false, "1"],
      ["payments", "2026-11-23T08:00:00.000Z", "2026-11-23T08:45:00.000Z", "open", true, "3"],
      ["payments", "2026-11-23T10:00:00.000Z", "2026-11-23T10:00:00.000Z", "false_positive", true, "1"],
    ]);
    const unplaced = await run<{ count: string }>(database.connection, "SELECT COUNT(*)::text AS count FROM peak_investigation WHERE incident_id IS NULL");
    expect(unplaced).toEqual([{ count: "0" }]);
  });
});

import { describe, expect, it } from "vitest";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { readDataVersions, type VersionedTable } from "./data-versions";

const TABLES: readonly VersionedTable[] = ["aggregation_data", "peak_raw_data", "threshold_settings"];

/** The version of each table, 0 for a table never written. */
async function versionsOf(read: () => Promise<string>): Promise<Record<string, number>> {
  const text = await read();
  const versions: Record<string, number> = Object.fromEntries(TABLES.map((table) => [table, 0]));
  for (const entry of text === "" ? [] : text.split(",")) {
    const [table, , version] = entry.split(":");
    versions[table!] = Number(version);
  }
  return versions;
}

describe.each(databaseKinds)("data versions on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const versions = () => versionsOf(() => readDataVersions(db(), TABLES));
  const insertWindow = (namespace: string, minute: number) =>
    `INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count)
     VALUES ('2026-11-26T10:${String(minute).padStart(2, "0")}:00Z', 3, 10, ${minute / 15}, '${namespace}', 4)`;

  it("counts each statement that writes a table once, whatever the number of rows, in the writer's transaction", async () => {
    const { prisma } = db();
    expect(await readDataVersions(db(), TABLES)).toBe("");
    await prisma.$executeRawUnsafe(
      `INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count)
       SELECT '2026-11-26T10:00:00Z'::timestamptz, 3, 10, 0, 'ns-' || n, n FROM generate_series(1, 500) AS n`,
    );
    expect(await versions()).toEqual({ aggregation_data: 0, peak_raw_data: 1, threshold_settings: 0 });

    await prisma.$executeRawUnsafe(`UPDATE peak_raw_data SET error_count = error_count + 1 WHERE namespace LIKE 'ns-1%'`);
    await prisma.$executeRawUnsafe(`DELETE FROM peak_raw_data WHERE namespace = 'ns-7'`);
    await prisma.thresholdSetting.create({ data: { values: { min_absolute_value: 50 } } });
    await prisma.$executeRawUnsafe(
      `INSERT INTO aggregation_data (day_of_week, hour_of_day, quarter_hour, namespace, mean, stddev, samples, m2, updated_at)
       VALUES (3, 10, 0, 'ns-1', 4, 0, 1, 0, now())`,
    );
    expect(await versions()).toEqual({ aggregation_data: 1, peak_raw_data: 3, threshold_settings: 1 });

    // A statement that matched no row still wrote the table as far as a reader can tell: counted.
    await prisma.$executeRawUnsafe(`DELETE FROM peak_raw_data WHERE namespace = 'nobody'`);
    expect((await versions()).peak_raw_data).toBe(4);
  });

  it("leaves the version of a rolled-back write as it was, and shows a committed one only once it is committed", async () => {
    const { prisma } = db();
    const before = await versions();
    await expect(
      prisma.$transaction(async (transaction) => {
        await transaction.$executeRawUnsafe(insertWindow("rolled-back", 15));
        throw new Error("abandoned");
      }),
    ).rejects.toThrow("abandoned");
    expect(await versions()).toEqual(before);

    await prisma.$transaction(async (transaction) => {
      await transaction.$executeRawUnsafe(insertWindow("kept", 30));
      await transaction.$executeRawUnsafe(insertWindow("kept", 45));
    });
    expect(await versions()).toEqual({ ...before, peak_raw_data: before.peak_raw_data! + 2 });
  });

  it("counts a TRUNCATE, also of a table emptied by CASCADE", async () => {
    const { prisma } = db();
    const before = await versions();
    await prisma.$executeRawUnsafe(`TRUNCATE peak_raw_data, aggregation_data`);
    expect(await versions()).toEqual({ ...before, peak_raw_data: before.peak_raw_data! + 1, aggregation_data: before.aggregation_data! + 1 });
    expect(await prisma.peakRawData.count()).toBe(0);
  });

  it("counts writes of incidents and peaks too", async () => {
    const { prisma } = db();
    const tables: VersionedTable[] = ["incidents", "peak_investigation"];
    expect(await readDataVersions(db(), tables)).toBe("");
    const incident = await prisma.incident.create({
      data: { namespace: "payments", startedAt: new Date("2026-11-26T10:00:00Z"), lastWindowAt: new Date("2026-11-26T10:00:00Z") },
    });
    await prisma.incident.update({ where: { id: incident.id }, data: { status: "acknowledged" } });
    expect(await readDataVersions(db(), tables)).toMatch(/^incidents:[0-9a-f-]{36}:2$/);
  });

  it("answers only the tables asked for, each with a generation drawn when its row was first written", async () => {
    const text = await readDataVersions(db(), ["threshold_settings"]);
    expect(text).toMatch(/^threshold_settings:[0-9a-f-]{36}:\d+$/);
    const all = await readDataVersions(db(), TABLES);
    const generations = all.split(",").map((entry) => entry.split(":")[1]);
    expect(new Set(generations).size).toBe(3);
  });
});

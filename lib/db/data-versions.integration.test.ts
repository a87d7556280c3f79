import { describe, expect, it } from "vitest";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { createVersionedRead, readDataVersions, readTableVersions, type VersionedTable } from "./data-versions";

const TABLES: readonly VersionedTable[] = ["aggregation_data", "incidents", "peak_investigation", "peak_raw_data", "threshold_settings"];

/** How many writing transactions each table has recorded, 0 for a table never written. */
async function writesOf(text: string): Promise<Record<string, number>> {
  const writes: Record<string, number> = Object.fromEntries(TABLES.map((table) => [table, 0]));
  for (const entry of text === "" ? [] : text.split(",")) {
    const [table, count] = entry.split(":");
    writes[table!] = Number(count);
  }
  return writes;
}

const insertWindow = (namespace: string, minute: number) =>
  `INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count)
   VALUES ('2026-11-26T10:${String(minute).padStart(2, "0")}:00Z', 3, 10, ${minute / 15}, '${namespace}', 4)`;

describe.each(databaseKinds)("data versions on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const writes = async () => writesOf(await readDataVersions(db(), TABLES));

  it("records each transaction that writes a table once, whatever its statements and rows", async () => {
    const { prisma } = db();
    expect(await readDataVersions(db(), TABLES)).toBe("");
    await prisma.$executeRawUnsafe(
      `INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count)
       SELECT '2026-11-26T10:00:00Z'::timestamptz, 3, 10, 0, 'ns-' || n, n FROM generate_series(1, 500) AS n`,
    );
    expect(await writes()).toMatchObject({ peak_raw_data: 1, aggregation_data: 0 });

    await prisma.$executeRawUnsafe(`UPDATE peak_raw_data SET error_count = error_count + 1 WHERE namespace LIKE 'ns-1%'`);
    await prisma.$executeRawUnsafe(`DELETE FROM peak_raw_data WHERE namespace = 'ns-7'`);
    await prisma.$transaction([
      prisma.$executeRawUnsafe(insertWindow("together", 15)),
      prisma.$executeRawUnsafe(insertWindow("together", 30)),
      prisma.thresholdSetting.create({ data: { values: { min_absolute_value: 50 } } }),
    ]);
    await prisma.$executeRawUnsafe(
      `INSERT INTO aggregation_data (day_of_week, hour_of_day, quarter_hour, namespace, mean, stddev, samples, m2, updated_at)
       VALUES (3, 10, 0, 'ns-1', 4, 0, 1, 0, now())`,
    );
    expect(await writes()).toEqual({ aggregation_data: 1, incidents: 0, peak_investigation: 0, peak_raw_data: 4, threshold_settings: 1 });

    // A statement that matched no row may still have changed what a reader computes: recorded.
    await prisma.$executeRawUnsafe(`DELETE FROM peak_raw_data WHERE namespace = 'nobody'`);
    expect((await writes()).peak_raw_data).toBe(5);
  });

  it("records nothing of a rolled-back write", async () => {
    const { prisma } = db();
    const before = await readDataVersions(db(), TABLES);
    await expect(
      prisma.$transaction(async (transaction) => {
        await transaction.$executeRawUnsafe(insertWindow("rolled-back", 45));
        throw new Error("abandoned");
      }),
    ).rejects.toThrow("abandoned");
    expect(await readDataVersions(db(), TABLES)).toBe(before);
  });

  it("records a TRUNCATE, also of a table emptied by CASCADE, and writes of incidents and peaks", async () => {
    const { prisma } = db();
    const before = await writes();
    await prisma.$executeRawUnsafe(`TRUNCATE peak_raw_data, aggregation_data`);
    const incident = await prisma.incident.create({
      data: { namespace: "payments", startedAt: new Date("2026-11-26T10:00:00Z"), lastWindowAt: new Date("2026-11-26T10:00:00Z") },
    });
    await prisma.incident.update({ where: { id: incident.id }, data: { status: "acknowledged" } });
    await prisma.$executeRawUnsafe(`TRUNCATE incidents CASCADE`);
    expect(await writes()).toEqual({
      ...before,
      peak_raw_data: before.peak_raw_data! + 1,
      aggregation_data: before.aggregation_data! + 1,
      incidents: 3,
      // Emptied by the cascade from incidents.
      peak_investigation: 1,
    });
  });
});

describe.each(databaseKinds)("versioned reads on %s", (kind) => {
  const db = useMigratedDatabase(kind);

  /** A versioned read of peak_raw_data that counts how often each key was computed. */
  function countedRead(keep: number) {
    const computed = new Map<string, number>();
    const reuse = createVersionedRead<string>(["peak_raw_data"], keep);
    const read = (key: string) =>
      reuse(db(), key, async () => {
        computed.set(key, (computed.get(key) ?? 0) + 1);
        return `value of ${key}`;
      });
    return { computed, read };
  }

  it("keeps several keys asked for in turn, and reads them again once their table is written", async () => {
    const { computed, read } = countedRead(3);
    for (let round = 0; round < 3; round += 1) {
      for (const key of ["first page", "search", "overview"]) expect(await read(key)).toBe(`value of ${key}`);
    }
    expect(Object.fromEntries(computed)).toEqual({ "first page": 1, search: 1, overview: 1 });

    await db().prisma.$executeRawUnsafe(insertWindow("versioned", 0));
    await read("search");
    await read("search");
    await read("first page");
    expect(Object.fromEntries(computed)).toEqual({ "first page": 2, search: 2, overview: 1 });
  });

  it("drops the key asked for least recently beyond its limit", async () => {
    const { computed, read } = countedRead(2);
    await read("a");
    await read("b");
    await read("a");
    await read("c");
    // b was asked for least recently: dropped; a and c are kept.
    await read("a");
    await read("c");
    await read("b");
    expect(Object.fromEntries(computed)).toEqual({ a: 1, b: 2, c: 1 });
  });

  it("takes the versions a request read already when they cover its tables, and reads its own otherwise", async () => {
    const reuse = createVersionedRead<number>(["peak_raw_data"]);
    let reads = 0;
    const read = () => Promise.resolve((reads += 1));
    const before = await readTableVersions(db(), ["incidents", "peak_raw_data"]);
    expect(await reuse(db(), "key", read, before)).toBe(1);
    expect(await reuse(db(), "key", read)).toBe(1);

    await db().prisma.$executeRawUnsafe(insertWindow("given versions", 45));
    // The request's own view of the tables, read before the write.
    expect(await reuse(db(), "key", read, before)).toBe(1);
    expect(await reuse(db(), "key", read, await readTableVersions(db(), ["incidents", "peak_raw_data"]))).toBe(2);
    // Versions of other tables alone say nothing of peak_raw_data: it reads its own (unchanged since).
    expect(await reuse(db(), "key", read, await readTableVersions(db(), ["incidents"]))).toBe(2);
    await db().prisma.$executeRawUnsafe(insertWindow("given versions", 30));
    expect(await reuse(db(), "key", read, await readTableVersions(db(), ["incidents"]))).toBe(3);
  });

  it("reads again after a failed read", async () => {
    const reuse = createVersionedRead<number>(["peak_raw_data"]);
    await expect(reuse(db(), "key", () => Promise.reject(new Error("lost connection")))).rejects.toThrow("lost connection");
    expect(await reuse(db(), "key", () => Promise.resolve(7))).toBe(7);
  });
});

describe("data versions on postgres, with writers at once", () => {
  const db = useMigratedDatabase("postgres");

  it("changes when a transaction that began before the newest recorded one commits, and no writer waits for another", async () => {
    const { prisma } = db();
    let releaseEarly = () => {};
    const held = new Promise<void>((resolve) => (releaseEarly = resolve));
    let wrote = () => {};
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const early = prisma.$transaction(
      async (transaction) => {
        await transaction.$executeRawUnsafe(insertWindow("early", 0));
        wrote();
        await held;
      },
      { timeout: 20_000 },
    );
    await written;
    // Another writer of the same table commits while the first is still open: it does not wait.
    await prisma.$executeRawUnsafe(insertWindow("late", 15));
    const whileOpen = await readDataVersions(db(), ["peak_raw_data"]);
    expect(whileOpen).toMatch(/^peak_raw_data:1:\d+$/);
    releaseEarly();
    await early;
    const afterCommit = await readDataVersions(db(), ["peak_raw_data"]);
    expect(afterCommit).toMatch(/^peak_raw_data:2:\d+$/);
    // The early transaction's row has the smaller id: the newest id alone would not have told.
    expect(afterCommit.split(":")[2]).toBe(whileOpen.split(":")[2]);
  });
});

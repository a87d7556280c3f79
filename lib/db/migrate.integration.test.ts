import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "@/test/support/test-database";
import { DEFAULT_MIGRATIONS_DIR, MIGRATIONS_TABLE, migrate, readMigrations } from "./migrate";

async function query<Row extends pg.QueryResultRow>(connection: pg.ClientConfig, sql: string): Promise<Row[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

function tableNames(connection: pg.ClientConfig): Promise<string[]> {
  return query<{ table_name: string }>(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name").then(
    (rows) => rows.map((row) => row.table_name),
  );
}

function copyOfMigrations(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), "peaks-migrations-"));
  cpSync(DEFAULT_MIGRATIONS_DIR, directory, { recursive: true });
  return directory;
}

describe.each(databaseKinds)("migrations on %s", (kind) => {
  let database: TestDatabase;
  const folders: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database.drop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it("creates every table of the schema, the six seed tables under their seed names", async () => {
    const report = await migrate(database.connection);
    expect(report.applied).toEqual((await readMigrations()).map((migration) => migration.name));
    const tables = await tableNames(database.connection);
    for (const seedTable of ["peak_raw_data", "aggregation_data", "peak_investigation", "known_issues", "known_peaks", "error_patterns"]) {
      expect(tables).toContain(seedTable);
    }
    for (const productTable of ["pipeline_runs", "users", "threshold_settings", "notification_deliveries", "audit_log", MIGRATIONS_TABLE]) {
      expect(tables).toContain(productTable);
    }
  });

  it("enforces the seed's unique keys", async () => {
    const uniques = await query<{ indexname: string; indexdef: string }>(
      database.connection,
      "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('peak_raw_data_window_key', 'peak_investigation_window_key')",
    );
    const definitions = Object.fromEntries(uniques.map((row) => [row.indexname, row.indexdef]));
    expect(definitions.peak_raw_data_window_key).toMatch(/UNIQUE.*\("timestamp", day_of_week, hour_of_day, quarter_hour, namespace\)/);
    expect(definitions.peak_investigation_window_key).toMatch(/UNIQUE.*\("timestamp", namespace\)/);
  });

  it("is a no-op when applied twice", async () => {
    const before = await query<{ name: string; applied_at: Date }>(database.connection, `SELECT name, applied_at FROM "${MIGRATIONS_TABLE}"`);
    const report = await migrate(database.connection);
    expect(report.applied).toEqual([]);
    expect(report.alreadyApplied).toBe(before.length);
    const after = await query<{ name: string; applied_at: Date }>(database.connection, `SELECT name, applied_at FROM "${MIGRATIONS_TABLE}"`);
    expect(after).toEqual(before);
  });

  it("rolls a failing migration back entirely and names it and its line", async () => {
    const directory = copyOfMigrations();
    folders.push(directory);
    mkdirSync(path.join(directory, "9999_broken"));
    writeFileSync(
      path.join(directory, "9999_broken", "migration.sql"),
      'CREATE TABLE "half_done" (id int);\nALTER TABLE "users" ADD COLUMN "nickname" text;\nSELEC broken;\n',
    );
    await expect(migrate(database.connection, directory)).rejects.toThrow(/Migration 9999_broken failed at line 3: .*syntax error.*Nothing of it was applied/);
    expect(await tableNames(database.connection)).not.toContain("half_done");
    const columns = await query<{ column_name: string }>(
      database.connection,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'",
    );
    expect(columns).toEqual([]);
    const recorded = await query<{ name: string }>(database.connection, `SELECT name FROM "${MIGRATIONS_TABLE}" WHERE name = '9999_broken'`);
    expect(recorded).toEqual([]);
  });

  it("refuses to run when an applied migration was edited", async () => {
    const directory = copyOfMigrations();
    folders.push(directory);
    const [first] = await readMigrations(directory);
    appendFileSync(path.join(directory, first!.name, "migration.sql"), "\n-- edited\n");
    await expect(migrate(database.connection, directory)).rejects.toThrow(`Migration ${first!.name} was changed after it was applied`);
  });

  it("refuses a database migrated by a newer version", async () => {
    await query(database.connection, `INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ('9999_from_the_future', 'x')`);
    try {
      await expect(migrate(database.connection)).rejects.toThrow("The database has migration 9999_from_the_future, which this version does not know");
    } finally {
      await query(database.connection, `DELETE FROM "${MIGRATIONS_TABLE}" WHERE name = '9999_from_the_future'`);
    }
  });
});

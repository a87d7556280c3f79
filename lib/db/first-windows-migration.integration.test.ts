import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "@/test/support/test-database";
import { DEFAULT_MIGRATIONS_DIR, migrate, readMigrations } from "./migrate";

const FIRST_WINDOWS_MIGRATION = "0013_pattern_first_windows";

/** The migrations up to (not including) `name`, in a folder of their own. */
async function migrationsBefore(name: string): Promise<string> {
  const directory = mkdtempSync(path.join(os.tmpdir(), "peaks-migrations-"));
  for (const migration of await readMigrations()) {
    if (migration.name >= name) break;
    cpSync(path.join(DEFAULT_MIGRATIONS_DIR, migration.name), path.join(directory, migration.name), { recursive: true });
  }
  return directory;
}

async function run<Row extends pg.QueryResultRow>(connection: pg.ClientConfig, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe.each(databaseKinds)("the patterns' first windows migration on %s", (kind) => {
  let database: TestDatabase;
  let folder: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    folder = await migrationsBefore(FIRST_WINDOWS_MIGRATION);
  });
  afterAll(async () => {
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("fills each stored pattern's first window per namespace from its daily counts, else its first occurrence, so that nothing stored looks new", async () => {
    await migrate(database.connection, folder);
    const firstSeen = new Date(Date.UTC(2026, 10, 20, 9, 30));
    await run(
      database.connection,
      `INSERT INTO error_patterns (pattern_hash, template, first_seen, last_seen, occurrences, namespaces, example_messages)
       VALUES ('p-daily', 'refused <*>', $1, $1, 30, '{orders,payments}', '{}'), ('p-older', 'timeout <*>', $1, $1, 5, '{payments}', '{}'),
              ('p-nowhere', 'quota <*>', $1, $1, 0, '{}', '{}')`,
      [firstSeen],
    );
    // payments counted it from 20 November (its first occurrence anywhere was at 09:30 that day), orders from 22 November.
    await run(
      database.connection,
      `INSERT INTO pattern_daily_counts (pattern_hash, day, namespace, occurrences)
       VALUES ('p-daily', '2026-11-20', 'payments', 10), ('p-daily', '2026-11-21', 'payments', 10), ('p-daily', '2026-11-22', 'orders', 10)`,
    );
    await migrate(database.connection);
    const rows = await run<{ pattern_hash: string; namespace_first_windows: Record<string, number> }>(
      database.connection,
      "SELECT pattern_hash, namespace_first_windows FROM error_patterns ORDER BY pattern_hash",
    );
    expect(rows).toEqual([
      { pattern_hash: "p-daily", namespace_first_windows: { orders: Date.UTC(2026, 10, 22), payments: Date.UTC(2026, 10, 20) } },
      // Counted before daily counts existed: its first occurrence anywhere stands in.
      { pattern_hash: "p-nowhere", namespace_first_windows: {} },
      { pattern_hash: "p-older", namespace_first_windows: { payments: firstSeen.getTime() } },
    ]);
  });
});

import { cpSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from "@/lib/db/migrate";

// For tests of a migration's data step: a database migrated to just before it, and plain SQL
// against it (the schema of that moment, which the generated clients no longer describe).

/** The migrations up to (not including) `name`, in a folder of their own; the caller removes it. */
export async function migrationsBefore(name: string): Promise<string> {
  const directory = mkdtempSync(path.join(os.tmpdir(), "peaks-migrations-"));
  for (const migration of await readMigrations()) {
    if (migration.name >= name) break;
    cpSync(path.join(DEFAULT_MIGRATIONS_DIR, migration.name), path.join(directory, migration.name), { recursive: true });
  }
  return directory;
}

/** One statement on a connection of its own; its rows. */
export async function runSql<Row extends pg.QueryResultRow>(connection: pg.ClientConfig, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

import { sql } from "kysely";
import { MIGRATIONS_TABLE, readMigrations } from "./migrate";
import type { Db } from "./client";

/** The names of the migrations the database records as applied (none when it was never migrated); throws what the driver throws. */
export async function appliedMigrationNames(db: Db): Promise<string[]> {
  const table = await sql<{ present: boolean }>`SELECT to_regclass(${MIGRATIONS_TABLE}) IS NOT NULL AS present`.execute(db.kysely);
  if (table.rows[0]?.present !== true) return [];
  const { rows } = await sql<{ name: string }>`SELECT name FROM ${sql.table(MIGRATIONS_TABLE)} ORDER BY name`.execute(db.kysely);
  return rows.map((row) => row.name);
}

let knownMigrations: Promise<string[]> | undefined;

/** The names of the migrations this version ships, read once per process (the folder does not change while it runs). */
export function shippedMigrationNames(): Promise<string[]> {
  knownMigrations ??= readMigrations().then(
    (migrations) => migrations.map((migration) => migration.name),
    (error: unknown) => {
      knownMigrations = undefined;
      throw error;
    },
  );
  return knownMigrations;
}

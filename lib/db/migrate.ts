// The project's own migration runner rather than `prisma migrate deploy`: Prisma's migration
// engine is a binary downloaded at install time, which an offline or locked-down machine cannot
// fetch, and it cannot run inside the embedded database's single connection. This runner needs
// only the `pg` driver: plain SQL files, one transaction each, checksums, an advisory lock.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { MigrationError } from "@/lib/errors";

/** The table that records applied migrations. */
export const MIGRATIONS_TABLE = "_peaks_migrations";

/** Where the project's migrations live: one folder per migration holding `migration.sql`. */
export const DEFAULT_MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

// Serialises migrators on PostgreSQL; on the embedded database the open transaction does.
const ADVISORY_LOCK_KEY = 7_104_311_822;
// SQLSTATE of "permission denied" and "must be owner of".
const INSUFFICIENT_PRIVILEGE = "42501";

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationReport = { applied: string[]; alreadyApplied: number };

/** Reads the migration folders in name order. */
export async function readMigrations(directory: string = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  let entries;
  try {
    // The folder is read at run time from the project, never bundled.
    entries = await readdir(/*turbopackIgnore: true*/ directory, { withFileTypes: true });
  } catch (error) {
    throw new MigrationError(`Cannot read the migrations folder ${directory}: ${(error as Error).message}`);
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(directory, name, "migration.sql");
      let sql;
      try {
        sql = await readFile(/*turbopackIgnore: true*/ file, "utf8");
      } catch {
        throw new MigrationError(`Migration ${name} has no migration.sql (${file})`);
      }
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

function lineOf(sql: string, position: string | undefined): number | undefined {
  const offset = Number(position);
  if (!Number.isInteger(offset) || offset < 1) return undefined;
  return sql.slice(0, offset - 1).split("\n").length;
}

/**
 * Applies pending migrations, each in its own transaction, recording it in the same
 * transaction. Applying twice is a no-op; a failing migration is rolled back entirely and
 * reported with its name and line; an applied migration whose file changed is refused.
 */
export async function migrate(connection: pg.ClientConfig, directory?: string): Promise<MigrationReport> {
  const migrations = await readMigrations(directory);
  const client = new pg.Client(connection);
  client.on("error", () => {});
  await client.connect();
  try {
    // Created only when missing: CREATE TABLE IF NOT EXISTS needs the CREATE privilege on the
    // schema even when the table exists, which the app's own role does not have (see database-roles.ts).
    const existing = await client.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [`"${MIGRATIONS_TABLE}"`]);
    if ((existing.rows[0]?.found ?? null) === null) {
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
           name text PRIMARY KEY,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
    }
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}" ORDER BY name`);
    const known = new Map(migrations.map((migration) => [migration.name, migration]));
    for (const row of rows) {
      const migration = known.get(row.name);
      if (!migration) {
        throw new MigrationError(`The database has migration ${row.name}, which this version does not know: it was migrated by a newer version`);
      }
      if (migration.checksum !== row.checksum) {
        throw new MigrationError(`Migration ${row.name} was changed after it was applied; add a new migration instead of editing it`);
      }
    }
    const appliedNames = new Set(rows.map((row) => row.name));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (appliedNames.has(migration.name)) continue;
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCK_KEY]);
        const done = await client.query(`SELECT 1 FROM "${MIGRATIONS_TABLE}" WHERE name = $1`, [migration.name]);
        if (done.rowCount === 0) {
          await client.query(migration.sql);
          await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
          applied.push(migration.name);
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        const databaseError = error as pg.DatabaseError;
        const line = lineOf(migration.sql, databaseError.position);
        // The app's own role may not change the schema: the owner applies migrations.
        const advice =
          databaseError.code === INSUFFICIENT_PRIVILEGE
            ? " The database user may not change the schema: apply migrations with the owner's DATABASE_URL (`peaks db migrate`) first."
            : "";
        throw new MigrationError(
          `Migration ${migration.name} failed${line ? ` at line ${line}` : ""}: ${databaseError.message}. Nothing of it was applied.${advice}`,
        );
      }
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await client.end().catch(() => {});
  }
}

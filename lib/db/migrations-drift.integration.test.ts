import { spawnSync } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childProcessEnvironment } from "@/lib/env.js";
import { startPostgres, type PostgresServer } from "@/test/support/postgres-server";
import { migrate, MIGRATIONS_TABLE } from "./migrate";

/**
 * What migrations add by hand that schema.prisma cannot say, as catalog lines (see catalogOf).
 * Anything else found on one side only is drift: a migration that does not build the schema, or
 * a schema change without its migration.
 */
const HAND_WRITTEN = [
  "index | peak_investigation | CREATE INDEX ON public.peak_investigation USING gin (peak_pattern_ids(top_patterns))",
  "constraint | peak_notes | c | CHECK (((char_length(text) >= 1) AND (char_length(text) <= 4000)))",
  "function | forget_baseline_spreads",
  "function | peak_pattern_ids",
  "function | record_data_version",
  "trigger | aggregation_data | aggregation_data_deleted_spreads",
  "trigger | aggregation_data | aggregation_data_inserted_spreads",
  "trigger | aggregation_data | aggregation_data_truncated_spreads",
  "trigger | aggregation_data | aggregation_data_updated_spreads",
  "trigger | aggregation_data | aggregation_data_version",
  "trigger | error_patterns | error_patterns_version",
  "trigger | incidents | incidents_version",
  "trigger | pattern_daily_counts | pattern_daily_counts_version",
  "trigger | pattern_windows | pattern_windows_version",
  "trigger | peak_investigation | peak_investigation_version",
  "trigger | peak_raw_data | peak_raw_data_version",
  "trigger | threshold_settings | threshold_settings_version",
];

/** Tables, columns, indexes, constraints, enums and functions of a database's public schema, one line each, sorted. */
async function catalogOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const lines = async (kind: string, sql: string) =>
      (await client.query<Record<string, string>>(sql, [MIGRATIONS_TABLE])).rows.map((row) => [kind, ...Object.values(row)].join(" | "));
    const all = [
      ...(await lines(
        "column",
        `SELECT table_name, column_name, data_type, udt_name, is_nullable, coalesce(column_default, '') AS "default"
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> $1`,
      )),
      // Index names differ harmlessly between a rename in a migration and a fresh schema.
      ...(await lines(
        "index",
        `SELECT tablename, regexp_replace(indexdef, 'INDEX \\S+ ON', 'INDEX ON') AS definition
           FROM pg_indexes WHERE schemaname = 'public' AND tablename <> $1`,
      )),
      ...(await lines(
        "constraint",
        `SELECT conrelid::regclass::text AS "table", contype::text AS kind, pg_get_constraintdef(oid) AS definition
           FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> $1`,
      )),
      ...(await lines(
        "enum",
        `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE $1::text IS NOT NULL GROUP BY t.typname`,
      )),
      ...(await lines("function", `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND $1::text IS NOT NULL`)),
      ...(await lines("trigger", `SELECT tgrelid::regclass::text AS "table", tgname FROM pg_trigger WHERE NOT tgisinternal AND $1::text IS NOT NULL`)),
    ];
    return all.sort();
  } finally {
    await client.end();
  }
}

describe("the migrations and schema.prisma", () => {
  let server: PostgresServer;
  const urlOf = (database: string) => server.url.replace(/\/postgres$/, `/${database}`);

  beforeAll(async () => {
    server = await startPostgres();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("CREATE DATABASE from_migrations");
    await admin.query("CREATE DATABASE from_schema");
    await admin.end();
  }, 120_000);
  afterAll(() => server?.stop());

  it("build the same database: the migrations applied to an empty PostgreSQL equal schema.prisma", async () => {
    await migrate({ connectionString: urlOf("from_migrations") });
    const diff = spawnSync("npx", ["prisma", "migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"], {
      encoding: "utf8",
      env: childProcessEnvironment({ DATABASE_URL: server.url }),
    });
    expect(diff.status, diff.stderr).toBe(0);
    const fresh = new pg.Client({ connectionString: urlOf("from_schema") });
    await fresh.connect();
    await fresh.query(diff.stdout);
    await fresh.end();

    const migrated = await catalogOf(urlOf("from_migrations"));
    const declared = await catalogOf(urlOf("from_schema"));
    expect(migrated.filter((line) => line.startsWith("column |")).length).toBeGreaterThan(100);
    expect({
      onlyInMigrations: migrated.filter((line) => !declared.includes(line) && !HAND_WRITTEN.includes(line)),
      onlyInSchema: declared.filter((line) => !migrated.includes(line)),
    }).toEqual({ onlyInMigrations: [], onlyInSchema: [] });
    // Each hand-written addition is still there: the list names nothing that is gone.
    expect(HAND_WRITTEN.filter((line) => !migrated.includes(line))).toEqual([]);
  }, 180_000);
});

import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import { DEFAULT_MIGRATIONS_DIR, migrate } from "@/lib/db/migrate";
import type { DatabaseTarget } from "@/lib/db/target";
import { dayDocuments, fourWeeksWithIncident, writeLines } from "@/test/support/log-files";
import { runCli } from "@/test/support/run-cli";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";

// `peaks db grant` on a real PostgreSQL server, judged by connecting as each role: the test
// cluster trusts local connections, so a role logs in by its name without a password.

const TIMEOUT = 180_000;
const root = path.resolve(import.meta.dirname, "..", "..");
const grid = gridOf(loadConfig(path.join(root, "values.yaml")));
const { namespaces, days, plan } = fourWeeksWithIncident(grid);

// Roles belong to the cluster, which other test files share: unique names, dropped afterwards.
const suffix = randomBytes(4).toString("hex");
const appRole = `peaks_app_${suffix}`;
const readOnlyRole = `peaks_report_${suffix}`;
const outsider = `peaks_outsider_${suffix}`;

let owner: TestDatabase;
let workDir: string;

/** The owner's database, connected as another role. */
function targetAs(role: string): DatabaseTarget {
  const url = new URL((owner.target as { url: string }).url);
  url.username = role;
  return { kind: "postgres", url: url.toString() };
}

async function query<Row extends pg.QueryResultRow>(target: DatabaseTarget, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: (target as { url: string }).url });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

/** SQLSTATE of a statement run as a role, or "ok". */
async function outcome(target: DatabaseTarget, text: string): Promise<string> {
  try {
    await query(target, text);
    return "ok";
  } catch (error) {
    return (error as pg.DatabaseError).code ?? String(error);
  }
}

/** Every privilege and attribute the grant decides, in a stable order. */
async function privileges(): Promise<string[]> {
  const rows = await query<{ line: string }>(
    owner.target,
    `SELECT line FROM (
       SELECT format('role %s super=%s createdb=%s createrole=%s login=%s', rolname, rolsuper, rolcreatedb, rolcreaterole, rolcanlogin) AS line
         FROM pg_roles WHERE rolname IN ('${appRole}', '${readOnlyRole}')
       UNION ALL
       SELECT format('%s %s %s', c.relname, pg_get_userbyid(a.grantee), a.privilege_type)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
        WHERE n.nspname = 'public' AND pg_get_userbyid(a.grantee) IN ('${appRole}', '${readOnlyRole}')
       UNION ALL
       SELECT format('schema %s %s', pg_get_userbyid(a.grantee), a.privilege_type)
         FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND pg_get_userbyid(a.grantee) IN ('${appRole}', '${readOnlyRole}')
       UNION ALL
       SELECT format('database %s %s', pg_get_userbyid(a.grantee), a.privilege_type)
         FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = current_database() AND pg_get_userbyid(a.grantee) IN ('${appRole}', '${readOnlyRole}')
       UNION ALL
       SELECT format('default %s %s %s', d.defaclobjtype, pg_get_userbyid(a.grantee), a.privilege_type)
         FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE pg_get_userbyid(a.grantee) IN ('${appRole}', '${readOnlyRole}')
     ) lines ORDER BY line`,
  );
  return rows.map((row) => row.line);
}

beforeAll(async () => {
  owner = await createTestDatabase("postgres");
  await migrate(owner.connection);
  workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-db-grant-"));
  mkdirSync(path.join(workDir, "logs"));
  for (const day of days.slice(0, 2)) await writeLines(path.join(workDir, "logs", `errors-${day}.ndjson`), dayDocuments(grid, day, namespaces, plan));
}, TIMEOUT);

afterAll(async () => {
  await owner?.drop();
  // The database is gone, and with it every privilege in it: the roles can go.
  const admin = new pg.Client({ connectionString: inject("postgresUrl") });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS "${appRole}"`);
  await admin.query(`DROP ROLE IF EXISTS "${readOnlyRole}"`);
  await admin.query(`DROP ROLE IF EXISTS "${outsider}"`);
  await admin.end();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("peaks db grant on PostgreSQL", () => {
  const grant = (...extra: string[]) => runCli(owner.target, ["db", "grant", "--app-role", appRole, "--read-only-role", readOnlyRole, ...extra]);

  it(
    "prints the SQL of a dry run and changes nothing",
    async () => {
      const result = await grant("--dry-run");
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^-- PostgreSQL at 127\.0\.0\.1:\d+\/peaks_test_\w+: would run, in one transaction \(nothing was changed\):$/);
      expect(lines[1]).toBe("BEGIN;");
      expect(lines.at(-1)).toBe("COMMIT;");
      expect(lines).toContain(`CREATE ROLE "${appRole}" WITH LOGIN;`);
      expect(lines).toContain(`CREATE ROLE "${readOnlyRole}" WITH LOGIN;`);
      expect(lines).toContain(`GRANT SELECT ON TABLE "public"."_peaks_migrations" TO "${appRole}";`);
      expect(result.stdout).not.toMatch(/PASSWORD/);
      expect(await privileges()).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "creates both roles without a password and says how to set one",
    async () => {
      const result = await grant();
      expect(result.code, result.stderr).toBe(0);
      // Every table of the schema, the applied migrations' included (the app role may read them).
      const [tables] = await query<{ count: string }>(owner.target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
      const [sequences] = await query<{ count: string }>(owner.target, "SELECT count(*) FROM pg_sequences WHERE schemaname = 'public'");
      expect(Number(tables!.count)).toBeGreaterThan(20);
      expect(Number(sequences!.count)).toBeGreaterThan(15);
      expect(result.stdout).toMatch(
        new RegExp(
          `^PostgreSQL at .*: ${appRole} and ${readOnlyRole} brought in line on ${tables!.count} tables and ${sequences!.count} sequences of schema public \\(owner postgres\\)`,
        ),
      );
      expect(result.stdout).toContain(`psql: \\password ${appRole}`);
      expect(result.stdout).toContain(`psql: \\password ${readOnlyRole}`);
      const roles = await query<{ rolname: string; rolpassword: string | null; rolsuper: boolean; rolcanlogin: boolean }>(
        owner.target,
        `SELECT rolname, rolpassword, rolsuper, rolcanlogin FROM pg_authid WHERE rolname IN ('${appRole}', '${readOnlyRole}') ORDER BY rolname`,
      );
      expect(roles).toEqual([
        { rolname: appRole, rolpassword: null, rolsuper: false, rolcanlogin: true },
        { rolname: readOnlyRole, rolpassword: null, rolsuper: false, rolcanlogin: true },
      ]);
    },
    TIMEOUT,
  );

  it(
    "lets the app role run the app: ingest log files with baselines and detection, create a user, read the stats",
    async () => {
      const app = targetAs(appRole);
      const ingested = await runCli(app, ["batch", "--all", "--input", path.join(workDir, "logs")]);
      expect(ingested.code, ingested.stderr).toBe(0);
      expect(ingested.stdout).toContain("Ingested 2 days");
      const created = await runCli(app, ["users", "create", "--email", "analyst@example.com", "--role", "analyst", "--password", "long-enough-password"]);
      expect(created.code, created.stderr).toBe(0);
      const [counts] = await query<{ windows: string; users: string; audit: string }>(
        owner.target,
        `SELECT (SELECT count(*) FROM peak_raw_data) AS windows, (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM audit_log) AS audit`,
      );
      expect(Number(counts!.windows)).toBe((2 * 96 - 2) * namespaces.length);
      expect(counts!.users).toBe("1");
      expect(Number(counts!.audit)).toBeGreaterThan(0);
      const stats = await runCli(app, ["stats"]);
      expect(stats.code, stats.stderr).toBe(0);
      expect(stats.stdout).toMatch(/peak_raw_data\s+380\s/);
    },
    TIMEOUT,
  );

  it(
    "lets the app role back up the data and restore it into another database its owner migrated and granted",
    async () => {
      const copy = await createTestDatabase("postgres");
      try {
        await migrate(copy.connection);
        const granted = await runCli(copy.target, ["db", "grant", "--app-role", appRole]);
        expect(granted.code, granted.stderr).toBe(0);
        const folder = path.join(workDir, "backup");
        const backedUp = await runCli(targetAs(appRole), ["backup", "--out", folder]);
        expect(backedUp.code, backedUp.stderr).toBe(0);
        const copyUrl = new URL((copy.target as { url: string }).url);
        copyUrl.username = appRole;
        const restored = await runCli({ kind: "postgres", url: copyUrl.toString() }, ["restore", "--from", folder]);
        expect(restored.code, restored.stderr).toBe(0);
        const [row] = await query<{ count: string }>(copy.target, "SELECT count(*) FROM peak_raw_data");
        expect(Number(row!.count)).toBe((2 * 96 - 2) * namespaces.length);
      } finally {
        await copy.drop();
      }
    },
    TIMEOUT,
  );

  it(
    "keeps the app role from changing the schema or the migrations, and names the owner's migrate when one is pending",
    async () => {
      const app = targetAs(appRole);
      expect(await outcome(app, "CREATE TABLE intruder (id int)")).toBe("42501");
      expect(await outcome(app, "ALTER TABLE users ADD COLUMN intruder int")).toBe("42501");
      expect(await outcome(app, "DROP TABLE peak_notes")).toBe("42501");
      expect(await outcome(app, "TRUNCATE users")).toBe("42501");
      expect(await outcome(app, `INSERT INTO "_peaks_migrations" (name, checksum) VALUES ('9999_fake', 'x')`)).toBe("42501");
      expect(await outcome(app, `DELETE FROM "_peaks_migrations"`)).toBe("42501");
      expect(await outcome(app, `SELECT count(*) FROM "_peaks_migrations"`)).toBe("ok");

      const directory = path.join(workDir, "migrations");
      cpSync(DEFAULT_MIGRATIONS_DIR, directory, { recursive: true });
      mkdirSync(path.join(directory, "9999_next"));
      writeFileSync(path.join(directory, "9999_next", "migration.sql"), "CREATE TABLE next_feature (id int PRIMARY KEY);\n");
      await expect(migrate({ connectionString: (app as { url: string }).url }, directory)).rejects.toThrow(
        /Migration 9999_next failed at line 1: permission denied for schema public\. Nothing of it was applied\. The database user may not change the schema: apply migrations with the owner's DATABASE_URL \(`peaks db migrate`\) first\./,
      );
    },
    TIMEOUT,
  );

  it(
    "lets the read-only role read the app's tables and nothing else",
    async () => {
      const report = targetAs(readOnlyRole);
      const [row] = await query<{ count: string }>(report, "SELECT count(*) FROM peak_raw_data");
      expect(Number(row!.count)).toBe((2 * 96 - 2) * namespaces.length);
      expect(await outcome(report, "SELECT email FROM users")).toBe("ok");
      expect(await outcome(report, "SELECT password_hash FROM users")).toBe("42501");
      expect(await outcome(report, "SELECT * FROM login_failures")).toBe("42501");
      expect(await outcome(report, `INSERT INTO peak_notes (peak_id, actor, text) VALUES (1, 'x', 'y')`)).toBe("42501");
      expect(await outcome(report, "UPDATE users SET name = 'changed'")).toBe("42501");
      expect(await outcome(report, "DELETE FROM peak_raw_data")).toBe("42501");
      expect(await outcome(report, "TRUNCATE peak_raw_data")).toBe("42501");
      expect(await outcome(report, "DELETE FROM data_versions")).toBe("42501");
      expect(await outcome(report, "CREATE TABLE intruder (id int)")).toBe("42501");
      expect(await outcome(report, `SELECT * FROM "_peaks_migrations"`)).toBe("42501");
      // Not a role to run the app with: it may not even read which migrations were applied.
      const opened = await runCli(report, ["users", "create", "--email", "x@example.com", "--role", "viewer", "--password", "long-enough-password"]);
      expect(opened.stderr).toBe("Error: permission denied for table _peaks_migrations\n");
      expect(opened.code).toBe(1);
    },
    TIMEOUT,
  );

  it(
    "changes nothing when run again, and brings a role that was given more back in line",
    async () => {
      const before = await privileges();
      expect(before).toContain(`users ${appRole} INSERT`);
      expect(before).toContain(`peak_raw_data ${readOnlyRole} SELECT`);
      expect(before).not.toContain(`peak_raw_data ${readOnlyRole} INSERT`);
      expect(before).not.toContain(`users ${readOnlyRole} SELECT`);

      const again = await grant();
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).not.toContain("Created without a password");
      expect(await privileges()).toEqual(before);
      const dryRun = await grant("--dry-run");
      expect(dryRun.stdout).not.toContain("CREATE ROLE");

      await query(owner.target, `GRANT INSERT, TRUNCATE ON users TO "${readOnlyRole}"`);
      await query(owner.target, `GRANT CREATE ON SCHEMA public TO "${appRole}"`);
      await query(owner.target, `ALTER ROLE "${appRole}" CREATEDB NOLOGIN`);
      expect(await privileges()).not.toEqual(before);
      const inLine = await grant();
      expect(inLine.code, inLine.stderr).toBe(0);
      expect(await privileges()).toEqual(before);
    },
    TIMEOUT,
  );

  it(
    "says so when every role may create in the schema, as before PostgreSQL 15",
    async () => {
      await query(owner.target, "GRANT CREATE ON SCHEMA public TO PUBLIC");
      try {
        const result = await grant();
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain(
          'Note: every role (PUBLIC) may create objects in schema public (PostgreSQL before 15); to deny it: REVOKE CREATE ON SCHEMA "public" FROM PUBLIC',
        );
      } finally {
        await query(owner.target, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      }
      expect((await grant()).stdout).not.toContain("Note:");
    },
    TIMEOUT,
  );

  it(
    "gives the roles the tables a later migration creates as the owner",
    async () => {
      await query(owner.target, "CREATE TABLE later_feature (id serial PRIMARY KEY, note text)");
      expect(await outcome(targetAs(appRole), "INSERT INTO later_feature (note) VALUES ('from the app')")).toBe("ok");
      expect(await query(targetAs(readOnlyRole), "SELECT note FROM later_feature")).toEqual([{ note: "from the app" }]);
      expect(await outcome(targetAs(readOnlyRole), "DELETE FROM later_feature")).toBe("42501");
      await query(owner.target, "DROP TABLE later_feature");
    },
    TIMEOUT,
  );

  it(
    "refuses a role name that is not a plain identifier, naming the flag, exit 2",
    async () => {
      const result = await runCli(owner.target, ["db", "grant", "--app-role", "peaks_app", "--read-only-role", 'x"; DROP TABLE users; --']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--read-only-role "x\\"; DROP TABLE users; --": a role name must be a plain identifier`);
      const owned = await runCli(owner.target, ["db", "grant", "--app-role", "postgres"]);
      expect(owned.code).toBe(2);
      expect(owned.stderr).toBe("Error: --app-role postgres owns the app's tables: name a role of its own, which this command creates\n");
    },
    TIMEOUT,
  );
});

describe("peaks db grant by a role that does not own the tables", () => {
  it(
    "fails with exit 3 naming the role and creates nothing",
    async () => {
      await query(owner.target, `CREATE ROLE "${outsider}" LOGIN CREATEROLE`);
      const roleName = `peaks_other_${suffix}`;
      const result = await runCli(targetAs(outsider), ["db", "grant", "--app-role", roleName]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`^Error: The role ${outsider} may not do this: permission denied for .*; nothing was changed\n$`));
      expect(await query(owner.target, `SELECT rolname FROM pg_roles WHERE rolname = '${roleName}'`)).toEqual([]);
    },
    TIMEOUT,
  );
});

describe("peaks db grant on the embedded database", () => {
  it(
    "is refused before anything starts, exit 2",
    async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "peaks-db-grant-embedded-"));
      try {
        const result = await runCli({ kind: "embedded", dataDir }, ["db", "grant", "--app-role", "peaks_app", "--dry-run"]);
        expect(result.code).toBe(2);
        expect(result.stderr).toBe(
          `Error: Database roles apply to a PostgreSQL server only; this is the embedded database in ${dataDir}, which has no roles to grant. Set DATABASE_URL to the PostgreSQL server (as the tables' owner).\n`,
        );
        expect(result.stdout).toBe("");
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});

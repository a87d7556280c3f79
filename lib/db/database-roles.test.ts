import { describe, expect, it } from "vitest";
import { checkRoleName, formatGrantScript, passwordHint, planGrants, quoteIdentifier, type ExistingRole, type GrantState } from "./database-roles";

const state: GrantState = {
  database: "peaks",
  schema: "public",
  owner: "peaks_owner",
  tables: ["_peaks_migrations", "peak_raw_data", "users"],
  sequences: ["users_id_seq"],
  existingRoles: [],
  isSchemaCreateOpenToAll: false,
};

const cleanRole = (name: string): ExistingRole => ({
  name,
  isSuperuser: false,
  canCreateDatabases: false,
  canCreateRoles: false,
  canReplicate: false,
  bypassesRowSecurity: false,
  canLogin: true,
});

describe("quoteIdentifier", () => {
  it("wraps a name in double quotes and doubles the quotes inside", () => {
    expect(quoteIdentifier("peaks_app")).toBe('"peaks_app"');
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
  });
});

describe("checkRoleName", () => {
  it("accepts plain lower-case identifiers up to 63 characters", () => {
    expect(checkRoleName("--app-role", "peaks_app")).toBe("peaks_app");
    expect(checkRoleName("--app-role", `_${"a".repeat(62)}`)).toHaveLength(63);
  });

  it.each(["Peaks", "peaks-app", "1peaks", "", "peaks app", 'x"; DROP ROLE y; --', "a".repeat(64)])("refuses %j naming the flag and the rule", (name) => {
    expect(() => checkRoleName("--read-only-role", name)).toThrow(
      /^--read-only-role .*a role name must be a plain identifier: lower-case letters, digits and underscores/,
    );
  });

  it.each(["pg_monitor", "public", "none", "current_user", "session_user", "current_role"])("refuses the reserved name %s", (name) => {
    expect(() => checkRoleName("--app-role", name)).toThrow(/^--app-role .*PostgreSQL reserves this role name/);
  });
});

describe("planGrants", () => {
  it("creates a missing app role with LOGIN and no password, and gives it the rows of the app's tables, not the schema", () => {
    const statements = planGrants(state, { appRole: "peaks_app" }, "peaks_owner");
    expect(statements[0]).toBe('CREATE ROLE "peaks_app" WITH LOGIN');
    expect(statements.join("\n")).not.toMatch(/PASSWORD/i);
    expect(statements).toContain('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "public"."peak_raw_data", "public"."users" TO "peaks_app"');
    expect(statements).toContain('GRANT SELECT ON TABLE "public"."_peaks_migrations" TO "peaks_app"');
    expect(statements).toContain('GRANT USAGE, SELECT, UPDATE ON SEQUENCE "public"."users_id_seq" TO "peaks_app"');
    expect(statements).toContain('GRANT USAGE ON SCHEMA "public" TO "peaks_app"');
    expect(statements).toContain('GRANT CONNECT ON DATABASE "peaks" TO "peaks_app"');
    expect(statements).toContain(
      'ALTER DEFAULT PRIVILEGES FOR ROLE "peaks_owner" IN SCHEMA "public" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "peaks_app"',
    );
    // Nothing that changes the schema, and the migrations table is never written by the app role.
    const grants = statements.filter((statement) => statement.includes("GRANT") && !statement.includes("REVOKE"));
    expect(grants).toHaveLength(7);
    for (const grant of grants) expect(grant).not.toMatch(/\b(CREATE|TRUNCATE|REFERENCES|TRIGGER|ALL|TEMPORARY)\b/);
    expect(statements.filter((statement) => statement.includes("_peaks_migrations"))).toEqual([
      'GRANT SELECT ON TABLE "public"."_peaks_migrations" TO "peaks_app"',
    ]);
  });

  it("revokes what a role holds before granting, so an existing role is brought in line", () => {
    const statements = planGrants(state, { appRole: "peaks_app" }, "peaks_owner");
    const revoke = statements.indexOf('REVOKE ALL ON ALL TABLES IN SCHEMA "public" FROM "peaks_app"');
    const grant = statements.findIndex((statement) => statement.startsWith("GRANT SELECT, INSERT"));
    expect(revoke).toBeGreaterThan(-1);
    expect(revoke).toBeLessThan(grant);
    expect(statements).toContain('REVOKE ALL ON DATABASE "peaks" FROM "peaks_app"');
    expect(statements).toContain('REVOKE ALL ON SCHEMA "public" FROM "peaks_app"');
    expect(statements).toContain('ALTER DEFAULT PRIVILEGES FOR ROLE "peaks_owner" IN SCHEMA "public" REVOKE ALL ON TABLES FROM "peaks_app"');
  });

  it("gives the read-only role SELECT on the app's data tables only (users without password hashes), and nothing on sequences or the migrations table", () => {
    const statements = planGrants(state, { appRole: "peaks_app", readOnlyRole: "peaks_report" }, "peaks_owner");
    const readOnly = statements.filter((statement) => statement.includes('"peaks_report"'));
    expect(readOnly[0]).toBe('CREATE ROLE "peaks_report" WITH LOGIN');
    expect(readOnly.filter((statement) => statement.startsWith("GRANT") || statement.includes(" GRANT "))).toEqual([
      'GRANT CONNECT ON DATABASE "peaks" TO "peaks_report"',
      'GRANT USAGE ON SCHEMA "public" TO "peaks_report"',
      'GRANT SELECT ON TABLE "public"."peak_raw_data" TO "peaks_report"',
      'GRANT SELECT ("id", "email", "name", "role", "is_disabled", "created_at", "last_login_at") ON TABLE "public"."users" TO "peaks_report"',
      'ALTER DEFAULT PRIVILEGES FOR ROLE "peaks_owner" IN SCHEMA "public" GRANT SELECT ON TABLES TO "peaks_report"',
    ]);
  });

  it("neither creates nor alters an existing role that has no extra attributes", () => {
    const statements = planGrants({ ...state, existingRoles: [cleanRole("peaks_app")] }, { appRole: "peaks_app" }, "peaks_owner");
    expect(statements.some((statement) => /^(CREATE|ALTER) ROLE/.test(statement))).toBe(false);
  });

  it("takes the attributes an existing role must not have away, and lets it log in", () => {
    const existing: ExistingRole = {
      ...cleanRole("peaks_app"),
      isSuperuser: true,
      canCreateDatabases: true,
      canCreateRoles: true,
      canReplicate: true,
      bypassesRowSecurity: true,
      canLogin: false,
    };
    const statements = planGrants({ ...state, existingRoles: [existing] }, { appRole: "peaks_app" }, "peaks_owner");
    expect(statements[0]).toBe('ALTER ROLE "peaks_app" WITH NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS LOGIN');
  });

  it("quotes the schema, database and owner whatever their names", () => {
    const odd = { ...state, database: 'my"db', schema: "Peaks Data", owner: "Owner" };
    const statements = planGrants(odd, { appRole: "peaks_app" }, "Owner");
    expect(statements).toContain('GRANT CONNECT ON DATABASE "my""db" TO "peaks_app"');
    expect(statements).toContain('GRANT SELECT ON TABLE "Peaks Data"."_peaks_migrations" TO "peaks_app"');
    expect(statements).toContain('ALTER DEFAULT PRIVILEGES FOR ROLE "Owner" IN SCHEMA "Peaks Data" GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "peaks_app"');
  });

  it("refuses one name for both roles, the tables' owner and the connecting role", () => {
    expect(() => planGrants(state, { appRole: "peaks_app", readOnlyRole: "peaks_app" }, "admin")).toThrow("--read-only-role must differ from --app-role");
    expect(() => planGrants(state, { appRole: "peaks_owner" }, "admin")).toThrow("--app-role peaks_owner owns the app's tables");
    expect(() => planGrants(state, { appRole: "peaks_app", readOnlyRole: "admin" }, "admin")).toThrow(
      "--read-only-role admin is the role this command connects as",
    );
  });

  it("refuses an invalid name before planning anything", () => {
    expect(() => planGrants(state, { appRole: "Peaks" }, "peaks_owner")).toThrow(/^--app-role "Peaks": a role name must be a plain identifier/);
  });
});

describe("formatGrantScript", () => {
  it("prints the statements as one transaction, each ended by a semicolon", () => {
    expect(formatGrantScript(['CREATE ROLE "a" WITH LOGIN', 'GRANT USAGE ON SCHEMA "public" TO "a"'])).toBe(
      'BEGIN;\nCREATE ROLE "a" WITH LOGIN;\nGRANT USAGE ON SCHEMA "public" TO "a";\nCOMMIT;',
    );
  });
});

describe("passwordHint", () => {
  it("names psql's \\password, which sends the password hashed, and the SQL alternative", () => {
    expect(passwordHint("peaks_app")).toBe("psql: \\password peaks_app   (or ALTER ROLE \"peaks_app\" PASSWORD '…', which sends it in clear text)");
  });
});

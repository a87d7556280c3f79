import pg from "pg";
import { ConfigurationError, ForbiddenError, InvalidInputError } from "@/lib/errors";
import { MIGRATIONS_TABLE } from "./migrate";

// Least-privilege PostgreSQL roles for the application and for reporting tools. The role that
// ran the migrations (the owner of `_peaks_migrations`) keeps owning the schema; the app role
// reads and writes the rows of the owner's tables in that schema and reads the migrations table
// (every process checks it on start), and cannot create, alter or drop anything, so migrations
// are applied with the owner's connection. Default privileges give both roles the tables that
// later migrations create as the owner.

// SQLSTATEs of the warnings "no privileges were granted" and "no privileges could be revoked".
const PRIVILEGE_NOT_GRANTED = "01007";
const PRIVILEGE_NOT_REVOKED = "01006";

/** Privileges of the app role on each table of the app (views included). */
const APP_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE";
/**
 * Privileges of the app role on the sequences of serial columns: nextval and currval, and
 * setval (UPDATE), which `peaks restore` calls to move each past the restored ids. A role that
 * may delete every row gains nothing from it.
 */
const APP_SEQUENCE_PRIVILEGES = "USAGE, SELECT, UPDATE";

const USERS_TABLE = "users";
const LOGIN_FAILURES_TABLE = "login_failures";
/** The columns of users a read-only role may read: not password_hash (nor any column added later, until listed here). */
const USERS_READABLE_COLUMNS = ["id", "email", "name", "role", "is_disabled", "created_at", "last_login_at"];

// A plain identifier: lower case, so that it needs no quotes in psql and matches a connection
// URL's user name; at most 63 bytes, PostgreSQL's identifier length.
const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
// PostgreSQL refuses these role names, quoted or not.
const RESERVED_ROLE_NAMES = new Set(["public", "none", "current_user", "session_user", "current_role"]);

export type RoleKind = "app" | "read-only";
export type RoleRequest = { appRole: string; readOnlyRole?: string };

/** A role as pg_roles describes it: the attributes the plan brings in line. */
export type ExistingRole = {
  name: string;
  isSuperuser: boolean;
  canCreateDatabases: boolean;
  canCreateRoles: boolean;
  canReplicate: boolean;
  bypassesRowSecurity: boolean;
  canLogin: boolean;
};

/** What the plan needs to know about the database, read by readGrantState. */
export type GrantState = {
  database: string;
  schema: string;
  /** The role that owns the migrations table: the owner of the app's tables. */
  owner: string;
  /** The owner's tables and views in the schema, migrations table included, sorted. */
  tables: string[];
  /** The owner's sequences in the schema, sorted. */
  sequences: string[];
  /** The requested roles that exist already. */
  existingRoles: ExistingRole[];
  /** Whether every role (PUBLIC) may create objects in the schema: PostgreSQL before 15 allows it in `public`. */
  isSchemaCreateOpenToAll: boolean;
};

/** An identifier in double quotes, inner quotes doubled: safe for any name. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Refuses a role name that is not a plain identifier, naming the flag and the rule. */
export function checkRoleName(flag: string, name: string): string {
  if (!PLAIN_IDENTIFIER.test(name)) {
    throw new InvalidInputError(
      `${flag} ${JSON.stringify(name)}: a role name must be a plain identifier: lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters`,
    );
  }
  if (name.startsWith("pg_") || RESERVED_ROLE_NAMES.has(name)) {
    throw new InvalidInputError(
      `${flag} ${JSON.stringify(name)}: PostgreSQL reserves this role name (pg_…, public, none, current_user, session_user, current_role)`,
    );
  }
  return name;
}

function checkRequest(request: RoleRequest, state: Pick<GrantState, "owner">, executor: string): void {
  checkRoleName("--app-role", request.appRole);
  if (request.readOnlyRole !== undefined) {
    checkRoleName("--read-only-role", request.readOnlyRole);
    if (request.readOnlyRole === request.appRole) throw new InvalidInputError("--read-only-role must differ from --app-role");
  }
  for (const [flag, name] of [
    ["--app-role", request.appRole],
    ["--read-only-role", request.readOnlyRole],
  ] as const) {
    if (name === state.owner) throw new InvalidInputError(`${flag} ${name} owns the app's tables: name a role of its own, which this command creates`);
    if (name === executor)
      throw new InvalidInputError(`${flag} ${name} is the role this command connects as: name a role of its own, which this command creates`);
  }
}

function roleStatements(name: string, existing: ExistingRole | undefined): string[] {
  const role = quoteIdentifier(name);
  // Created without a password: the operator sets one (see passwordHint), so no secret is
  // ever part of the SQL printed or sent here.
  if (!existing) return [`CREATE ROLE ${role} WITH LOGIN`];
  const fixes = [
    existing.isSuperuser ? "NOSUPERUSER" : null,
    existing.canCreateDatabases ? "NOCREATEDB" : null,
    existing.canCreateRoles ? "NOCREATEROLE" : null,
    existing.canReplicate ? "NOREPLICATION" : null,
    existing.bypassesRowSecurity ? "NOBYPASSRLS" : null,
    existing.canLogin ? null : "LOGIN",
  ].filter((fix) => fix !== null);
  return fixes.length === 0 ? [] : [`ALTER ROLE ${role} WITH ${fixes.join(" ")}`];
}

function objectList(schema: string, names: readonly string[]): string {
  return names.map((name) => `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`).join(", ");
}

function privilegeStatements(state: GrantState, name: string, kind: RoleKind): string[] {
  const role = quoteIdentifier(name);
  const schema = quoteIdentifier(state.schema);
  const defaults = `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdentifier(state.owner)} IN SCHEMA ${schema}`;
  const dataTables = state.tables.filter((table) => table !== MIGRATIONS_TABLE);
  const hasMigrationsTable = state.tables.includes(MIGRATIONS_TABLE);
  // Everything the role holds here is revoked first and granted again in the same
  // transaction, so a role that had more (or a read-only role that could write) is brought in
  // line, and a second run leaves the same privileges.
  const statements = [
    `REVOKE ALL ON DATABASE ${quoteIdentifier(state.database)} FROM ${role}`,
    `GRANT CONNECT ON DATABASE ${quoteIdentifier(state.database)} TO ${role}`,
    `REVOKE ALL ON SCHEMA ${schema} FROM ${role}`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${role}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${role}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${role}`,
    `${defaults} REVOKE ALL ON TABLES FROM ${role}`,
    `${defaults} REVOKE ALL ON SEQUENCES FROM ${role}`,
  ];
  if (kind === "app") {
    if (dataTables.length > 0) statements.push(`GRANT ${APP_TABLE_PRIVILEGES} ON TABLE ${objectList(state.schema, dataTables)} TO ${role}`);
    // Every process reads the applied migrations when it opens the database; only the owner records them.
    if (hasMigrationsTable) statements.push(`GRANT SELECT ON TABLE ${objectList(state.schema, [MIGRATIONS_TABLE])} TO ${role}`);
    if (state.sequences.length > 0) statements.push(`GRANT ${APP_SEQUENCE_PRIVILEGES} ON SEQUENCE ${objectList(state.schema, state.sequences)} TO ${role}`);
    statements.push(`${defaults} GRANT ${APP_TABLE_PRIVILEGES} ON TABLES TO ${role}`, `${defaults} GRANT ${APP_SEQUENCE_PRIVILEGES} ON SEQUENCES TO ${role}`);
  } else {
    // Reporting needs no credentials: users without its password hashes, and no failed sign-ins.
    const readable = dataTables.filter((table) => table !== USERS_TABLE && table !== LOGIN_FAILURES_TABLE);
    if (readable.length > 0) statements.push(`GRANT SELECT ON TABLE ${objectList(state.schema, readable)} TO ${role}`);
    if (dataTables.includes(USERS_TABLE)) {
      statements.push(
        `GRANT SELECT (${USERS_READABLE_COLUMNS.map(quoteIdentifier).join(", ")}) ON TABLE ${objectList(state.schema, [USERS_TABLE])} TO ${role}`,
      );
    }
    statements.push(`${defaults} GRANT SELECT ON TABLES TO ${role}`);
  }
  return statements;
}

/**
 * The statements that create or update the roles (without BEGIN/COMMIT; they run in one
 * transaction). Refuses invalid names, one name for both roles, and the owner's or the
 * connecting role's own name.
 */
export function planGrants(state: GrantState, request: RoleRequest, executor: string): string[] {
  checkRequest(request, state, executor);
  const roles: [string, RoleKind][] = [[request.appRole, "app"]];
  if (request.readOnlyRole !== undefined) roles.push([request.readOnlyRole, "read-only"]);
  const statements: string[] = [];
  for (const [name, kind] of roles) {
    statements.push(
      ...roleStatements(
        name,
        state.existingRoles.find((role) => role.name === name),
      ),
    );
    statements.push(...privilegeStatements(state, name, kind));
  }
  return statements;
}

/** The statements as one script, as they run: one transaction, each statement ended by `;`. */
export function formatGrantScript(statements: readonly string[]): string {
  return ["BEGIN;", ...statements.map((statement) => `${statement};`), "COMMIT;"].join("\n");
}

/** How the operator gives a role its password, without it passing through this program. */
export function passwordHint(name: string): string {
  return `psql: \\password ${name}   (or ALTER ROLE ${quoteIdentifier(name)} PASSWORD '…', which sends it in clear text)`;
}

/** Reads the database, schema, owner, tables and the requested roles; the migrations must have run. */
export async function readGrantState(client: pg.ClientBase, request: RoleRequest): Promise<GrantState & { executor: string }> {
  const { rows } = await client.query<{ database: string; schema: string | null; executor: string; owner: string | null; owner_id: number | null }>(
    `SELECT current_database() AS database, current_schema() AS schema, current_user AS executor,
            pg_get_userbyid(c.relowner) AS owner, c.relowner::int AS owner_id
       FROM (SELECT 1) AS one
       LEFT JOIN pg_class c ON c.oid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident($1))`,
    [MIGRATIONS_TABLE],
  );
  const head = rows[0]!;
  if (head.schema === null || head.owner === null || head.owner_id === null) {
    throw new ConfigurationError(
      `Database ${head.database} has no ${MIGRATIONS_TABLE} table in schema ${head.schema ?? "(none on the search path)"}: run \`peaks db migrate\` with the owner's DATABASE_URL first`,
    );
  }
  const objects = await client.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind::text AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relowner = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      ORDER BY c.relname`,
    [head.schema, head.owner_id],
  );
  const openCreate = await client.query<{ is_open: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_namespace n, aclexplode(n.nspacl) acl WHERE n.nspname = $1 AND acl.grantee = 0 AND acl.privilege_type = 'CREATE') AS is_open`,
    [head.schema],
  );
  const names = [request.appRole, request.readOnlyRole].filter((name) => name !== undefined);
  const roles = await client.query<{
    rolname: string;
    rolsuper: boolean;
    rolcreatedb: boolean;
    rolcreaterole: boolean;
    rolreplication: boolean;
    rolbypassrls: boolean;
    rolcanlogin: boolean;
  }>(`SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = ANY($1::text[])`, [names]);
  return {
    database: head.database,
    schema: head.schema,
    owner: head.owner,
    executor: head.executor,
    tables: objects.rows.filter((row) => row.kind !== "S").map((row) => row.name),
    sequences: objects.rows.filter((row) => row.kind === "S").map((row) => row.name),
    isSchemaCreateOpenToAll: openCreate.rows[0]?.is_open ?? false,
    existingRoles: roles.rows.map((row) => ({
      name: row.rolname,
      isSuperuser: row.rolsuper,
      canCreateDatabases: row.rolcreatedb,
      canCreateRoles: row.rolcreaterole,
      canReplicate: row.rolreplication,
      bypassesRowSecurity: row.rolbypassrls,
      canLogin: row.rolcanlogin,
    })),
  };
}

export type GrantReport = { statements: string[]; state: GrantState; isDryRun: boolean; createdRoles: string[] };

/**
 * Creates or updates the roles on a PostgreSQL server in one transaction (nothing of it stays
 * when a statement fails); with `dryRun`, reads the database and returns the statements only.
 */
export async function grantRoles(connection: pg.ClientConfig, request: RoleRequest, options: { dryRun: boolean }): Promise<GrantReport> {
  // Names are checked before connecting: a usage error never waits for the database.
  checkRoleName("--app-role", request.appRole);
  if (request.readOnlyRole !== undefined) checkRoleName("--read-only-role", request.readOnlyRole);
  const client = new pg.Client(connection);
  client.on("error", () => {});
  await client.connect();
  try {
    const { executor, ...state } = await readGrantState(client, request);
    const statements = planGrants(state, request, executor);
    const existing = new Set(state.existingRoles.map((role) => role.name));
    const createdRoles = [request.appRole, request.readOnlyRole].filter((name): name is string => name !== undefined && !existing.has(name));
    if (options.dryRun) return { statements, state, isDryRun: true, createdRoles };
    // A GRANT or REVOKE by a role without the grant option is no error, only a warning, and
    // does nothing: such a run must not pass for done.
    const ignored: string[] = [];
    client.on("notice", (notice) => {
      if (notice.code === PRIVILEGE_NOT_GRANTED || notice.code === PRIVILEGE_NOT_REVOKED) ignored.push(notice.message ?? notice.code);
    });
    await client.query("BEGIN");
    try {
      for (const statement of statements) await client.query(statement);
      if (ignored.length > 0) {
        throw new ForbiddenError(
          `The role ${executor} may not grant on the app's objects (${ignored[0]}): run \`peaks db grant\` with DATABASE_URL naming the tables' owner (or an administrator); nothing was changed`,
        );
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw explainGrantFailure(error, executor);
    }
    return { statements, state, isDryRun: false, createdRoles };
  } finally {
    await client.end().catch(() => {});
  }
}

function explainGrantFailure(error: unknown, executor: string): unknown {
  if (!(error instanceof pg.DatabaseError) || error.code !== "42501") return error;
  return new ForbiddenError(
    `The role ${executor} may not do this: ${error.message}. Run \`peaks db grant\` with DATABASE_URL naming the tables' owner, with the CREATEROLE attribute (or an administrator); nothing was changed`,
  );
}

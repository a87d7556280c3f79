import { mkdir, open, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { z } from "zod";
import { CsvSyntaxError, formatCsvRecord, readCsvFile, type CsvField, type CsvRecord } from "@/lib/csv";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { connectionConfig, type Prisma, type PrismaClient } from "./client";
import { DATA_VERSIONS_TABLE } from "./data-versions";
import { BASELINE_SPREADS_TABLE } from "./detection-store";

/**
 * Tables a backup leaves out because the data restored makes them again: the record of writes
 * (a restore's inserts write it) and the stored spreads (computed from the slots by the next run).
 */
const DERIVED_TABLES = [DATA_VERSIONS_TABLE, BASELINE_SPREADS_TABLE];
import { MIGRATIONS_TABLE } from "./migrate";
import type { DatabaseTarget } from "./target";

// A backup is a folder: one `<table>.csv` per table (header = column names, NULL as an empty
// unquoted field, the empty string as `""`) and `manifest.json`, written last, so a folder
// without it is an unfinished backup. Values are text that PostgreSQL reads back exactly:
// timestamps ISO-8601 in UTC with milliseconds (microseconds for columns that keep them),
// bigints as decimals, booleans `true`/`false`, arrays and json as JSON, enums as their label.
// Nothing needs a superuser. A restore sends rows to PostgreSQL with COPY FROM STDIN (the
// embedded database's server does not relay a copy's data, and arrays of numbers that JavaScript
// would round cannot be rewritten as COPY's text), else with inserts of a text array per column;
// either way every value is checked first, so that a bad one is named by file, line and column.

const BACKUP_FORMAT = "peaks-backup";
const BACKUP_FORMAT_VERSION = 1;
const MANIFEST_FILE = "manifest.json";

/** Rows read per query when backing up, and at most rows per insert when restoring. */
const DEFAULT_ROWS_PER_QUERY = 2000;
/** Characters of values per restore insert: bounds the memory a statement holds. */
const MAX_STATEMENT_CHARACTERS = 256 * 1024;
/**
 * Rows per COPY statement: a refusal names the line of its row from the file lines of the
 * statement's rows, which are kept until it ends (8 bytes each).
 */
const DEFAULT_ROWS_PER_COPY = 100_000;
/** Characters of COPY's text handed to the connection at a time. */
const COPY_CHUNK_CHARACTERS = 64 * 1024;
/** A backup of a large database takes minutes; the limit only guards against a hung process (ms). */
const TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 6 * 60 * 60_000 } as const;

const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  createdAt: z.iso.datetime(),
  migrations: z.array(z.string()),
  tables: z.array(
    z.object({
      name: z.string().min(1),
      file: z.string().regex(/^[^/\\]+\.csv$/, "must be a file name ending in .csv, without a folder"),
      rows: z.number().int().nonnegative(),
      columns: z.array(z.object({ name: z.string().min(1), type: z.string().min(1) })).min(1),
    }),
  ),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

/** Progress after each table; `index` counts the tables done so far (from 1). */
export type TableProgress = { table: string; rows: number; index: number; total: number };

export type BackupOptions = {
  onTable?: (progress: TableProgress) => void;
  /** Rows per query; small values exercise paging in tests. */
  rowsPerQuery?: number;
};

export type RestoreOptions = BackupOptions & {
  /** Rows per COPY statement on PostgreSQL (the file's rows are then sent by several); small values exercise that in tests. */
  rowsPerCopy?: number;
};

export type BackupReport = { dir: string; tables: { name: string; file: string; rows: number }[]; rows: number; migrations: string[] };
export type RestoreReport = { dir: string; tables: { name: string; rows: number }[]; rows: number; sequencesReset: number };

/** The statements a backup (through Prisma) or a restore (through node-postgres) runs. */
type Sql = {
  query: <Row>(text: string, ...values: unknown[]) => Promise<Row[]>;
  execute: (text: string, ...values: unknown[]) => Promise<number>;
};

function prismaSql(prisma: PrismaClient | Prisma.TransactionClient): Sql {
  return {
    query: <Row>(text: string, ...values: unknown[]) => prisma.$queryRawUnsafe<Row[]>(text, ...values),
    execute: (text, ...values) => prisma.$executeRawUnsafe(text, ...values),
  };
}

function clientSql(client: pg.ClientBase): Sql {
  return {
    query: async <Row>(text: string, ...values: unknown[]) => (await client.query(text, values)).rows as Row[],
    execute: async (text, ...values) => (await client.query(text, values)).rowCount ?? 0,
  };
}

type ValueKind = "integer" | "float" | "numeric" | "boolean" | "timestamptz" | "timestamp" | "date" | "json" | "uuid" | "enum" | "text" | "other";

type Column = {
  name: string;
  /** With modifiers, as the manifest records it: `timestamp(3) with time zone`. */
  type: string;
  /** Without modifiers: an explicit cast to `varchar(10)` would cut a longer value silently. */
  castType: string;
  isArray: boolean;
  /** Of the elements, for an array. */
  kind: ValueKind;
  /** PostgreSQL's name of the (element) type, e.g. `int4`. */
  baseType: string;
  enumLabels: ReadonlySet<string> | null;
  isNullable: boolean;
  /** Digits after the second a timestamp keeps (0–6). */
  secondDigits: number;
};

type Table = { name: string; columns: Column[]; primaryKey: string[]; hasAlwaysIdentity: boolean };

type ForeignKey = { name: string; table: string; referencedTable: string; columns: string[] };

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

const plural = (count: number, noun: string, nouns = `${noun}s`) => `${count} ${count === 1 ? noun : nouns}`;

const KIND_BY_TYPE: Readonly<Record<string, ValueKind>> = {
  int2: "integer",
  int4: "integer",
  int8: "integer",
  float4: "float",
  float8: "float",
  numeric: "numeric",
  bool: "boolean",
  timestamptz: "timestamptz",
  timestamp: "timestamp",
  date: "date",
  json: "json",
  jsonb: "json",
  uuid: "uuid",
  text: "text",
  varchar: "text",
  bpchar: "text",
  name: "text",
  citext: "text",
};

/**
 * Types whose name without modifiers means a length of 1 (`character`, `bit`): an explicit cast
 * to it would cut values, so parameters are cast to the unbounded variant instead.
 */
const UNBOUNDED_CAST: Readonly<Record<string, string>> = { bpchar: "bpchar", bit: "varbit" };

type CatalogColumnRow = {
  table_name: string;
  column_name: string;
  column_type: string;
  cast_type: string;
  is_not_null: boolean;
  is_always_identity: boolean;
  type_modifier: number;
  is_array: boolean;
  base_type: string;
  base_type_kind: string;
};

type KeyColumnRow = { constraint_name: string; table_name: string; referenced_table: string | null; column_name: string };

/**
 * The tables of the database's schema (public unless the search path says otherwise), except the
 * migrations table and the derived ones, with their columns in order; generated columns are left
 * out (recomputed).
 */
async function readTables(sql: Sql): Promise<Table[]> {
  const columnRows = await sql.query<CatalogColumnRow>(
    `SELECT c.relname::text AS table_name,
            a.attname::text AS column_name,
            format_type(a.atttypid, a.atttypmod) AS column_type,
            format_type(a.atttypid, NULL) AS cast_type,
            a.attnotnull AS is_not_null,
            a.attidentity = 'a' AS is_always_identity,
            a.atttypmod AS type_modifier,
            t.typcategory = 'A' AS is_array,
            COALESCE(e.typname, t.typname)::text AS base_type,
            COALESCE(e.typtype, t.typtype)::text AS base_type_kind
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type e ON t.typcategory = 'A' AND e.oid = t.typelem
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> ALL($1::text[])
      ORDER BY c.relname, a.attnum`,
    [MIGRATIONS_TABLE, ...DERIVED_TABLES],
  );
  const enumRows = await sql.query<{ type_name: string; label: string }>(
    `SELECT t.typname::text AS type_name, e.enumlabel::text AS label
       FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema()
      ORDER BY t.typname, e.enumsortorder`,
  );
  const keyRows = await readKeyColumns(sql, "p");
  const enumLabels = new Map<string, Set<string>>();
  for (const row of enumRows) {
    const labels = enumLabels.get(row.type_name) ?? new Set<string>();
    labels.add(row.label);
    enumLabels.set(row.type_name, labels);
  }
  const tables = new Map<string, Table>();
  for (const row of columnRows) {
    const table = tables.get(row.table_name) ?? { name: row.table_name, columns: [], primaryKey: [], hasAlwaysIdentity: false };
    const kind = row.base_type_kind === "e" ? "enum" : (KIND_BY_TYPE[row.base_type] ?? "other");
    const unbounded = UNBOUNDED_CAST[row.base_type];
    table.columns.push({
      name: row.column_name,
      type: row.column_type,
      castType: unbounded ? `${unbounded}${row.is_array ? "[]" : ""}` : row.cast_type,
      isArray: row.is_array,
      kind,
      baseType: row.base_type,
      enumLabels: kind === "enum" ? (enumLabels.get(row.base_type) ?? null) : null,
      isNullable: !row.is_not_null,
      // A timestamp's modifier is its precision; -1 means the default, microseconds.
      secondDigits: row.type_modifier >= 0 && row.type_modifier <= 6 ? row.type_modifier : 6,
    });
    if (row.is_always_identity) table.hasAlwaysIdentity = true;
    tables.set(row.table_name, table);
  }
  for (const row of keyRows) tables.get(row.table_name)?.primaryKey.push(row.column_name);
  return [...tables.values()];
}

/** Columns of primary keys ("p") or foreign keys ("f"), in key order. */
function readKeyColumns(sql: Sql, constraintType: "p" | "f"): Promise<KeyColumnRow[]> {
  return sql.query<KeyColumnRow>(
    `SELECT con.conname::text AS constraint_name,
            child.relname::text AS table_name,
            parent.relname::text AS referenced_table,
            a.attname::text AS column_name
       FROM pg_constraint con
       JOIN pg_class child ON child.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = child.relnamespace
       LEFT JOIN pg_class parent ON parent.oid = con.confrelid
       CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
      WHERE con.contype = $1 AND n.nspname = current_schema()
      ORDER BY child.relname, con.conname, k.position`,
    constraintType,
  );
}

async function readForeignKeys(sql: Sql): Promise<ForeignKey[]> {
  const keys = new Map<string, ForeignKey>();
  for (const row of await readKeyColumns(sql, "f")) {
    const id = `${row.table_name}\u0000${row.constraint_name}`;
    const key = keys.get(id) ?? { name: row.constraint_name, table: row.table_name, referencedTable: row.referenced_table ?? "", columns: [] };
    key.columns.push(row.column_name);
    keys.set(id, key);
  }
  return [...keys.values()];
}

async function readAppliedMigrations(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(`SELECT name FROM ${quoteIdentifier(MIGRATIONS_TABLE)} ORDER BY name`);
  return rows.map((row) => row.name);
}

/** Session settings that make value text unambiguous: UTC, ISO dates, floats that read back exactly. */
async function setValueFormats(sql: Sql): Promise<void> {
  await sql.execute("SET LOCAL TimeZone = 'UTC'");
  await sql.execute("SET LOCAL DateStyle = 'ISO, YMD'");
  await sql.execute("SET LOCAL IntervalStyle = 'postgres'");
  await sql.execute("SET LOCAL extra_float_digits = 1");
}

/** SQL giving a column's value as backup text (NULL stays NULL). */
function exportExpression(column: Column): string {
  const name = quoteIdentifier(column.name);
  if (column.isArray) return `to_json(${name})::text`;
  const fraction = column.secondDigits <= 3 ? "MS" : "US";
  switch (column.kind) {
    case "timestamptz":
      return `CASE WHEN isfinite(${name}) THEN to_char(${name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.${fraction}"Z"') ELSE ${name}::text END`;
    case "timestamp":
      return `CASE WHEN isfinite(${name}) THEN to_char(${name}, 'YYYY-MM-DD"T"HH24:MI:SS.${fraction}') ELSE ${name}::text END`;
    default:
      return `${name}::text`;
  }
}

/** SQL reading backup text (a text expression, NULL for NULL) into the column's type. */
function importExpression(column: Column, text: string): string {
  if (!column.isArray) return `${text}::${column.castType}`;
  // Elements in their JSON order; json elements stay JSON, others are read from their text.
  const elements = column.kind === "json" ? "jsonb_array_elements" : "jsonb_array_elements_text";
  return `CASE WHEN ${text} IS NULL THEN NULL ELSE ARRAY(SELECT element FROM ${elements}(${text}::jsonb) WITH ORDINALITY AS elements(element, position) ORDER BY position)::${column.castType} END`;
}

/** A file name for a table's CSV: the name itself when it is plain, else percent-encoded. */
function fileNameOf(table: string): string {
  return `${/^[A-Za-z0-9_-]+$/.test(table) ? table : encodeURIComponent(table).replaceAll(".", "%2E")}.csv`;
}

/** Creates the folder, or accepts an existing empty one; says whether it was created. */
async function prepareEmptyFolder(dir: string): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      await mkdir(dir, { recursive: true });
      return true;
    }
    if (code === "ENOTDIR") throw new InvalidInputError(`${dir} is a file, not a folder`);
    throw new InvalidInputError(`Cannot use the folder ${dir}: ${code ?? (error as Error).message}`);
  }
  if (entries.length > 0) {
    throw new ConflictError(`The backup folder ${dir} is not empty (${plural(entries.length, "entry", "entries")}); give a new or empty folder`);
  }
  return false;
}

/** Writes one table's rows to its file, reading them page by page in primary-key order. */
async function writeTable(sql: Sql, table: Table, file: string, rowsPerQuery: number): Promise<number> {
  const selected = table.columns.map((column, index) => `${exportExpression(column)} AS "c${index}"`);
  // Keyset paging: the last row's key continues the scan. A table without a primary key is read
  // in physical order (ctid), which the transaction's snapshot keeps stable.
  const keyColumns = table.primaryKey.map((name) => table.columns.find((column) => column.name === name));
  const isByPrimaryKey = keyColumns.length > 0 && keyColumns.every((column) => column !== undefined);
  const keyOrder = isByPrimaryKey ? table.primaryKey.map(quoteIdentifier).join(", ") : "ctid";
  const keyIndexes = isByPrimaryKey ? table.primaryKey.map((name) => table.columns.findIndex((column) => column.name === name)) : [];
  const select = `SELECT ${selected.join(", ")}${isByPrimaryKey ? "" : `, ctid::text AS "position"`} FROM ${quoteIdentifier(table.name)}`;
  const after = isByPrimaryKey
    ? `(${keyOrder}) > (${keyColumns.map((column, index) => importExpression(column!, `$${index + 1}`)).join(", ")})`
    : "ctid > $1::tid";

  const handle = await open(file, "wx");
  let rows = 0;
  try {
    await handle.write(formatCsvRecord(table.columns.map((column) => column.name)));
    let cursor: (string | null)[] | null = null;
    for (;;) {
      const query = `${select}${cursor ? ` WHERE ${after}` : ""} ORDER BY ${keyOrder} LIMIT ${rowsPerQuery}`;
      const page: Record<string, string | null>[] = await sql.query<Record<string, string | null>>(query, ...(cursor ?? []));
      if (page.length === 0) break;
      let text = "";
      for (const row of page) text += formatCsvRecord(table.columns.map((_, index) => row[`c${index}`] ?? null));
      await handle.write(text);
      rows += page.length;
      if (page.length < rowsPerQuery) break;
      const last: Record<string, string | null> = page[page.length - 1]!;
      cursor = isByPrimaryKey ? keyIndexes.map((index) => last[`c${index}`] ?? null) : [last.position ?? null];
    }
  } finally {
    await handle.close();
  }
  return rows;
}

/**
 * Writes every table (except the migrations table) to `<table>.csv` in `dir`, and `manifest.json`
 * last, from one consistent snapshot. `dir` must be new or empty; on failure the files written
 * are removed again.
 */
export async function backupDatabase(prisma: PrismaClient, dir: string, options: BackupOptions = {}): Promise<BackupReport> {
  const folder = path.resolve(dir);
  const rowsPerQuery = options.rowsPerQuery ?? DEFAULT_ROWS_PER_QUERY;
  const isCreated = await prepareEmptyFolder(folder);
  const written: string[] = [];
  try {
    const manifest = await prisma.$transaction(
      async (transaction) => {
        const sql = prismaSql(transaction);
        await sql.execute("SET TRANSACTION READ ONLY");
        await setValueFormats(sql);
        const migrations = await readAppliedMigrations(sql);
        const tables = await readTables(sql);
        const entries: BackupManifest["tables"] = [];
        for (const table of tables) {
          const file = fileNameOf(table.name);
          written.push(path.join(folder, file));
          const rows = await writeTable(sql, table, path.join(folder, file), rowsPerQuery);
          entries.push({ name: table.name, file, rows, columns: table.columns.map(({ name, type }) => ({ name, type })) });
          options.onTable?.({ table: table.name, rows, index: entries.length, total: tables.length });
        }
        const result: BackupManifest = {
          format: BACKUP_FORMAT,
          formatVersion: BACKUP_FORMAT_VERSION,
          createdAt: new Date().toISOString(),
          migrations,
          tables: entries,
        };
        return result;
      },
      { ...TRANSACTION_OPTIONS, isolationLevel: "RepeatableRead" },
    );
    written.push(path.join(folder, MANIFEST_FILE));
    await writeFile(path.join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { flag: "wx" });
    return {
      dir: folder,
      tables: manifest.tables.map(({ name, file, rows }) => ({ name, file, rows })),
      rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
      migrations: manifest.migrations,
    };
  } catch (error) {
    await Promise.all(written.map((file) => rm(file, { force: true })));
    if (isCreated) await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/** Reads and checks `manifest.json` of a backup folder. */
async function readBackupManifest(dir: string): Promise<BackupManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      const isFolder = await stat(dir).then(
        (entry) => entry.isDirectory(),
        () => false,
      );
      if (!isFolder) throw new NotFoundError(`No backup folder ${dir}`);
      throw new InvalidInputError(`${file} is missing: ${dir} is not a backup, or its backup did not finish`);
    }
    throw new InvalidInputError(`Cannot read ${file}: ${code ?? (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(top)"}: ${issue.message}`);
    throw new InvalidInputError(`${file} is not a backup manifest: ${problems.join("; ")}`);
  }
  const names = new Set<string>();
  const files = new Set<string>();
  for (const table of parsed.data.tables) {
    if (names.has(table.name)) throw new InvalidInputError(`${file} lists table ${table.name} twice`);
    if (files.has(table.file)) throw new InvalidInputError(`${file} lists file ${table.file} twice`);
    names.add(table.name);
    files.add(table.file);
  }
  return parsed.data;
}

/** Tables in an order that loads every referenced row before the rows that reference it. */
type LoadPlan = {
  order: string[];
  /** Per table, foreign-key columns loaded as NULL and set once every table is loaded (self-references, cycles). */
  deferredColumns: Map<string, Set<string>>;
};

/**
 * Orders tables by their foreign keys. A table's references to itself are deferred; a cycle
 * between tables is broken by deferring the nullable foreign keys of one table in it.
 */
function planLoadOrder(tables: readonly Table[], foreignKeys: readonly ForeignKey[]): LoadPlan {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const deferredColumns = new Map<string, Set<string>>();
  const defer = (key: ForeignKey) => {
    const table = byName.get(key.table)!;
    for (const name of key.columns) {
      if (!table.columns.find((column) => column.name === name)?.isNullable) {
        throw new Error(`Cannot restore ${key.table}: its foreign key ${key.name} is part of a cycle and ${name} cannot be NULL`);
      }
    }
    const deferred = deferredColumns.get(key.table) ?? new Set<string>();
    for (const name of key.columns) deferred.add(name);
    deferredColumns.set(key.table, deferred);
  };
  let pending = foreignKeys.filter((key) => byName.has(key.table) && byName.has(key.referencedTable));
  for (const key of pending.filter((key) => key.table === key.referencedTable)) defer(key);
  pending = pending.filter((key) => key.table !== key.referencedTable);

  const order: string[] = [];
  const remaining = new Set([...byName.keys()].sort());
  while (remaining.size > 0) {
    const ready = [...remaining].filter((name) => !pending.some((key) => key.table === name && remaining.has(key.referencedTable)));
    if (ready.length > 0) {
      for (const name of ready) {
        order.push(name);
        remaining.delete(name);
      }
      continue;
    }
    const breakable = [...remaining].find((name) =>
      pending
        .filter((key) => key.table === name && remaining.has(key.referencedTable))
        .every((key) => key.columns.every((column) => byName.get(name)!.columns.find((candidate) => candidate.name === column)?.isNullable)),
    );
    if (!breakable) throw new Error(`Cannot order the tables ${[...remaining].join(", ")}: their foreign keys form a cycle of NOT NULL columns`);
    for (const key of pending.filter((key) => key.table === breakable && remaining.has(key.referencedTable))) defer(key);
    pending = pending.filter((key) => !(key.table === breakable && remaining.has(key.referencedTable)));
  }
  return { order, deferredColumns };
}

const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int2: [-32_768n, 32_767n],
  int4: [-2_147_483_648n, 2_147_483_647n],
  int8: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
};
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const TIMESTAMP = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[-+]\d{2}(?::?\d{2})?)?$/;
const DATE = /^(\d{4,})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isCalendarDay(year: number, month: number, day: number): boolean {
  const isLeapYear = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 && isLeapYear ? 29 : DAYS_IN_MONTH[month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

function checkTimestamp(text: string, hasZone: boolean): string | undefined {
  if (text === "infinity" || text === "-infinity") return undefined;
  const match = TIMESTAMP.exec(text);
  if (!match || Boolean(match[8]) !== hasZone) {
    const expected = `an ISO-8601 timestamp${hasZone ? " with Z or an offset" : " without a zone"} (e.g. 2026-01-31T09:15:00.000${hasZone ? "Z" : ""})`;
    return `${JSON.stringify(text)} is not ${expected}`;
  }
  if (!isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3])) || Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6]) > 59) {
    return `${JSON.stringify(text)} is not a valid date and time`;
  }
  return undefined;
}

/** Why a value's text cannot be read as the column's (element) type, or undefined if it can. */
function checkScalar(column: Column, text: string): string | undefined {
  // The quoted value is built only for a message, and no closure is made per call: a restore
  // checks millions of values, nearly all of them valid.
  switch (column.kind) {
    case "integer": {
      if (!/^[-+]?\d+$/.test(text)) return `${JSON.stringify(text)} is not a whole number`;
      const [min, max] = INTEGER_RANGES[column.baseType] ?? INTEGER_RANGES.int8!;
      // Up to 15 digits a double is exact, and no BigInt needs allocating.
      const value = text.length <= 15 ? Number(text) : BigInt(text);
      return value < min || value > max ? `${JSON.stringify(text)} is out of range for ${column.baseType}` : undefined;
    }
    case "float":
      return DECIMAL.test(text) || ["NaN", "Infinity", "-Infinity"].includes(text) ? undefined : `${JSON.stringify(text)} is not a number`;
    case "numeric":
      return DECIMAL.test(text) || ["NaN", "Infinity", "-Infinity"].includes(text) ? undefined : `${JSON.stringify(text)} is not a decimal number`;
    case "boolean":
      return text === "true" || text === "false" ? undefined : `${JSON.stringify(text)} is not true or false`;
    case "timestamptz":
      return checkTimestamp(text, true);
    case "timestamp":
      return checkTimestamp(text, false);
    case "date": {
      if (text === "infinity" || text === "-infinity") return undefined;
      const match = DATE.exec(text);
      return match && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3])) ? undefined : `${JSON.stringify(text)} is not a date (YYYY-MM-DD)`;
    }
    case "json":
      try {
        JSON.parse(text);
        return undefined;
      } catch {
        return `${JSON.stringify(text)} is not valid JSON`;
      }
    case "uuid":
      return UUID.test(text) ? undefined : `${JSON.stringify(text)} is not a UUID`;
    case "enum":
      return column.enumLabels?.has(text) === false ? `${JSON.stringify(text)} is not one of ${[...column.enumLabels].join(", ")}` : undefined;
    case "text":
    case "other":
      return undefined;
  }
}

function checkArrayElement(column: Column, element: unknown): string | undefined {
  if (element === null) return undefined;
  if (Array.isArray(element)) return "nested arrays are not supported";
  switch (column.kind) {
    case "json":
      return undefined;
    case "integer":
    case "float":
    case "numeric":
      if (typeof element === "number") return column.kind === "integer" && !Number.isInteger(element) ? `${element} is not a whole number` : undefined;
      return typeof element === "string" ? checkScalar(column, element) : `${JSON.stringify(element)} is not a number`;
    case "boolean":
      return typeof element === "boolean" ? undefined : `${JSON.stringify(element)} is not true or false`;
    default:
      return typeof element === "string" ? checkScalar(column, element) : `${JSON.stringify(element)} is not a string`;
  }
}

/** Why a field cannot be stored in the column, or undefined if it can. */
function checkField(column: Column, value: CsvField): string | undefined {
  if (value === null) return column.isNullable ? undefined : "empty (NULL), but the column is NOT NULL";
  if (!column.isArray) return checkScalar(column, value);
  let elements: unknown;
  try {
    elements = JSON.parse(value);
  } catch {
    return `${JSON.stringify(value)} is not a JSON array`;
  }
  if (!Array.isArray(elements)) return `${JSON.stringify(value)} is not a JSON array`;
  for (const [index, element] of elements.entries()) {
    const problem = checkArrayElement(column, element);
    if (problem) return `element ${index + 1}: ${problem}`;
  }
  return undefined;
}

type TableFile = { table: Table; path: string; label: string; expectedRows: number };

/** A data row of a table file, checked; `line` is where the record starts. */
type CheckedRow = { values: CsvField[]; line: number };

/**
 * Reads a table file: checks the header against the table's columns and every record against
 * the header, yielding each row's values in the table's column order. Values are checked in
 * `checkedColumns` (by index; all columns by default).
 */
async function* readTableFile(file: TableFile, checkedColumns?: ReadonlySet<number>): AsyncGenerator<CheckedRow> {
  const { table, label } = file;
  const isChecked = table.columns.map((_, index) => checkedColumns?.has(index) ?? true);
  const records = readCsvFile(file.path);
  let header: CsvRecord | undefined;
  let order: number[] = [];
  try {
    for await (const record of records) {
      if (!header) {
        header = record;
        order = checkHeader(file, record);
        continue;
      }
      const { fields, line } = record;
      if (fields.length !== order.length) {
        const names = header.fields;
        const detail = fields.length < order.length ? `column ${names[fields.length]} is missing` : `an extra field after column ${names[names.length - 1]}`;
        throw new InvalidInputError(`${label}, line ${line}: ${plural(fields.length, "field")} where the header has ${order.length} (${detail})`);
      }
      const values: CsvField[] = new Array<CsvField>(table.columns.length).fill(null);
      for (let position = 0; position < order.length; position += 1) {
        const columnIndex = order[position]!;
        const column = table.columns[columnIndex]!;
        const value = fields[position] ?? null;
        const problem = isChecked[columnIndex] ? checkField(column, value) : undefined;
        if (problem) throw new InvalidInputError(`${label}, line ${line}, column ${column.name}: ${problem}`);
        values[columnIndex] = value;
      }
      yield { values, line };
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new InvalidInputError(`${label}, line ${error.line}, field ${error.field}: ${error.reason}`);
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new InvalidInputError(`${label} is missing from the backup`);
    throw error;
  }
  if (!header) throw new InvalidInputError(`${label} is empty: expected a header line with the column names`);
}

/** Maps header positions to the table's column indexes; every column must appear once. */
function checkHeader(file: TableFile, header: CsvRecord): number[] {
  const { table, label } = file;
  const seen = new Set<string>();
  const order = header.fields.map((name, position) => {
    const where = `${label}, line ${header.line}, column ${position + 1}`;
    if (name === null || name === "") throw new InvalidInputError(`${where}: the header has an empty column name`);
    const index = table.columns.findIndex((column) => column.name === name);
    if (index === -1) throw new InvalidInputError(`${where} (${name}): table ${table.name} has no column ${name}`);
    if (seen.has(name)) throw new InvalidInputError(`${where} (${name}): column ${name} appears twice`);
    seen.add(name);
    return index;
  });
  const missing = table.columns.filter((column) => !seen.has(column.name)).map((column) => column.name);
  if (missing.length > 0)
    throw new InvalidInputError(
      `${label}, line ${header.line}: the header lacks column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of table ${table.name}`,
    );
  return order;
}

/**
 * The database's message when it refused data (SQLSTATE class 22, data exception, or 23,
 * integrity constraint violation); undefined for any other failure, such as a lost connection.
 */
function dataRefusalMessage(error: unknown): string | undefined {
  if (!(error instanceof pg.DatabaseError)) return undefined;
  const code = error.code ?? "";
  return code.startsWith("22") || code.startsWith("23") ? error.message : undefined;
}

/** "line 7" or "lines 2–10", for the rows of a statement the database refused. */
function describeLines(first: number | undefined, last: number | undefined): string {
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}

/**
 * Runs a statement over a batch of rows given as one text array per column (unnested into rows
 * as `u.c0`, `u.c1`, …), so a statement has as many parameters as columns, whatever the rows.
 * A refusal by the database names the file and the batch's lines.
 */
async function executeForRows(
  sql: Sql,
  label: string,
  rows: readonly CheckedRow[],
  columnIndexes: readonly number[],
  statement: (source: string) => string,
): Promise<number> {
  const arrays = columnIndexes.map((index) => rows.map((row) => row.values[index] ?? null));
  const source = `unnest(${columnIndexes.map((_, position) => `$${position + 1}::text[]`).join(", ")}) AS u(${columnIndexes.map((_, position) => `c${position}`).join(", ")})`;
  try {
    return await sql.execute(statement(source), ...arrays);
  } catch (error) {
    const message = dataRefusalMessage(error);
    if (message === undefined) throw error;
    throw new InvalidInputError(`${label}, ${describeLines(rows[0]?.line, rows[rows.length - 1]?.line)}: the database refused the rows: ${message}`);
  }
}

/**
 * Groups rows into statements of at most `maxRows` rows and about MAX_STATEMENT_CHARACTERS of
 * values, so that memory stays bounded whatever the rows' size.
 */
async function* batchRows(rows: AsyncIterable<CheckedRow>, maxRows: number): AsyncGenerator<CheckedRow[]> {
  let batch: CheckedRow[] = [];
  let characters = 0;
  for await (const row of rows) {
    batch.push(row);
    for (const value of row.values) characters += value?.length ?? 0;
    if (batch.length >= maxRows || characters >= MAX_STATEMENT_CHARACTERS) {
      yield batch;
      batch = [];
      characters = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/** Inserts a file's rows in batches, deferred columns as NULL; returns the number of rows. */
async function insertTable(sql: Sql, file: TableFile, deferred: ReadonlySet<string>, rowsPerQuery: number): Promise<number> {
  const { table } = file;
  const columns = table.columns;
  const columnIndexes = columns.map((_, index) => index);
  const names = columns.map((column) => quoteIdentifier(column.name)).join(", ");
  const values = columns.map((column, index) => (deferred.has(column.name) ? `NULL::${column.castType}` : importExpression(column, `u.c${index}`))).join(", ");
  const overriding = table.hasAlwaysIdentity ? " OVERRIDING SYSTEM VALUE" : "";
  const statement = (source: string) => `INSERT INTO ${quoteIdentifier(table.name)} (${names})${overriding} SELECT ${values} FROM ${source}`;
  let count = 0;
  for await (const batch of batchRows(readTableFile(file), rowsPerQuery)) count += await executeForRows(sql, file.label, batch, columnIndexes, statement);
  return count;
}

// COPY's text format: a row per line, fields split by tabs, NULL as \N, and a backslash, line
// break or tab inside a value escaped, so that every row is one line and the line a refusal names
// is the row's (in CSV, line breaks inside values shift the database's count of lines).
const NEEDS_COPY_ESCAPES = /[\\\n\r\t]/;
const COPY_ESCAPES = /[\\\n\r\t]/g;
const COPY_ESCAPE_OF: Readonly<Record<string, string>> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const escapeCopyCharacter = (character: string): string => COPY_ESCAPE_OF[character] ?? character;

/** A field of COPY's text format. */
function formatCopyField(value: CsvField): string {
  if (value === null) return "\\N";
  return NEEDS_COPY_ESCAPES.test(value) ? value.replace(COPY_ESCAPES, escapeCopyCharacter) : value;
}

/**
 * Whether a column's backup text can be turned into COPY's text in JavaScript without changing a
 * value: arrays of strings, booleans, int2/int4 and float8 (exact as JavaScript numbers). Arrays
 * of other numbers (int8, numeric and float4 would be rounded) and of json go through inserts.
 */
function canCopyColumn(column: Column): boolean {
  if (!column.isArray) return true;
  switch (column.kind) {
    case "integer":
      return column.baseType === "int2" || column.baseType === "int4";
    case "float":
      return column.baseType === "float8";
    case "numeric":
    case "json":
      return false;
    default:
      return true;
  }
}

const ARRAY_ELEMENT_ESCAPES = /["\\]/g;

/** PostgreSQL's array text of a checked JSON array: every element quoted, null as NULL. */
function formatArrayLiteral(json: string): string {
  const elements = JSON.parse(json) as unknown[];
  let text = "{";
  for (let index = 0; index < elements.length; index += 1) {
    if (index > 0) text += ",";
    const element = elements[index];
    text += element === null ? "NULL" : `"${String(element).replace(ARRAY_ELEMENT_ESCAPES, "\\$&")}"`;
  }
  return `${text}}`;
}

/**
 * Sends text to a COPY … FROM STDIN; returns the rows copied. When `text` fails, the copy is
 * cancelled and its error thrown; when the database refuses a row, its error is thrown.
 */
async function copyText(client: pg.ClientBase, statement: string, text: AsyncIterable<string>): Promise<number> {
  const copy = client.query(copyFrom(statement));
  let failure: Error | undefined;
  const ended = new Promise<void>((resolve) => {
    copy.once("finish", resolve);
    copy.once("error", (error: Error) => {
      failure = error;
      resolve();
    });
  });
  try {
    for await (const chunk of text) {
      if (failure) break;
      if (!copy.write(chunk)) await Promise.race([new Promise((resolve) => copy.once("drain", resolve)), ended]);
    }
  } catch (error) {
    // The database's answer to the cancelled copy is awaited, so that the connection can go on (to ROLLBACK).
    if (!failure) {
      copy.destroy(error as Error);
      await ended;
    }
    throw error;
  }
  if (!failure) copy.end();
  await ended;
  if (failure) throw failure;
  return copy.rowCount;
}

/**
 * Copies a file's rows, deferred columns as NULL, with one COPY per `rowsPerCopy` rows; returns
 * the number of rows. A refusal names the line of the refused row when the database says which.
 */
async function copyTable(client: pg.ClientBase, file: TableFile, deferred: ReadonlySet<string>, rowsPerCopy: number): Promise<number> {
  const { table } = file;
  const isDeferred = table.columns.map((column) => deferred.has(column.name));
  const isArray = table.columns.map((column) => column.isArray);
  const statement = `COPY ${quoteIdentifier(table.name)} (${table.columns.map((column) => quoteIdentifier(column.name)).join(", ")}) FROM STDIN`;
  const rows = readTableFile(file)[Symbol.asyncIterator]();
  // The file line of each row of the current COPY, whose rows the database numbers from 1.
  const lines = new Float64Array(rowsPerCopy);
  let sent = 0;
  let next = await rows.next();
  async function* copyData(): AsyncGenerator<string> {
    let chunk = "";
    while (!next.done && sent < rowsPerCopy) {
      const { values, line } = next.value;
      lines[sent] = line;
      sent += 1;
      for (let index = 0; index < values.length; index += 1) {
        if (index > 0) chunk += "\t";
        const value = isDeferred[index] ? null : (values[index] ?? null);
        chunk += formatCopyField(value !== null && isArray[index] ? formatArrayLiteral(value) : value);
      }
      chunk += "\n";
      if (chunk.length >= COPY_CHUNK_CHARACTERS) {
        yield chunk;
        chunk = "";
      }
      next = await rows.next();
    }
    if (chunk.length > 0) yield chunk;
  }
  let count = 0;
  try {
    while (!next.done) {
      sent = 0;
      try {
        count += await copyText(client, statement, copyData());
      } catch (error) {
        const message = dataRefusalMessage(error);
        if (message === undefined) throw error;
        // The context of a refusal during COPY: `COPY <table>, line <n>[, column <name>: …]`.
        const copyLine = Number(/^COPY .*?, line (\d+)/.exec((error as pg.DatabaseError).where ?? "")?.[1] ?? 0);
        if (copyLine >= 1 && copyLine <= sent)
          throw new InvalidInputError(`${file.label}, line ${lines[copyLine - 1]}: the database refused the row: ${message}`);
        throw new InvalidInputError(`${file.label}, ${describeLines(lines[0], lines[Math.max(sent - 1, 0)])}: the database refused the rows: ${message}`);
      }
    }
  } finally {
    await rows.return(undefined);
  }
  return count;
}

/** Sets the deferred columns of a loaded table from its file, by primary key. */
async function setDeferredColumns(sql: Sql, file: TableFile, deferred: ReadonlySet<string>, rowsPerQuery: number): Promise<void> {
  const { table } = file;
  const keyIndexes = table.primaryKey.map((name) => table.columns.findIndex((column) => column.name === name));
  if (keyIndexes.length === 0 || keyIndexes.includes(-1)) {
    throw new Error(`Cannot restore ${table.name}: it references rows of its own or of a cycle but has no primary key`);
  }
  const deferredIndexes = table.columns.flatMap((column, index) => (deferred.has(column.name) ? [index] : []));
  const columnIndexes = [...keyIndexes, ...deferredIndexes];
  const converted = columnIndexes.map((index, position) => `${importExpression(table.columns[index]!, `u.c${position}`)} AS s${position}`);
  const assignments = deferredIndexes.map((index, position) => `${quoteIdentifier(table.columns[index]!.name)} = source.s${keyIndexes.length + position}`);
  const matches = keyIndexes.map((index, position) => `target.${quoteIdentifier(table.columns[index]!.name)} = source.s${position}`);
  const statement = (source: string) =>
    `UPDATE ${quoteIdentifier(table.name)} AS target SET ${assignments.join(", ")} ` +
    `FROM (SELECT ${converted.join(", ")} FROM ${source}) AS source WHERE ${matches.join(" AND ")}`;
  async function* referencing(): AsyncGenerator<CheckedRow> {
    // Every value was checked when the rows were loaded; only the ones read again are checked again.
    for await (const row of readTableFile(file, new Set(columnIndexes))) if (deferredIndexes.some((index) => row.values[index] !== null)) yield row;
  }
  for await (const batch of batchRows(referencing(), rowsPerQuery)) {
    const updated = await executeForRows(sql, file.label, batch, columnIndexes, statement);
    if (updated !== batch.length) throw new InvalidInputError(`${file.label}: ${batch.length} rows to update, ${updated} found by primary key`);
  }
}

/** Moves every serial and identity sequence past the largest value in its column; returns how many. */
async function resetSequences(sql: Sql, tables: readonly Table[]): Promise<number> {
  const rows = await sql.query<{ table_name: string; column_name: string; sequence_name: string }>(
    `SELECT c.relname::text AS table_name, a.attname::text AS column_name,
            pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) AS sequence_name
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
        AND pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) IS NOT NULL`,
  );
  const restored = new Set(tables.map((table) => table.name));
  let count = 0;
  for (const row of rows.filter((candidate) => restored.has(candidate.table_name))) {
    const column = quoteIdentifier(row.column_name);
    // An empty table starts again at 1; otherwise the next value is max + 1.
    await sql.query(
      `SELECT setval($1::regclass, COALESCE(max(${column}), 1)::bigint, max(${column}) IS NOT NULL) FROM ${quoteIdentifier(row.table_name)}`,
      row.sequence_name,
    );
    count += 1;
  }
  return count;
}

function describeMigrationDifference(backup: readonly string[], target: readonly string[]): string {
  const onlyBackup = backup.filter((name) => !target.includes(name));
  const onlyTarget = target.filter((name) => !backup.includes(name));
  return [
    onlyBackup.length > 0 ? `only in the backup: ${onlyBackup.join(", ")}` : "",
    onlyTarget.length > 0 ? `only in the target: ${onlyTarget.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/** Matches the manifest's tables and column types with the target's; returns the tables to load. */
function matchTables(manifest: BackupManifest, targetTables: readonly Table[], dir: string): TableFile[] {
  const manifestLabel = path.join(dir, MANIFEST_FILE);
  const byName = new Map(targetTables.map((table) => [table.name, table]));
  const listed = new Set(manifest.tables.map((table) => table.name));
  const unknown = manifest.tables.filter((table) => !byName.has(table.name)).map((table) => table.name);
  if (unknown.length > 0) throw new InvalidInputError(`${manifestLabel} lists tables the target does not have: ${unknown.join(", ")}`);
  const absent = targetTables.filter((table) => !listed.has(table.name)).map((table) => table.name);
  if (absent.length > 0) throw new InvalidInputError(`${manifestLabel} lacks tables of the target: ${absent.join(", ")}`);
  return manifest.tables.map((entry) => {
    const table = byName.get(entry.name)!;
    for (const column of entry.columns) {
      const targetColumn = table.columns.find((candidate) => candidate.name === column.name);
      if (!targetColumn) throw new InvalidInputError(`${manifestLabel}: table ${table.name} of the target has no column ${column.name}`);
      if (targetColumn.type !== column.type) {
        throw new InvalidInputError(
          `${manifestLabel}: column ${table.name}.${column.name} is ${column.type} in the backup but ${targetColumn.type} in the target`,
        );
      }
    }
    return { table, path: path.join(dir, entry.file), label: entry.file, expectedRows: entry.rows };
  });
}

/**
 * Loads a backup into an empty database with the same migrations, all tables in one transaction
 * (all or nothing), in foreign-key order; then moves the id sequences past the restored ids.
 */
export async function restoreDatabase(target: DatabaseTarget, dir: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const folder = path.resolve(dir);
  const manifest = await readBackupManifest(folder);
  for (const entry of manifest.tables) {
    const isFile = await stat(path.join(folder, entry.file)).then(
      (file) => file.isFile(),
      () => false,
    );
    if (!isFile) throw new InvalidInputError(`${entry.file} is missing from the backup in ${folder} (listed in ${MANIFEST_FILE} for table ${entry.name})`);
  }
  // A connection of its own (node-postgres, not Prisma): rows are streamed to it, and Prisma's
  // engine would spend more time handing each statement's values over than PostgreSQL inserting them.
  const client = new pg.Client(await connectionConfig(target));
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("BEGIN");
    try {
      const report = await loadBackup(client, manifest, folder, { ...options, canCopy: target.kind === "postgres" });
      await client.query("COMMIT");
      return report;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** The restore inside its transaction. */
async function loadBackup(
  client: pg.ClientBase,
  manifest: BackupManifest,
  folder: string,
  options: RestoreOptions & { canCopy: boolean },
): Promise<RestoreReport> {
  const sql = clientSql(client);
  const rowsPerQuery = options.rowsPerQuery ?? DEFAULT_ROWS_PER_QUERY;
  const rowsPerCopy = options.rowsPerCopy ?? DEFAULT_ROWS_PER_COPY;
  await setValueFormats(sql);
  const migrations = await readAppliedMigrations(sql);
  const difference = describeMigrationDifference(manifest.migrations, migrations);
  if (difference) {
    throw new ConflictError(
      `The backup and the target database have different migrations (${difference}); restore with the version of peaks that made the backup`,
    );
  }
  const tables = await readTables(sql);
  const files = matchTables(manifest, tables, folder);
  if (tables.length > 0) {
    // Nobody may write between the emptiness check and the load.
    await sql.execute(`LOCK TABLE ${tables.map((table) => quoteIdentifier(table.name)).join(", ")} IN EXCLUSIVE MODE`);
    const counts = await sql.query<{ table_name: string; rows: bigint | string }>(
      tables.map((table, index) => `SELECT $${index + 1}::text AS table_name, count(*)::int8 AS rows FROM ${quoteIdentifier(table.name)}`).join(" UNION ALL "),
      ...tables.map((table) => table.name),
    );
    const filled = counts.filter((row) => Number(row.rows) > 0);
    if (filled.length > 0) {
      throw new ConflictError(
        `The target database is not empty: ${filled.map((row) => `${row.table_name} (${plural(Number(row.rows), "row")})`).join(", ")}; restore into a new, empty database`,
      );
    }
  }
  const plan = planLoadOrder(tables, await readForeignKeys(sql));
  const fileOf = new Map(files.map((file) => [file.table.name, file]));
  const report: RestoreReport = { dir: folder, tables: [], rows: 0, sequencesReset: 0 };
  for (const name of plan.order) {
    const file = fileOf.get(name)!;
    const deferred = plan.deferredColumns.get(name) ?? new Set<string>();
    const rows =
      options.canCopy && file.table.columns.every(canCopyColumn)
        ? await copyTable(client, file, deferred, rowsPerCopy)
        : await insertTable(sql, file, deferred, rowsPerQuery);
    if (rows !== file.expectedRows) {
      throw new InvalidInputError(
        `${file.label} has ${plural(rows, "row")} but ${MANIFEST_FILE} says ${file.expectedRows}: the file is incomplete or was changed`,
      );
    }
    report.tables.push({ name, rows });
    report.rows += rows;
    options.onTable?.({ table: name, rows, index: report.tables.length, total: plan.order.length });
  }
  for (const [name, columns] of plan.deferredColumns) await setDeferredColumns(sql, fileOf.get(name)!, columns, rowsPerQuery);
  report.sequencesReset = await resetSequences(sql, tables);
  return report;
}

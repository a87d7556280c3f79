import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { runCli } from "@/test/support/run-cli";
import { createTestDatabase, databaseKinds, type DatabaseKind, type TestDatabase } from "@/test/support/test-database";
import { backupDatabase, restoreDatabase, type RestoreOptions, type TableProgress } from "./backup";
import { DATA_VERSIONS_TABLE, readDataVersions } from "./data-versions";
import { BASELINE_SPREADS_TABLE } from "./detection-store";
import { MIGRATIONS_TABLE } from "./migrate";
import type { Database, PrismaClient } from "./client";

// Backups are judged by what a new database holds after restoring them: every table, row for
// row, compared as PostgreSQL's own JSON of each row.

const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-backup-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const CLI_TIMEOUT = 180_000;
/** Beyond 2^53: survives only if never converted to a JavaScript number. */
const BIG_OCCURRENCES = 9_007_199_254_740_993n;
const ADMIN_NAME = 'Ana "the analyst", ops\nteam ✓';

/** Rows in every table of the schema except the migrations table. */
/** The tables a backup leaves out: the applied migrations, the write counts the triggers keep (each database its own) and the spreads the next run computes from the restored slots. */
const NOT_BACKED_UP = `('${MIGRATIONS_TABLE}', '${DATA_VERSIONS_TABLE}', '${BASELINE_SPREADS_TABLE}')`;

async function countRows(prisma: PrismaClient): Promise<Record<string, number>> {
  const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ${NOT_BACKED_UP} ORDER BY tablename`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ rows: bigint }[]>(`SELECT count(*)::int8 AS rows FROM "${name}"`);
    counts[name] = Number(row?.rows ?? -1);
  }
  return counts;
}

/** Every row of every table as PostgreSQL's JSON, in primary-key order. */
async function readAllRows(prisma: PrismaClient): Promise<Record<string, string[]>> {
  const keys = await prisma.$queryRawUnsafe<{ table_name: string; key: string }[]>(
    `SELECT c.relname::text AS table_name, string_agg(quote_ident(a.attname), ', ' ORDER BY k.position) AS key
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE i.indisprimary AND n.nspname = current_schema() AND c.relname NOT IN ${NOT_BACKED_UP}
      GROUP BY c.relname ORDER BY c.relname`,
  );
  const all: Record<string, string[]> = {};
  for (const { table_name: table, key } of keys) {
    const rows = await prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${table}" t ORDER BY ${key}`);
    all[table] = rows.map((row) => row.row);
  }
  return all;
}

/** Realistic rows in every table, with the values a CSV round trip is most likely to damage. */
async function populate(prisma: PrismaClient): Promise<void> {
  const admin = await prisma.user.create({
    data: {
      email: "ana@example.com",
      name: ADMIN_NAME,
      passwordHash: "$2b$10$abcdefghijklmnopqrstuuJ0aV9m7YzG3QeUq1xkZrTn2vW8yHc6K",
      role: "admin",
      createdAt: new Date("2026-01-01T08:00:00.001Z"),
    },
  });
  const viewer = await prisma.user.create({
    data: {
      email: "vic@example.com",
      name: "",
      passwordHash: null,
      role: "viewer",
      isDisabled: true,
      createdAt: new Date("2026-01-02T03:04:05.678Z"),
      lastLoginAt: new Date("2026-01-20T23:59:59.999Z"),
    },
  });
  // A gap in the ids: restored sequences must continue after the largest id, not after the count.
  await prisma.user.create({ data: { id: 50, email: "ops@example.com", role: "analyst", createdAt: new Date("2026-01-03T00:00:00.000Z") } });

  const activeIssue = await prisma.knownIssue.create({
    data: {
      title: 'Payments time out, "again"',
      description: null,
      patternIds: ["a,b", 'say "hi"', "", "ünï"],
      regexes: ["timeout after \\d+ ms", "^Connection (refused|reset)$"],
      namespace: "payments",
      appName: "payment-api",
      link: "https://tracker.example.com/browse/PAY-1?x=1,2",
      createdById: admin.id,
      createdAt: new Date("2026-01-05T10:00:00.123Z"),
    },
  });
  const resolvedIssue = await prisma.knownIssue.create({
    data: {
      title: "Old TLS certificate",
      description: "",
      patternIds: [],
      regexes: [],
      status: "resolved",
      resolvedAt: new Date("2026-01-09T12:30:00.500Z"),
    },
  });
  const knownPeak = await prisma.knownPeak.create({
    data: {
      title: "Certificate expired",
      solution: 'Rotate the certificate, then\r\nrestart the gateway; see "runbook", step 3',
      patternIds: ["p1"],
      regexes: ["certificate (has )?expired"],
      knownIssueId: resolvedIssue.id,
      resolvedById: viewer.id,
      resolvedAt: new Date("2026-01-10T00:00:00.000Z"),
    },
  });

  const peakBase = {
    namespace: "payments",
    dayOfWeek: 3,
    hourOfDay: 9,
    severity: "high" as const,
    errorCount: 1200,
    baselineMean: 0.25,
    baselineStddev: 1e-7,
    baselineSamples: 12,
    ratio: 999,
    requiredRatio: 3.25,
    average24h: 40.5,
  };
  const first = await prisma.peakInvestigation.create({
    data: {
      ...peakBase,
      timestamp: new Date("2026-01-15T09:00:00.000Z"),
      quarterHour: 0,
      referenceCounts: [1, 2, 300],
      thresholdsVersion: 1,
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      appName: "payment-api",
      errorType: "timeout",
      affectedServices: ["orders", "pay,ments", 'quo"te', ""],
      rootCause: "TimeoutError: upstream took 30000 ms\n  at Client.call (client.js:10:5)",
      topPatterns: { patterns: [{ id: "a1", template: "Timeout after <*> ms", count: 17 }], usual: null, note: 'ünïcødé, "quoted"\nnext line' },
      enrichedAt: new Date("2026-01-15T09:20:00.250Z"),
      knownIssueId: activeIssue.id,
      knownPeakId: knownPeak.id,
      aiSummary: "Upstream timeouts",
      aiNextSteps: ["Check the pool", "", "Scale, then watch"],
      aiModel: "model-1",
      aiAnalyzedAt: new Date("2026-01-15T09:21:00.001Z"),
    },
  });
  const continuation = await prisma.peakInvestigation.create({
    data: {
      ...peakBase,
      timestamp: new Date("2026-01-15T09:15:00.000Z"),
      quarterHour: 1,
      status: "acknowledged",
      severity: "critical",
      referenceCounts: [],
      continuesPeakId: first.id,
    },
  });
  // A peak pointing at a row with a higher id: loading in id order alone would break the key.
  const earlier = await prisma.peakInvestigation.create({
    data: { ...peakBase, namespace: "orders", timestamp: new Date("2026-01-16T10:00:00.000Z"), quarterHour: 0, referenceCounts: [5], status: "false_positive" },
  });
  const later = await prisma.peakInvestigation.create({
    data: { ...peakBase, namespace: "orders", timestamp: new Date("2026-01-16T10:15:00.000Z"), quarterHour: 1, referenceCounts: [6], severity: "low" },
  });
  await prisma.peakInvestigation.update({ where: { id: earlier.id }, data: { continuesPeakId: later.id } });
  const incident = await prisma.incident.create({
    data: {
      namespace: "payments",
      startedAt: first.timestamp,
      lastWindowAt: continuation.timestamp,
      status: "acknowledged",
      ownerId: viewer.id,
      snoozedUntil: new Date("2026-01-15T12:00:00.000Z"),
      snoozeGrowth: 2.5,
      snoozeExcess: 2398.5,
      reopenedAt: new Date("2026-01-15T09:10:00.125Z"),
      reopenCount: 1,
    },
  });
  await prisma.peakInvestigation.updateMany({ where: { id: { in: [first.id, continuation.id] } }, data: { incidentId: incident.id } });

  await prisma.peakRawData.createMany({
    data: [
      {
        timestamp: new Date("2026-01-15T09:00:00.000Z"),
        dayOfWeek: 3,
        hourOfDay: 9,
        quarterHour: 0,
        namespace: "payments",
        errorCount: 1200,
        isPeak: true,
        baselineValue: 120.75,
      },
      {
        timestamp: new Date("2026-01-15T09:15:00.000Z"),
        dayOfWeek: 3,
        hourOfDay: 9,
        quarterHour: 1,
        namespace: "payments",
        errorCount: 0,
        baselineValue: null,
      },
      {
        timestamp: new Date("2026-01-15T09:00:00.000Z"),
        dayOfWeek: 3,
        hourOfDay: 9,
        quarterHour: 0,
        namespace: "pay,ments",
        errorCount: 7,
        baselineValue: 0.1,
      },
      {
        timestamp: new Date("2026-01-15T09:30:00.000Z"),
        dayOfWeek: 3,
        hourOfDay: 9,
        quarterHour: 2,
        namespace: "orders",
        errorCount: 2_147_483_647,
        baselineValue: -0,
      },
      {
        timestamp: new Date("2026-01-15T09:45:00.000Z"),
        dayOfWeek: 3,
        hourOfDay: 9,
        quarterHour: 3,
        namespace: "orders",
        errorCount: 3,
        baselineValue: 6.02214076e23,
      },
    ],
  });
  await prisma.aggregationData.createMany({
    data: [
      { dayOfWeek: 3, hourOfDay: 9, quarterHour: 0, namespace: "payments", mean: 1 / 3, stddev: Math.SQRT2, samples: 4 },
      { dayOfWeek: 6, hourOfDay: 23, quarterHour: 3, namespace: "orders", mean: 0, stddev: 0, samples: 0 },
    ],
  });
  await prisma.$executeRawUnsafe("UPDATE aggregation_data SET m2 = 0.1::float8 + 0.2::float8 WHERE namespace = 'payments'");
  await prisma.errorPattern.create({
    data: {
      patternHash: "e3b0c44298fc1c14",
      template: 'Timeout after <*> ms calling "payments", retry <*>',
      errorType: "timeout",
      firstSeen: new Date("2025-12-31T23:59:59.999Z"),
      lastSeen: new Date("2026-01-15T09:14:59.001Z"),
      occurrences: BIG_OCCURRENCES,
      namespaces: ["payments", "pay,ments"],
      namespaceOccurrences: { payments: 9_007_199_254_740_991, "pay,ments": 2, 'ü"x': 0 },
      exampleMessages: ['Timeout after 30000 ms calling "payments", retry 1\nCaused by: socket hang up', "€ 10,00"],
    },
  });
  await prisma.errorPattern.create({
    data: {
      patternHash: "0000",
      template: "",
      firstSeen: new Date(0),
      lastSeen: new Date(0),
      namespaces: [],
      exampleMessages: [],
      mergedInto: "e3b0c44298fc1c14",
    },
  });
  // A reverted split (a regex with a comma and a quote) and a merge in force: text arrays and nulls.
  await prisma.patternRule.createMany({
    data: [
      {
        kind: "split",
        targetHash: "e3b0c44298fc1c14",
        memberHashes: [],
        childHash: "0000",
        childTemplate: 'Timeout calling "payments", retry <*>',
        parentTemplate: 'Timeout after <*> ms calling "payments", retry <*>',
        regex: 'calling "pay,ments"',
        createdBy: "ana@example.com",
        revokedBy: "cli",
        revokedAt: new Date("2026-01-15T10:00:00.000Z"),
      },
      { kind: "merge", targetHash: "e3b0c44298fc1c14", memberHashes: ["0000", "pay,ments"], createdBy: "cli" },
    ],
  });
  // A date column, restored after the patterns it references.
  await prisma.patternDailyCount.createMany({
    data: [
      { patternHash: "e3b0c44298fc1c14", day: new Date("2026-01-15T00:00:00.000Z"), namespace: "payments", occurrences: 2_147_483_647 },
      { patternHash: "e3b0c44298fc1c14", day: new Date("2026-01-15T00:00:00.000Z"), namespace: "pay,ments", occurrences: 2 },
      { patternHash: "0000", day: new Date("1970-01-01T00:00:00.000Z"), namespace: "", occurrences: 0 },
    ],
  });
  // JSON with values from log messages (quotes, commas, newlines) and a fractional total.
  await prisma.patternWildcardValues.create({
    data: {
      patternHash: "e3b0c44298fc1c14",
      template: 'Timeout after <*> ms calling "payments", retry <*>',
      total: 12.5,
      positions: [
        { values: [{ value: '30000, "x"\n', count: 10.5 }], others: 2 },
        { values: [{ value: "1", count: 12.5 }], others: 0 },
      ],
    },
  });
  const run = await prisma.pipelineRun.create({
    data: {
      trigger: "cron",
      rangeFrom: new Date("2026-01-15T09:00:00.000Z"),
      rangeTo: new Date("2026-01-15T09:15:00.000Z"),
      source: "Elasticsearch at https://es.example.com:9200, index logs-*",
      status: "failed",
      steps: [{ name: "ingest", status: "failed", startedAt: "2026-01-15T09:15:01.000Z", durationMs: 1234, counts: { documents: 10 }, error: 'boom, "bad"' }],
      documentsSeen: 10,
      error: "Elasticsearch answered 503\nafter 5 attempts",
      startedById: admin.id,
      startedAt: new Date("2026-01-15T09:15:00.999Z"),
    },
  });
  await prisma.pipelineLock.create({
    data: {
      name: "pipeline",
      runId: run.id,
      holder: "peaks pipeline run (pid 1234 on host-a)",
      host: "host-a",
      pid: 1234,
      acquiredAt: new Date("2026-01-15T09:15:00.000Z"),
      expiresAt: new Date("2026-01-15T09:20:00.000Z"),
    },
  });
  await prisma.thresholdSetting.create({
    data: { values: { min_ratio_multiplier: 3.5, max_ratio_multiplier: 5, min_absolute_value: 100 }, comment: "Fewer alerts, please", createdById: admin.id },
  });
  await prisma.notificationDelivery.create({
    data: {
      channel: "teams",
      dedupeKey: `peak:${first.id}:opened`,
      peakId: first.id,
      status: "sent",
      attempts: 2,
      lastError: null,
      payload: { type: "message", text: 'Peak in "payments", 1,200 errors' },
      sentAt: new Date("2026-01-15T09:16:00.042Z"),
    },
  });
  await prisma.auditLog.createMany({
    data: [
      {
        userId: admin.id,
        actor: "user",
        action: "known_issue.create",
        entityType: "known_issue",
        entityId: String(activeIssue.id),
        details: { title: "Payments time out" },
      },
      { userId: null, actor: "cli", action: "user.create", entityType: "user", entityId: null, details: {} },
    ],
  });
  await prisma.peakNote.createMany({
    data: [
      {
        peakId: first.id,
        authorId: admin.id,
        actor: "admin@example.com",
        text: 'Checked the gateway: "timeouts", from 09:00,\nnot before',
        createdAt: new Date("2026-01-15T09:30:00.123Z"),
      },
      { peakId: first.id, authorId: null, actor: "cli", text: "Ü ✓ 🚀", createdAt: new Date("2026-01-15T09:31:00.000Z") },
    ],
  });
  await prisma.ingestedDay.createMany({
    data: [
      { day: "2026-01-15", mode: "detect", documents: 123_456, skipped: 2, files: ["errors-2026-01-15.ndjson.gz", 'odd,name "x".ndjson'] },
      { day: "2026-01-14", mode: "init", documents: 0, skipped: 0, files: [] },
    ],
  });
  // Several rows share a window start: paging by the two-column key must not skip or repeat any.
  await prisma.patternWindow.createMany({
    data: ["orders", "payments", "pay,ments", "search"].flatMap((namespace, index) => [
      { windowStart: new Date("2026-01-15T09:00:00.000Z"), namespace, documents: index },
      { windowStart: new Date("2026-01-15T09:15:00.000Z"), namespace, documents: 10 + index },
    ]),
  });
  // A version is any text a log carries: commas and quotes go through the CSV too.
  await prisma.namespaceVersion.createMany({
    data: [
      {
        namespace: "payments",
        version: "1.4.0",
        firstSeen: new Date("2026-01-01T08:00:00.000Z"),
        lastSeen: new Date("2026-01-15T09:10:00.500Z"),
        errors: 12_345_678_901n,
      },
      {
        namespace: "payments",
        version: '2026.1 "rc,1"',
        firstSeen: new Date("2026-01-15T09:05:00.000Z"),
        lastSeen: new Date("2026-01-15T09:20:00.000Z"),
        errors: 7,
      },
    ],
  });
  await prisma.loginFailure.create({ data: { key: "ana@example.com|10.0.0.1", failedAt: new Date("2026-01-15T07:00:00.007Z") } });
  await prisma.windowCorrection.create({
    data: {
      timestamp: new Date("2026-01-15T09:00:00.000Z"),
      namespace: "payments",
      previousCount: 180,
      count: 212,
      wasPeak: true,
      isPeak: true,
      reason: "recount",
      peakId: first.id,
    },
  });
  await prisma.sourceCoverage.createMany({
    data: [
      { fromTime: new Date("2026-01-15T00:00:00.000Z"), toTime: new Date("2026-01-15T23:59:58.123Z"), namespace: null },
      { fromTime: new Date("2026-01-14T00:00:01.000Z"), toTime: new Date("2026-01-14T12:00:00.000Z"), namespace: "pay,ments" },
    ],
  });
  await prisma.dataGap.create({
    data: { kind: "stale", subject: "", dataUntil: new Date("2026-01-15T10:42:00.000Z"), detail: "source 45 min behind", closedAt: null },
  });
  await prisma.baselineAcceptance.create({
    data: {
      namespace: "pay,ments",
      fromTimestamp: new Date("2026-01-15T09:00:00.000Z"),
      levelOffset: -12.5,
      windows: 4,
      slotShifts: { "3|9|0|pay,ments": -12.5, "3|9|1|pay,ments": -7.25 },
      previousValues: { "1768467600000": 180.5, "1768468500000": null },
      peakId: first.id,
      comment: 'release "4.2", with a comma',
      acceptedBy: "ana@example.com",
      acceptedAt: new Date("2026-01-15T11:00:00.001Z"),
      revertedBy: null,
      revertedAt: null,
    },
  });
  expect(continuation.continuesPeakId).toBe(first.id);
}

function expectAppError(error: unknown, type: typeof InvalidInputError | typeof ConflictError | typeof NotFoundError, message: string | RegExp): void {
  expect(error).toBeInstanceOf(type);
  if (typeof message === "string") expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
}

async function restoreError(target: TestDatabase, dir: string, options: RestoreOptions = {}): Promise<unknown> {
  return restoreDatabase(target.target, dir, options).then(
    () => {
      throw new Error(`restoring ${dir} should have failed`);
    },
    (error: unknown) => error,
  );
}

describe.each(databaseKinds)("backup and restore on %s", (kind: DatabaseKind) => {
  const opened: { test: TestDatabase; database: Database }[] = [];
  async function newDatabase(): Promise<{ test: TestDatabase; database: Database }> {
    const test = await createTestDatabase(kind);
    const entry = { test, database: await test.open() };
    opened.push(entry);
    return entry;
  }
  let source: { test: TestDatabase; database: Database };
  /** A database that every refused restore must leave empty. */
  let empty: { test: TestDatabase; database: Database };
  let backupDir: string;
  let sourceRows: Record<string, string[]>;

  beforeAll(async () => {
    source = await newDatabase();
    empty = await newDatabase();
    await populate(source.database.prisma);
    sourceRows = await readAllRows(source.database.prisma);
    backupDir = path.join(workDir, `${kind}-full`);
    await backupDatabase(source.database.prisma, backupDir, { rowsPerQuery: 2 });
  });
  afterAll(async () => {
    for (const { test, database } of opened.reverse()) {
      await database.close();
      await test.drop();
    }
  });

  /** A copy of the good backup to damage. */
  function copyOfBackup(name: string): string {
    const dir = path.join(workDir, `${kind}-${name}`);
    cpSync(backupDir, dir, { recursive: true });
    return dir;
  }

  async function expectEmpty(prisma: PrismaClient): Promise<void> {
    const counts = await countRows(prisma);
    expect(Object.entries(counts).filter(([, rows]) => rows !== 0)).toEqual([]);
  }

  it("fills every table of the source, so the round trip covers them all", async () => {
    const counts = await countRows(source.database.prisma);
    expect(Object.keys(counts).length).toBeGreaterThanOrEqual(15);
    expect(Object.entries(counts).filter(([, rows]) => rows === 0)).toEqual([]);
  });

  it("writes one CSV per table and a manifest with migrations, columns, types and row counts", async () => {
    const manifest = JSON.parse(readFileSync(path.join(backupDir, "manifest.json"), "utf8")) as {
      format: string;
      formatVersion: number;
      migrations: string[];
      tables: { name: string; file: string; rows: number; columns: { name: string; type: string }[] }[];
    };
    const counts = await countRows(source.database.prisma);
    expect(manifest.format).toBe("peaks-backup");
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.migrations).toEqual(readdirSync(path.join(process.cwd(), "prisma", "migrations")).sort());
    expect(Object.fromEntries(manifest.tables.map((table) => [table.name, table.rows]))).toEqual(counts);
    expect(readdirSync(backupDir).sort()).toEqual([...Object.keys(counts).map((table) => `${table}.csv`), "manifest.json"].sort());
    const users = manifest.tables.find((table) => table.name === "users");
    expect(users?.columns.slice(0, 3)).toEqual([
      { name: "id", type: "integer" },
      { name: "email", type: "text" },
      { name: "name", type: "text" },
    ]);
    expect(manifest.tables.find((table) => table.name === "peak_investigation")?.columns).toContainEqual({ name: "reference_counts", type: "integer[]" });

    const usersCsv = readFileSync(path.join(backupDir, "users.csv"), "utf8");
    expect(usersCsv.split("\r\n")[0]).toBe("id,email,name,password_hash,role,is_disabled,created_at,last_login_at,session_version");
    // NULL is an empty unquoted field, the empty string "", timestamps UTC with milliseconds.
    expect(usersCsv).toContain('2,vic@example.com,"",,viewer,true,2026-01-02T03:04:05.678Z,2026-01-20T23:59:59.999Z,0\r\n');
    expect(usersCsv).toContain(`1,ana@example.com,"Ana ""the analyst"", ops\nteam ✓",`);
    const patternsCsv = readFileSync(path.join(backupDir, "error_patterns.csv"), "utf8");
    expect(patternsCsv).toContain(`,${BIG_OCCURRENCES},`);
    expect(readFileSync(path.join(backupDir, "peak_investigation.csv"), "utf8")).toContain('"[""orders"",""pay,ments"",""quo\\""te"",""""]"');
  });

  it("restores every table row for row into a new database, and new rows get new ids", async () => {
    const target = await newDatabase();
    const progress: TableProgress[] = [];
    // Two rows per statement: every table of more than two rows is sent by several.
    const report = await restoreDatabase(target.test.target, backupDir, { rowsPerQuery: 2, rowsPerCopy: 2, onTable: (table) => progress.push(table) });

    expect(await readAllRows(target.database.prisma)).toEqual(sourceRows);
    const counts = await countRows(source.database.prisma);
    expect(report.rows).toBe(Object.values(counts).reduce((sum, rows) => sum + rows, 0));
    expect(progress.map((entry) => entry.index)).toEqual(Object.keys(counts).map((_, index) => index + 1));
    // Parents before children.
    const order = progress.map((entry) => entry.table);
    expect(order.indexOf("users")).toBeLessThan(order.indexOf("known_issues"));
    expect(order.indexOf("known_issues")).toBeLessThan(order.indexOf("known_peaks"));
    expect(order.indexOf("known_peaks")).toBeLessThan(order.indexOf("peak_investigation"));
    expect(order.indexOf("peak_investigation")).toBeLessThan(order.indexOf("notification_deliveries"));

    const prisma = target.database.prisma;
    // The restore's inserts were counted in the new database, so a dashboard reading it draws afresh.
    expect(await readDataVersions(target.database, ["aggregation_data", "peak_raw_data", "threshold_settings"])).toMatch(
      /^aggregation_data:[1-9]\d*:\d+,peak_raw_data:[1-9]\d*:\d+,threshold_settings:[1-9]\d*:\d+$/,
    );
    expect((await prisma.errorPattern.findUniqueOrThrow({ where: { patternHash: "e3b0c44298fc1c14" } })).occurrences).toBe(BIG_OCCURRENCES);
    const admin = await prisma.user.findUniqueOrThrow({ where: { email: "ana@example.com" } });
    expect(admin.name).toBe(ADMIN_NAME);
    expect(admin.createdAt.toISOString()).toBe("2026-01-01T08:00:00.001Z");
    const viewer = await prisma.user.findUniqueOrThrow({ where: { email: "vic@example.com" } });
    expect([viewer.name, viewer.passwordHash, viewer.isDisabled, viewer.role]).toEqual(["", null, true, "viewer"]);
    const peaks = await prisma.peakInvestigation.findMany({ orderBy: { timestamp: "asc" } });
    expect(peaks.map((peak) => [peak.namespace, peak.quarterHour, peak.continuesPeakId])).toEqual([
      ["payments", 0, null],
      ["payments", 1, peaks[0]!.id],
      ["orders", 0, peaks[3]!.id],
      ["orders", 1, null],
    ]);
    expect(peaks[0]!.affectedServices).toEqual(["orders", "pay,ments", 'quo"te', ""]);
    expect(peaks[0]!.referenceCounts).toEqual([1, 2, 300]);
    // Written in SQL: Prisma itself rounds 0.1 + 0.2 to 0.3 on the way in.
    const [exact] = await prisma.$queryRawUnsafe<{ is_exact: boolean }[]>(
      "SELECT m2 = 0.1::float8 + 0.2::float8 AS is_exact FROM aggregation_data WHERE namespace = 'payments'",
    );
    expect(exact?.is_exact).toBe(true);

    // Sequences continue after the largest restored id.
    const newcomer = await prisma.user.create({ data: { email: "new@example.com", role: "viewer" } });
    expect(newcomer.id).toBe(51);
    const newAudit = await prisma.auditLog.create({ data: { actor: "cli", action: "x", entityType: "y" } });
    expect(newAudit.id).toBe(3n);
    const newFailure = await prisma.loginFailure.create({ data: { key: "k" } });
    expect(newFailure.id).toBe(2n);
  });

  it("includes a table added later, without a primary key, with identity, generated and microsecond columns and a cycle of keys", async () => {
    const extraSchema = [
      `CREATE TABLE team (
         id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         name varchar(20) NOT NULL,
         code char(3),
         lead_id bigint,
         budget numeric(12, 2),
         founded date,
         tags varchar(10)[],
         flags boolean[],
         reference uuid,
         doubled integer GENERATED ALWAYS AS (id * 2) STORED
       )`,
      `CREATE TABLE member (
         id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
         team_id integer NOT NULL REFERENCES team (id),
         mentor_id bigint REFERENCES member (id),
         local_time timestamp,
         joined timestamptz
       )`,
      "ALTER TABLE team ADD CONSTRAINT team_lead_fkey FOREIGN KEY (lead_id) REFERENCES member (id)",
      "CREATE TABLE note (body text, written timestamptz(3))",
      // One column: a lone `\.` would be a whole line, which ends the data of a COPY unless quoted.
      "CREATE TABLE tag (label text)",
    ];
    const from = await newDatabase();
    const to = await newDatabase();
    for (const statement of extraSchema) {
      await from.database.prisma.$executeRawUnsafe(statement);
      await to.database.prisma.$executeRawUnsafe(statement);
    }
    const fromSql = from.database.prisma;
    await fromSql.$executeRawUnsafe(
      `INSERT INTO team (name, code, budget, founded, tags, flags, reference) VALUES
         ('Payments', 'ab', 12345.67, '2024-02-29', ARRAY['a,b', 'c"d', ''], ARRAY[true, NULL, false], '0b9f3c3e-6d4f-4f8e-9a51-2f0c4b6f1a77'),
         ('Search', NULL, NULL, NULL, NULL, '{}', NULL)`,
    );
    await fromSql.$executeRawUnsafe(
      `INSERT INTO member (id, team_id, mentor_id, local_time, joined) VALUES
         (10, 1, NULL, '2026-01-01 10:00:00.123456', '2026-01-01T10:00:00.123456Z'),
         (11, 1, 12, NULL, NULL),
         (12, 2, 10, '2026-03-29 02:30:00', '2026-03-29T01:30:00Z')`,
    );
    await fromSql.$executeRawUnsafe("UPDATE team SET lead_id = 12 WHERE id = 1");
    await fromSql.$executeRawUnsafe(
      "INSERT INTO note (body, written) SELECT 'note ' || i, timestamptz '2026-01-01T00:00:00.001Z' + i * interval '1 minute' FROM generate_series(1, 5) i",
    );
    await fromSql.$executeRawUnsafe(String.raw`INSERT INTO tag (label) VALUES ('\.'), ('a\b'), (''), (NULL), ('after')`);
    const readExtra = async (prisma: PrismaClient) =>
      prisma.$queryRawUnsafe<{ rows: string }[]>(
        `SELECT json_build_object(
           'team', (SELECT json_agg(t ORDER BY id) FROM team t),
           'member', (SELECT json_agg(m ORDER BY id) FROM member m),
           'note', (SELECT json_agg(n ORDER BY body) FROM note n),
           'tag', (SELECT json_agg(g ORDER BY label COLLATE "C" NULLS FIRST) FROM tag g))::text AS rows`,
      );
    const dir = path.join(workDir, `${kind}-extra-tables`);
    const backup = await backupDatabase(fromSql, dir, { rowsPerQuery: 2 });
    expect(backup.tables.filter((table) => ["team", "member", "note", "tag"].includes(table.name))).toEqual([
      { name: "member", file: "member.csv", rows: 3 },
      { name: "note", file: "note.csv", rows: 5 },
      { name: "tag", file: "tag.csv", rows: 5 },
      { name: "team", file: "team.csv", rows: 2 },
    ]);
    expect(readFileSync(path.join(dir, "team.csv"), "utf8").split("\r\n")[0]).toBe("id,name,code,lead_id,budget,founded,tags,flags,reference");
    expect(readFileSync(path.join(dir, "member.csv"), "utf8")).toContain("10,1,,2026-01-01T10:00:00.123456,2026-01-01T10:00:00.123456Z\r\n");

    await restoreDatabase(to.test.target, dir, { rowsPerQuery: 2, rowsPerCopy: 2 });
    const restored = await readExtra(to.database.prisma);
    expect(restored).toEqual(await readExtra(fromSql));
    expect(JSON.parse(restored[0]!.rows)).toMatchObject({
      tag: [{ label: null }, { label: "" }, { label: "\\." }, { label: "a\\b" }, { label: "after" }],
      team: [
        { id: 1, code: "ab ", lead_id: 12, budget: 12345.67, founded: "2024-02-29", tags: ["a,b", 'c"d', ""], flags: [true, null, false], doubled: 2 },
        { id: 2, code: null, tags: null, flags: [], doubled: 4 },
      ],
    });
    const [next] = await to.database.prisma.$queryRawUnsafe<{ id: number }[]>("INSERT INTO team (name) VALUES ('New') RETURNING id");
    expect(next?.id).toBe(3);
  });

  it("refuses to restore into a database that is not empty, naming its tables, and changes nothing", async () => {
    const error = await restoreError(source.test, backupDir);
    expectAppError(
      error,
      ConflictError,
      /^The target database is not empty: aggregation_data \(2 rows\), audit_log \(2 rows\), .*users \(3 rows\).*; restore into a new, empty database$/,
    );
    expect(await readAllRows(source.database.prisma)).toEqual(sourceRows);
  });

  it("refuses a record with too few fields, naming the file, line and missing column", async () => {
    const dir = copyOfBackup("short-record");
    const file = path.join(dir, "login_failures.csv");
    const [header, row] = readFileSync(file, "utf8").split("\r\n");
    expect(header).toBe("id,key,failed_at");
    writeFileSync(file, `${header}\r\n${row!.slice(0, row!.lastIndexOf(","))}\r\n`);
    expectAppError(
      await restoreError(empty.test, dir),
      InvalidInputError,
      "login_failures.csv, line 2: 2 fields where the header has 3 (column failed_at is missing)",
    );
    await expectEmpty(empty.database.prisma);
  });

  it("refuses a record with an extra field", async () => {
    const dir = copyOfBackup("long-record");
    const file = path.join(dir, "ingested_days.csv");
    writeFileSync(file, `${readFileSync(file, "utf8")}2026-01-16,init,1,0,[],2026-01-16T00:00:00.000Z,0,surplus\r\n`);
    expectAppError(
      await restoreError(empty.test, dir),
      InvalidInputError,
      "ingested_days.csv, line 4: 8 fields where the header has 7 (an extra field after column gap_windows)",
    );
    await expectEmpty(empty.database.prisma);
  });

  it("refuses an impossible timestamp after a multi-line value, naming the right line and the column", async () => {
    const dir = copyOfBackup("bad-timestamp");
    const file = path.join(dir, "users.csv");
    const text = readFileSync(file, "utf8");
    expect(text).toContain("2026-01-02T03:04:05.678Z");
    writeFileSync(file, text.replace("2026-01-02T03:04:05.678Z", "2026-02-30T03:04:05.678Z"));
    // Line 1 header, lines 2-3 the admin (a line break in the name), line 4 the viewer.
    expectAppError(
      await restoreError(empty.test, dir),
      InvalidInputError,
      'users.csv, line 4, column created_at: "2026-02-30T03:04:05.678Z" is not a valid date and time',
    );
    await expectEmpty(empty.database.prisma);
  });

  it("refuses a value that is not a timestamp at all, and a number that is not one", async () => {
    const timestampDir = copyOfBackup("not-a-timestamp");
    const loginFile = path.join(timestampDir, "login_failures.csv");
    writeFileSync(loginFile, readFileSync(loginFile, "utf8").replace("2026-01-15T07:00:00.007Z", "yesterday"));
    expectAppError(
      await restoreError(empty.test, timestampDir),
      InvalidInputError,
      'login_failures.csv, line 2, column failed_at: "yesterday" is not an ISO-8601 timestamp with Z or an offset (e.g. 2026-01-31T09:15:00.000Z)',
    );
    const numberDir = copyOfBackup("not-a-number");
    const patternFile = path.join(numberDir, "error_patterns.csv");
    writeFileSync(patternFile, readFileSync(patternFile, "utf8").replace(`,${BIG_OCCURRENCES},`, ",12x,"));
    expectAppError(
      await restoreError(empty.test, numberDir),
      InvalidInputError,
      /^error_patterns\.csv, line \d+, column occurrences: "12x" is not a whole number$/,
    );
    await expectEmpty(empty.database.prisma);
  });

  it("refuses an unknown column in a header, naming file, line and column", async () => {
    const dir = copyOfBackup("unknown-column");
    const file = path.join(dir, "users.csv");
    writeFileSync(file, readFileSync(file, "utf8").replace("id,email,name", "id,e_mail,name"));
    expectAppError(await restoreError(empty.test, dir), InvalidInputError, "users.csv, line 1, column 2 (e_mail): table users has no column e_mail");
    await expectEmpty(empty.database.prisma);
  });

  it("refuses rows the database rejects (a duplicate key), naming the file and lines, after earlier tables were loaded", async () => {
    const dir = copyOfBackup("duplicate-key");
    const file = path.join(dir, "pattern_windows.csv");
    const lines = readFileSync(file, "utf8").split("\r\n");
    writeFileSync(file, [...lines.slice(0, 2), lines[1], ...lines.slice(2)].join("\r\n"));
    const error = await restoreError(empty.test, dir);
    // PostgreSQL's COPY says which row it refused; the embedded database's inserts name their batch.
    expectAppError(
      error,
      InvalidInputError,
      kind === "postgres"
        ? 'pattern_windows.csv, line 3: the database refused the row: duplicate key value violates unique constraint "pattern_windows_pkey"'
        : 'pattern_windows.csv, lines 2–10: the database refused the rows: duplicate key value violates unique constraint "pattern_windows_pkey"',
    );
    await expectEmpty(empty.database.prisma);
  });

  it("refuses a duplicate in a later statement of a table, after a value spanning lines, naming its line, and leaves the database empty", async () => {
    const dir = copyOfBackup("late-duplicate");
    const file = path.join(dir, "users.csv");
    const text = readFileSync(file, "utf8");
    // Line 1 header, lines 2-3 the admin (a line break in the name), 4 the viewer, 5 the third user.
    const third = text.split("\r\n").find((record) => record.startsWith("50,"));
    expect(third).toMatch(/^50,ops@example\.com,/);
    writeFileSync(file, `${text}${third!}\r\n`);
    expectAppError(
      await restoreError(empty.test, dir, { rowsPerQuery: 2, rowsPerCopy: 2 }),
      InvalidInputError,
      kind === "postgres"
        ? /^users\.csv, line 6: the database refused the row: duplicate key value violates unique constraint "users_(pkey|email_key)"$/
        : /^users\.csv, lines 5–6: the database refused the rows: duplicate key value violates unique constraint "users_(pkey|email_key)"$/,
    );
    await expectEmpty(empty.database.prisma);
    // In one statement with the value spanning lines.
    expectAppError(
      await restoreError(empty.test, dir),
      InvalidInputError,
      kind === "postgres"
        ? /^users\.csv, line 6: the database refused the row: duplicate key value violates unique constraint "users_(pkey|email_key)"$/
        : /^users\.csv, lines 2–6: the database refused the rows: duplicate key value violates unique constraint "users_(pkey|email_key)"$/,
    );
    await expectEmpty(empty.database.prisma);
  });

  it("refuses a bad value in a later statement of a table after earlier ones were sent, and leaves the database empty", async () => {
    const dir = copyOfBackup("late-bad-value");
    const file = path.join(dir, "pattern_windows.csv");
    const lines = readFileSync(file, "utf8").split("\r\n");
    expect(lines.length).toBeGreaterThan(9);
    const [header] = lines;
    const column = header!.split(",").indexOf("window_start");
    expect(column).toBeGreaterThanOrEqual(0);
    const fields = lines[8]!.split(",");
    fields[column] = "2026-13-01T00:00:00.000Z";
    lines[8] = fields.join(",");
    writeFileSync(file, lines.join("\r\n"));
    expectAppError(
      await restoreError(empty.test, dir, { rowsPerQuery: 2, rowsPerCopy: 2 }),
      InvalidInputError,
      'pattern_windows.csv, line 9, column window_start: "2026-13-01T00:00:00.000Z" is not a valid date and time',
    );
    await expectEmpty(empty.database.prisma);
  });

  it("refuses a NOT NULL column left empty", async () => {
    const dir = copyOfBackup("null-in-not-null");
    const file = path.join(dir, "pipeline_locks.csv");
    const [header, row] = readFileSync(file, "utf8").split("\r\n");
    const columns = header!.split(",");
    const fields = row!.split(",");
    fields[columns.indexOf("host")] = "";
    writeFileSync(file, `${header}\r\n${fields.join(",")}\r\n`);
    expectAppError(await restoreError(empty.test, dir), InvalidInputError, "pipeline_locks.csv, line 2, column host: empty (NULL), but the column is NOT NULL");
    await expectEmpty(empty.database.prisma);
  });

  it("refuses a backup whose table file is missing or shorter than the manifest says", async () => {
    const missingDir = copyOfBackup("missing-file");
    rmSync(path.join(missingDir, "audit_log.csv"));
    expectAppError(
      await restoreError(empty.test, missingDir),
      InvalidInputError,
      `audit_log.csv is missing from the backup in ${missingDir} (listed in manifest.json for table audit_log)`,
    );
    const shortDir = copyOfBackup("short-file");
    const file = path.join(shortDir, "aggregation_data.csv");
    const lines = readFileSync(file, "utf8").split("\r\n");
    writeFileSync(file, `${lines.slice(0, 2).join("\r\n")}\r\n`);
    expectAppError(
      await restoreError(empty.test, shortDir),
      InvalidInputError,
      "aggregation_data.csv has 1 row but manifest.json says 2: the file is incomplete or was changed",
    );
    await expectEmpty(empty.database.prisma);
  });

  it("refuses a missing or malformed manifest, and a folder that does not exist", async () => {
    const missingDir = copyOfBackup("no-manifest");
    rmSync(path.join(missingDir, "manifest.json"));
    expectAppError(
      await restoreError(empty.test, missingDir),
      InvalidInputError,
      `${path.join(missingDir, "manifest.json")} is missing: ${missingDir} is not a backup, or its backup did not finish`,
    );
    const brokenDir = copyOfBackup("broken-manifest");
    writeFileSync(path.join(brokenDir, "manifest.json"), '{"format": "peaks-backup",');
    expectAppError(await restoreError(empty.test, brokenDir), InvalidInputError, /manifest\.json is not valid JSON: /);
    const wrongDir = copyOfBackup("wrong-manifest");
    writeFileSync(
      path.join(wrongDir, "manifest.json"),
      JSON.stringify({ format: "peaks-backup", formatVersion: 2, createdAt: "now", migrations: [], tables: [] }),
    );
    expectAppError(await restoreError(empty.test, wrongDir), InvalidInputError, /manifest\.json is not a backup manifest: formatVersion: .*; createdAt: /);
    const nowhere = path.join(workDir, `${kind}-nowhere`);
    expectAppError(await restoreError(empty.test, nowhere), NotFoundError, `No backup folder ${nowhere}`);
    await expectEmpty(empty.database.prisma);
  });

  it("refuses a backup made with other migrations, saying which differ", async () => {
    const dir = copyOfBackup("other-migrations");
    const file = path.join(dir, "manifest.json");
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { migrations: string[] };
    const [firstMigration, ...rest] = manifest.migrations;
    writeFileSync(file, JSON.stringify({ ...manifest, migrations: [...rest, "9999_future"] }));
    expectAppError(
      await restoreError(empty.test, dir),
      ConflictError,
      `The backup and the target database have different migrations (only in the backup: 9999_future; only in the target: ${firstMigration}); restore with the version of peaks that made the backup`,
    );
    await expectEmpty(empty.database.prisma);
  });

  it("refuses to back up into a folder that is not empty, and leaves it as it was", async () => {
    const dir = path.join(workDir, `${kind}-occupied`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "notes.txt"), "keep me");
    const error = await backupDatabase(source.database.prisma, dir).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expectAppError(error, ConflictError, `The backup folder ${dir} is not empty (1 entry); give a new or empty folder`);
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it(
    "backs up and restores with the CLI (exit 0), and exits 2 on a wrong flag",
    async () => {
      const dir = path.join(workDir, `${kind}-cli`);
      const backup = await runCli(source.test.target, ["backup", "--out", dir]);
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(/^Backed up \d+ tables \(\d+ rows\) of the .* to .*-cli\n$/);
      expect(backup.stderr).toContain("users: 3 rows");

      const target = await newDatabase();
      const restore = await runCli(target.test.target, ["restore", "--from", dir]);
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toMatch(/^Restored \d+ tables \(\d+ rows\) from .*-cli into the .*; \d+ id sequences moved past the restored ids\n$/);
      expect(await readAllRows(target.database.prisma)).toEqual(sourceRows);

      const again = await runCli(target.test.target, ["restore", "--from", dir]);
      expect(again.code).toBe(5);
      expect(again.stderr).toMatch(/The target database is not empty/);

      const wrongFlag = await runCli(target.test.target, ["backup", "--outt", dir]);
      expect(wrongFlag.code).toBe(2);
      const missingFlag = await runCli(target.test.target, ["restore"]);
      expect(missingFlag.code).toBe(2);
    },
    CLI_TIMEOUT,
  );
});

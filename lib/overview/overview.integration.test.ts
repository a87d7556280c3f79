import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { Database } from "@/lib/db/client";
import { readNamespaceSeries } from "@/lib/namespaces/series";
import { cliActor, type Actor } from "@/lib/roles";
import { UnauthenticatedError } from "@/lib/errors";
import { createWindowGrid } from "@/lib/pipeline/time";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { createIncidentRow } from "@/test/support/peak-rows";
import { readTableStats } from "@/lib/db/stats";
import { listNamespaces } from "@/lib/namespaces/list";
import { MAX_ON_FIRE } from "./contract";
import { readOverview, TABLE_STATS_MAX_AGE_MS, type OverviewContext } from "./overview";

const viewer: Actor = { kind: "user", id: 1, email: "v@example.com", name: null, role: "viewer" };
const defaults = loadConfig(path.resolve("values.yaml")).peak_detection;
const context: OverviewContext = { grid: createWindowGrid("UTC", 15), staleAfterMinutes: 45, defaults };

function window(iso: string, namespace: string, errorCount: number) {
  const timestamp = new Date(iso);
  return { timestamp, namespace, errorCount, dayOfWeek: 5, hourOfDay: timestamp.getUTCHours(), quarterHour: timestamp.getUTCMinutes() / 15 };
}

type Status = "open" | "acknowledged" | "known_issue" | "false_positive" | "resolved";

function peak(iso: string, namespace: string, severity: "low" | "medium" | "high" | "critical", status: Status) {
  return {
    ...window(iso, namespace, 500),
    severity,
    status,
    baselineMean: 50,
    baselineStddev: 10,
    baselineSamples: 4,
    ratio: 10,
    requiredRatio: 3,
    average24h: 40,
    referenceCounts: [40, 45, 50],
  };
}

describe.each(databaseKinds)("overview and table stats on %s", (kind) => {
  const db = useMigratedDatabase(kind);

  it("reports an empty database as having no data", async () => {
    const overview = await readOverview(db(), viewer, context);
    expect(overview.hasData).toBe(false);
    expect(overview.namespaces).toEqual({ total: 0, judged: 0, above: 0, withIncidents: 0, stale: 0, needingAttention: 0 });
    expect(overview.lastRun).toBeNull();
    expect(overview.openIncidents).toEqual({
      critical: { total: 0, acknowledged: 0 },
      high: { total: 0, acknowledged: 0 },
      medium: { total: 0, acknowledged: 0 },
      low: { total: 0, acknowledged: 0 },
    });
    expect(overview.onFire).toEqual([]);
    expect(overview.onFireTotal).toBe(0);
    expect(overview.quietSince).toBeNull();
    expect(overview.lastDay).toEqual([]);
    expect(overview.events).toEqual([]);
    expect(overview.eventsTotal).toBe(0);
    expect(overview.tables.every((row) => row.rows === 0 && row.from === null && row.to === null)).toBe(true);
  });

  it("counts rows and date ranges per table, in a fixed order", async () => {
    await db().prisma.peakRawData.createMany({
      data: [window("2026-11-27T10:00:00Z", "payments", 12), window("2026-11-27T10:15:00Z", "payments", 8), window("2026-11-28T09:45:00Z", "orders", 3)],
    });
    const stats = await readTableStats(db());
    expect(stats.map((row) => row.table).slice(0, 6)).toEqual([
      "peak_raw_data",
      "aggregation_data",
      "peak_investigation",
      "known_issues",
      "known_peaks",
      "error_patterns",
    ]);
    expect(stats[0]).toEqual({
      table: "peak_raw_data",
      rows: 3,
      from: new Date("2026-11-27T10:00:00Z"),
      to: new Date("2026-11-28T09:45:00Z"),
    });
  });

  it("gives the last run", async () => {
    await db().prisma.pipelineRun.createMany({
      data: [
        {
          trigger: "cron",
          rangeFrom: new Date("2026-11-28T08:00:00Z"),
          rangeTo: new Date("2026-11-28T08:15:00Z"),
          status: "succeeded",
          startedAt: new Date("2026-11-28T08:16:00Z"),
        },
        {
          trigger: "cli",
          rangeFrom: new Date("2026-11-28T08:15:00Z"),
          rangeTo: new Date("2026-11-28T08:30:00Z"),
          status: "failed",
          error: "source unreachable",
          startedAt: new Date("2026-11-28T08:31:00Z"),
        },
      ],
    });
    const overview = await readOverview(db(), cliActor, context);
    expect(overview.lastRun).toMatchObject({ status: "failed", error: "source unreachable", startedAt: "2026-11-28T08:31:00.000Z" });
    expect(JSON.parse(JSON.stringify(overview))).toEqual(overview);
  });

  it("counts the tables at most once a minute and says when, while the rest stays fresh", async () => {
    const prisma = db().prisma;
    const first = new Date("2027-01-04T10:00:00Z");
    const counted = await readOverview(db(), viewer, context, first);
    expect(counted.tablesCountedAt).toBe(first.toISOString());
    const windowsBefore = counted.tables.find((row) => row.table === "peak_raw_data")!.rows;
    await prisma.peakRawData.createMany({ data: [window("2026-11-28T10:00:00Z", "shipping", 4)] });

    const soon = await readOverview(db(), viewer, context, new Date(first.getTime() + 59_000));
    expect(soon.tablesCountedAt).toBe(first.toISOString());
    expect(soon.tables.find((row) => row.table === "peak_raw_data")!.rows).toBe(windowsBefore);
    expect(soon.namespaces.total).toBe(counted.namespaces.total + 1);

    const later = new Date(first.getTime() + TABLE_STATS_MAX_AGE_MS);
    const recounted = await readOverview(db(), viewer, context, later);
    expect(recounted.tablesCountedAt).toBe(later.toISOString());
    expect(recounted.tables.find((row) => row.table === "peak_raw_data")!.rows).toBe(windowsBefore + 1);
  });

  it("is refused to a request without a user", async () => {
    await expect(readOverview(db(), null, context)).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});

describe.each(databaseKinds)("the overview's freshness and open data gaps on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  // The last completed window ends at 10:00; a namespace may be 45 minutes behind that.
  const now = new Date("2027-02-01T10:07:00Z");

  it("gives each namespace the end of its newest window and of its newest window with errors, and whether it is behind", async () => {
    await db().prisma.peakRawData.createMany({
      data: [
        window("2027-02-01T09:30:00Z", "payments", 5),
        window("2027-02-01T09:45:00Z", "payments", 0),
        window("2027-02-01T08:00:00Z", "orders", 3),
        // Exactly 45 minutes behind: not yet behind.
        window("2027-02-01T09:00:00Z", "search", 2),
        // Only measured zeros: read, but no error stored.
        window("2027-02-01T09:45:00Z", "quiet", 0),
      ],
    });
    const overview = await readOverview(db(), viewer, context, now);
    expect(overview.completedUntil).toBe("2027-02-01T10:00:00.000Z");
    expect(overview.namespaces).toMatchObject({ total: 4, judged: 2, stale: 1, needingAttention: 1 });
    const list = await listNamespaces(db(), viewer, context, { sort: "name" }, now);
    expect(
      list.rows.map(({ namespace, windowEnd, lastErrorUntil, isBehind, attention }) => ({ namespace, windowEnd, lastErrorUntil, isBehind, attention })),
    ).toEqual([
      { namespace: "orders", windowEnd: "2027-02-01T08:15:00.000Z", lastErrorUntil: "2027-02-01T08:15:00.000Z", isBehind: true, attention: ["stale"] },
      { namespace: "payments", windowEnd: "2027-02-01T10:00:00.000Z", lastErrorUntil: "2027-02-01T09:45:00.000Z", isBehind: false, attention: [] },
      { namespace: "quiet", windowEnd: "2027-02-01T10:00:00.000Z", lastErrorUntil: null, isBehind: false, attention: [] },
      { namespace: "search", windowEnd: "2027-02-01T09:15:00.000Z", lastErrorUntil: "2027-02-01T09:15:00.000Z", isBehind: false, attention: [] },
    ]);
  });

  it("lists the data-gap episodes still open, oldest first, and leaves closed ones out", async () => {
    await db().prisma.dataGap.createMany({
      data: [
        {
          kind: "silent",
          subject: "payments",
          dataUntil: new Date("2027-02-01T09:00:00Z"),
          detail: "no error since 10:00",
          openedAt: new Date("2027-02-01T10:02:00Z"),
          lastSeenAt: new Date("2027-02-01T10:02:00Z"),
        },
        {
          kind: "stale",
          subject: "",
          dataUntil: new Date("2027-02-01T09:10:00Z"),
          detail: "waiting for data",
          openedAt: new Date("2027-02-01T09:47:00Z"),
          lastSeenAt: new Date("2027-02-01T10:02:00Z"),
        },
        {
          kind: "stale",
          subject: "",
          dataUntil: null,
          detail: "recovered",
          openedAt: new Date("2027-01-31T09:00:00Z"),
          closedAt: new Date("2027-01-31T12:00:00Z"),
        },
      ],
    });
    const overview = await readOverview(db(), viewer, context, now);
    expect(overview.openDataGaps).toEqual([
      {
        id: expect.any(Number),
        kind: "stale",
        subject: "",
        dataUntil: "2027-02-01T09:10:00.000Z",
        detail: "waiting for data",
        openedAt: "2027-02-01T09:47:00.000Z",
        lastSeenAt: "2027-02-01T10:02:00.000Z",
      },
      {
        id: expect.any(Number),
        kind: "silent",
        subject: "payments",
        dataUntil: "2027-02-01T09:00:00.000Z",
        detail: "no error since 10:00",
        openedAt: "2027-02-01T10:02:00.000Z",
        lastSeenAt: "2027-02-01T10:02:00.000Z",
      },
    ]);
  });

  it("gives the last run's range, coverage and findings, so that a success that waited for data can be told apart", async () => {
    await db().prisma.pipelineRun.create({
      data: {
        trigger: "cron",
        rangeFrom: new Date("2027-02-01T09:00:00Z"),
        rangeTo: new Date("2027-02-01T10:00:00Z"),
        coveredTo: new Date("2027-02-01T09:15:00Z"),
        findings: { waiting: "waiting for data: the source ends at 10:10, 57 min behind", readNothing: false },
        status: "succeeded",
        startedAt: new Date("2027-02-01T10:02:00Z"),
      },
    });
    const overview = await readOverview(db(), viewer, context, now);
    expect(overview.lastRun).toMatchObject({
      status: "succeeded",
      rangeFrom: "2027-02-01T09:00:00.000Z",
      rangeTo: "2027-02-01T10:00:00.000Z",
      coveredTo: "2027-02-01T09:15:00.000Z",
      findings: { waiting: "waiting for data: the source ends at 10:10, 57 min behind", readNothing: false },
    });
  });
});

const QUARTER = 15 * 60_000;

type IncidentSeed = {
  namespace: string;
  /** First window start. */
  start: string;
  /** Window severities, one window each, consecutive from start. */
  windows: ("low" | "medium" | "high" | "critical")[];
  status?: Status;
  ended?: boolean;
  ownerId?: number;
  snoozedUntil?: string;
  rootCause?: string;
  /** The root cause's pattern and error type of every window. */
  pattern?: { id: string; errorType: string };
};

/** An incident with its windows, as the pipeline stores them; the last window counts 600 against a required 3 × 50. */
async function seedIncident(database: Database, seed: IncidentSeed): Promise<number> {
  const startMs = Date.parse(seed.start);
  const status = seed.status ?? "open";
  const incident = await createIncidentRow(database.prisma, {
    namespace: seed.namespace,
    startMs,
    windows: seed.windows.length,
    windowMs: QUARTER,
    status,
    ended: seed.ended,
    ownerId: seed.ownerId,
    snoozedUntil: seed.snoozedUntil,
  });
  await database.prisma.peakInvestigation.createMany({
    data: seed.windows.map((severity, index) => ({
      ...peak(new Date(startMs + index * QUARTER).toISOString(), seed.namespace, severity, status),
      errorCount: 600 + index,
      incidentId: incident.id,
      rootCause: seed.rootCause ?? null,
      rootCausePatternId: seed.pattern?.id ?? null,
      errorType: seed.pattern?.errorType ?? null,
    })),
  });
  return incident.id;
}

describe.each(databaseKinds)("what is on fire now, the last 24 hours and open incidents on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const now = new Date("2027-03-10T12:07:00Z");

  beforeEach(async () => {
    await db().prisma.peakInvestigation.deleteMany();
    await db().prisma.incident.deleteMany();
  });

  it("shows the first MAX_ON_FIRE burning incidents in that order, each with its windows read, and counts them all", async () => {
    const lows: number[] = [];
    for (let index = 0; index <= MAX_ON_FIRE; index += 1) {
      const start = new Date(Date.parse("2027-03-10T00:00:00Z") + index * 60_000).toISOString();
      lows.push(await seedIncident(db(), { namespace: `team-${index}`, start, windows: ["low"], rootCause: `cause ${index}` }));
    }
    const critical = await seedIncident(db(), { namespace: "payments", start: "2027-03-09T00:00:00Z", windows: ["critical"], rootCause: "cause critical" });
    const overview = await readOverview(db(), viewer, context, now);
    expect(overview.onFireTotal).toBe(MAX_ON_FIRE + 2);
    // The oldest two of the low ones are left out.
    expect(overview.onFire.map((incident) => incident.id)).toEqual([critical, ...lows.slice(2).reverse()]);
    expect(overview.onFire[0]!.lead.rootCause).toBe("cause critical");
    expect(overview.onFire.at(-1)).toMatchObject({ lead: { rootCause: "cause 2" }, latest: { errorCount: 600, requiredCount: 150 } });
  });

  it("lists ongoing incidents not resolved or dismissed: snoozed last, then worst first, then newest first", async () => {
    const owner = await db().prisma.user.upsert({
      where: { email: "owner@example.com" },
      create: { email: "owner@example.com", role: "analyst" },
      update: {},
      select: { id: true },
    });
    const olderCritical = await seedIncident(db(), { namespace: "payments", start: "2027-03-10T09:00:00Z", windows: ["high", "critical", "high"] });
    const acknowledgedHigh = await seedIncident(db(), {
      namespace: "orders",
      start: "2027-03-10T11:30:00Z",
      windows: ["high"],
      status: "acknowledged",
      ownerId: owner.id,
      rootCause: "java.sql.SQLTransientConnectionException: pool exhausted",
    });
    const newerCritical = await seedIncident(db(), { namespace: "search", start: "2027-03-10T11:45:00Z", windows: ["critical"] });
    const knownIssue = await seedIncident(db(), { namespace: "catalog", start: "2027-03-10T11:00:00Z", windows: ["low"], status: "known_issue" });
    const snoozed = await seedIncident(db(), {
      namespace: "billing",
      start: "2027-03-10T11:50:00Z",
      windows: ["critical"],
      snoozedUntil: "2027-03-10T14:00:00Z",
    });
    // Left out: ongoing but resolved or a false positive; ended.
    await seedIncident(db(), { namespace: "cart", start: "2027-03-10T11:15:00Z", windows: ["critical"], status: "resolved" });
    await seedIncident(db(), { namespace: "auth", start: "2027-03-10T11:15:00Z", windows: ["critical"], status: "false_positive" });
    const ended = await seedIncident(db(), { namespace: "tax", start: "2027-03-10T10:00:00Z", windows: ["medium", "medium"], ended: true });

    const overview = await readOverview(db(), viewer, context, now);
    expect(overview.onFire.map((incident) => incident.id)).toEqual([newerCritical, olderCritical, acknowledgedHigh, knownIssue, snoozed]);
    expect(overview.onFireTotal).toBe(5);
    const acknowledged = overview.onFire[2]!;
    expect(acknowledged).toMatchObject({
      namespace: "orders",
      status: "acknowledged",
      ongoing: true,
      severity: "high",
      owner: { id: owner.id, email: "owner@example.com" },
      start: "2027-03-10T11:30:00.000Z",
      latest: { errorCount: 600, requiredCount: 150 },
      lead: { rootCause: "java.sql.SQLTransientConnectionException: pool exhausted" },
    });
    // Only what the overview's tables show; the incidents' pages have the rest.
    expect(acknowledged.lead).toEqual({ rootCause: "java.sql.SQLTransientConnectionException: pool exhausted" });
    expect(Object.keys(acknowledged).sort()).toEqual(
      [
        "end",
        "id",
        "knownIssue",
        "latest",
        "lead",
        "namespace",
        "ongoing",
        "owner",
        "regressionOf",
        "reopenCount",
        "severity",
        "snooze",
        "start",
        "status",
      ].sort(),
    );
    expect(overview.onFire[1]!.latest).toEqual({ timestamp: "2027-03-10T09:30:00.000Z", errorCount: 602, requiredCount: 150 });
    expect(overview.onFire[4]!.snooze).toEqual({ until: "2027-03-10T14:00:00.000Z", growth: null, state: "active" });
    // Something burns, yet the last incident that ended is still told.
    expect(overview.quietSince).toBe(new Date(Date.parse("2027-03-10T10:15:00Z") + QUARTER).toISOString());
    expect(overview.readAt).toBe(now.toISOString());

    // Open incidents: status open or acknowledged, whether ongoing or ended, by their worst window.
    expect(overview.openIncidents).toEqual({
      critical: { total: 3, acknowledged: 0 },
      high: { total: 1, acknowledged: 1 },
      medium: { total: 1, acknowledged: 0 },
      low: { total: 0, acknowledged: 0 },
    });
    expect(overview.lastDay.map((incident) => incident.id)).toContain(ended);
  });

  it("says since when nothing is on fire once the last incident ended", async () => {
    await seedIncident(db(), { namespace: "payments", start: "2027-03-09T08:00:00Z", windows: ["critical"], ended: true, status: "resolved" });
    await seedIncident(db(), { namespace: "orders", start: "2027-03-10T06:00:00Z", windows: ["high", "high"], ended: true });
    const overview = await readOverview(db(), viewer, context, now);
    expect(overview.onFire).toEqual([]);
    expect(overview.onFireTotal).toBe(0);
    expect(overview.quietSince).toBe("2027-03-10T06:30:00.000Z");
  });

  it("reuses its incident tables within the minute while no incident or peak is written, and reads them again after", async () => {
    const owner = await db().prisma.user.upsert({
      where: { email: "first@example.com" },
      create: { email: "first@example.com", role: "analyst" },
      update: {},
      select: { id: true },
    });
    const burning = await seedIncident(db(), { namespace: "payments", start: "2027-03-10T11:00:00Z", windows: ["high"], ownerId: owner.id });
    const first = await readOverview(db(), viewer, context, now);
    expect(first.onFire.map((incident) => incident.owner?.email)).toEqual(["first@example.com"]);

    // An owner's e-mail is no incident write: the same minute shows the tables read at its start, the next one reads again.
    await db().prisma.user.update({ where: { id: owner.id }, data: { email: "renamed@example.com" } });
    const sameMinute = await readOverview(db(), viewer, context, new Date(now.getTime() + 30_000));
    expect(sameMinute.onFire[0]!.owner?.email).toBe("first@example.com");
    expect(sameMinute.readAt).toBe(new Date(now.getTime() + 30_000).toISOString());
    const nextMinute = await readOverview(db(), viewer, context, new Date(now.getTime() + 60_000));
    expect(nextMinute.onFire[0]!.owner?.email).toBe("renamed@example.com");

    // A write of an incident is seen at once, within the same minute.
    await db().prisma.incident.update({ where: { id: burning }, data: { status: "acknowledged" } });
    const afterWrite = await readOverview(db(), viewer, context, new Date(now.getTime() + 61_000));
    expect(afterWrite.onFire[0]).toMatchObject({ id: burning, status: "acknowledged" });
    const another = await seedIncident(db(), { namespace: "orders", start: "2027-03-10T11:30:00Z", windows: ["critical"] });
    const afterNew = await readOverview(db(), viewer, context, new Date(now.getTime() + 62_000));
    expect(afterNew.onFire.map((incident) => incident.id)).toEqual([another, burning]);
    expect(afterNew.lastDay.map((incident) => incident.id)).toEqual([another, burning]);
  });

  it("links incidents of one root cause in several namespaces at overlapping windows into events, ongoing ones first", async () => {
    await db().prisma.errorPattern.deleteMany();
    await db().prisma.errorPattern.create({
      data: { patternHash: "poolgone", template: "HikariPool-1 - Connection is not available, request timed out after <NUM>ms", firstSeen: now, lastSeen: now },
    });
    const pool = { id: "poolgone", errorType: "db_pool_exhausted" };
    // Three namespaces at once (one a window later, still linked), the first with a second incident later that day.
    const payments = await seedIncident(db(), {
      namespace: "payments",
      start: "2027-03-10T09:00:00Z",
      windows: ["high", "critical"],
      pattern: pool,
      ended: true,
    });
    const orders = await seedIncident(db(), { namespace: "orders", start: "2027-03-10T09:15:00Z", windows: ["high"], pattern: pool, ended: true });
    const billing = await seedIncident(db(), { namespace: "billing", start: "2027-03-10T09:30:00Z", windows: ["medium"], pattern: pool, ended: true });
    // The same root cause again after a quiet stretch: a second event, still burning.
    const cartNow = await seedIncident(db(), {
      namespace: "cart",
      start: "2027-03-10T11:30:00Z",
      windows: ["high", "high"],
      pattern: pool,
      rootCause: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
    });
    const taxNow = await seedIncident(db(), {
      namespace: "tax",
      start: "2027-03-10T11:45:00Z",
      windows: ["low"],
      pattern: pool,
      status: "resolved",
      rootCause: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
    });
    // Not events: one namespace alone; another root cause at the same time; a day and more ago.
    await seedIncident(db(), { namespace: "search", start: "2027-03-10T09:00:00Z", windows: ["high"], pattern: { id: "other", errorType: "http_5xx" } });
    await seedIncident(db(), { namespace: "auth", start: "2027-03-10T08:00:00Z", windows: ["low"], pattern: { id: "lonely", errorType: "http_5xx" } });
    await seedIncident(db(), { namespace: "geo", start: "2027-03-09T09:00:00Z", windows: ["low"], pattern: { id: "old", errorType: "http_5xx" }, ended: true });
    await seedIncident(db(), {
      namespace: "maps",
      start: "2027-03-09T09:00:00Z",
      windows: ["low"],
      pattern: { id: "old", errorType: "http_5xx" },
      ended: true,
    });

    const overview = await readOverview(db(), viewer, context, now);
    expect(overview.eventsTotal).toBe(2);
    const [burning, earlier] = overview.events;
    expect(burning).toMatchObject({
      template: "HikariPool-1 - Connection is not available, request timed out after <NUM>ms",
      example: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
      errorType: "db_pool_exhausted",
      from: "2027-03-10T11:30:00.000Z",
      to: "2027-03-10T12:00:00.000Z",
      ongoing: true,
      namespaces: ["cart", "tax"],
      namespaceTotal: 2,
      mostAtOnce: 2,
      incidents: [
        { id: cartNow, namespace: "cart", ongoing: true },
        { id: taxNow, namespace: "tax", ongoing: false },
      ],
      incidentTotal: 2,
      windows: 3,
    });
    expect(earlier).toMatchObject({
      problemId: burning!.problemId,
      from: "2027-03-10T09:00:00.000Z",
      to: "2027-03-10T09:45:00.000Z",
      ongoing: false,
      namespaces: ["billing", "orders", "payments"],
      mostAtOnce: 2,
      incidents: [payments, orders, billing].sort((a, b) => a - b).map((id) => expect.objectContaining({ id, ongoing: false })),
      windows: 4,
      errors: 600 + 601 + 600 + 600,
    });
  });

  it("gives the incidents that started in the last 24 hours, any status, newest first, and whether there are more", async () => {
    const tooOld = await seedIncident(db(), { namespace: "payments", start: "2027-03-09T12:00:00Z", windows: ["low"], ended: true });
    const ids: number[] = [];
    for (let index = 0; index < 21; index += 1) {
      ids.push(
        await seedIncident(db(), {
          namespace: `ns-${index}`,
          start: new Date(Date.parse("2027-03-09T12:15:00Z") + index * 3_600_000).toISOString(),
          windows: ["medium"],
          status: index % 2 === 0 ? "resolved" : "open",
          ended: true,
        }),
      );
    }
    const overview = await readOverview(db(), viewer, context, now);
    expect(overview.lastDay.map((incident) => incident.id)).toEqual(ids.slice(1).reverse());
    expect(overview.lastDayHasMore).toBe(true);
    expect(overview.lastDay.map((incident) => incident.id)).not.toContain(tooOld);
    expect(new Set(overview.lastDay.map((incident) => incident.status))).toEqual(new Set(["open", "resolved"]));
  });
});

describe.each(databaseKinds)("each namespace's newest window against its threshold on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const grid = context.grid;
  // The last completed window is 11:45–12:00.
  const now = new Date("2027-03-10T12:07:00Z");
  const lastStart = Date.parse("2027-03-10T11:45:00Z");

  /** A day of windows up to and including `last`, each `usual` errors but the last, `count`; its slots' baseline at `usual`. */
  async function seedNamespace(namespace: string, last: number, usual: number, count: number) {
    const starts = Array.from({ length: 97 }, (_, index) => last - (96 - index) * QUARTER);
    await db().prisma.peakRawData.createMany({
      data: starts.map((start) => {
        const keys = grid.slotOf(start);
        return { timestamp: new Date(start), namespace, errorCount: start === last ? count : usual, ...keys };
      }),
    });
    await db().prisma.aggregationData.createMany({
      data: starts.slice(1).map((start) => ({ ...grid.slotOf(start), namespace, mean: usual, stddev: Math.sqrt(usual), samples: 8, m2: usual * 7 })),
    });
  }

  it("judges the last completed window as the namespace chart draws its threshold, and says since when a namespace has no data", async () => {
    await seedNamespace("burning", lastStart, 60, 900);
    await seedNamespace("calm", lastStart, 60, 70);
    // Its newest window ended an hour before the last completed one: behind.
    await seedNamespace("stopped", lastStart - 4 * QUARTER, 60, 800);

    const list = await listNamespaces(db(), viewer, context, { sort: "name" }, now);
    expect(list.rows.map((row) => row.namespace)).toEqual(["burning", "calm", "stopped"]);
    const [burning, calm, stopped] = list.rows;
    for (const row of [burning!, calm!]) {
      const chart = await readNamespaceSeries(
        db(),
        viewer,
        { namespace: row.namespace, from: new Date(lastStart).toISOString(), to: new Date(lastStart + QUARTER).toISOString() },
        context,
        now,
      );
      const point = chart.points[0]!;
      expect(row.threshold).toBe(Math.ceil(point.threshold!));
      expect(row.errorCount).toBe(point.count);
      expect(row.baselineMean).toBe(point.mean);
    }
    expect(burning).toMatchObject({
      windowStart: "2027-03-10T11:45:00.000Z",
      windowEnd: "2027-03-10T12:00:00.000Z",
      errorCount: 900,
      isAbove: true,
      isCurrent: true,
    });
    expect(burning!.threshold).toBeGreaterThanOrEqual(defaults.min_absolute_value);
    expect(burning!.threshold).toBeLessThan(900);
    expect(calm).toMatchObject({ errorCount: 70, isAbove: false, isCurrent: true });
    expect(stopped).toMatchObject({ windowEnd: "2027-03-10T11:00:00.000Z", errorCount: 800, isAbove: true, isCurrent: false });
    expect(stopped).toMatchObject({ isBehind: true, deviation: null, attention: ["stale"] });
    expect(burning!.deviation).toBe(Math.round((900 / burning!.threshold!) * 100) / 100);
    expect(calm!.deviation).toBe(Math.round((70 / calm!.threshold!) * 100) / 100);
    expect(burning!.attention).toEqual(["above"]);
    expect(calm!.attention).toEqual([]);
    const overview = await readOverview(db(), viewer, context, now);
    expect(overview.namespaces).toEqual({ total: 3, judged: 2, above: 1, withIncidents: 0, stale: 1, needingAttention: 2 });
  });

  it("judges again once a new window is stored", async () => {
    await seedNamespace("growing", lastStart - QUARTER, 60, 65);
    const before = await listNamespaces(db(), viewer, context, {}, now);
    expect(before.rows.find((row) => row.namespace === "growing")).toMatchObject({ isCurrent: false, errorCount: 65 });
    await db().prisma.peakRawData.create({ data: { timestamp: new Date(lastStart), namespace: "growing", errorCount: 1_000, ...grid.slotOf(lastStart) } });
    const after = await listNamespaces(db(), viewer, context, {}, now);
    expect(after.rows.find((row) => row.namespace === "growing")).toMatchObject({ isCurrent: true, errorCount: 1_000, isAbove: true, attention: ["above"] });
  });

  it("lists the namespaces that need attention first: above threshold now, then an ongoing incident, then stale, each by deviation", async () => {
    const { prisma } = db();
    // The namespaces of the tests before, gone: the counts below are of these six alone.
    await prisma.peakRawData.deleteMany();
    await prisma.aggregationData.deleteMany();
    await seedNamespace("a-calm", lastStart, 60, 30);
    await seedNamespace("b-hot", lastStart, 60, 500);
    await seedNamespace("c-hotter", lastStart, 60, 2_000);
    await seedNamespace("d-stopped", lastStart - 8 * QUARTER, 60, 60);
    await seedNamespace("e-incident", lastStart, 60, 62);
    await seedNamespace("f-ended", lastStart, 60, 90);
    const started = new Date(lastStart - 4 * QUARTER);
    await prisma.incident.createMany({
      data: [
        { namespace: "e-incident", startedAt: started, lastWindowAt: started, status: "acknowledged" },
        // Ended, or ongoing but judged a false positive: nothing to look at.
        { namespace: "f-ended", startedAt: started, lastWindowAt: started, endedAt: new Date(lastStart), status: "open" },
        { namespace: "f-ended", startedAt: started, lastWindowAt: started, status: "false_positive" },
      ],
    });

    const list = await listNamespaces(db(), viewer, context, {}, now);
    expect(list.rows.map((row) => row.namespace)).toEqual(["c-hotter", "b-hot", "e-incident", "d-stopped", "f-ended", "a-calm"]);
    expect(list.rows.find((row) => row.namespace === "e-incident")).toMatchObject({ ongoingIncidents: 1, attention: ["incident"] });
    expect(list.rows.find((row) => row.namespace === "f-ended")).toMatchObject({ ongoingIncidents: 0, attention: [] });
    expect(list.counts).toEqual({ total: 6, judged: 5, above: 2, withIncidents: 1, stale: 1, needingAttention: 4 });

    const byDeviation = await listNamespaces(db(), viewer, context, { sort: "deviation" }, now);
    expect(byDeviation.rows.map((row) => row.namespace)).toEqual(["c-hotter", "b-hot", "f-ended", "e-incident", "a-calm", "d-stopped"]);
    const firstPage = await listNamespaces(db(), viewer, context, { limit: 2 }, now);
    expect(firstPage.rows.map((row) => row.namespace)).toEqual(["c-hotter", "b-hot"]);
    expect(firstPage.counts.needingAttention).toBe(4);
  });
});

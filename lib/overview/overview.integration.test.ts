import { describe, expect, it } from "vitest";
import { cliActor, type Actor } from "@/lib/roles";
import { UnauthenticatedError } from "@/lib/errors";
import { createWindowGrid } from "@/lib/pipeline/time";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { readTableStats } from "@/lib/db/stats";
import { readOverview, TABLE_STATS_MAX_AGE_MS, type OverviewContext } from "./overview";

const viewer: Actor = { kind: "user", id: 1, email: "v@example.com", name: null, role: "viewer" };
const context: OverviewContext = { grid: createWindowGrid("UTC", 15), staleAfterMinutes: 45 };

function window(iso: string, namespace: string, errorCount: number) {
  const timestamp = new Date(iso);
  return { timestamp, namespace, errorCount, dayOfWeek: 5, hourOfDay: timestamp.getUTCHours(), quarterHour: timestamp.getUTCMinutes() / 15 };
}

function peak(iso: string, namespace: string, severity: "low" | "medium" | "high" | "critical", status: "open" | "resolved") {
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
    expect(overview.namespaceCount).toBe(0);
    expect(overview.lastRun).toBeNull();
    expect(overview.openPeaksBySeverity).toEqual({ critical: 0, high: 0, medium: 0, low: 0 });
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

  it("summarises open peaks by severity, the latest peaks and the last run", async () => {
    await db().prisma.peakInvestigation.createMany({
      data: [
        peak("2026-11-27T10:00:00Z", "payments", "critical", "open"),
        peak("2026-11-27T11:00:00Z", "payments", "high", "open"),
        peak("2026-11-27T12:00:00Z", "orders", "high", "resolved"),
        peak("2026-11-28T08:00:00Z", "orders", "low", "open"),
      ],
    });
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
    expect(overview.hasData).toBe(true);
    expect(overview.namespaceCount).toBe(2);
    expect(overview.openPeaksBySeverity).toEqual({ critical: 1, high: 1, medium: 0, low: 1 });
    expect(overview.recentPeaks.map((row) => row.timestamp)).toEqual([
      "2026-11-28T08:00:00.000Z",
      "2026-11-27T12:00:00.000Z",
      "2026-11-27T11:00:00.000Z",
      "2026-11-27T10:00:00.000Z",
    ]);
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
    await prisma.peakInvestigation.createMany({ data: [peak("2026-11-28T10:00:00Z", "shipping", "medium", "open")] });

    const soon = await readOverview(db(), viewer, context, new Date(first.getTime() + 59_000));
    expect(soon.tablesCountedAt).toBe(first.toISOString());
    expect(soon.tables.find((row) => row.table === "peak_raw_data")!.rows).toBe(windowsBefore);
    expect(soon.namespaceCount).toBe(counted.namespaceCount + 1);
    expect(soon.openPeaksBySeverity.medium).toBe(counted.openPeaksBySeverity.medium + 1);

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
    expect(overview.namespaceCount).toBe(4);
    expect(overview.freshness).toEqual([
      { namespace: "orders", dataUntil: "2027-02-01T08:15:00.000Z", lastErrorUntil: "2027-02-01T08:15:00.000Z", isBehind: true },
      { namespace: "payments", dataUntil: "2027-02-01T10:00:00.000Z", lastErrorUntil: "2027-02-01T09:45:00.000Z", isBehind: false },
      { namespace: "quiet", dataUntil: "2027-02-01T10:00:00.000Z", lastErrorUntil: null, isBehind: false },
      { namespace: "search", dataUntil: "2027-02-01T09:15:00.000Z", lastErrorUntil: "2027-02-01T09:15:00.000Z", isBehind: false },
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

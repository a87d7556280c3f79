import { describe, expect, it } from "vitest";
import { cliActor, type Actor } from "@/lib/auth/roles";
import { UnauthenticatedError } from "@/lib/errors";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { readOverview, TABLE_STATS_MAX_AGE_MS } from "./overview";
import { readTableStats } from "./stats";

const viewer: Actor = { kind: "user", id: 1, email: "v@example.com", name: null, role: "viewer" };

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
    const overview = await readOverview(db().prisma, viewer);
    expect(overview.hasData).toBe(false);
    expect(overview.namespaceCount).toBe(0);
    expect(overview.lastRun).toBeNull();
    expect(overview.openPeaksBySeverity).toEqual({ critical: 0, high: 0, medium: 0, low: 0 });
    expect(overview.tables.every((row) => row.rows === 0 && row.from === null && row.to === null)).toBe(true);
  });

  it("counts rows and date ranges per table, in a fixed order", async () => {
    await db().prisma.peakRawData.createMany({
      data: [
        window("2026-11-27T10:00:00Z", "payments", 12),
        window("2026-11-27T10:15:00Z", "payments", 8),
        window("2026-11-28T09:45:00Z", "orders", 3),
      ],
    });
    const stats = await readTableStats(db().prisma);
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
        { trigger: "cron", rangeFrom: new Date("2026-11-28T08:00:00Z"), rangeTo: new Date("2026-11-28T08:15:00Z"), status: "succeeded", startedAt: new Date("2026-11-28T08:16:00Z") },
        { trigger: "cli", rangeFrom: new Date("2026-11-28T08:15:00Z"), rangeTo: new Date("2026-11-28T08:30:00Z"), status: "failed", error: "source unreachable", startedAt: new Date("2026-11-28T08:31:00Z") },
      ],
    });
    const overview = await readOverview(db().prisma, cliActor);
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
    const counted = await readOverview(prisma, viewer, first);
    expect(counted.tablesCountedAt).toBe(first.toISOString());
    const windowsBefore = counted.tables.find((row) => row.table === "peak_raw_data")!.rows;
    await prisma.peakRawData.createMany({ data: [window("2026-11-28T10:00:00Z", "shipping", 4)] });
    await prisma.peakInvestigation.createMany({ data: [peak("2026-11-28T10:00:00Z", "shipping", "medium", "open")] });

    const soon = await readOverview(prisma, viewer, new Date(first.getTime() + 59_000));
    expect(soon.tablesCountedAt).toBe(first.toISOString());
    expect(soon.tables.find((row) => row.table === "peak_raw_data")!.rows).toBe(windowsBefore);
    expect(soon.namespaceCount).toBe(counted.namespaceCount + 1);
    expect(soon.openPeaksBySeverity.medium).toBe(counted.openPeaksBySeverity.medium + 1);

    const later = new Date(first.getTime() + TABLE_STATS_MAX_AGE_MS);
    const recounted = await readOverview(prisma, viewer, later);
    expect(recounted.tablesCountedAt).toBe(later.toISOString());
    expect(recounted.tables.find((row) => row.table === "peak_raw_data")!.rows).toBe(windowsBefore + 1);
  });

  it("is refused to a request without a user", async () => {
    await expect(readOverview(db().prisma, null)).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});

import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type FrozenConfig } from "@/lib/config";
import { storedVersionCountsSchema } from "@/lib/peaks/contract";
import type { LogDocument } from "@/lib/pipeline/log-document";
import { getIncident } from "@/lib/incidents/list";
import { trackIncidents } from "@/lib/incidents/track";
import { readNamespaceSeries } from "@/lib/namespaces/series";
import { seriesContext } from "@/lib/http/series-context";
import type { Actor } from "@/lib/roles";
import { memorySource } from "@/test/support/memory-source";
import { peakRow } from "@/test/support/peak-rows";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { enrichPeaks } from "./enrich";
import { trackPatterns } from "./track-patterns";

// Release impact on real databases: the namespaces' version timelines that tracking and
// enrichment add to (each window once, however often it is read), a peak window's stored
// errors by version, and what the incident page and the namespace chart read of them.

const config = loadConfig(path.resolve("values.yaml"));
const WINDOW = config.window_minutes * 60_000;
const MINUTE = 60_000;
/** A Monday, 10:00 UTC: the incident's first window. Before it, 1.4.0 alone; 1.5.0 first seen 5 minutes before. */
const D = Date.UTC(2026, 10, 16, 10, 0);
const at = (windows: number) => D + windows * WINDOW;
const viewer: Actor = { kind: "user", id: 1, email: "v@example.com", name: null, role: "viewer" };

/** `count` errors of one version in the window of `start`, from `offsetMs` into it, a second apart. */
function errors(namespace: string, start: number, version: string | null, count: number, offsetMs = 5_000): LogDocument[] {
  return Array.from({ length: count }, (_, index) => ({
    timestamp: start + offsetMs + index * 1_000,
    namespace,
    app: `${namespace}-api`,
    level: "ERROR",
    message: `Timeout calling ledger after ${3_000 + index * 7} ms`,
    traceId: null,
    version,
  }));
}

const documents: LogDocument[] = [
  // Eight quiet windows of 1.4.0 before the incident, some errors without a version among them.
  ...[-8, -7, -6, -5, -4, -3, -2, -1].flatMap((window) => [...errors("shop", at(window), "1.4.0", 6), ...errors("shop", at(window), null, 1, 60_000)]),
  // 1.5.0 first seen 5 minutes before the incident.
  ...errors("shop", at(-1), "1.5.0", 2, 10 * MINUTE),
  // The incident: 1.5.0 fails 200 times a window, 1.4.0 keeps its 10.
  ...[0, 1, 2, 3].flatMap((window) => [...errors("shop", at(window), "1.4.0", 10), ...errors("shop", at(window), "1.5.0", 200, 30_000)]),
  // Another namespace with its own versions.
  ...errors("billing", at(-2), "2026.11.1", 4),
  // Later windows of shop that no run tracked before their peaks were enriched.
  ...errors("shop", at(10), "1.5.0", 30),
  ...errors("shop", at(11), "1.5.1", 12),
];
const source = () => memorySource(documents, WINDOW);

type TimelineRow = { namespace: string; version: string; firstSeen: Date; lastSeen: Date; errors: bigint | null };

describe.each(databaseKinds)("application versions on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;
  const timeline = async (): Promise<TimelineRow[]> =>
    prisma().namespaceVersion.findMany({
      orderBy: [{ namespace: "asc" }, { firstSeen: "asc" }],
      select: { namespace: true, version: true, firstSeen: true, lastSeen: true, errors: true },
    });
  const row = (namespace: string, version: string, firstSeenMs: number, lastSeenMs: number, count: number): TimelineRow => ({
    namespace,
    version,
    firstSeen: new Date(firstSeenMs),
    lastSeen: new Date(lastSeenMs),
    errors: BigInt(count),
  });
  const peaks: number[] = [];

  beforeAll(async () => {
    for (const window of [0, 1, 2, 3, 10, 11]) {
      const created = await prisma().peakInvestigation.create({
        data: peakRow(new Date(at(window)), { namespace: "shop", errorCount: 210 }),
        select: { id: true },
      });
      peaks.push(created.id);
    }
  });

  it("adds each version's first and last error and its errors to its namespace's timeline, once however often a range is tracked", async () => {
    await trackPatterns(db(), config, source(), { fromMs: at(-8), toMs: at(0) });
    const before = [
      row("billing", "2026.11.1", at(-2) + 5_000, at(-2) + 8_000, 4),
      row("shop", "1.4.0", at(-8) + 5_000, at(-1) + 10_000, 48),
      row("shop", "1.5.0", at(-1) + 10 * MINUTE, at(-1) + 10 * MINUTE + 1_000, 2),
    ];
    expect(await timeline()).toEqual(before);
    // The same range again, and a range overlapping it: only the windows not counted yet add.
    await trackPatterns(db(), config, source(), { fromMs: at(-8), toMs: at(0) });
    expect(await timeline()).toEqual(before);
    await trackPatterns(db(), config, source(), { fromMs: at(-4), toMs: at(4) });
    expect(await timeline()).toEqual([
      before[0],
      row("shop", "1.4.0", at(-8) + 5_000, at(3) + 14_000, 48 + 40),
      row("shop", "1.5.0", at(-1) + 10 * MINUTE, at(3) + 30_000 + 199_000, 2 + 800),
    ]);
  });

  it("stores a peak window's errors by version, and adds it to the timeline only when no run counted its window before", async () => {
    const tracked = await timeline();
    const report = await enrichPeaks(db(), config, source(), { peakIds: peaks.slice(0, 4) });
    expect(report.enriched).toBe(4);
    const stored = await prisma().peakInvestigation.findUniqueOrThrow({ where: { id: peaks[0] }, select: { errorsByVersion: true } });
    expect(storedVersionCountsSchema.parse(stored.errorsByVersion)).toEqual({
      versions: [
        { version: "1.5.0", errors: 200 },
        { version: "1.4.0", errors: 10 },
      ],
      unversioned: 0,
      otherVersions: 0,
    });
    // Those windows were counted by tracking: enrichment adds nothing.
    expect(await timeline()).toEqual(tracked);

    await enrichPeaks(db(), config, source(), { peakIds: peaks.slice(4) });
    const added = await timeline();
    expect(added.filter((entry) => entry.namespace === "shop").map((entry) => [entry.version, Number(entry.errors), entry.lastSeen.getTime()])).toEqual([
      ["1.4.0", 88, at(3) + 14_000],
      ["1.5.0", 832, at(10) + 34_000],
      ["1.5.1", 12, at(11) + 16_000],
    ]);
    // Enriching again reads the same windows and counts nothing twice.
    await enrichPeaks(db(), config, source(), { peakIds: peaks });
    expect(await timeline()).toEqual(added);
  });

  it("scales the documents read to the window's total when a window holds more than are read", async () => {
    const mixed: LogDocument[] = errors("shop", at(20), "1.6.0", 40).map((document, index) => ({ ...document, version: index % 4 === 0 ? null : "1.6.0" }));
    const capped: FrozenConfig = { ...config, source: { ...config.source, max_documents_per_window: 10 } };
    const peak = await prisma().peakInvestigation.create({ data: peakRow(new Date(at(20)), { namespace: "shop", errorCount: 40 }), select: { id: true } });
    await enrichPeaks(db(), capped, memorySource(mixed, WINDOW), { peakIds: [peak.id] });
    const stored = await prisma().peakInvestigation.findUniqueOrThrow({ where: { id: peak.id }, select: { errorsByVersion: true } });
    // 10 read: 7 of 1.6.0 and 3 without a version, scaled to the window's 40.
    expect(storedVersionCountsSchema.parse(stored.errorsByVersion)).toEqual({
      versions: [{ version: "1.6.0", errors: 28 }],
      unversioned: 12,
      otherVersions: 0,
    });
    expect((await timeline()).find((entry) => entry.version === "1.6.0")).toMatchObject({ errors: 28n, firstSeen: new Date(at(20) + 6_000) });
  });

  it("shows the incident's errors by version with the release it came with and the version that stands out", async () => {
    await trackIncidents(db(), config, new Date(at(5)), { autoResolve: false });
    const { incidentId } = await prisma().peakInvestigation.findUniqueOrThrow({ where: { id: peaks[0] }, select: { incidentId: true } });
    const incident = await getIncident(db(), viewer, incidentId!, { links: { template: null, windowMinutes: config.window_minutes }, now: new Date(at(5)) });
    const versions = incident.versions!;
    expect(versions).toMatchObject({ versioned: 840, unversioned: 0, otherVersions: 0, windowsRead: 4, windows: 4 });
    expect(versions.versions.map((entry) => [entry.version, entry.errors, entry.windows, entry.runningMinutes])).toEqual([
      ["1.4.0", 40, 4, 60],
      ["1.5.0", 800, 4, 60],
    ]);
    expect(versions.findings).toEqual([
      {
        kind: "new_release",
        version: "1.5.0",
        firstSeen: new Date(at(-1) + 10 * MINUTE).toISOString(),
        minutesBeforeStart: 5,
        share: 800 / 840,
        previousVersion: "1.4.0",
      },
      { kind: "above_others", version: "1.5.0", errors: 800, perHour: 800, othersPerHour: 40, factor: 20 },
    ]);
  });

  it("marks each version's first appearance in the range on the namespace's chart", async () => {
    await prisma().peakRawData.create({
      data: { timestamp: new Date(at(0)), dayOfWeek: 0, hourOfDay: 10, quarterHour: 0, namespace: "shop", errorCount: 210 },
    });
    const range = { from: new Date(at(-1)).toISOString(), to: new Date(at(12)).toISOString() };
    const series = await readNamespaceSeries(db(), viewer, { namespace: "shop", ...range }, seriesContext(config), new Date(at(30)));
    // 1.4.0 appeared before the range: not a deploy of it. 1.6.0 after it.
    expect(series.deploys).toEqual([
      { version: "1.5.0", at: at(-1) + 10 * MINUTE },
      { version: "1.5.1", at: at(11) + 5_000 },
    ]);
    expect(series.deploysTruncated).toBe(false);
  });
});

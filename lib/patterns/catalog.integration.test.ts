import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/roles";
import { NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import type { PrismaClient } from "@/lib/db/client";
import { saveTrackedWindows } from "@/lib/db/investigation";
import { getPattern, hasPattern, listPatternFilters, listPatterns } from "./catalog";
import type { ListPatternsInput } from "./contract";

const now = new Date("2026-11-28T12:00:00Z");
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
const dayOf = (days: number) => daysAgo(days).toISOString().slice(0, 10);

const RISING = "a1a1a1a1a1a1a1";
const FALLING = "b2b2b2b2b2b2b2";
const NEW = "c3c3c3c3c3c3c3";
const STEADY = "d4d4d4d4d4d4d4";
const OLD = "e5e5e5e5e5e5e5";

type Fixture = {
  template: string;
  errorType: string;
  firstSeen: number;
  lastSeen: number;
  byNamespace: Record<string, number>;
  daily: [days: number, namespace: string, count: number][];
};

// Days are counted back from `now`; the default trend window is days 0-13, the one before 14-27.
const fixtures: Record<string, Fixture> = {
  [RISING]: {
    template: "Timeout after <*> ms calling <*>",
    errorType: "timeout",
    firstSeen: 60,
    lastSeen: 0,
    byNamespace: { payments: 900, orders: 100 },
    daily: [
      [20, "payments", 20],
      [2, "payments", 60],
      [1, "orders", 40],
    ],
  },
  [FALLING]: {
    template: "Connection refused to db <*>",
    errorType: "database",
    firstSeen: 60,
    lastSeen: 10,
    byNamespace: { orders: 500 },
    daily: [
      [15, "orders", 200],
      [10, "orders", 20],
    ],
  },
  [NEW]: {
    template: "NullPointerException at <*>",
    errorType: "null_pointer",
    firstSeen: 3,
    lastSeen: 1,
    byNamespace: { payments: 30 },
    daily: [[3, "payments", 30]],
  },
  [STEADY]: {
    template: "Upstream 100% busy: request <*> rejected",
    errorType: "http_5xx",
    firstSeen: 60,
    lastSeen: 5,
    byNamespace: { payments: 2000 },
    daily: [
      [16, "payments", 50],
      [5, "payments", 55],
    ],
  },
  [OLD]: { template: "Legacy batch <*> failed", errorType: "other", firstSeen: 80, lastSeen: 40, byNamespace: { legacy: 7 }, daily: [] },
};

async function seedPatterns(prisma: PrismaClient) {
  await prisma.errorPattern.createMany({
    data: Object.entries(fixtures).map(([patternHash, fixture]) => ({
      patternHash,
      template: fixture.template,
      errorType: fixture.errorType,
      firstSeen: daysAgo(fixture.firstSeen),
      lastSeen: daysAgo(fixture.lastSeen),
      occurrences: Object.values(fixture.byNamespace).reduce((sum, count) => sum + count, 0),
      namespaces: Object.keys(fixture.byNamespace).sort(),
      namespaceOccurrences: fixture.byNamespace,
      exampleMessages: [fixture.template.replaceAll("<*>", "42")],
    })),
  });
  await prisma.patternDailyCount.createMany({
    data: Object.entries(fixtures).flatMap(([patternHash, fixture]) =>
      fixture.daily.map(([days, namespace, occurrences]) => ({ patternHash, day: new Date(`${dayOf(days)}T00:00:00Z`), namespace, occurrences })),
    ),
  });
  // Patterns have been counted for as long as the fixtures' history.
  await prisma.patternWindow.create({ data: { windowStart: daysAgo(60), namespace: "payments", documents: 1 } });
}

/** top_patterns as enrichment stores it (only the parts read here). */
function investigation(patternIds: string[], rootCauseIds: string[] = []) {
  const entry = (patternId: string) => ({
    patternId,
    template: fixtures[patternId]?.template ?? patternId,
    count: 10,
    errorType: "timeout",
    example: "x",
    examples: ["x"],
    firstSeen: 0,
    lastSeen: 0,
  });
  return {
    version: 1,
    documents: 10,
    total: 10,
    untraced: 0,
    traces: 1,
    patterns: patternIds.map(entry),
    rootCauses: rootCauseIds.map((id) => ({ ...entry(id), traces: 1, share: 1 })),
    representativeTrace: null,
    changed: [],
    usual: [],
  };
}

async function createPeak(prisma: PrismaClient, days: number, topPatterns: object | null, knownIssueId: number | null = null): Promise<number> {
  const timestamp = daysAgo(days);
  const peak = await prisma.peakInvestigation.create({
    data: {
      timestamp,
      namespace: "payments",
      dayOfWeek: 0,
      hourOfDay: 12,
      quarterHour: 0,
      severity: "high",
      errorCount: 300 + days,
      baselineMean: 10,
      baselineStddev: 2,
      baselineSamples: 4,
      ratio: 30,
      requiredRatio: 3,
      average24h: 12,
      referenceCounts: [],
      ...(topPatterns ? { topPatterns, enrichedAt: timestamp } : {}),
      knownIssueId,
    },
    select: { id: true },
  });
  return peak.id;
}

describe.each(databaseKinds)("patterns on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;
  let viewer: Actor;
  const list = async (input: ListPatternsInput) => listPatterns(db(), viewer, input, now);
  const hashesOf = async (input: ListPatternsInput) => (await list(input)).patterns.map((pattern) => pattern.hash);

  beforeEach(async () => {
    await prisma().$executeRawUnsafe("TRUNCATE users, known_issues, known_peaks, peak_investigation, error_patterns, pattern_windows RESTART IDENTITY CASCADE");
    const user = await prisma().user.create({ data: { email: "vic@example.com", role: "viewer" } });
    viewer = { kind: "user", id: user.id, email: user.email, name: null, role: "viewer" };
  });

  it("counts each (window, namespace) once per UTC day of its start, however often the windows are added", async () => {
    const pattern = (patternId: string, count: number) => ({
      patternId,
      template: `template ${patternId}`,
      errorType: "timeout",
      count,
      firstSeen: now.getTime(),
      lastSeen: now.getTime(),
      examples: [`example ${patternId}`],
    });
    const windows = [
      { start: Date.parse("2026-11-27T10:00:00Z"), namespace: "payments", documents: 5, patterns: [pattern(RISING, 3), pattern(FALLING, 2)] },
      // Ends after midnight, but its start's day is the one it counts for.
      { start: Date.parse("2026-11-27T23:45:00Z"), namespace: "payments", documents: 4, patterns: [pattern(RISING, 4)] },
      { start: Date.parse("2026-11-28T00:00:00Z"), namespace: "orders", documents: 1, patterns: [pattern(RISING, 1)] },
    ];
    expect(await saveTrackedWindows(prisma(), windows, 5)).toEqual({ counted: 3, alreadyCounted: 0 });
    expect(await saveTrackedWindows(prisma(), windows, 5)).toEqual({ counted: 0, alreadyCounted: 3 });
    // A counted window beside a new one: only the new one adds.
    const later = { start: Date.parse("2026-11-28T00:15:00Z"), namespace: "payments", documents: 2, patterns: [pattern(RISING, 2)] };
    expect(await saveTrackedWindows(prisma(), [windows[0]!, later], 5)).toEqual({ counted: 1, alreadyCounted: 1 });

    const rows = await prisma().patternDailyCount.findMany({ orderBy: [{ patternHash: "asc" }, { day: "asc" }, { namespace: "asc" }] });
    expect(rows.map((row) => [row.patternHash, row.day.toISOString().slice(0, 10), row.namespace, row.occurrences])).toEqual([
      [RISING, "2026-11-27", "payments", 7],
      [RISING, "2026-11-28", "orders", 1],
      [RISING, "2026-11-28", "payments", 2],
      [FALLING, "2026-11-27", "payments", 2],
    ]);
    const stored = await prisma().errorPattern.findUniqueOrThrow({ where: { patternHash: RISING } });
    expect(Number(stored.occurrences)).toBe(rows.filter((row) => row.patternHash === RISING).reduce((sum, row) => sum + row.occurrences, 0));

    const page = await list({ days: 3 });
    expect(page.window).toEqual({ days: 3, from: "2026-11-26", to: "2026-11-28", previousFrom: "2026-11-23" });
    expect(page.patterns.find((row) => row.hash === RISING)).toMatchObject({
      occurrences: 10,
      windowOccurrences: 10,
      series: [0, 7, 3],
      // Its windows are the first whose patterns were counted: nothing to compare with, so not called new.
      trend: { direction: "steady" },
    });
    expect((await list({ days: 3, namespace: "orders" })).patterns).toMatchObject([{ hash: RISING, occurrences: 1, series: [0, 0, 1] }]);
  });

  it("searches, filters, sorts and pages", async () => {
    await seedPatterns(prisma());
    expect(await hashesOf({})).toEqual([RISING, NEW, STEADY, FALLING, OLD]);
    expect(await hashesOf({ sort: "first_seen" })).toEqual([NEW, RISING, FALLING, STEADY, OLD]);
    expect(await hashesOf({ sort: "occurrences" })).toEqual([STEADY, RISING, FALLING, NEW, OLD]);

    expect(await hashesOf({ q: "TIMEOUT" })).toEqual([RISING]);
    expect(await hashesOf({ q: "null_pointer" })).toEqual([NEW]);
    expect(await hashesOf({ q: "e5e5" })).toEqual([OLD]);
    // LIKE's wildcards are searched for literally.
    expect(await hashesOf({ q: "100%" })).toEqual([STEADY]);
    expect(await hashesOf({ q: "_" })).toEqual([NEW, STEADY]);
    expect(await hashesOf({ errorType: "database" })).toEqual([FALLING]);

    // A namespace limits the rows and their counts to it.
    const orders = await list({ namespace: "orders", sort: "occurrences" });
    expect(orders.namespace).toBe("orders");
    expect(orders.patterns.map((row) => [row.hash, row.occurrences, row.windowOccurrences])).toEqual([
      [FALLING, 500, 20],
      [RISING, 100, 40],
    ]);

    const first = await list({ limit: 2 });
    expect(first).toMatchObject({ total: 5, offset: 0, limit: 2, nextOffset: 2 });
    const last = await list({ limit: 2, offset: 4 });
    expect(last.patterns.map((row) => row.hash)).toEqual([OLD]);
    expect(last).toMatchObject({ total: 5, nextOffset: null });
    expect(await list({ offset: 10 })).toMatchObject({ patterns: [], total: 5, nextOffset: null });
    expect(await list({ q: "nothing like this" })).toMatchObject({ patterns: [], total: 0 });

    expect(await listPatternFilters(db(), viewer)).toEqual({
      namespaces: ["legacy", "orders", "payments"],
      errorTypes: ["database", "http_5xx", "null_pointer", "other", "timeout"],
    });
  });

  it("classifies each trend against the window before, and ranks by it", async () => {
    await seedPatterns(prisma());
    const page = await list({ sort: "trend" });
    expect(page.window).toEqual({ days: 14, from: dayOf(13), to: dayOf(0), previousFrom: dayOf(27) });
    expect(page.patterns.map((row) => [row.hash, row.trend.direction, row.trend.previous, row.trend.current])).toEqual([
      [RISING, "rising", 20, 100],
      [NEW, "new", 0, 30],
      [STEADY, "steady", 50, 55],
      [OLD, "steady", 0, 0],
      [FALLING, "falling", 200, 20],
    ]);
    const rising = page.patterns[0]!;
    expect(rising.series).toHaveLength(14);
    expect(rising.series.slice(-3)).toEqual([60, 40, 0]);
    expect(rising.trend.ratio).toBe(5);
    // Had patterns only been counted since within the window, no trend could be told: none is new or rising.
    await prisma().patternWindow.deleteMany();
    await prisma().patternWindow.create({ data: { windowStart: daysAgo(10), namespace: "payments", documents: 1 } });
    expect(new Set((await list({ sort: "trend" })).patterns.map((row) => row.trend.direction))).toEqual(new Set(["steady"]));
    await prisma().patternWindow.create({ data: { windowStart: daysAgo(60), namespace: "payments", documents: 1 } });
    // Outside its window, a count is no longer in the trend: with 3 days, FALLING is quiet.
    expect((await list({ days: 3, q: "refused" })).patterns[0]!.trend).toEqual({ direction: "steady", current: 0, previous: 0, ratio: null, hasHistory: true });
    // Within a namespace, only its counts make the trend.
    expect((await list({ sort: "trend", namespace: "payments" })).patterns.find((row) => row.hash === RISING)!.trend).toMatchObject({
      previous: 20,
      current: 60,
    });
  });

  it("finds a pattern's peaks, known issues and known peaks, and reads damaged investigations safely", async () => {
    await seedPatterns(prisma());
    const issue = await prisma().knownIssue.create({ data: { title: "Gateway timeouts", patternIds: [RISING, NEW], regexes: [] } });
    await prisma().knownIssue.create({ data: { title: "Unrelated", patternIds: [FALLING], regexes: [] } });
    const knownPeak = await prisma().knownPeak.create({ data: { title: "Fixed pool size", solution: "Raised the pool", patternIds: [RISING], regexes: [] } });
    const older = await createPeak(prisma(), 9, investigation([RISING, STEADY]), issue.id);
    // Listed twice (pattern and root cause), counted once.
    const newer = await createPeak(prisma(), 2, investigation([STEADY], [RISING]));
    await createPeak(prisma(), 1, investigation([STEADY]));
    await createPeak(prisma(), 4, { version: 1, patterns: "damaged", rootCauses: [{ patternId: RISING }] });
    await createPeak(prisma(), 5, null);

    const page = await list({});
    expect(Object.fromEntries(page.patterns.map((row) => [row.hash, row.peaks]))).toEqual({ [RISING]: 3, [STEADY]: 3, [NEW]: 0, [FALLING]: 0, [OLD]: 0 });

    const detail = await getPattern(db(), viewer, RISING, {}, now);
    expect(detail).toMatchObject({
      hash: RISING,
      template: fixtures[RISING]!.template,
      errorType: "timeout",
      occurrences: 1000,
      namespaces: ["orders", "payments"],
      namespaceOccurrences: [
        { namespace: "payments", occurrences: 900 },
        { namespace: "orders", occurrences: 100 },
      ],
      examples: ["Timeout after 42 ms calling 42"],
      window: { days: 30, from: dayOf(29), to: dayOf(0) },
      trend: { direction: "rising", current: 120, previous: 0 },
      knownIssues: [{ id: issue.id, title: "Gateway timeouts", status: "active" }],
      knownPeaks: [{ id: knownPeak.id, title: "Fixed pool size" }],
      peakCount: 3,
    });
    expect(detail.series).toHaveLength(30);
    expect(detail.series.at(-3)).toEqual({ day: dayOf(2), occurrences: 60 });
    expect(detail.peaks.map((peak) => peak.id)).toEqual([newer, expect.any(Number), older]);
    expect(detail.peaks[2]).toMatchObject({
      namespace: "payments",
      severity: "high",
      status: "open",
      errorCount: 309,
      knownIssue: { id: issue.id, title: "Gateway timeouts" },
    });
    expect(detail.peaks[0]!.knownIssue).toBeNull();

    const quiet = await getPattern(db(), viewer, OLD, { days: 7 }, now);
    expect(quiet).toMatchObject({ peaks: [], peakCount: 0, knownIssues: [], knownPeaks: [], trend: { direction: "steady", current: 0 } });
    expect(quiet.series.map((point) => point.occurrences)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("answers not found for an unknown pattern and needs a signed-in user", async () => {
    await expect(getPattern(db(), viewer, "ffffffffffffff", {}, now)).rejects.toThrow(NotFoundError);
    await expect(listPatterns(db(), null, {}, now)).rejects.toThrow(UnauthenticatedError);
    await expect(getPattern(db(), null, RISING, {}, now)).rejects.toThrow(UnauthenticatedError);
  });

  it("tells whether a pattern is stored, for a signed-in user only", async () => {
    await seedPatterns(prisma());
    expect(await hasPattern(db(), viewer, RISING)).toBe(true);
    expect(await hasPattern(db(), viewer, "ffffffffffffff")).toBe(false);
    await expect(hasPattern(db(), null, RISING)).rejects.toThrow(UnauthenticatedError);
  });
});

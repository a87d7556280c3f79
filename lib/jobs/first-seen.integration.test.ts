import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { peakInvestigationFactsSchema } from "@/lib/peaks/contract";
import type { LogDocument } from "@/lib/pipeline/log-document";
import { errorBurst } from "@/test/support/error-burst";
import { memorySource } from "@/test/support/memory-source";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { enrichPeaks } from "./enrich";
import { trackPatterns } from "./track-patterns";
import { peakRow } from "@/test/support/peak-rows";

// First-seen patterns after enrichment, on documents written here: what is "new" is judged
// against the namespace's stored pattern history, never against history stored by the same call.

const config = loadConfig(path.resolve("values.yaml"));
const WINDOW = config.window_minutes * 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A Monday, 10:00 UTC: the later peaks; the existing data is a week before. */
const D = Date.UTC(2026, 10, 16, 10, 0);
const LAST_WEEK = D - 7 * DAY;

const messages = {
  refused: (n: number) => `Connection refused to ledger after ${n} retries`,
  cache: (n: number) => `Cache stampede detected for shard ${n}`,
  quota: (n: number) => `Disk quota exceeded on volume ${n}`,
  gateway: (n: number) => `Gateway answered 503 for order ${n}`,
  certificate: (n: number) => `Certificate validation failed for issuer ${n}`,
  flag: (n: number) => `Feature toggle lookup unreachable on attempt ${n}`,
  queue: (n: number) => `Queue consumer lag grew past ${n} messages`,
};
type Kind = keyof typeof messages;

/** `count` documents of one kind in the window starting at `start`, a few seconds apart. */
function burst(namespace: string, start: number, kind: Kind, count: number): LogDocument[] {
  return errorBurst(namespace, start, count, messages[kind], 1000);
}

async function createPeak(prisma: PrismaClient, namespace: string, start: number): Promise<number> {
  const timestamp = new Date(start);
  const peak = await prisma.peakInvestigation.create({ data: peakRow(timestamp, { namespace }), select: { id: true } });
  return peak.id;
}

async function firstSeenOf(prisma: PrismaClient, peakId: number) {
  const peak = await prisma.peakInvestigation.findUniqueOrThrow({ where: { id: peakId }, select: { topPatterns: true } });
  return peakInvestigationFactsSchema.parse(peak.topPatterns).firstSeenPatterns;
}

describe.each(databaseKinds)("first-seen patterns after enrichment on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;
  const peaks: Record<string, number> = {};

  // Last week: two peaks of payments (the second with a pattern the first did not have) and one
  // of orders. Today: a peak of payments with a pattern seen last week, one never seen, one seen
  // only in orders, and one new but under the minimum count; an hour later a peak whose window a
  // run tracked before it was enriched.
  const documents = [
    ...burst("payments", LAST_WEEK, "refused", 20),
    ...burst("payments", LAST_WEEK, "cache", 10),
    ...burst("payments", LAST_WEEK + 2 * HOUR, "refused", 20),
    ...burst("payments", LAST_WEEK + 2 * HOUR, "gateway", 10),
    ...burst("orders", LAST_WEEK, "quota", 12),
    ...burst("payments", D, "refused", 20),
    ...burst("payments", D, "certificate", 8),
    ...burst("payments", D, "quota", 6),
    ...burst("payments", D, "flag", 3),
    ...burst("payments", D + HOUR, "refused", 20),
    ...burst("payments", D + HOUR, "queue", 9),
  ];
  const source = () => memorySource(documents, WINDOW);
  const idOf = async (kind: Kind) => {
    const row = await prisma().errorPattern.findFirstOrThrow({ where: { exampleMessages: { has: messages[kind](1000) } }, select: { patternHash: true } });
    return row.patternHash;
  };

  beforeAll(async () => {
    peaks.lastWeekFirst = await createPeak(prisma(), "payments", LAST_WEEK);
    peaks.lastWeekSecond = await createPeak(prisma(), "payments", LAST_WEEK + 2 * HOUR);
    peaks.lastWeekOrders = await createPeak(prisma(), "orders", LAST_WEEK);
  });

  it("flags nothing on the first enrichment of existing data, though a later window there held a pattern the earlier one did not", async () => {
    const report = await enrichPeaks(db(), config, source(), { missingOnly: true });
    expect(report.enriched).toBe(3);
    expect(report.peaks.map((peak) => peak.firstSeenPatterns)).toEqual([[], [], []]);
    // The usual-period comparison alone calls the gateway pattern new; the stored history had nothing before this call.
    expect(report.peaks.find((peak) => peak.peakId === peaks.lastWeekSecond)?.newPatterns).toBeGreaterThan(0);
    for (const id of Object.values(peaks)) expect(await firstSeenOf(prisma(), id)).toEqual([]);
  });

  it("flags a brand new pattern of a later window and one seen only in another namespace, not one seen last week or one under the minimum", async () => {
    peaks.today = await createPeak(prisma(), "payments", D);
    const report = await enrichPeaks(db(), config, source(), { missingOnly: true });
    expect(report.peaks.map((peak) => peak.peakId)).toEqual([peaks.today]);
    const expected = [
      { patternId: await idOf("certificate"), template: expect.stringContaining("Certificate validation failed") as unknown, count: 8 },
      { patternId: await idOf("quota"), template: expect.stringContaining("Disk quota exceeded") as unknown, count: 6 },
    ];
    expect(report.peaks[0]!.firstSeenPatterns).toEqual(expected);
    expect(await firstSeenOf(prisma(), peaks.today)).toEqual(expected);
    // The pattern under the minimum is stored, first counted in this window, but not flagged.
    const flag = await prisma().errorPattern.findFirstOrThrow({ where: { exampleMessages: { has: messages.flag(1000) } } });
    expect(flag.namespaceFirstWindows).toEqual({ payments: D });
    const quota = await prisma().errorPattern.findFirstOrThrow({ where: { patternHash: await idOf("quota") } });
    expect(quota.namespaceFirstWindows).toEqual({ orders: LAST_WEEK, payments: D });
  });

  it("flags the same patterns when the peak is enriched again", async () => {
    const before = await firstSeenOf(prisma(), peaks.today!);
    const report = await enrichPeaks(db(), config, source(), { peakIds: [peaks.today!] });
    expect(report.peaks[0]!.firstSeenPatterns).toEqual(before);
    expect(await firstSeenOf(prisma(), peaks.today!)).toEqual(before);
  });

  it("flags a new pattern of a window a run tracked before enriching it, and not one first counted in the window before", async () => {
    await trackPatterns(db(), config, source(), { fromMs: D + HOUR, toMs: D + HOUR + WINDOW });
    peaks.nextHour = await createPeak(prisma(), "payments", D + HOUR);
    const report = await enrichPeaks(db(), config, source(), { peakIds: [peaks.nextHour] });
    expect(report.peaks[0]!.firstSeenPatterns.map((pattern) => pattern.patternId)).toEqual([await idOf("queue")]);
  });
});

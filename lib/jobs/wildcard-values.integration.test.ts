import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { getPattern } from "@/lib/patterns/catalog";
import { peakInvestigationFactsSchema } from "@/lib/peaks/contract";
import type { LogDocument } from "@/lib/pipeline/log-document";
import { memorySource } from "@/test/support/memory-source";
import { peakRow } from "@/test/support/peak-rows";
import type { Actor } from "@/lib/roles";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { enrichPeaks } from "./enrich";
import { runMaintenance } from "./maintenance";
import { trackPatterns } from "./track-patterns";

// "Why grouped": the values seen at a pattern's wildcards, stored per pattern by tracking and
// enrichment (each window once) and per peak (its own window), on documents written here.

const config = loadConfig(path.resolve("values.yaml"));
const WINDOW = config.window_minutes * 60_000;
const HOUR = 3_600_000;
/** A Monday, 10:00 UTC. */
const D = Date.UTC(2026, 10, 16, 10, 0);

/** `count` refused connections in the window starting at `start`, every `everyOther`-th to another host. */
function refusals(start: number, count: number, host: (index: number) => string): LogDocument[] {
  return Array.from({ length: count }, (_, index) => ({
    timestamp: start + 1_000 + index * 500,
    namespace: "payments",
    app: "payments-api",
    level: "ERROR",
    message: `Connection to ${host(index)} refused after ${10 + (index % 7)} ms`,
    traceId: null,
    version: null,
  }));
}

async function createPeak(prisma: PrismaClient, start: number): Promise<number> {
  const timestamp = new Date(start);
  const peak = await prisma.peakInvestigation.create({ data: peakRow(timestamp), select: { id: true } });
  return peak.id;
}

describe.each(databaseKinds)("why grouped on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;
  let viewer: Actor;
  // 400 refusals, 97 % to one host, then 300 in the next hour spread over ten hosts.
  const documents = [
    ...refusals(D, 400, (index) => (index % 100 < 3 ? `db-${index % 100}.internal` : "10.0.3.12")),
    ...refusals(D + HOUR, 300, (index) => `10.0.4.${index % 10}`),
  ];
  const source = () => memorySource(documents, WINDOW);
  const stored = async () => {
    const rows = await prisma().patternWildcardValues.findMany();
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };

  beforeAll(async () => {
    const user = await prisma().user.create({ data: { email: "vic@example.com", role: "viewer" } });
    viewer = { kind: "user", id: user.id, email: user.email, name: null, role: "viewer" };
  });

  it("stores the values at each wildcard of the pattern tracked in a window", async () => {
    await trackPatterns(db(), config, source(), { fromMs: D, toMs: D + WINDOW });
    const [pattern] = await prisma().errorPattern.findMany();
    expect(pattern!.template).toBe("Connection to <*> refused after <*>");
    const detail = await getPattern(db(), viewer, pattern!.patternHash);
    expect(detail.whyGrouped?.template).toBe(pattern!.template);
    expect(detail.whyGrouped?.total).toBeCloseTo(400);
    const [hosts, delays] = detail.whyGrouped!.positions;
    expect(hosts!.values[0]!.value).toBe("10.0.3.12");
    expect(hosts!.values[0]!.count / detail.whyGrouped!.total).toBeCloseTo(0.97, 1);
    expect(delays!.values.map((entry) => entry.value).sort()).toEqual(["10 ms", "11 ms", "12 ms", "13 ms", "14 ms", "15 ms", "16 ms"]);
  });

  it("counts nothing twice when the window is tracked again or its peak enriched, and keeps the peak's own window values", async () => {
    const before = await stored();
    await trackPatterns(db(), config, source(), { fromMs: D, toMs: D + WINDOW });
    const peakId = await createPeak(prisma(), D);
    await enrichPeaks(db(), config, source(), { peakIds: [peakId] });
    const after = await stored();
    expect(after.total).toBe(before.total);
    expect(after.positions).toEqual(before.positions);

    const peak = await prisma().peakInvestigation.findUniqueOrThrow({ where: { id: peakId }, select: { topPatterns: true } });
    const facts = peakInvestigationFactsSchema.parse(peak.topPatterns);
    const own = facts.wildcardValues.find((sample) => sample.patternId === facts.patterns[0]!.patternId);
    expect(own?.total).toBeCloseTo(400);
    // 388 of the 400 went to one host; the sample of 200 headlines says so within a few percent.
    expect(own?.positions[0]!.values[0]!.value).toBe("10.0.3.12");
    expect(own!.positions[0]!.values[0]!.count / own!.total).toBeCloseTo(0.97, 1);
  });

  it("adds a new window's values once, enriched first and then tracked", async () => {
    const before = (await getPattern(db(), viewer, (await stored()).patternHash)).whyGrouped!;
    const peakId = await createPeak(prisma(), D + HOUR);
    await enrichPeaks(db(), config, source(), { peakIds: [peakId] });
    await trackPatterns(db(), config, source(), { fromMs: D + HOUR, toMs: D + HOUR + WINDOW });
    const sample = await stored();
    expect(sample.total).toBeCloseTo(700);
    const detail = await getPattern(db(), viewer, sample.patternHash);
    const hosts = detail.whyGrouped!.positions[0]!;
    expect(hosts.values[0]!.value).toBe("10.0.3.12");
    expect(hosts.values[0]!.count).toBeCloseTo(before.positions[0]!.values[0]!.count);
    const spread = hosts.values.filter((entry) => entry.value.startsWith("10.0.4."));
    expect(spread).toHaveLength(10);
    expect(spread.reduce((sum, entry) => sum + entry.count, 0)).toBeCloseTo(300);
  });

  it("shows no values under a template they do not follow, and re-keys them to one they do", async () => {
    const { patternHash } = await stored();
    // As a merge rule might leave it: the host and the delay under one wildcard.
    await prisma().errorPattern.update({ where: { patternHash }, data: { template: "Connection to <*>" } });
    expect((await getPattern(db(), viewer, patternHash)).whyGrouped).toBeNull();

    // A word that was literal became a wildcard: it was that word in every error, the others keep their values.
    await prisma().errorPattern.update({ where: { patternHash }, data: { template: "Connection to <*> refused <*> <*>" } });
    const rekeyed = (await getPattern(db(), viewer, patternHash)).whyGrouped!;
    expect(rekeyed.template).toBe("Connection to <*> refused <*> <*>");
    expect(rekeyed.positions[1]).toEqual({ values: [{ value: "after", count: rekeyed.total }], others: 0 });
    expect(rekeyed.positions[0]!.values[0]!.value).toBe("10.0.3.12");
    expect(rekeyed.positions[2]!.values.map((entry) => entry.value)).toContain("10 ms");

    // The next window's tracking, under a template the stored values cannot follow, drops them and keeps the window's.
    await prisma().errorPattern.update({ where: { patternHash }, data: { template: "Connection to <*>" } });
    const later = D + 2 * HOUR;
    const short = refusals(later, 50, () => "").map((document) => ({ ...document, message: "Connection to 10.0.9.9" }));
    await trackPatterns(db(), config, memorySource(short, WINDOW), { fromMs: later, toMs: later + WINDOW });
    const replaced = await stored();
    expect(replaced.template).toBe("Connection to <*>");
    expect(replaced.total).toBeCloseTo(50);
    expect(replaced.positions).toEqual([{ values: [{ value: "10.0.9.9", count: 50 }], others: 0 }]);
    expect((await getPattern(db(), viewer, patternHash)).whyGrouped?.template).toBe("Connection to <*>");
  });

  it("goes with its pattern when retention deletes it", async () => {
    await runMaintenance(db(), config, { now: new Date(D + 100 * 24 * HOUR) });
    expect(await prisma().errorPattern.count()).toBe(0);
    expect(await prisma().patternWildcardValues.count()).toBe(0);
  });
});

import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { generatedElasticsearchSuite } from "@/test/support/generated-elasticsearch";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import type { StoredInvestigation } from "@/lib/peaks/contract";
import { enrichPeaks } from "./enrich";
import { ingest } from "./ingest";

// Peak enrichment end to end: generated data with labelled incidents (each with its planned root
// cause and app) read from a local Elasticsearch, detected, then investigated.

const config = loadConfig(path.resolve("values.yaml"));
const { data, source: elasticsearch } = generatedElasticsearchSuite(config);

async function enrichedPeaks(prisma: PrismaClient) {
  return prisma.peakInvestigation.findMany({ orderBy: [{ timestamp: "asc" }, { namespace: "asc" }] });
}

describe.each(databaseKinds)("peak enrichment on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  beforeAll(async () => {
    const source = elasticsearch();
    await ingest(db(), config, { source, mode: "init", range: data.learning });
    await ingest(db(), config, { source, mode: "detect", range: data.detection });
  });

  it("finds each incident's planned root cause, app, trace and services, and what is new", async () => {
    const report = await enrichPeaks(db(), config, elasticsearch(), { missingOnly: true }, { now: () => new Date("2026-02-02T08:00:00Z") });
    const peaks = await enrichedPeaks(db().prisma);
    expect(report.enriched).toBe(peaks.length);
    expect(peaks.every((peak) => peak.enrichedAt?.toISOString() === "2026-02-02T08:00:00.000Z")).toBe(true);

    let checked = 0;
    for (const incident of data.plan.incidents) {
      const peak = peaks.find(
        (candidate) =>
          candidate.namespace === incident.namespace && candidate.timestamp.getTime() >= incident.start && candidate.timestamp.getTime() < incident.end,
      );
      if (!peak) continue;
      checked += 1;
      // The planned root cause is a template: compare the text before its first variable.
      const plannedHeadline = incident.rootCause.split("\n")[0]!;
      const fixedStart = plannedHeadline.slice(0, plannedHeadline.search(/\{|$/)).trim();
      expect(peak.rootCause, `peak at ${peak.timestamp.toISOString()} in ${peak.namespace}`).toContain(fixedStart);
      expect(peak.appName).toBe(incident.app);
      expect(peak.traceId).not.toBeNull();
      expect(peak.errorType).not.toBeNull();
      expect(peak.affectedServices).toContain(incident.app);
      const stored = peak.topPatterns as unknown as StoredInvestigation;
      expect(stored.documents).toBe(peak.errorCount);
      expect(stored.representativeTrace?.traceId).toBe(peak.traceId);
      expect(stored.representativeTrace?.errors[0]?.app).toBe(incident.app);
      // What the analyst reads first: the root cause is new or has grown against the usual day.
      const rootPattern = stored.rootCauses[0]!.patternId;
      expect(stored.changed.map((change) => change.patternId)).toContain(rootPattern);
      // What problems group by: the root cause's pattern, in a column of its own.
      expect(peak.rootCausePatternId).toBe(rootPattern);
    }
    expect(checked).toBeGreaterThan(0);

    const patterns = await db().prisma.errorPattern.findMany();
    expect(patterns.length).toBeGreaterThan(0);
    const counted = patterns.reduce((sum, pattern) => sum + Number(pattern.occurrences), 0);
    expect(counted).toBe(peaks.reduce((sum, peak) => sum + peak.errorCount, 0));
    expect(await db().prisma.patternWindow.count()).toBe(peaks.length);
  });

  it("changes nothing but refined templates when a peak is enriched again, and has nothing left for --all", async () => {
    // Pattern ids, counts and every finding stay; a template may only get more general.
    const comparable = (peaks: Awaited<ReturnType<typeof enrichedPeaks>>) =>
      peaks.map((row) => {
        const { topPatterns, ...peak } = row;
        const stored = topPatterns as unknown as StoredInvestigation;
        return {
          ...peak,
          updatedAt: null,
          patterns: stored.patterns.map((pattern) => [pattern.patternId, pattern.count]),
          changed: stored.changed.map((change) => `${change.patternId} ${change.isNew}`).sort(),
        };
      });
    const before = await enrichedPeaks(db().prisma);
    const patternsBefore = await db().prisma.errorPattern.findMany({ orderBy: { patternHash: "asc" } });
    await enrichPeaks(db(), config, elasticsearch(), { peakIds: before.map((peak) => peak.id) }, { now: () => new Date("2026-02-02T08:00:00Z") });
    const after = await enrichedPeaks(db().prisma);
    expect(comparable(after)).toEqual(comparable(before));
    const patternsAfter = await db().prisma.errorPattern.findMany({ orderBy: { patternHash: "asc" } });
    expect(patternsAfter.map((pattern) => [pattern.patternHash, pattern.occurrences])).toEqual(
      patternsBefore.map((pattern) => [pattern.patternHash, pattern.occurrences]),
    );
    expect((await enrichPeaks(db(), config, elasticsearch(), { missingOnly: true })).peaks).toEqual([]);
  });

  it("labels a peak with the known issue its root cause matches, and a regression of a resolved one", async () => {
    const [first, second] = (await enrichedPeaks(db().prisma)).filter(
      (peak, index, all) => all.findIndex((other) => other.rootCause === peak.rootCause) === index,
    );
    expect(second).toBeDefined();
    const firstRoot = (first!.topPatterns as unknown as StoredInvestigation).rootCauses[0]!.patternId;
    const issue = await db().prisma.knownIssue.create({ data: { title: "Ledger pool exhausted", patternIds: [firstRoot], regexes: [] } });
    const secondHeadline = second!
      .rootCause!.split(" ")
      .slice(0, 2)
      .join(" ")
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const resolved = await db().prisma.knownPeak.create({
      data: {
        title: "Earlier outage",
        solution: "Restart the pool and raise max_connections",
        patternIds: [],
        regexes: [secondHeadline],
        namespace: second!.namespace,
      },
    });
    // Saved before regexes ran on the linear-time engine, which refuses a lookahead and a
    // backreference: enrichment neither throws nor matches by them.
    const legacy = await db().prisma.knownIssue.create({ data: { title: "Legacy lookahead", patternIds: [], regexes: [`(?=${secondHeadline})`, "(.)\\1"] } });

    const report = await enrichPeaks(db(), config, elasticsearch(), { peakIds: [first!.id, second!.id] });
    const [firstAfter, secondAfter] = await Promise.all(
      [first!.id, second!.id].map((id) => db().prisma.peakInvestigation.findUniqueOrThrow({ where: { id } })),
    );
    expect(firstAfter!.knownIssueId).toBe(issue.id);
    expect(secondAfter!.knownPeakId).toBe(resolved.id);
    expect(secondAfter!.knownIssueId).not.toBe(legacy.id);
    expect(report.peaks.find((peak) => peak.peakId === second!.id)?.regressionOf).toEqual({
      id: resolved.id,
      title: "Earlier outage",
      solution: "Restart the pool and raise max_connections",
    });
  });
});

import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { generatedElasticsearchSuite } from "@/test/support/generated-elasticsearch";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { gridOf } from "@/lib/config/grid";
import { trackPatterns } from "./track-patterns";

const config = loadConfig(path.resolve("values.yaml"));
const grid = gridOf(config);
const { data, source: elasticsearch } = generatedElasticsearchSuite(config);
const day = grid.localDayRange(data.plan.days[3]!);
const errorsOfDay = data.documents.filter((document) => {
  const at = Date.parse(String(document["@timestamp"]));
  return document.level === "ERROR" && at >= day.startMs && at < day.endMs;
}).length;

describe.each(databaseKinds)("tracking a period's patterns on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  it("counts every error of the day once into error_patterns, per namespace", async () => {
    const report = await trackPatterns(db(), config, elasticsearch(), { fromMs: day.startMs, toMs: day.endMs });
    expect(report.documentsRead).toBe(errorsOfDay);
    expect(report.windows).toBe(96);
    expect(report.patterns.every((pattern) => pattern.isNew)).toBe(true);
    const patterns = await db().prisma.errorPattern.findMany();
    expect(patterns.reduce((sum, pattern) => sum + Number(pattern.occurrences), 0)).toBe(errorsOfDay);
    for (const pattern of patterns) {
      const byNamespace = pattern.namespaceOccurrences as Record<string, number>;
      expect(Object.values(byNamespace).reduce((sum, count) => sum + count, 0)).toBe(Number(pattern.occurrences));
      expect(pattern.namespaces.sort()).toEqual(Object.keys(byNamespace).sort());
      expect(pattern.exampleMessages.length).toBeGreaterThan(0);
      expect(pattern.firstSeen.getTime()).toBeGreaterThanOrEqual(day.startMs);
      expect(pattern.lastSeen.getTime()).toBeLessThan(day.endMs);
    }
  });

  it("finds the root cause of every trace, and the known issue and resolved incident each matches", async () => {
    const first = await trackPatterns(db(), config, elasticsearch(), { fromMs: day.startMs, toMs: day.endMs });
    const traces = new Set(
      data.documents
        .filter((document) => {
          const at = Date.parse(String(document["@timestamp"]));
          return document.level === "ERROR" && at >= day.startMs && at < day.endMs && document.trace;
        })
        .map((document) => `${(document.kubernetes as { namespace: string }).namespace} ${(document.trace as { id: string }).id}`),
    );
    expect(first.rootCauses.reduce((sum, cause) => sum + cause.traces, 0)).toBe(traces.size);
    expect(first.rootCauses.every((cause) => cause.knownIssue === null && cause.regressionOf === null)).toBe(true);
    const [top, second] = first.rootCauses;
    const issue = await db().prisma.knownIssue.create({ data: { title: "Top root cause", patternIds: [top!.patternId], regexes: [] } });
    const resolved = await db().prisma.knownPeak.create({
      data: { title: "Solved before", solution: "Scale out", patternIds: [second!.patternId], regexes: [], namespace: second!.namespaces[0]! },
    });
    const again = await trackPatterns(db(), config, elasticsearch(), { fromMs: day.startMs, toMs: day.endMs });
    expect(again.rootCauses.find((cause) => cause.patternId === top!.patternId)?.knownIssue).toEqual({ id: issue.id, title: "Top root cause" });
    expect(again.rootCauses.find((cause) => cause.patternId === second!.patternId)?.regressionOf).toEqual({
      id: resolved.id,
      title: "Solved before",
      solution: "Scale out",
    });
  });

  it("counts nothing twice when the period is tracked again, and keeps the pattern ids", async () => {
    const before = await db().prisma.errorPattern.findMany({ orderBy: { patternHash: "asc" } });
    const again = await trackPatterns(db(), config, elasticsearch(), { fromMs: day.startMs, toMs: day.endMs });
    expect(again.counted).toBe(0);
    expect(again.patterns.some((pattern) => pattern.isNew)).toBe(false);
    const after = await db().prisma.errorPattern.findMany({ orderBy: { patternHash: "asc" } });
    expect(after.map((pattern) => [pattern.patternHash, pattern.occurrences])).toEqual(before.map((pattern) => [pattern.patternHash, pattern.occurrences]));
  });
});

describe.each(databaseKinds)("tracking a day in two runs on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  it("adds a day tracked in two halves to the patterns the first half stored: every error once, per namespace", async () => {
    const middle = day.startMs + 12 * 3_600_000;
    await trackPatterns(db(), config, elasticsearch(), { fromMs: day.startMs, toMs: middle });
    const firstHalf = new Map((await db().prisma.errorPattern.findMany()).map((pattern) => [pattern.patternHash, pattern]));
    await trackPatterns(db(), config, elasticsearch(), { fromMs: middle, toMs: day.endMs });
    const patterns = await db().prisma.errorPattern.findMany();
    expect(patterns.reduce((sum, pattern) => sum + Number(pattern.occurrences), 0)).toBe(errorsOfDay);
    // Most patterns occur in both halves: their rows were updated, not created again.
    const grown = patterns.filter((pattern) => {
      const before = firstHalf.get(pattern.patternHash);
      return before !== undefined && Number(pattern.occurrences) > Number(before.occurrences);
    });
    expect(grown.length).toBeGreaterThan(patterns.length / 2);
    for (const pattern of grown) {
      const before = firstHalf.get(pattern.patternHash)!;
      const byNamespace = pattern.namespaceOccurrences as Record<string, number>;
      expect(Object.values(byNamespace).reduce((sum, count) => sum + count, 0)).toBe(Number(pattern.occurrences));
      expect(pattern.namespaces).toEqual(Object.keys(byNamespace).sort());
      expect(pattern.namespaces).toEqual(expect.arrayContaining(before.namespaces));
      expect(pattern.firstSeen.getTime()).toBe(before.firstSeen.getTime());
      expect(pattern.lastSeen.getTime()).toBeGreaterThanOrEqual(middle);
      expect(pattern.exampleMessages.slice(0, before.exampleMessages.length)).toEqual(before.exampleMessages);
      expect(pattern.namespaceFirstWindows).toEqual(expect.objectContaining(before.namespaceFirstWindows as Record<string, number>));
    }
  });
});

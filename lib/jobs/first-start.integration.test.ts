import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { fileSourceOf } from "@/lib/es";
import { peakInvestigationFactsSchema } from "@/lib/peaks/contract";
import { explainingRootCauses } from "@/lib/pipeline/investigate";
import { batchFolder, generateSet, writeByUtcDate } from "@/test/support/completeness";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { investigateSample, type FirstStartReport } from "./first-start";

// The first start's investigation of a sample data set: a small generated set (the e2e server's
// shape: four weeks, two namespaces) loaded as `npm start` loads it, then investigated.

const config = loadConfig(path.resolve("values.yaml"));
const folder = mkdtempSync(path.join(os.tmpdir(), "peaks-first-start-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

beforeAll(() => {
  const set = generateSet({ timeZone: config.timezone, from: "2026-01-05", days: 28, namespaces: 2, rate: 0.5, seed: 3 });
  writeByUtcDate(folder, set.documents);
});

// The root causes that explain a window: not the background errors that began a trace or two in it.
const rootCausesOf = (topPatterns: unknown) => {
  const facts = peakInvestigationFactsSchema.parse(topPatterns);
  return facts.rootCauses.length > 0 ? explainingRootCauses(facts.rootCauses) : facts.patterns.slice(0, 1);
};
const rootCauseIds = (topPatterns: unknown) => rootCausesOf(topPatterns).map((pattern) => pattern.patternId);

describe.each(databaseKinds)("the first start's investigation on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  let report: FirstStartReport;
  const steps: string[] = [];

  beforeAll(async () => {
    await batchFolder(db(), config, folder, { phase: "all" });
    expect(await db().prisma.peakInvestigation.count({ where: { enrichedAt: { not: null } } })).toBe(0);
    const source = fileSourceOf(config, [folder]);
    try {
      report = await investigateSample(db(), config, source, { onStep: (line) => steps.push(line) });
    } finally {
      await source.close();
    }
  }, 300_000);

  it("leaves every sample peak investigated, with its patterns stored", async () => {
    const peaks = await db().prisma.peakInvestigation.findMany();
    expect(peaks.length).toBeGreaterThan(1);
    expect(peaks.filter((peak) => peak.enrichedAt === null || peak.rootCause === null).map((peak) => peak.id)).toEqual([]);
    expect(report.enriched).toBe(peaks.length);
    expect(report.withoutDocuments).toBe(0);
    expect(await db().prisma.errorPattern.count()).toBeGreaterThan(0);
    expect(await db().prisma.patternWindow.count()).toBe(peaks.length);
  });

  it("makes the first window of the biggest incident a known issue that labels the open peaks it matches", async () => {
    const issues = await db().prisma.knownIssue.findMany();
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(report.knownIssue).toMatchObject({ id: issue.id, title: issue.title });
    expect(issue.status).toBe("active");
    expect(issue.description).toMatch(/^Came with the sample data/);

    const peaks = await db().prisma.peakInvestigation.findMany({ orderBy: [{ timestamp: "asc" }, { id: "asc" }] });
    const source = peaks.find((peak) => peak.id === report.knownIssue!.fromPeakId)!;
    expect(source.status).toBe("known_issue");
    expect(source.knownIssueId).toBe(issue.id);
    // Its stored incident has the most errors above the baseline, and it is that incident's first window.
    const byIncident = new Map<number, typeof peaks>();
    for (const peak of peaks) byIncident.set(peak.incidentId!, [...(byIncident.get(peak.incidentId!) ?? []), peak]);
    const incidents = [...byIncident.values()].map((windows) => windows.sort((left, right) => left.timestamp.getTime() - right.timestamp.getTime()));
    expect(peaks.every((peak) => peak.incidentId !== null)).toBe(true);
    // The whole incident is a known issue now, not only the window it was made from.
    const sourceIncident = incidents.find((windows) => windows.some((peak) => peak.id === source.id))!;
    expect(sourceIncident.map((peak) => [peak.status, peak.knownIssueId])).toEqual(sourceIncident.map(() => ["known_issue", issue.id]));
    expect((await db().prisma.incident.findUniqueOrThrow({ where: { id: source.incidentId! } })).status).toBe("known_issue");
    const excessOf = (incident: typeof peaks) => incident.reduce((sum, peak) => sum + Math.max(0, peak.errorCount - peak.baselineMean), 0);
    const chosen = incidents.find((incident) => incident.some((peak) => peak.id === source.id))!;
    expect(incidents.length).toBeGreaterThan(1);
    expect(Math.max(...incidents.map(excessOf))).toBe(excessOf(chosen));
    expect(chosen[0]!.id).toBe(source.id);
    expect(issue.namespace).toBe(source.namespace);
    // The title the dashboard proposes: the first root cause's template.
    expect(issue.title).toBe(rootCausesOf(source.topPatterns)[0]!.template.slice(0, 200));
    expect([...issue.patternIds].sort()).toEqual([...new Set(rootCauseIds(source.topPatterns))].sort());

    // Labelled: the other open peaks of its namespace with the same root cause, and only those:
    // a background error shared with a window of another cause labels nothing.
    const labelled = peaks.filter((peak) => peak.knownIssueId === issue.id && peak.id !== source.id);
    expect(labelled.map((peak) => peak.id).sort()).toEqual([...report.knownIssue!.labelledPeakIds].sort());
    expect(labelled.length).toBeGreaterThan(0);
    for (const peak of labelled) {
      expect(peak.namespace).toBe(source.namespace);
      expect(rootCauseIds(peak.topPatterns).some((id) => issue.patternIds.includes(id))).toBe(true);
    }
  });

  it("resolves a peak of another root cause with a solution, which becomes a known peak", async () => {
    const knownPeaks = await db().prisma.knownPeak.findMany();
    expect(knownPeaks).toHaveLength(1);
    const knownPeak = knownPeaks[0]!;
    expect(report.resolvedPeak).toEqual({ peakId: expect.any(Number), knownPeakId: knownPeak.id });
    expect(knownPeak.solution).toMatch(/^Example solution from the sample data/);
    expect(knownPeak.knownIssueId).toBeNull();
    const peak = await db().prisma.peakInvestigation.findUniqueOrThrow({ where: { id: report.resolvedPeak!.peakId } });
    expect(peak.status).toBe("resolved");
    expect(knownPeak.title).toBe(rootCausesOf(peak.topPatterns)[0]!.template.slice(0, 200));
    expect(knownPeak.namespace).toBe(peak.namespace);
    expect(peak.knownIssueId).toBeNull();
    const issue = await db().prisma.knownIssue.findFirstOrThrow();
    expect(rootCauseIds(peak.topPatterns).some((id) => issue.patternIds.includes(id))).toBe(false);
  });

  it("audits both as the `sample data` actor, with notes saying they came with the sample data", async () => {
    const entries = await db().prisma.auditLog.findMany({ orderBy: { id: "asc" } });
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((entry) => entry.actor))).toEqual(new Set(["sample data"]));
    expect(entries.every((entry) => entry.userId === null)).toBe(true);
    const actions = entries.map((entry) => entry.action);
    for (const action of ["known_issue.create", "peak.mark_known_issue", "peak.label_matching", "peak.resolve", "peak.note"]) expect(actions).toContain(action);
    const notes = await db().prisma.peakNote.findMany({ orderBy: { id: "asc" } });
    expect(notes.map((note) => [note.peakId, note.actor])).toEqual([
      [report.knownIssue!.fromPeakId, "sample data"],
      [report.resolvedPeak!.peakId, "sample data"],
    ]);
    expect(notes.every((note) => note.text.startsWith("Came with the sample data"))).toBe(true);
  });

  it("printed one line per step", () => {
    expect(steps).toHaveLength(4);
    expect(steps[0]).toMatch(/^Investigating the sample peaks/);
    expect(steps[1]).toBe(`Investigated ${report.enriched} peaks.`);
    expect(steps[2]).toMatch(new RegExp(`^Known issue #${report.knownIssue!.id} “.+” from peak #${report.knownIssue!.fromPeakId} in `));
    expect(steps[3]).toMatch(new RegExp(`^Resolved peak #${report.resolvedPeak!.peakId} in .+: known peak #${report.resolvedPeak!.knownPeakId}\\.$`));
  });

  it("adds no second example when run again, and has nothing left to investigate", async () => {
    const again = await investigateSample(db(), config, fileSourceOf(config, [folder]));
    expect(again).toEqual({
      enriched: 0,
      withoutDocuments: 0,
      knownIssue: null,
      resolvedPeak: null,
      skipped: "the catalogue already holds known issues or known peaks",
    });
    expect(await db().prisma.knownIssue.count()).toBe(1);
    expect(await db().prisma.knownPeak.count()).toBe(1);
  });
});

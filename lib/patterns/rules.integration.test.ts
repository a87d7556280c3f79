import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { findShownFirstWindows } from "@/lib/db/pattern-rules";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { trackPatterns } from "@/lib/jobs/track-patterns";
import { previewMatches } from "@/lib/known-issues/matching";
import type { LogDocument } from "@/lib/pipeline/log-document";
import { errorBurst } from "@/test/support/error-burst";
import { memorySource } from "@/test/support/memory-source";
import { cliActor, type Actor } from "@/lib/roles";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { getPattern, listPatterns } from "./catalog";
import { listPatternRules, loadPatternRuleSet, mergePatterns, revokePatternRule, splitPattern } from "./rules";

// Merges and splits on stored patterns counted by the pipeline's own tracking: what the pages
// show follows a merge and comes back on reverting it; a split takes new windows' messages.

const config = loadConfig(path.resolve("values.yaml"));
const WINDOW = config.window_minutes * 60_000;
const HOUR = 3_600_000;
/** Monday 16 November 2026, 10:00 UTC. */
const D = Date.UTC(2026, 10, 16, 10, 0);
const NOW = new Date(D + 2 * 24 * HOUR);

let analyst: Actor;
let viewer: Actor;

const messages = {
  cache: (n: number) => `Cache stampede detected for shard ${n}`,
  quota: (n: number) => `Disk quota exceeded on volume ${n}`,
  db1: (n: number) => `Connection to db-1.example.internal:5432 refused after ${n} ms`,
  db2: (n: number) => `Connection to db-2.example.internal:5432 refused after ${n} ms`,
};
type Kind = keyof typeof messages;

function burst(namespace: string, start: number, kind: Kind, count: number): LogDocument[] {
  return errorBurst(namespace, start, count, messages[kind], 100);
}

async function track(db: Parameters<typeof trackPatterns>[0], documents: readonly LogDocument[], fromMs: number) {
  await trackPatterns(db, config, memorySource(documents, WINDOW), { fromMs, toMs: fromMs + WINDOW });
}

async function idOf(prisma: PrismaClient, message: string): Promise<string> {
  const row = await prisma.errorPattern.findFirstOrThrow({ where: { exampleMessages: { has: message } }, select: { patternHash: true } });
  return row.patternHash;
}

async function createPeak(prisma: PrismaClient, patternId: string): Promise<number> {
  const entry = { patternId, template: "t", count: 10, errorType: "other", example: "x", examples: ["x"], firstSeen: 0, lastSeen: 0 };
  const peak = await prisma.peakInvestigation.create({
    data: {
      timestamp: new Date(D),
      namespace: "payments",
      dayOfWeek: 0,
      hourOfDay: 10,
      quarterHour: 0,
      severity: "high",
      errorCount: 300,
      baselineMean: 10,
      baselineStddev: 2,
      baselineSamples: 4,
      ratio: 30,
      requiredRatio: 3,
      average24h: 10,
      referenceCounts: [],
      enrichedAt: new Date(D),
      topPatterns: {
        version: 1,
        documents: 10,
        total: 10,
        untraced: 0,
        traces: 1,
        patterns: [entry],
        rootCauses: [{ ...entry, traces: 1, share: 1 }],
        representativeTrace: null,
        changed: [],
        usual: [],
      },
    },
    select: { id: true },
  });
  return peak.id;
}

describe.each(databaseKinds)("merging and splitting patterns on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;

  beforeAll(async () => {
    const ana = await prisma().user.create({ data: { email: "ana@example.com", role: "analyst" } });
    const vic = await prisma().user.create({ data: { email: "vic@example.com", role: "viewer" } });
    analyst = { kind: "user", id: ana.id, email: ana.email, name: null, role: "analyst" };
    viewer = { kind: "user", id: vic.id, email: vic.email, name: null, role: "viewer" };
  });

  it("merges: counts, namespaces, first windows, peaks and known issues show under the target; reverting restores each", async () => {
    // Quota in orders first (D), cache in payments an hour later.
    await track(db(), burst("orders", D, "quota", 12), D);
    await track(db(), burst("payments", D + HOUR, "cache", 8), D + HOUR);
    const quota = await idOf(prisma(), messages.quota(100));
    const cache = await idOf(prisma(), messages.cache(100));
    const peakId = await createPeak(prisma(), cache);
    const issue = await prisma().knownIssue.create({ data: { title: "Stampede", patternIds: [cache], regexes: [] } });

    const rule = await mergePatterns(db(), analyst, { members: [cache], into: quota });
    expect(rule).toMatchObject({ kind: "merge", target: quota, members: [cache], isActive: true, createdBy: "ana@example.com" });

    const page = await listPatterns(db(), analyst, { sort: "occurrences" }, NOW);
    expect(page.total).toBe(1);
    expect(page.patterns.map((pattern) => [pattern.hash, pattern.occurrences, pattern.namespaces, pattern.peaks])).toEqual([
      [quota, 20, ["orders", "payments"], 1],
    ]);
    const payments = await listPatterns(db(), analyst, { namespace: "payments" }, NOW);
    expect(payments.patterns.map((pattern) => [pattern.hash, pattern.occurrences])).toEqual([[quota, 8]]);

    const shown = await getPattern(db(), analyst, quota, {}, NOW);
    expect(shown.occurrences).toBe(20);
    expect(shown.namespaceOccurrences).toEqual([
      { namespace: "orders", occurrences: 12 },
      { namespace: "payments", occurrences: 8 },
    ]);
    expect(shown.series.reduce((sum, day) => sum + day.occurrences, 0)).toBe(20);
    expect(shown.mergedFrom).toEqual([cache]);
    expect(shown.peaks.map((peak) => peak.id)).toEqual([peakId]);
    expect(shown.knownIssues.map((known) => known.id)).toEqual([issue.id]);
    expect(shown.rules.map((each) => each.id)).toEqual([rule.id]);
    const away = await getPattern(db(), viewer, cache, {}, NOW);
    expect(away.mergedInto).toEqual({ hash: quota, template: shown.template });
    expect(away.occurrences).toBe(8);

    // A known issue naming the target would match the member's peaks (the preview decides as labelling does).
    expect((await previewMatches(db(), analyst, { patternIds: [quota], regexes: [], days: 7 }, NOW)).peaks.map((peak) => peak.id)).toEqual([peakId]);

    // First seen: the cache pattern in payments shows under quota, first counted there at D + 1 h.
    expect(await findShownFirstWindows(db(), [cache, quota], "payments")).toEqual(
      new Map([
        [cache, D + HOUR],
        [quota, D + HOUR],
      ]),
    );
    expect(await findShownFirstWindows(db(), [cache], "orders")).toEqual(new Map([[cache, D]]));

    // A window counted while merged keeps its miner's id, and shows under the target.
    await track(db(), burst("payments", D + 2 * HOUR, "cache", 5), D + 2 * HOUR);
    expect((await getPattern(db(), analyst, quota, {}, NOW)).occurrences).toBe(25);
    expect(Number((await prisma().errorPattern.findUniqueOrThrow({ where: { patternHash: cache } })).occurrences)).toBe(13);

    const reverted = await revokePatternRule(db(), analyst, rule.id);
    expect(reverted).toMatchObject({ isActive: false, revokedBy: "ana@example.com" });
    const after = await listPatterns(db(), analyst, { sort: "occurrences" }, NOW);
    expect(after.patterns.map((pattern) => [pattern.hash, pattern.occurrences, pattern.namespaces, pattern.peaks])).toEqual([
      [cache, 13, ["payments"], 1],
      [quota, 12, ["orders"], 0],
    ]);
    const own = await getPattern(db(), analyst, quota, {}, NOW);
    expect([own.peaks, own.knownIssues, own.mergedFrom, own.mergedInto]).toEqual([[], [], [], null]);
    expect(await findShownFirstWindows(db(), [cache, quota], "payments")).toEqual(new Map([[cache, D + HOUR]]));
    expect((await previewMatches(db(), analyst, { patternIds: [quota], regexes: [], days: 7 }, NOW)).total).toBe(0);

    const audit = await prisma().auditLog.findMany({ where: { entityType: "pattern" }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => [entry.action, entry.entityId, entry.actor])).toEqual([
      ["pattern.merge", quota, "ana@example.com"],
      ["pattern.rule_revoke", quota, "ana@example.com"],
    ]);
    await prisma().knownIssue.delete({ where: { id: issue.id } });
    await prisma().peakInvestigation.delete({ where: { id: peakId } });
  });

  it("refuses unknown patterns, merges into itself, cycles, patterns merged elsewhere, and viewers", async () => {
    const quota = await idOf(prisma(), messages.quota(100));
    const cache = await idOf(prisma(), messages.cache(100));
    await expect(mergePatterns(db(), analyst, { members: ["00000000000000"], into: quota })).rejects.toThrow(
      new NotFoundError("Pattern 00000000000000 does not exist"),
    );
    await expect(mergePatterns(db(), analyst, { members: [quota], into: quota })).rejects.toThrow(ConflictError);
    await expect(mergePatterns(db(), viewer, { members: [cache], into: quota })).rejects.toThrow(ForbiddenError);
    const rule = await mergePatterns(db(), cliActor, { members: [cache], into: quota });
    await expect(mergePatterns(db(), analyst, { members: [quota], into: cache })).rejects.toThrow(
      `Pattern ${cache} is itself merged into ${quota}: merge into ${quota} instead`,
    );
    await expect(mergePatterns(db(), analyst, { members: [cache], into: "ffffffffffffff" })).rejects.toThrow(NotFoundError);
    await expect(revokePatternRule(db(), viewer, rule.id)).rejects.toThrow(ForbiddenError);
    await revokePatternRule(db(), cliActor, rule.id);
    await expect(revokePatternRule(db(), cliActor, rule.id)).rejects.toThrow(new ConflictError(`Pattern rule ${rule.id} was already reverted`));
    await expect(revokePatternRule(db(), cliActor, 999_999)).rejects.toThrow(NotFoundError);
    expect((await listPatternRules(db(), viewer)).map((each) => [each.id, each.isActive])).toEqual([
      [rule.id, false],
      [rule.id - 1, false],
    ]);
  });

  it("shows a merged pattern on its own again when retention deleted the pattern it went into", async () => {
    await track(db(), burst("orders", D + 7 * HOUR, "quota", 2), D + 7 * HOUR);
    const quota = await idOf(prisma(), messages.quota(100));
    const cache = await idOf(prisma(), messages.cache(100));
    const rule = await mergePatterns(db(), analyst, { members: [cache], into: quota });
    const kept = await prisma().errorPattern.findUniqueOrThrow({ where: { patternHash: quota } });
    await prisma().errorPattern.delete({ where: { patternHash: quota } });
    const page = await listPatterns(db(), analyst, {}, NOW);
    expect(page.patterns.map((pattern) => pattern.hash)).toEqual([cache]);
    expect((await getPattern(db(), analyst, cache, {}, NOW)).mergedInto).toBeNull();
    await revokePatternRule(db(), analyst, rule.id);
    await prisma().errorPattern.create({
      data: { ...kept, namespaceOccurrences: kept.namespaceOccurrences ?? {}, namespaceFirstWindows: kept.namespaceFirstWindows ?? {} },
    });
  });

  it("splits from then on by a wildcard's value, refuses bad splits, and reverting shows the new pattern under the old", async () => {
    await track(db(), [...burst("payments", D + 3 * HOUR, "db1", 4), ...burst("payments", D + 3 * HOUR, "db2", 3)], D + 3 * HOUR);
    const connection = await idOf(prisma(), messages.db1(100));
    expect(await idOf(prisma(), messages.db2(100))).toBe(connection);

    const outOfRange = splitPattern(db(), analyst, connection, { wildcard: 5, value: "x" });
    await expect(outOfRange).rejects.toThrow(InvalidInputError);
    await expect(outOfRange).rejects.toThrow("wildcard: wildcard must be from 1 to 2: the template has 2 wildcards");
    await expect(splitPattern(db(), analyst, connection, { regex: "(a)\\1" })).rejects.toThrow(/^regex: .*backreferences/);
    await expect(splitPattern(db(), analyst, connection, { wildcard: 1 })).rejects.toThrow(/value/);
    await expect(splitPattern(db(), analyst, "00000000000000", { wildcard: 1, value: "x" })).rejects.toThrow(NotFoundError);

    const rule = await splitPattern(db(), analyst, connection, { wildcard: 1, value: "db-1.example.internal:5432" });
    const child = rule.child!.hash;
    expect(rule.child!.template).toBe("Connection to db-1.example.internal:5432 refused after <*>");
    await expect(splitPattern(db(), analyst, connection, { wildcard: 1, value: "db-1.example.internal:5432" })).rejects.toThrow(ConflictError);
    expect((await loadPatternRuleSet(db().prisma)).splitsOf.get(connection)).toHaveLength(1);

    // History before the split stays with the pattern split; the next window is split.
    await track(db(), [...burst("payments", D + 4 * HOUR, "db1", 6), ...burst("payments", D + 4 * HOUR, "db2", 2)], D + 4 * HOUR);
    expect((await getPattern(db(), analyst, connection, {}, NOW)).occurrences).toBe(9);
    const made = await getPattern(db(), analyst, child, {}, NOW);
    expect([made.occurrences, made.template]).toEqual([6, "Connection to db-1.example.internal:5432 refused after <*>"]);
    // Not new in payments: its messages were counted under the pattern split before.
    expect((await findShownFirstWindows(db(), [child], "payments")).get(child)).toBe(D + 3 * HOUR);

    await revokePatternRule(db(), analyst, rule.id);
    const back = await getPattern(db(), analyst, connection, {}, NOW);
    expect([back.occurrences, back.mergedFrom]).toEqual([15, [child]]);
    expect((await getPattern(db(), analyst, child, {}, NOW)).mergedInto?.hash).toBe(connection);
    // The miner does not continue from a split's pattern: new db-1 messages go to the pattern again.
    await track(db(), burst("payments", D + 5 * HOUR, "db1", 2), D + 5 * HOUR);
    expect(Number((await prisma().errorPattern.findUniqueOrThrow({ where: { patternHash: child } })).occurrences)).toBe(6);
    expect((await getPattern(db(), analyst, connection, {}, NOW)).occurrences).toBe(17);

    const audit = await prisma().auditLog.findMany({ where: { entityType: "pattern", entityId: connection }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => entry.action)).toEqual(["pattern.split", "pattern.rule_revoke"]);
    expect(audit[0]!.details).toMatchObject({ ruleId: rule.id, child, wildcard: 1, value: "db-1.example.internal:5432" });
  });

  it("splits by a regex on the headline", async () => {
    const { patternHash: connection } = await prisma().errorPattern.findFirstOrThrow({ where: { template: "Connection to <*> refused after <*>" } });
    const rule = await splitPattern(db(), analyst, connection, { regex: "db-2\\.", name: "Connection to db-2 refused" });
    expect(rule.child!.template).toBe("Connection to db-2 refused");
    await track(db(), [...burst("payments", D + 6 * HOUR, "db1", 3), ...burst("payments", D + 6 * HOUR, "db2", 4)], D + 6 * HOUR);
    expect((await getPattern(db(), analyst, rule.child!.hash, {}, NOW)).occurrences).toBe(4);
    expect((await getPattern(db(), analyst, connection, {}, NOW)).occurrences).toBe(20);
    await revokePatternRule(db(), analyst, rule.id);
  });
});

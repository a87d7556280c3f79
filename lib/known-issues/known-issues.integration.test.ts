import { beforeEach, describe, expect, it } from "vitest";
import { cliActor, type Actor } from "@/lib/roles";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import type { StoredInvestigation } from "@/lib/peaks/contract";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import { getKnownIssue, hasKnownIssue, listKnownIssues } from "./catalog";
import { createKnownIssue, resolveKnownIssue, updateKnownIssue } from "./curation";
import { previewMatches } from "./matching";
import { MAX_KNOWN_ISSUES_PAGE_SIZE, type ListKnownIssuesInput } from "./contract";

const now = new Date("2026-11-28T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

const TIMEOUT = "a1b2c3d4e5f60001";
const NULL_POINTER = "a1b2c3d4e5f60002";
const DB_REFUSED = "a1b2c3d4e5f60003";
const templates: Record<string, { template: string; example: string }> = {
  [TIMEOUT]: { template: "Timeout after <*> ms calling <*>", example: "Timeout after 3000 ms calling payment-gateway" },
  [NULL_POINTER]: { template: "NullPointerException at <*>", example: "NullPointerException at OrderService.java:42" },
  [DB_REFUSED]: { template: "Connection refused to db <*>", example: "Connection refused to db orders-primary" },
};

function patternCount(patternId: string, count: number) {
  const { template, example } = templates[patternId]!;
  return { patternId, template, count, errorType: "Error", example, examples: [example], firstSeen: now.getTime(), lastSeen: now.getTime() };
}

/** top_patterns as enrichment stores it; rootCauses empty means the window had no trace. */
function storedInvestigation(rootCauseIds: string[], patternIds: string[] = rootCauseIds): StoredInvestigation {
  const patterns = patternIds.map((patternId, index) => patternCount(patternId, 100 - index));
  return {
    version: 1,
    documents: 120,
    total: 120,
    untraced: rootCauseIds.length === 0 ? 120 : 0,
    traces: rootCauseIds.length === 0 ? 0 : 40,
    patterns,
    rootCauses: rootCauseIds.map((patternId) => ({ ...patternCount(patternId, 80), traces: 40 / rootCauseIds.length, share: 1 / rootCauseIds.length })),
    representativeTrace: null,
    changed: [],
    usual: [],
    usualPeriod: { fromMs: now.getTime() - 86_400_000, toMs: now.getTime(), windows: 96, sampled: 500, total: 500 },
    firstSeenPatterns: [],
  };
}

type PeakOptions = { app?: string | null; rootCauses?: string[]; patterns?: string[]; isEnriched?: boolean; knownIssueId?: number | null };

/** A peak_investigation row; `investigation` replaces the one built from `options` (enriched peaks only). */
function peakData(timestamp: Date, namespace: string, options: PeakOptions = {}, investigation?: StoredInvestigation): Prisma.PeakInvestigationCreateManyInput {
  const rootCauses = options.rootCauses ?? [];
  const isEnriched = options.isEnriched ?? true;
  const stored = investigation ?? storedInvestigation(rootCauses, options.patterns ?? rootCauses);
  const headline = (stored.rootCauses[0] ?? stored.patterns[0])?.example ?? null;
  return {
    timestamp,
    namespace,
    dayOfWeek: 4,
    hourOfDay: timestamp.getUTCHours(),
    quarterHour: Math.floor(timestamp.getUTCMinutes() / 15),
    severity: "high",
    errorCount: 500,
    baselineMean: 50,
    baselineStddev: 10,
    baselineSamples: 4,
    ratio: 10,
    requiredRatio: 3,
    average24h: 40,
    referenceCounts: [40, 45, 50],
    ...(isEnriched
      ? { appName: options.app ?? null, rootCause: headline, topPatterns: JSON.parse(JSON.stringify(stored)) as object, enrichedAt: timestamp }
      : {}),
    knownIssueId: options.knownIssueId ?? null,
  };
}

async function createPeak(prisma: PrismaClient, timestamp: Date, namespace: string, options: PeakOptions = {}): Promise<number> {
  const peak = await prisma.peakInvestigation.create({ data: peakData(timestamp, namespace, options), select: { id: true } });
  return peak.id;
}

describe.each(databaseKinds)("known issues on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  let analyst: Actor;
  let viewer: Actor;

  beforeEach(async () => {
    const prisma = db().prisma;
    await prisma.$executeRawUnsafe("TRUNCATE users, audit_log, known_issues, known_peaks, peak_investigation, error_patterns RESTART IDENTITY CASCADE");
    const ana = await prisma.user.create({ data: { email: "ana@example.com", role: "analyst" } });
    const vic = await prisma.user.create({ data: { email: "vic@example.com", role: "viewer" } });
    analyst = { kind: "user", id: ana.id, email: ana.email, name: null, role: "analyst" };
    viewer = { kind: "user", id: vic.id, email: vic.email, name: null, role: "viewer" };
    await prisma.errorPattern.createMany({
      data: Object.entries(templates).map(([patternHash, { template, example }]) => ({
        patternHash,
        template,
        firstSeen: daysAgo(10),
        lastSeen: daysAgo(1),
        occurrences: 10,
        namespaces: ["payments"],
        exampleMessages: [example],
      })),
    });
  });

  it("creates a known issue, audits it, and lists it with pattern templates", async () => {
    const created = await createKnownIssue(db(), analyst, {
      title: "  Payment gateway timeouts ",
      description: "",
      patternIds: [TIMEOUT, TIMEOUT],
      regexes: ["gateway"],
      namespace: "payments",
      link: "https://tracker.example.com/PAY-12",
    });
    expect(created).toMatchObject({
      title: "Payment gateway timeouts",
      description: null,
      patternIds: [TIMEOUT],
      patterns: [{ patternId: TIMEOUT, template: "Timeout after <*> ms calling <*>" }],
      regexes: ["gateway"],
      namespace: "payments",
      appName: null,
      link: "https://tracker.example.com/PAY-12",
      status: "active",
      createdBy: "ana@example.com",
      resolvedAt: null,
      matchedPeaks: 0,
      lastMatchedAt: null,
    });
    const audit = await db().prisma.auditLog.findMany();
    expect(audit).toMatchObject([
      {
        userId: analyst.kind === "user" ? analyst.id : -1,
        actor: "ana@example.com",
        action: "known_issue.create",
        entityType: "known_issue",
        entityId: String(created.id),
        details: {
          title: "Payment gateway timeouts",
          description: null,
          patternIds: [TIMEOUT],
          regexes: ["gateway"],
          namespace: "payments",
          appName: null,
          link: "https://tracker.example.com/PAY-12",
        },
      },
    ]);
    const { labelled, ...summary } = created;
    expect(labelled).toEqual([]);
    expect(await listKnownIssues(db(), viewer, {})).toEqual({ knownIssues: [summary], total: 1, offset: 0, limit: 50, nextOffset: null });
  });

  it("lists with match counts, filters by status and text, and shows a pruned pattern without template", async () => {
    const timeouts = await createKnownIssue(db(), analyst, { title: "Gateway timeouts", patternIds: [TIMEOUT, NULL_POINTER] });
    const refused = await createKnownIssue(db(), cliActor, {
      title: "DB refuses connections",
      description: "Primary is overloaded",
      regexes: ["refused"],
    });
    await createPeak(db().prisma, daysAgo(3), "payments", { rootCauses: [TIMEOUT], knownIssueId: timeouts.id });
    await createPeak(db().prisma, daysAgo(1), "payments", { rootCauses: [TIMEOUT], knownIssueId: timeouts.id });
    await resolveKnownIssue(db(), analyst, refused.id, { solution: "Raised the pool size" });
    await db().prisma.errorPattern.delete({ where: { patternHash: NULL_POINTER } });

    const all = (await listKnownIssues(db(), viewer, {})).knownIssues;
    expect(all.map((issue) => [issue.id, issue.status])).toEqual([
      [timeouts.id, "active"],
      [refused.id, "resolved"],
    ]);
    expect(all[0]).toMatchObject({
      matchedPeaks: 2,
      lastMatchedAt: daysAgo(1).toISOString(),
      patterns: [
        { patternId: TIMEOUT, template: "Timeout after <*> ms calling <*>" },
        { patternId: NULL_POINTER, template: null },
      ],
    });
    expect(all[1]).toMatchObject({ matchedPeaks: 0, lastMatchedAt: null, createdBy: null });
    const ids = async (input: ListKnownIssuesInput) => (await listKnownIssues(db(), viewer, input)).knownIssues.map((issue) => issue.id);
    expect(await ids({ status: "resolved" })).toEqual([refused.id]);
    expect(await ids({ q: "OVERLOADED" })).toEqual([refused.id]);
    expect(await ids({ q: TIMEOUT })).toEqual([timeouts.id]);
    expect(await ids({ status: "active", q: "refuses" })).toEqual([]);
    // By id, with or without "#", and by scope.
    expect(await ids({ q: `#${refused.id}` })).toEqual([refused.id]);
    expect(await ids({ q: String(timeouts.id) })).toContain(timeouts.id);
  });

  it("pages on the server, active first then newest, counting every issue the filters select", async () => {
    const created: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      const issue = await createKnownIssue(db(), analyst, { title: `Pool ${index}`, regexes: [`pool-${index}`], namespace: index % 2 === 0 ? "ledger" : null });
      created.push(issue.id);
    }
    await resolveKnownIssue(db(), analyst, created[6]!, { solution: "Gone" });
    const first = await listKnownIssues(db(), viewer, { q: "pool", limit: 3 });
    expect(first).toMatchObject({ total: 7, offset: 0, limit: 3, nextOffset: 3 });
    expect(first.knownIssues.map((issue) => issue.id)).toEqual([created[5], created[4], created[3]]);
    const last = await listKnownIssues(db(), viewer, { q: "pool", limit: 3, offset: 6 });
    expect(last).toMatchObject({ total: 7, nextOffset: null });
    expect(last.knownIssues.map((issue) => issue.id)).toEqual([created[6]]);
    expect((await listKnownIssues(db(), viewer, { q: "LEDGER" })).total).toBe(4);
    await expect(listKnownIssues(db(), viewer, { limit: MAX_KNOWN_ISSUES_PAGE_SIZE + 1 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(listKnownIssues(db(), viewer, { offset: -1 })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("gets an issue with its peaks newest first, and 404s a missing one", async () => {
    const issue = await createKnownIssue(db(), analyst, { title: "Gateway timeouts", patternIds: [TIMEOUT] });
    const older = await createPeak(db().prisma, daysAgo(5), "payments", { rootCauses: [TIMEOUT], knownIssueId: issue.id });
    const newer = await createPeak(db().prisma, daysAgo(2), "orders", { rootCauses: [TIMEOUT], knownIssueId: issue.id });
    await createPeak(db().prisma, daysAgo(1), "payments", { rootCauses: [DB_REFUSED] });

    const detail = await getKnownIssue(db(), viewer, issue.id);
    expect(detail.matchedPeaks).toBe(2);
    expect(detail.knownPeak).toBeNull();
    expect(detail.peaks).toEqual([
      {
        id: newer,
        timestamp: daysAgo(2).toISOString(),
        namespace: "orders",
        severity: "high",
        errorCount: 500,
        status: "open",
        rootCause: templates[TIMEOUT]!.example,
      },
      {
        id: older,
        timestamp: daysAgo(5).toISOString(),
        namespace: "payments",
        severity: "high",
        errorCount: 500,
        status: "open",
        rootCause: templates[TIMEOUT]!.example,
      },
    ]);
    await expect(getKnownIssue(db(), viewer, 999)).rejects.toBeInstanceOf(NotFoundError);
    expect(await hasKnownIssue(db(), viewer, issue.id)).toBe(true);
    expect(await hasKnownIssue(db(), viewer, 999)).toBe(false);
  });

  it("updates only the changed fields and audits each one before and after", async () => {
    const issue = await createKnownIssue(db(), analyst, { title: "Timeouts", patternIds: [TIMEOUT], namespace: "payments" });
    const updated = await updateKnownIssue(db(), analyst, issue.id, {
      title: "Gateway timeouts",
      regexes: ["gateway"],
      namespace: "",
      patternIds: [TIMEOUT],
      link: "http://tracker.example.com/PAY-12",
    });
    expect(updated).toMatchObject({
      title: "Gateway timeouts",
      regexes: ["gateway"],
      namespace: null,
      patternIds: [TIMEOUT],
      link: "http://tracker.example.com/PAY-12",
    });
    const entries = await db().prisma.auditLog.findMany({ where: { action: "known_issue.update" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: "ana@example.com", entityType: "known_issue", entityId: String(issue.id) });
    expect(entries[0]!.details).toEqual({
      changes: {
        title: { before: "Timeouts", after: "Gateway timeouts" },
        regexes: { before: [], after: ["gateway"] },
        namespace: { before: "payments", after: null },
        link: { before: null, after: "http://tracker.example.com/PAY-12" },
      },
    });

    // Nothing changes: nothing is written.
    await updateKnownIssue(db(), analyst, issue.id, { title: "Gateway timeouts" });
    expect(await db().prisma.auditLog.count({ where: { action: "known_issue.update" } })).toBe(1);

    await expect(updateKnownIssue(db(), analyst, issue.id, { patternIds: [], regexes: [] })).rejects.toThrow(
      "patternIds: give at least one pattern id or regular expression",
    );
    await expect(updateKnownIssue(db(), analyst, issue.id, { patternIds: [TIMEOUT, "ffff000000000000"] })).rejects.toThrow(
      "patternIds: unknown pattern id: ffff000000000000",
    );
    await expect(updateKnownIssue(db(), analyst, 999, { title: "x" })).rejects.toBeInstanceOf(NotFoundError);
    expect((await getKnownIssue(db(), viewer, issue.id)).patternIds).toEqual([TIMEOUT]);
  });

  it("keeps a pattern id pruned from error_patterns when other fields change", async () => {
    const issue = await createKnownIssue(db(), analyst, { title: "Null pointers", patternIds: [NULL_POINTER] });
    await db().prisma.errorPattern.delete({ where: { patternHash: NULL_POINTER } });
    const updated = await updateKnownIssue(db(), analyst, issue.id, { title: "Null pointers in orders", patternIds: [NULL_POINTER] });
    expect(updated).toMatchObject({ title: "Null pointers in orders", patterns: [{ patternId: NULL_POINTER, template: null }] });
  });

  it("names the field of each validation error and writes nothing", async () => {
    const attempt = (input: Parameters<typeof createKnownIssue>[2]) => createKnownIssue(db(), analyst, input);
    await expect(attempt({ title: "Bad regex", regexes: ["timeout", "("] })).rejects.toThrow(
      expect.objectContaining({ constructor: InvalidInputError, message: expect.stringMatching(/^regexes\.1: "\(" is not a valid regular expression: .+/) }),
    );
    await expect(attempt({ title: "Unknown", patternIds: [TIMEOUT, "ffff000000000001", "ffff000000000002"] })).rejects.toThrow(
      expect.objectContaining({
        constructor: InvalidInputError,
        message: "patternIds: unknown pattern ids: ffff000000000001, ffff000000000002",
        details: [{ path: "patternIds", message: "unknown pattern ids: ffff000000000001, ffff000000000002" }],
      }),
    );
    await expect(attempt({ title: "Nothing to match" })).rejects.toThrow("patternIds: give at least one pattern id or regular expression");
    await expect(attempt({ title: "Bad link", regexes: ["x"], link: "ftp://files.example.com" })).rejects.toThrow("link: must be an http(s) URL");
    await expect(attempt({ title: " ", regexes: ["x"] })).rejects.toThrow(/^title: /);
    await expect(attempt({ title: "x".repeat(201), regexes: ["x"] })).rejects.toThrow(/^title: /);
    expect(await db().prisma.knownIssue.count()).toBe(0);
    expect(await db().prisma.auditLog.count()).toBe(0);
  });

  it("lets viewers read but not change", async () => {
    const issue = await createKnownIssue(db(), analyst, { title: "Timeouts", patternIds: [TIMEOUT] });
    await expect(createKnownIssue(db(), viewer, { title: "x", regexes: ["x"] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updateKnownIssue(db(), viewer, issue.id, { title: "x" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(resolveKnownIssue(db(), viewer, issue.id, { solution: "x" })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getKnownIssue(db(), viewer, issue.id)).title).toBe("Timeouts");
    expect((await previewMatches(db(), viewer, { patternIds: [TIMEOUT] }, now)).total).toBe(0);
    expect(await db().prisma.auditLog.count()).toBe(1);
  });

  it("resolves into a known peak once, and a second resolve conflicts", async () => {
    const issue = await createKnownIssue(db(), analyst, {
      title: "Gateway timeouts",
      description: "Calls to the gateway time out",
      patternIds: [TIMEOUT],
      regexes: ["gateway"],
      namespace: "payments",
      appName: "api",
      link: "https://tracker.example.com/PAY-12",
    });
    const { issue: resolved, knownPeakId } = await resolveKnownIssue(db(), analyst, issue.id, { solution: " Raised the gateway timeout to 10 s " });
    expect(resolved.status).toBe("resolved");
    expect(resolved.resolvedAt).not.toBeNull();

    const knownPeak = await db().prisma.knownPeak.findUniqueOrThrow({ where: { id: knownPeakId } });
    expect(knownPeak).toMatchObject({
      title: "Gateway timeouts",
      description: "Calls to the gateway time out",
      solution: "Raised the gateway timeout to 10 s",
      patternIds: [TIMEOUT],
      regexes: ["gateway"],
      namespace: "payments",
      appName: "api",
      link: "https://tracker.example.com/PAY-12",
      knownIssueId: issue.id,
      resolvedById: analyst.kind === "user" ? analyst.id : -1,
    });
    expect(knownPeak.resolvedAt.toISOString()).toBe(resolved.resolvedAt);
    expect((await getKnownIssue(db(), viewer, issue.id)).knownPeak).toEqual({
      id: knownPeakId,
      solution: "Raised the gateway timeout to 10 s",
      resolvedAt: resolved.resolvedAt,
      resolvedBy: "ana@example.com",
    });
    expect(await db().prisma.auditLog.findMany({ where: { action: "known_issue.resolve" } })).toMatchObject([
      {
        actor: "ana@example.com",
        entityType: "known_issue",
        entityId: String(issue.id),
        details: { knownPeakId, solution: "Raised the gateway timeout to 10 s" },
      },
    ]);

    await expect(resolveKnownIssue(db(), analyst, issue.id, { solution: "again" })).rejects.toBeInstanceOf(ConflictError);
    await expect(updateKnownIssue(db(), analyst, issue.id, { title: "changed" })).rejects.toBeInstanceOf(ConflictError);
    await expect(resolveKnownIssue(db(), analyst, 999, { solution: "x" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(resolveKnownIssue(db(), analyst, issue.id, { solution: "  " })).rejects.toThrow(/^solution: /);
    expect(await db().prisma.knownPeak.count()).toBe(1);
    expect(await db().prisma.auditLog.count({ where: { action: "known_issue.resolve" } })).toBe(1);
  });

  describe("preview", () => {
    let peaks: Record<string, number>;

    beforeEach(async () => {
      const prisma = db().prisma;
      const other = await createKnownIssue(db(), analyst, { title: "Old timeouts", patternIds: [TIMEOUT] });
      peaks = {
        // Matched by pattern id, and already labelled with another issue.
        byId: await createPeak(prisma, daysAgo(2), "payments", { app: "api", rootCauses: [TIMEOUT], knownIssueId: other.id }),
        // Matched by the regex against the root cause's example, case-insensitively.
        byRegex: await createPeak(prisma, daysAgo(5), "payments", { app: "worker", rootCauses: [NULL_POINTER] }),
        otherNamespace: await createPeak(prisma, daysAgo(1), "orders", { app: "api", rootCauses: [DB_REFUSED, TIMEOUT] }),
        // No trace: the most frequent pattern stands for the root cause, as in enrichment.
        untraced: await createPeak(prisma, daysAgo(4), "payments", { app: "api", rootCauses: [], patterns: [TIMEOUT, DB_REFUSED] }),
        tooOld: await createPeak(prisma, daysAgo(40), "payments", { app: "api", rootCauses: [TIMEOUT] }),
        // The pattern is in the window but is not its root cause.
        notRootCause: await createPeak(prisma, daysAgo(3), "payments", { app: "api", rootCauses: [DB_REFUSED], patterns: [DB_REFUSED, TIMEOUT] }),
        // Untraced, and the pattern is only the second most frequent.
        untracedSecond: await createPeak(prisma, daysAgo(3.5), "payments", { app: "api", rootCauses: [], patterns: [DB_REFUSED, TIMEOUT] }),
        notEnriched: await createPeak(prisma, daysAgo(1), "payments", { app: "api", isEnriched: false }),
        afterNow: await createPeak(prisma, new Date(now.getTime() + 3_600_000), "payments", { app: "api", rootCauses: [TIMEOUT] }),
      };
    });

    const ids = (result: { peaks: { id: number }[] }) => result.peaks.map((peak) => peak.id);

    it("creating an issue labels exactly the open peaks its preview said it would, of any date", async () => {
      const input = { patternIds: [TIMEOUT], namespace: "payments" };
      const preview = await previewMatches(db(), analyst, input, now);
      // Open, enriched and without an issue, whose root cause (or, untraced, first pattern) is the
      // timeout: the future and the 40-day-old peak too. Not byId: it has an issue already.
      expect(ids(preview.labels)).toEqual([peaks.afterNow, peaks.untraced, peaks.tooOld]);
      expect(preview.labels.total).toBe(3);

      const created = await createKnownIssue(db(), analyst, { title: "Payments timeouts", ...input });
      expect(created.labelled.map((peak) => peak.id).sort()).toEqual(ids(preview.labels).sort());
      const labelled = await db().prisma.peakInvestigation.findMany({ where: { knownIssueId: created.id }, select: { id: true, status: true } });
      expect(labelled.map((peak) => peak.id).sort()).toEqual(ids(preview.labels).sort());
      expect(labelled.every((peak) => peak.status === "known_issue")).toBe(true);
      const audit = await db().prisma.auditLog.findMany({ where: { action: "peak.label_matching" }, orderBy: { id: "asc" } });
      expect(audit.map((entry) => Number(entry.entityId)).sort()).toEqual(ids(preview.labels).sort());
      expect(audit[0]?.details).toMatchObject({ knownIssueId: created.id, sourcePeakId: null });
      // Nothing is left for a second, identical issue to label, and its preview says so.
      expect((await previewMatches(db(), analyst, input, now)).labels).toEqual({ total: 0, peaks: [] });
    });

    it("agrees with the labelling when an older, equally specific issue matches first", async () => {
      // "Old timeouts" (global, the timeout) is older than any new global timeout issue: it keeps the peaks.
      const preview = await previewMatches(db(), analyst, { patternIds: [TIMEOUT] }, now);
      expect(preview.total).toBeGreaterThan(0);
      expect(preview.labels).toEqual({ total: 0, peaks: [] });
      const created = await createKnownIssue(db(), analyst, { title: "Timeouts again", patternIds: [TIMEOUT] });
      expect(created.labelled).toEqual([]);
      expect(await db().prisma.peakInvestigation.count({ where: { knownIssueId: created.id } })).toBe(0);
    });

    it("matches exactly the recent enriched peaks whose root causes match, newest first", async () => {
      const result = await previewMatches(db(), viewer, { patternIds: [TIMEOUT], regexes: ["orderservice"] }, now);
      expect(ids(result)).toEqual([peaks.otherNamespace, peaks.byId, peaks.untraced, peaks.byRegex]);
      expect(result.total).toBe(4);
      expect(result.days).toBe(30);
      expect(result.from).toBe(daysAgo(30).toISOString());
      expect(result.peaks[1]).toEqual({
        id: peaks.byId,
        timestamp: daysAgo(2).toISOString(),
        namespace: "payments",
        rootCause: templates[TIMEOUT]!.example,
        knownIssueId: 1,
      });
      expect(result.peaks[0]!.knownIssueId).toBeNull();
    });

    it("matches regexes against templates too, and pattern ids alone", async () => {
      expect(ids(await previewMatches(db(), viewer, { regexes: ["^Connection refused to db <\\*>$"] }, now))).toEqual([
        peaks.otherNamespace,
        peaks.notRootCause,
        peaks.untracedSecond,
      ]);
      expect(ids(await previewMatches(db(), viewer, { patternIds: [NULL_POINTER] }, now))).toEqual([peaks.byRegex]);
    });

    it("narrows by namespace and app", async () => {
      const input = { patternIds: [TIMEOUT], regexes: ["orderservice"] };
      expect(ids(await previewMatches(db(), viewer, { ...input, namespace: "payments" }, now))).toEqual([peaks.byId, peaks.untraced, peaks.byRegex]);
      expect(ids(await previewMatches(db(), viewer, { ...input, namespace: "payments", appName: "api" }, now))).toEqual([peaks.byId, peaks.untraced]);
      expect(ids(await previewMatches(db(), viewer, { ...input, appName: "worker" }, now))).toEqual([peaks.byRegex]);
      expect((await previewMatches(db(), viewer, { ...input, namespace: "shipping" }, now)).total).toBe(0);
    });

    it("looks back the given number of days, at most 90", async () => {
      const result = await previewMatches(db(), viewer, { patternIds: [TIMEOUT], namespace: "payments", days: 60 }, now);
      expect(ids(result)).toEqual([peaks.byId, peaks.untraced, peaks.tooOld]);
      expect(ids(await previewMatches(db(), viewer, { patternIds: [TIMEOUT], namespace: "payments", days: 3 }, now))).toEqual([peaks.byId]);
      await expect(previewMatches(db(), viewer, { patternIds: [TIMEOUT], days: 91 }, now)).rejects.toThrow(/^days: /);
    });

    it("matches nothing without matchers and refuses an invalid regex by index", async () => {
      expect(await previewMatches(db(), viewer, {}, now)).toMatchObject({ total: 0, peaks: [] });
      await expect(previewMatches(db(), viewer, { regexes: ["ok", "[z-a]"] }, now)).rejects.toThrow(/^regexes\.1: "\[z-a\]" is not a valid regular expression/);
    });

    it("runs a pathological regex over a few hundred stored root causes promptly, matching none", async () => {
      // Root causes that make JavaScript's backtracking engine take exponential time on these
      // patterns; vitest's timeout is the guard. A control regex shows the rows are reached.
      const stored = storedInvestigation([TIMEOUT]);
      stored.rootCauses = stored.rootCauses.map((rootCause) => ({ ...rootCause, template: `${"a".repeat(5_000)}<*>`, example: `${"a".repeat(5_000)}!` }));
      const start = daysAgo(20).getTime();
      await db().prisma.peakInvestigation.createMany({
        data: Array.from({ length: 300 }, (_, index) => peakData(new Date(start + index * 900_000), "adversarial", { app: "api" }, stored)),
      });
      for (const regex of ["^(.|.){1,20}\\x01", "(a+)+$", "(a|aa)*c"]) {
        expect(await previewMatches(db(), viewer, { regexes: [regex], namespace: "adversarial" }, now), regex).toMatchObject({ total: 0, peaks: [] });
      }
      expect((await previewMatches(db(), viewer, { regexes: ["a{20}!$"], namespace: "adversarial" }, now)).total).toBe(300);
    });

    it("refuses, naming the field, a regex the linear-time engine cannot run", async () => {
      await expect(previewMatches(db(), viewer, { regexes: ["ok", "(a)\\1"] }, now)).rejects.toThrow(
        expect.objectContaining({
          constructor: InvalidInputError,
          details: [{ path: "regexes.1", message: '"(a)\\\\1" is not supported: backreferences cannot run in linear time' }],
        }),
      );
    });

    it("returns the first 50 and counts them all", async () => {
      for (let index = 0; index < 52; index += 1) {
        await createPeak(db().prisma, new Date(daysAgo(10).getTime() + index * 900_000), "billing", { app: "api", rootCauses: [NULL_POINTER] });
      }
      const result = await previewMatches(db(), viewer, { patternIds: [NULL_POINTER], namespace: "billing" }, now);
      expect(result.total).toBe(52);
      expect(result.peaks).toHaveLength(50);
      expect(result.peaks[0]!.timestamp).toBe(new Date(daysAgo(10).getTime() + 51 * 900_000).toISOString());
    });
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { cliActor, type Actor } from "@/lib/roles";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import type { StoredInvestigation } from "@/lib/peaks/contract";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import type { PrismaClient } from "@/lib/db/client";
import type { LogsLinkSettings } from "@/lib/logs-link";
import { peakActionRequestSchema, type ListPeaksInput } from "./contract";
import { findDecisionThresholds, getPeak, hasPeak } from "./detail";
import { listPeaks } from "./list";
import { acknowledge, addNote, applyPeakAction, attachToKnownIssue, createKnownIssueFromPeak, markFalsePositive, reopen, resolvePeak } from "./triage";

const t0 = new Date("2026-11-28T10:00:00Z");
const QUARTER = 15 * 60_000;
const quartersAfter = (quarters: number) => new Date(t0.getTime() + quarters * QUARTER);
/** values.yaml without links.logs_url_template. */
const noLinks: LogsLinkSettings = { template: null, windowMinutes: 15 };

const POOL = "9f1c2a7be0d44e01";
const GATEWAY = "9f1c2a7be0d44e02";
const NPE = "9f1c2a7be0d44e03";
const templates: Record<string, string> = {
  [POOL]: "HikariPool-1 - Connection is not available, request timed out after <*>ms",
  [GATEWAY]: "Upstream ledger returned 503 for POST /payments/<*>",
  [NPE]: "NullPointerException at OrderService.java:<*>",
};

function patternCount(patternId: string, count: number, start: number) {
  const template = templates[patternId]!;
  const example = template.replaceAll("<*>", "30000");
  return { patternId, template, count, errorType: "timeout", example, examples: [example], firstSeen: start + 1_000, lastSeen: start + 890_000 };
}

/** top_patterns as enrichment stores it; no root causes means the window had no trace. */
function storedInvestigation(start: number, rootCauseIds: string[], patternIds: string[]): StoredInvestigation {
  return {
    version: 1,
    documents: 1150,
    total: 1200,
    untraced: rootCauseIds.length === 0 ? 1150 : 4,
    traces: rootCauseIds.length === 0 ? 0 : 310,
    patterns: patternIds.map((patternId, index) => patternCount(patternId, 800 - index * 300, start)),
    rootCauses: rootCauseIds.map((patternId) => ({ ...patternCount(patternId, 700, start), traces: 300, share: 300 / 310 })),
    representativeTrace:
      rootCauseIds.length === 0
        ? null
        : {
            traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
            errors: [{ timestamp: start + 1_000, app: "payments-api", patternId: rootCauseIds[0]!, message: "HikariPool-1 - Connection is not available" }],
          },
    changed: [{ patternId: patternIds[0]!, template: templates[patternIds[0]!]!, usualPerWindow: 2.5, during: 800, growth: 320, isNew: false }],
    usual: [],
    usualPeriod: { fromMs: start - 86_400_000, toMs: start, windows: 96, sampled: 480, total: 480 },
    firstSeenPatterns: [],
  };
}

type PeakOptions = {
  namespace?: string;
  severity?: "low" | "medium" | "high" | "critical";
  status?: "open" | "acknowledged" | "known_issue" | "false_positive" | "resolved";
  app?: string | null;
  rootCauses?: string[];
  patterns?: string[];
  isEnriched?: boolean;
  knownIssueId?: number | null;
  knownPeakId?: number | null;
  continuesPeakId?: number | null;
};

async function createPeak(prisma: PrismaClient, timestamp: Date, options: PeakOptions = {}): Promise<number> {
  const rootCauses = options.rootCauses ?? [POOL];
  const investigation = storedInvestigation(timestamp.getTime(), rootCauses, options.patterns ?? [...rootCauses, GATEWAY]);
  const isEnriched = options.isEnriched ?? true;
  const peak = await prisma.peakInvestigation.create({
    data: {
      timestamp,
      namespace: options.namespace ?? "payments",
      dayOfWeek: 5,
      hourOfDay: timestamp.getUTCHours(),
      quarterHour: Math.floor(timestamp.getUTCMinutes() / 15),
      severity: options.severity ?? "high",
      status: options.status ?? "open",
      errorCount: 1200,
      baselineMean: 40,
      baselineStddev: 8.5,
      baselineSamples: 4,
      ratio: 30,
      requiredRatio: 3,
      average24h: 35.2,
      referenceCounts: [38, 41, 44, 37],
      thresholdsVersion: 2,
      continuesPeakId: options.continuesPeakId ?? null,
      knownIssueId: options.knownIssueId ?? null,
      knownPeakId: options.knownPeakId ?? null,
      ...(isEnriched
        ? {
            appName: options.app === undefined ? "payments-api" : options.app,
            errorType: "timeout",
            traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
            affectedServices: ["payments-api", "ledger"],
            rootCause: (investigation.rootCauses[0] ?? investigation.patterns[0])!.example,
            topPatterns: JSON.parse(JSON.stringify(investigation)) as object,
            enrichedAt: new Date(timestamp.getTime() + QUARTER),
          }
        : {}),
    },
    select: { id: true },
  });
  return peak.id;
}

async function createIssue(prisma: PrismaClient, fields: { title: string; status?: "active" | "resolved"; patternIds?: string[] }): Promise<number> {
  const issue = await prisma.knownIssue.create({
    data: {
      title: fields.title,
      status: fields.status ?? "active",
      patternIds: fields.patternIds ?? [POOL],
      regexes: ["connection is not available"],
      namespace: "payments",
      appName: null,
      link: "https://tracker.example.com/PAY-12",
    },
    select: { id: true },
  });
  return issue.id;
}

describe.each(databaseKinds)("peak triage on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;
  let analyst: Actor;
  let viewer: Actor;

  beforeEach(async () => {
    await prisma().$executeRawUnsafe(
      "TRUNCATE peak_notes, notification_deliveries, peak_investigation, peak_raw_data, aggregation_data, threshold_settings, known_peaks, known_issues, audit_log, users, window_corrections RESTART IDENTITY CASCADE",
    );
    const ana = await prisma().user.create({ data: { email: "ana@example.com", name: "Ana", role: "analyst" } });
    const vic = await prisma().user.create({ data: { email: "vic@example.com", role: "viewer" } });
    analyst = { kind: "user", id: ana.id, email: ana.email, name: ana.name, role: "analyst" };
    viewer = { kind: "user", id: vic.id, email: vic.email, name: null, role: "viewer" };
  });

  async function auditOf(peakId: number) {
    return prisma().auditLog.findMany({
      where: { entityType: "peak", entityId: String(peakId) },
      orderBy: { id: "asc" },
      select: { userId: true, actor: true, action: true, details: true },
    });
  }

  describe("listPeaks", () => {
    async function allPages(filter: ListPeaksInput, limit: number): Promise<{ ids: number[]; pages: number }> {
      const ids: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listPeaks(db(), viewer, { ...filter, limit, ...(cursor ? { cursor } : {}) });
        ids.push(...page.peaks.map((peak) => peak.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);
      return { ids, pages };
    }

    it("pages newest first without duplicates or gaps, ties broken by id", async () => {
      // Three namespaces share each window start, so most timestamps tie and only the id orders them.
      const created: { id: number; timestamp: number }[] = [];
      for (let quarter = 0; quarter < 9; quarter += 1) {
        for (const namespace of ["payments", "orders", "search"]) {
          const timestamp = quartersAfter(quarter);
          created.push({ id: await createPeak(prisma(), timestamp, { namespace }), timestamp: timestamp.getTime() });
        }
      }
      const expected = [...created].sort((left, right) => right.timestamp - left.timestamp || right.id - left.id).map((peak) => peak.id);

      const { ids, pages } = await allPages({}, 4);
      expect(ids).toEqual(expected);
      expect(new Set(ids).size).toBe(27);
      expect(pages).toBe(7);

      const single = await listPeaks(db(), viewer, { limit: 27 });
      expect(single.peaks).toHaveLength(27);
      expect(single.nextCursor).toBeNull();
    });

    it("keeps the next page stable when newer peaks arrive between pages", async () => {
      for (let quarter = 0; quarter < 6; quarter += 1) await createPeak(prisma(), quartersAfter(quarter));
      const first = await listPeaks(db(), viewer, { limit: 3 });
      expect(first.peaks.map((peak) => peak.id)).toEqual([6, 5, 4]);
      await createPeak(prisma(), quartersAfter(10));
      const second = await listPeaks(db(), viewer, { limit: 3, cursor: first.nextCursor! });
      expect(second.peaks.map((peak) => peak.id)).toEqual([3, 2, 1]);
      expect(second.nextCursor).toBeNull();
    });

    it("returns the summary fields with the known issue and the regression", async () => {
      const issueId = await createIssue(prisma(), { title: "Pool exhaustion" });
      const knownPeak = await prisma().knownPeak.create({ data: { title: "Ledger 503s", solution: "Scaled the ledger", patternIds: [GATEWAY], regexes: [] } });
      const first = await createPeak(prisma(), quartersAfter(0), { knownIssueId: issueId, knownPeakId: knownPeak.id });
      await createPeak(prisma(), quartersAfter(1), { continuesPeakId: first, isEnriched: false });
      const { peaks } = await listPeaks(db(), viewer, {});
      expect(peaks).toEqual([
        {
          id: 2,
          timestamp: quartersAfter(1).toISOString(),
          namespace: "payments",
          severity: "high",
          status: "open",
          errorCount: 1200,
          baselineMean: 40,
          ratio: 30,
          rootCause: null,
          errorType: null,
          appName: null,
          knownIssue: null,
          regressionOf: null,
          continuesPeakId: 1,
        },
        {
          id: 1,
          timestamp: quartersAfter(0).toISOString(),
          namespace: "payments",
          severity: "high",
          status: "open",
          errorCount: 1200,
          baselineMean: 40,
          ratio: 30,
          rootCause: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
          errorType: "timeout",
          appName: "payments-api",
          knownIssue: { id: issueId, title: "Pool exhaustion" },
          regressionOf: { id: knownPeak.id, title: "Ledger 503s" },
          continuesPeakId: null,
        },
      ]);
    });

    it("filters by status, severity, namespace, label and time range, alone and combined", async () => {
      const issueId = await createIssue(prisma(), { title: "Pool exhaustion" });
      const knownPeak = await prisma().knownPeak.create({ data: { title: "Ledger 503s", solution: "Scaled", patternIds: [GATEWAY], regexes: [] } });
      const openPayments = await createPeak(prisma(), quartersAfter(0), { namespace: "payments", severity: "critical" });
      const ackOrders = await createPeak(prisma(), quartersAfter(1), { namespace: "orders", status: "acknowledged", severity: "low" });
      const knownPayments = await createPeak(prisma(), quartersAfter(2), { namespace: "payments", status: "known_issue", knownIssueId: issueId });
      const regressionSearch = await createPeak(prisma(), quartersAfter(3), { namespace: "search", knownPeakId: knownPeak.id, severity: "critical" });
      const resolvedOrders = await createPeak(prisma(), quartersAfter(4), { namespace: "orders", status: "resolved" });
      const ids = async (filter: ListPeaksInput) => (await listPeaks(db(), viewer, filter)).peaks.map((peak) => peak.id);

      expect(await ids({ status: ["open"] })).toEqual([regressionSearch, openPayments]);
      expect(await ids({ status: "acknowledged,resolved" })).toEqual([resolvedOrders, ackOrders]);
      expect(await ids({ severity: ["critical"] })).toEqual([regressionSearch, openPayments]);
      expect(await ids({ namespace: "orders,search" })).toEqual([resolvedOrders, regressionSearch, ackOrders]);
      expect(await ids({ label: "known" })).toEqual([knownPayments]);
      expect(await ids({ label: "regression" })).toEqual([regressionSearch]);
      expect(await ids({ label: "unknown" })).toEqual([resolvedOrders, ackOrders, openPayments]);
      // from inclusive, to exclusive.
      expect(await ids({ from: quartersAfter(1).toISOString(), to: quartersAfter(3).toISOString() })).toEqual([knownPayments, ackOrders]);
      expect(await ids({ namespace: ["payments"], severity: ["critical", "high"], label: "unknown" })).toEqual([openPayments]);
    });

    it("refuses a page over 200, an unknown status, a made-up cursor and an empty range", async () => {
      await expect(listPeaks(db(), viewer, { limit: 201 })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(listPeaks(db(), viewer, { status: "open,closed" })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(listPeaks(db(), viewer, { cursor: "not-a-cursor" })).rejects.toThrow("cursor: is not a cursor this API returned");
      await expect(listPeaks(db(), viewer, { from: quartersAfter(2).toISOString(), to: quartersAfter(1).toISOString() })).rejects.toThrow(
        "to: must be after from",
      );
    });

    it("pages through 5,000 peaks in order in pages of 200", async () => {
      const namespaces = ["payments", "orders", "search", "checkout", "auth"];
      await prisma().peakInvestigation.createMany({
        data: Array.from({ length: 5_000 }, (_, index) => ({
          timestamp: quartersAfter(Math.floor(index / namespaces.length)),
          namespace: namespaces[index % namespaces.length]!,
          dayOfWeek: 5,
          hourOfDay: 10,
          quarterHour: 0,
          severity: index % 7 === 0 ? ("critical" as const) : ("medium" as const),
          errorCount: 100 + index,
          baselineMean: 10,
          baselineStddev: 2,
          baselineSamples: 4,
          ratio: 10,
          requiredRatio: 3,
          average24h: 9,
          referenceCounts: [9, 10, 11],
        })),
      });
      const { ids, pages } = await allPages({}, 200);
      expect(pages).toBe(25);
      expect(new Set(ids).size).toBe(5_000);
      // Created in timestamp order, so newest first is the ids descending.
      expect(ids).toEqual(Array.from({ length: 5_000 }, (_, index) => 5_000 - index));
      const critical = await allPages({ severity: ["critical"], namespace: ["payments", "orders"] }, 200);
      expect(critical.ids).toHaveLength(Array.from({ length: 5_000 }, (_, index) => index).filter((index) => index % 7 === 0 && index % 5 < 2).length);
    });
  });

  describe("getPeak", () => {
    it("returns the decision inputs, investigation, plateau, labels, deliveries, notes and audit trail", async () => {
      const issueId = await createIssue(prisma(), { title: "Pool exhaustion" });
      const knownPeak = await prisma().knownPeak.create({
        data: { title: "Ledger 503s", description: "Ledger overload", solution: "Scaled the ledger to 6 pods", patternIds: [GATEWAY], regexes: [], link: null },
      });
      const first = await createPeak(prisma(), quartersAfter(0), { knownIssueId: issueId, knownPeakId: knownPeak.id });
      const second = await createPeak(prisma(), quartersAfter(1), { continuesPeakId: first });
      const third = await createPeak(prisma(), quartersAfter(2), { continuesPeakId: first });
      await prisma().peakInvestigation.update({
        where: { id: first },
        data: { aiSummary: "The payments pool ran dry.", aiNextSteps: ["Check pool size"], aiModel: "gpt-test", aiAnalyzedAt: quartersAfter(1) },
      });
      await prisma().notificationDelivery.create({
        data: {
          channel: "slack",
          dedupeKey: `peak:${first}:slack`,
          peakId: first,
          status: "failed",
          attempts: 3,
          lastError: "HTTP 500",
          payload: { text: "peak" },
        },
      });
      await prisma().notificationDelivery.create({
        data: { channel: "webhook", dedupeKey: `peak:${first}:webhook`, peakId: first, status: "sent", attempts: 1, sentAt: quartersAfter(1), payload: {} },
      });
      await acknowledge(db(), analyst, first);
      await addNote(db(), analyst, first, { text: "Pool max is 10; raising it." });
      await addNote(db(), cliActor, first, { text: "Deployed pool size 30." });

      const peak = await getPeak(db(), viewer, first, noLinks);
      expect(peak).toMatchObject({
        id: first,
        timestamp: quartersAfter(0).toISOString(),
        status: "acknowledged",
        dayOfWeek: 5,
        hourOfDay: 10,
        quarterHour: 0,
        decision: {
          errorCount: 1200,
          baselineMean: 40,
          baselineStddev: 8.5,
          baselineSamples: 4,
          ratio: 30,
          requiredRatio: 3,
          average24h: 35.2,
          referenceCounts: [38, 41, 44, 37],
          thresholdsVersion: 2,
        },
        enrichment: {
          enrichedAt: quartersAfter(1).toISOString(),
          traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
          appName: "payments-api",
          affectedServices: ["payments-api", "ledger"],
          rootCause: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
        },
        ai: {
          summary: "The payments pool ran dry.",
          nextSteps: ["Check pool size"],
          model: "gpt-test",
          error: null,
          analyzedAt: quartersAfter(1).toISOString(),
        },
        plateau: {
          first: { id: first, timestamp: quartersAfter(0).toISOString() },
          continuations: [
            { id: second, timestamp: quartersAfter(1).toISOString() },
            { id: third, timestamp: quartersAfter(2).toISOString() },
          ],
        },
        knownIssue: { id: issueId, title: "Pool exhaustion", status: "active", link: "https://tracker.example.com/PAY-12" },
        regressionOf: { id: knownPeak.id, title: "Ledger 503s", solution: "Scaled the ledger to 6 pods", description: "Ledger overload" },
      });
      const investigation = peak.enrichment.investigation!;
      expect(investigation.rootCauses.map((cause) => [cause.patternId, cause.traces])).toEqual([[POOL, 300]]);
      expect(investigation.patterns.map((pattern) => [pattern.patternId, pattern.count])).toEqual([
        [POOL, 800],
        [GATEWAY, 500],
      ]);
      expect(investigation.representativeTrace?.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
      expect(investigation.changed[0]).toMatchObject({ patternId: POOL, growth: 320 });
      expect(peak.deliveries).toMatchObject([
        { channel: "slack", status: "failed", attempts: 3, lastError: "HTTP 500", sentAt: null },
        { channel: "webhook", status: "sent", attempts: 1, lastError: null, sentAt: quartersAfter(1).toISOString() },
      ]);
      expect(peak.notes.map((note) => [note.actor, note.text])).toEqual([
        ["cli", "Deployed pool size 30."],
        ["ana@example.com", "Pool max is 10; raising it."],
      ]);
      expect(peak.audit.map((entry) => [entry.actor, entry.action])).toEqual([
        ["cli", "peak.note"],
        ["ana@example.com", "peak.note"],
        ["ana@example.com", "peak.acknowledge"],
      ]);
      expect(peak.audit[2]!.details).toEqual({ from: "open", to: "acknowledged" });

      expect(peak.logLinks).toEqual({ window: null, traces: {} });
      const linked = await getPeak(db(), viewer, first, {
        template: "https://kibana.example.com/app/discover#/?ns={namespace}&from={from}&to={to}&trace={trace_id}",
        windowMinutes: 15,
      });
      const range = `from=${encodeURIComponent(quartersAfter(0).toISOString())}&to=${encodeURIComponent(quartersAfter(1).toISOString())}`;
      expect(linked.logLinks).toEqual({
        window: `https://kibana.example.com/app/discover#/?ns=payments&${range}&trace=`,
        traces: { "4bf92f3577b34da6a3ce929d0e0e4736": `https://kibana.example.com/app/discover#/?ns=payments&${range}&trace=4bf92f3577b34da6a3ce929d0e0e4736` },
      });

      const continuation = await getPeak(db(), viewer, third, noLinks);
      expect(continuation.plateau?.first.id).toBe(first);
      expect(continuation.plateau?.continuations.map((peak) => peak.id)).toEqual([second, third]);
      expect(continuation.deliveries).toEqual([]);
      expect(continuation.notes).toEqual([]);
    });

    it("gives a lone, unenriched peak no plateau and no investigation, and a damaged top_patterns part its fallback", async () => {
      const lone = await createPeak(prisma(), quartersAfter(0), { isEnriched: false });
      const peak = await getPeak(db(), viewer, lone, noLinks);
      expect(peak.plateau).toBeNull();
      expect(peak.enrichment).toMatchObject({ enrichedAt: null, investigation: null, rootCause: null });

      await prisma().peakInvestigation.update({
        where: { id: lone },
        data: { topPatterns: { version: 1, documents: 12, patterns: "broken", rootCauses: [] } },
      });
      const damaged = await getPeak(db(), viewer, lone, noLinks);
      expect(damaged.enrichment.investigation).toMatchObject({ documents: 12, patterns: [], rootCauses: [], usualPeriod: null });
    });

    it("gives the corrections of the peak's window, newest first, and none of other windows or namespaces", async () => {
      const peakId = await createPeak(prisma(), quartersAfter(0));
      const correction = (at: Date, overrides: object) => ({
        timestamp: quartersAfter(0),
        namespace: "payments",
        previousCount: 180,
        count: 212,
        wasPeak: false,
        isPeak: true,
        reason: "recount",
        peakId,
        correctedAt: at,
        ...overrides,
      });
      await prisma().windowCorrection.createMany({
        data: [
          correction(quartersAfter(1), {}),
          correction(quartersAfter(3), { previousCount: 212, count: 1200, wasPeak: true, reason: "reread" }),
          correction(quartersAfter(2), { namespace: "orders" }),
          correction(quartersAfter(2), { timestamp: quartersAfter(1) }),
        ],
      });
      const peak = await getPeak(db(), viewer, peakId, noLinks);
      expect(peak.corrections).toEqual([
        { previousCount: 212, count: 1200, wasPeak: true, isPeak: true, reason: "reread", correctedAt: quartersAfter(3).toISOString() },
        { previousCount: 180, count: 212, wasPeak: false, isPeak: true, reason: "recount", correctedAt: quartersAfter(1).toISOString() },
      ]);
      const other = await createPeak(prisma(), quartersAfter(8));
      expect((await getPeak(db(), viewer, other, noLinks)).corrections).toEqual([]);
    });

    it("throws NotFoundError for a missing peak", async () => {
      await expect(getPeak(db(), viewer, 999, noLinks)).rejects.toThrow(new NotFoundError("Peak 999 does not exist"));
    });

    it("tells whether a peak exists, for a signed-in user only", async () => {
      const peakId = await createPeak(prisma(), quartersAfter(0));
      expect(await hasPeak(db(), viewer, peakId)).toBe(true);
      expect(await hasPeak(db(), viewer, peakId + 1)).toBe(false);
      await expect(hasPeak(db(), viewer, 2_147_483_648)).rejects.toBeInstanceOf(InvalidInputError);
      await expect(hasPeak(db(), null, peakId)).rejects.toBeInstanceOf(UnauthenticatedError);
    });

    it("tells a pooled baseline from the slot's own, links the namespace's neighbours, and reads the thresholds version", async () => {
      const young = await createPeak(prisma(), quartersAfter(0));
      const pooled = await createPeak(prisma(), quartersAfter(4));
      await createPeak(prisma(), quartersAfter(2), { namespace: "orders" });
      const pooledPeak = await prisma().peakInvestigation.update({
        where: { id: pooled },
        data: { baselineSamples: 20 },
        select: { dayOfWeek: true, hourOfDay: true, quarterHour: true },
      });
      const slot = { namespace: "payments", ...pooledPeak };
      // The slot holds 5 samples now; the peak's window and two later weeks added 3 of them, so it had 2 of its own.
      await prisma().aggregationData.create({ data: { ...slot, mean: 40, stddev: 8, samples: 5 } });
      await prisma().peakRawData.createMany({
        data: [0, 1, 2].map((week) => ({
          ...slot,
          timestamp: new Date(quartersAfter(4).getTime() + week * 7 * 86_400_000),
          errorCount: 50,
          baselineValue: 50,
        })),
      });

      const peak = await getPeak(db(), viewer, pooled, noLinks);
      expect(peak.decision.baselineSource).toBe("pooled");
      expect(peak.neighbours).toEqual({ previous: { id: young, timestamp: quartersAfter(0).toISOString() }, next: null });
      // Fewer samples than a pool needs were the slot's own, whatever is stored.
      expect((await getPeak(db(), viewer, young, noLinks)).decision.baselineSource).toBe("slot");
      expect((await getPeak(db(), viewer, young, noLinks)).neighbours).toEqual({
        previous: null,
        next: { id: pooled, timestamp: quartersAfter(4).toISOString() },
      });
      await prisma().aggregationData.updateMany({ where: slot, data: { samples: 7 } });
      expect((await getPeak(db(), viewer, pooled, noLinks)).decision.baselineSource).toBe("slot");
      // Once retention removed the peak's window, the samples since cannot be counted.
      await prisma().peakRawData.deleteMany({ where: { timestamp: quartersAfter(4) } });
      expect((await getPeak(db(), viewer, pooled, noLinks)).decision.baselineSource).toBeNull();

      const defaults = {
        min_ratio_multiplier: 3,
        max_ratio_multiplier: 5,
        dynamic_min_multiplier: 2.5,
        min_absolute_value: 100,
        same_day_window_count: 3,
        same_day_min_ratio: 0,
        tail_probability: 1e-5,
      };
      const saved = await prisma().thresholdSetting.create({ data: { values: { ...defaults, min_absolute_value: 250 } } });
      expect(await findDecisionThresholds(db(), viewer, null, defaults)).toEqual({ ...defaults, version: null });
      expect(await findDecisionThresholds(db(), viewer, saved.id, defaults)).toEqual({ ...defaults, min_absolute_value: 250, version: saved.id });
      expect(await findDecisionThresholds(db(), viewer, saved.id + 1, defaults)).toBeNull();
    });
  });

  describe("status actions", () => {
    it("acknowledges an open peak once and audits who did it", async () => {
      const id = await createPeak(prisma(), quartersAfter(0));
      const peak = await acknowledge(db(), analyst, id);
      expect(peak.status).toBe("acknowledged");
      expect(await auditOf(id)).toEqual([
        {
          userId: analyst.kind === "user" ? analyst.id : null,
          actor: "ana@example.com",
          action: "peak.acknowledge",
          details: { from: "open", to: "acknowledged" },
        },
      ]);
      await expect(acknowledge(db(), analyst, id)).rejects.toThrow(new ConflictError(`Peak ${id} is already acknowledged`));
      expect(await auditOf(id)).toHaveLength(1);
    });

    it("marks a false positive with its reason, refuses resolving it, and reopens it", async () => {
      const id = await createPeak(prisma(), quartersAfter(0), { status: "acknowledged" });
      expect((await markFalsePositive(db(), analyst, id, { reason: "Load test in staging" })).status).toBe("false_positive");
      await expect(markFalsePositive(db(), analyst, id)).rejects.toThrow(new ConflictError(`Peak ${id} is already marked as a false positive`));
      await expect(resolvePeak(db(), analyst, id, { solution: "n/a" })).rejects.toThrow(
        new ConflictError(`Peak ${id} is marked as a false positive; reopen it before resolving it`),
      );
      await expect(acknowledge(db(), analyst, id)).rejects.toThrow(
        new ConflictError(`Peak ${id} is marked as a false positive; only an open peak can be acknowledged`),
      );
      expect((await reopen(db(), cliActor, id)).status).toBe("open");
      await expect(reopen(db(), analyst, id)).rejects.toThrow(new ConflictError(`Peak ${id} is already open`));
      expect(await auditOf(id)).toEqual([
        {
          userId: analyst.kind === "user" ? analyst.id : null,
          actor: "ana@example.com",
          action: "peak.false_positive",
          details: { from: "acknowledged", to: "false_positive", reason: "Load test in staging" },
        },
        { userId: null, actor: "cli", action: "peak.reopen", details: { from: "false_positive", to: "open" } },
      ]);
    });

    it("lets viewers read but not act, and refuses actions on a missing peak", async () => {
      const id = await createPeak(prisma(), quartersAfter(0));
      await expect(acknowledge(db(), viewer, id)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(addNote(db(), viewer, id, { text: "hi" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(resolvePeak(db(), viewer, id, { solution: "x" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(applyPeakAction(db(), viewer, id, { action: "reopen" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(acknowledge(db(), analyst, 999)).rejects.toThrow(new NotFoundError("Peak 999 does not exist"));
      await expect(addNote(db(), analyst, 999, { text: "hi" })).rejects.toBeInstanceOf(NotFoundError);
      expect((await getPeak(db(), viewer, id, noLinks)).status).toBe("open");
      expect(await prisma().auditLog.count()).toBe(0);
    });
  });

  describe("known issues", () => {
    it("attaches a peak to an active issue, and refuses a resolved, missing or the same issue", async () => {
      const activeId = await createIssue(prisma(), { title: "Pool exhaustion" });
      const resolvedId = await createIssue(prisma(), { title: "Old bug", status: "resolved" });
      const id = await createPeak(prisma(), quartersAfter(0));
      const { peak } = await attachToKnownIssue(db(), analyst, id, { knownIssueId: activeId });
      expect(peak).toMatchObject({ status: "known_issue", knownIssue: { id: activeId, title: "Pool exhaustion" } });
      expect(await auditOf(id)).toEqual([
        {
          userId: analyst.kind === "user" ? analyst.id : null,
          actor: "ana@example.com",
          action: "peak.mark_known_issue",
          details: { from: "open", to: "known_issue", knownIssueId: activeId, title: "Pool exhaustion", previousKnownIssueId: null, labelledPeakIds: [] },
        },
      ]);
      await expect(attachToKnownIssue(db(), analyst, id, { knownIssueId: activeId })).rejects.toThrow(
        new ConflictError(`Peak ${id} is already attached to known issue ${activeId}`),
      );
      await expect(attachToKnownIssue(db(), analyst, id, { knownIssueId: resolvedId })).rejects.toBeInstanceOf(ConflictError);
      await expect(attachToKnownIssue(db(), analyst, id, { knownIssueId: 999 })).rejects.toThrow(new NotFoundError("Known issue 999 does not exist"));
      expect(await auditOf(id)).toHaveLength(1);
    });

    it("creates a known issue from the peak's root-cause pattern ids in the namespace-and-app scope", async () => {
      const id = await createPeak(prisma(), quartersAfter(0), { rootCauses: [POOL, NPE], patterns: [POOL, GATEWAY, NPE] });
      const { peak } = await createKnownIssueFromPeak(db(), analyst, id, {
        title: "Pool exhaustion in payments-api",
        description: "Connections leak under load",
        link: "https://tracker.example.com/PAY-99",
        scope: "namespace_and_app",
      });
      const issue = await prisma().knownIssue.findUniqueOrThrow({ where: { id: peak.knownIssue!.id } });
      expect(issue).toMatchObject({
        title: "Pool exhaustion in payments-api",
        description: "Connections leak under load",
        patternIds: [POOL, NPE],
        regexes: [],
        namespace: "payments",
        appName: "payments-api",
        link: "https://tracker.example.com/PAY-99",
        status: "active",
        createdById: analyst.kind === "user" ? analyst.id : null,
      });
      expect(peak.status).toBe("known_issue");
      const audit = await auditOf(id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor: "ana@example.com",
        action: "peak.mark_known_issue",
        details: { from: "open", to: "known_issue", knownIssueId: issue.id, created: true, scope: "namespace_and_app", patternIds: [POOL, NPE] },
      });
      expect(await prisma().auditLog.count({ where: { action: "known_issue.create", entityId: String(issue.id) } })).toBe(1);
    });

    it("falls back to the top pattern for an untraced window and scopes it everywhere", async () => {
      const id = await createPeak(prisma(), quartersAfter(0), { rootCauses: [], patterns: [GATEWAY, POOL] });
      const { peak } = await createKnownIssueFromPeak(db(), analyst, id, { title: "Ledger 503s", scope: "everywhere" });
      const issue = await prisma().knownIssue.findUniqueOrThrow({ where: { id: peak.knownIssue!.id } });
      expect(issue).toMatchObject({ patternIds: [GATEWAY], namespace: null, appName: null, description: null, link: null });
    });

    it("refuses a peak that is not enriched, and the app scope for a peak without an app, writing nothing", async () => {
      const bare = await createPeak(prisma(), quartersAfter(0), { isEnriched: false });
      await expect(createKnownIssueFromPeak(db(), analyst, bare, { title: "x", scope: "namespace" })).rejects.toThrow(
        new InvalidInputError(`Peak ${bare} has no error patterns yet; enrich it first (peaks enrich --peak-id ${bare})`),
      );
      const appless = await createPeak(prisma(), quartersAfter(1), { app: null });
      await expect(createKnownIssueFromPeak(db(), analyst, appless, { title: "x", scope: "namespace_and_app" })).rejects.toBeInstanceOf(InvalidInputError);
      expect(await prisma().knownIssue.count()).toBe(0);
      expect(await prisma().auditLog.count()).toBe(0);
    });
  });

  describe("labelling the other open peaks of a known issue", () => {
    async function statusOf(id: number) {
      return prisma().peakInvestigation.findUniqueOrThrow({ where: { id }, select: { status: true, knownIssueId: true } });
    }

    it("labels the open, enriched, unlabelled peaks with the same root cause, each audited, and leaves the rest alone", async () => {
      const otherIssue = await createIssue(prisma(), { title: "Old pool bug", patternIds: [NPE] });
      // Scoped to an app, so for that app's peaks it wins over a namespace-wide issue.
      await prisma().knownIssue.create({ data: { title: "Checkout pool", patternIds: [POOL], regexes: [], namespace: "payments", appName: "checkout-api" } });
      const source = await createPeak(prisma(), quartersAfter(0), { rootCauses: [POOL, NPE] });
      const sameCause = await createPeak(prisma(), quartersAfter(1), { rootCauses: [POOL] });
      const amongCauses = await createPeak(prisma(), quartersAfter(2), { rootCauses: [GATEWAY, POOL] });
      const untraced = await createPeak(prisma(), quartersAfter(3), { rootCauses: [], patterns: [POOL, GATEWAY] });
      const otherCause = await createPeak(prisma(), quartersAfter(4), { rootCauses: [GATEWAY] });
      const otherNamespace = await createPeak(prisma(), quartersAfter(5), { namespace: "orders" });
      const acknowledged = await createPeak(prisma(), quartersAfter(6), { status: "acknowledged" });
      const alreadyLabelled = await createPeak(prisma(), quartersAfter(7), { knownIssueId: otherIssue });
      const bare = await createPeak(prisma(), quartersAfter(8), { isEnriched: false });
      const moreSpecific = await createPeak(prisma(), quartersAfter(9), { app: "checkout-api" });

      await expect(createKnownIssueFromPeak(db(), analyst, source, { title: "x", scope: "namespace", patternIds: [GATEWAY] })).rejects.toThrow(
        `patternIds: not a root-cause pattern of peak ${source}: ${GATEWAY}`,
      );
      const { peak, labelled } = await createKnownIssueFromPeak(db(), analyst, source, {
        title: "Pool exhaustion",
        scope: "namespace",
        patternIds: [POOL],
      });
      const issueId = peak.knownIssue!.id;
      expect(await prisma().knownIssue.findUniqueOrThrow({ where: { id: issueId } })).toMatchObject({
        patternIds: [POOL],
        namespace: "payments",
        appName: null,
      });
      expect(labelled).toEqual([
        { id: sameCause, timestamp: quartersAfter(1).toISOString(), namespace: "payments" },
        { id: amongCauses, timestamp: quartersAfter(2).toISOString(), namespace: "payments" },
        { id: untraced, timestamp: quartersAfter(3).toISOString(), namespace: "payments" },
      ]);
      for (const id of [sameCause, amongCauses, untraced]) {
        expect(await statusOf(id)).toEqual({ status: "known_issue", knownIssueId: issueId });
        expect(await auditOf(id)).toEqual([
          {
            userId: analyst.kind === "user" ? analyst.id : null,
            actor: "ana@example.com",
            action: "peak.label_matching",
            details: { from: "open", to: "known_issue", knownIssueId: issueId, title: "Pool exhaustion", sourcePeakId: source },
          },
        ]);
      }
      expect(await statusOf(otherCause)).toEqual({ status: "open", knownIssueId: null });
      expect(await statusOf(otherNamespace)).toEqual({ status: "open", knownIssueId: null });
      expect(await statusOf(acknowledged)).toEqual({ status: "acknowledged", knownIssueId: null });
      expect(await statusOf(alreadyLabelled)).toEqual({ status: "open", knownIssueId: otherIssue });
      expect(await statusOf(bare)).toEqual({ status: "open", knownIssueId: null });
      expect(await statusOf(moreSpecific)).toEqual({ status: "open", knownIssueId: null });
      for (const id of [otherCause, otherNamespace, acknowledged, alreadyLabelled, bare, moreSpecific]) expect(await auditOf(id)).toEqual([]);
      expect((await auditOf(source))[0]?.details).toMatchObject({ created: true, labelledPeakIds: [sameCause, amongCauses, untraced] });
    });

    it("labels none when attaching with labelMatching false, and the matching ones when attaching with the default", async () => {
      const issueId = await createIssue(prisma(), { title: "Pool exhaustion", patternIds: [POOL] });
      const first = await createPeak(prisma(), quartersAfter(0));
      const sameCause = await createPeak(prisma(), quartersAfter(1));
      const second = await createPeak(prisma(), quartersAfter(2), { rootCauses: [NPE] });

      const quiet = await applyPeakAction(db(), analyst, first, { action: "attach_known_issue", knownIssueId: issueId, labelMatching: false });
      expect(quiet.labelled).toEqual([]);
      expect(await statusOf(sameCause)).toEqual({ status: "open", knownIssueId: null });
      expect((await auditOf(first))[0]?.details).not.toHaveProperty("labelledPeakIds");

      const loud = await applyPeakAction(db(), analyst, second, { action: "attach_known_issue", knownIssueId: issueId });
      expect(loud.labelled?.map((peak) => peak.id)).toEqual([sameCause]);
      expect(await statusOf(sameCause)).toEqual({ status: "known_issue", knownIssueId: issueId });
      expect((await auditOf(sameCause)).map((entry) => entry.action)).toEqual(["peak.label_matching"]);
      expect(await prisma().auditLog.count({ where: { action: "peak.label_matching" } })).toBe(1);
    });
  });

  describe("resolvePeak", () => {
    it("resolves the peak's known issue and keeps it as a known peak with the solution", async () => {
      const issueId = await createIssue(prisma(), { title: "Pool exhaustion", patternIds: [POOL, NPE] });
      const id = await createPeak(prisma(), quartersAfter(0), { status: "known_issue", knownIssueId: issueId });
      const { peak, knownPeakId } = await resolvePeak(db(), analyst, id, { solution: "Raised the pool to 30 connections" });
      expect(peak.status).toBe("resolved");
      expect(await prisma().knownIssue.findUniqueOrThrow({ where: { id: issueId } })).toMatchObject({ status: "resolved", resolvedAt: expect.any(Date) });
      expect(await prisma().knownPeak.findUniqueOrThrow({ where: { id: knownPeakId } })).toMatchObject({
        title: "Pool exhaustion",
        solution: "Raised the pool to 30 connections",
        patternIds: [POOL, NPE],
        regexes: ["connection is not available"],
        namespace: "payments",
        appName: null,
        link: "https://tracker.example.com/PAY-12",
        knownIssueId: issueId,
        resolvedById: analyst.kind === "user" ? analyst.id : null,
      });
      expect(await auditOf(id)).toEqual([
        {
          userId: analyst.kind === "user" ? analyst.id : null,
          actor: "ana@example.com",
          action: "peak.resolve",
          details: {
            from: "known_issue",
            to: "resolved",
            solution: "Raised the pool to 30 connections",
            knownPeakId,
            knownIssueId: issueId,
            resolvedKnownIssue: true,
          },
        },
      ]);
      expect(await prisma().auditLog.count({ where: { action: "known_issue.resolve", entityId: String(issueId) } })).toBe(1);
      await expect(resolvePeak(db(), analyst, id, { solution: "again" })).rejects.toThrow(new ConflictError(`Peak ${id} is already resolved`));
      expect(await prisma().knownPeak.count()).toBe(1);
    });

    it("reuses the known peak when the issue was already resolved elsewhere", async () => {
      const issueId = await createIssue(prisma(), { title: "Pool exhaustion", status: "resolved" });
      const existing = await prisma().knownPeak.create({
        data: { title: "Pool exhaustion", solution: "Pool 30", patternIds: [POOL], regexes: [], knownIssueId: issueId },
      });
      const id = await createPeak(prisma(), quartersAfter(0), { knownIssueId: issueId });
      const { knownPeakId } = await resolvePeak(db(), analyst, id, { solution: "Same fix" });
      expect(knownPeakId).toBe(existing.id);
      expect(await prisma().knownPeak.count()).toBe(1);
      expect((await auditOf(id))[0]?.details).toMatchObject({ resolvedKnownIssue: false, knownPeakId: existing.id });
    });

    it("creates a known peak from the root-cause patterns of a peak without a known issue", async () => {
      const id = await createPeak(prisma(), quartersAfter(0), { status: "acknowledged", rootCauses: [NPE] });
      const { peak, knownPeakId } = await resolvePeak(db(), cliActor, id, { solution: "Null check in OrderService" });
      expect(peak.status).toBe("resolved");
      expect(await prisma().knownPeak.findUniqueOrThrow({ where: { id: knownPeakId } })).toMatchObject({
        title: "NullPointerException at OrderService.java:30000",
        solution: "Null check in OrderService",
        patternIds: [NPE],
        namespace: "payments",
        appName: null,
        knownIssueId: null,
        resolvedById: null,
      });
      expect(await prisma().knownIssue.count()).toBe(0);
    });

    it("refuses to resolve an unenriched peak without a known issue", async () => {
      const id = await createPeak(prisma(), quartersAfter(0), { isEnriched: false });
      await expect(resolvePeak(db(), analyst, id, { solution: "x" })).rejects.toBeInstanceOf(InvalidInputError);
      expect((await getPeak(db(), viewer, id, noLinks)).status).toBe("open");
      expect(await prisma().knownPeak.count()).toBe(0);
    });
  });

  describe("notes and the actions request", () => {
    it("adds a note by its author, audits it, refuses empty or long text, and deletes notes with the peak", async () => {
      const id = await createPeak(prisma(), quartersAfter(0));
      const note = await addNote(db(), analyst, id, { text: "  Looks like the Friday batch.  " });
      expect(note).toMatchObject({ text: "Looks like the Friday batch.", actor: "ana@example.com" });
      expect(await prisma().peakNote.findUniqueOrThrow({ where: { id: note.id } })).toMatchObject({
        peakId: id,
        authorId: analyst.kind === "user" ? analyst.id : null,
      });
      expect(await auditOf(id)).toEqual([
        {
          userId: analyst.kind === "user" ? analyst.id : null,
          actor: "ana@example.com",
          action: "peak.note",
          details: { noteId: note.id, text: "Looks like the Friday batch." },
        },
      ]);
      expect((await getPeak(db(), viewer, id, noLinks)).status).toBe("open");
      await expect(addNote(db(), analyst, id, { text: "   " })).rejects.toThrow("text: must not be empty");
      await expect(addNote(db(), analyst, id, { text: "x".repeat(4001) })).rejects.toBeInstanceOf(InvalidInputError);
      // The database holds the same bound for writers that bypass the module.
      await expect(prisma().peakNote.create({ data: { peakId: id, actor: "cli", text: "x".repeat(4001) } })).rejects.toThrow();
      await prisma().peakInvestigation.delete({ where: { id } });
      expect(await prisma().peakNote.count()).toBe(0);
    });

    it("parses the route's body with the path id and dispatches each action", async () => {
      const issueId = await createIssue(prisma(), { title: "Pool exhaustion" });
      const id = await createPeak(prisma(), quartersAfter(0));
      const request = peakActionRequestSchema.parse({ id: String(id), action: "attach_known_issue", knownIssueId: String(issueId) });
      const { id: peakId, ...action } = request;
      expect((await applyPeakAction(db(), analyst, peakId, action)).peak.knownIssue).toEqual({ id: issueId, title: "Pool exhaustion" });
      const resolved = await applyPeakAction(db(), analyst, id, { action: "resolve", solution: "Pool 30" });
      expect(resolved.peak.status).toBe("resolved");
      expect(resolved.knownPeakId).toBeGreaterThan(0);
      expect((await applyPeakAction(db(), analyst, id, { action: "reopen" })).peak.status).toBe("open");
      expect(peakActionRequestSchema.safeParse({ id: "1", action: "delete" }).success).toBe(false);
      expect(peakActionRequestSchema.safeParse({ id: "1", action: "resolve" }).success).toBe(false);
      expect((await auditOf(id)).map((entry) => entry.action)).toEqual(["peak.mark_known_issue", "peak.resolve", "peak.reopen"]);
    });
  });
});

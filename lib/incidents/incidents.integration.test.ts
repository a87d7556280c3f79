import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig, type FrozenConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import type { LogsLinkSettings } from "@/lib/logs-link";
import type { FirstSeenPattern, StoredInvestigation } from "@/lib/peaks/contract";
import type { Actor } from "@/lib/roles";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { applyIncidentAction } from "./actions";
import { incidentActionRequestSchema } from "./contract";
import { getIncident, listIncidents } from "./list";
import { acknowledge as acknowledgeWindow, markFalsePositive as markWindowFalsePositive } from "@/lib/peaks/triage";
import { trackIncidents } from "./track";

const config: FrozenConfig = loadConfig(path.resolve("values.yaml"));
const WINDOW = config.window_minutes * 60_000;
const QUIET = config.incidents.auto_resolve_quiet_windows;
const t0 = new Date("2026-11-23T08:00:00Z");
const at = (windows: number) => new Date(t0.getTime() + windows * WINDOW);
const links: LogsLinkSettings = {
  template: "https://logs.example.com/discover?ns={namespace}&from={from}&to={to}&trace={trace_id}",
  windowMinutes: config.window_minutes,
};
const settings = { windowMinutes: config.window_minutes };

const POOL = "9f1c2a7be0d44e01";
const POOL_TEMPLATE = "HikariPool-1 - Connection is not available, request timed out after <*>ms";

function investigation(start: number, rootCauseIds: string[], firstSeenPatterns: FirstSeenPattern[] = []): StoredInvestigation {
  const pattern = (patternId: string) => ({
    patternId,
    template: POOL_TEMPLATE,
    count: 700,
    errorType: "timeout",
    example: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
    examples: ["HikariPool-1 - Connection is not available, request timed out after 30000ms"],
    firstSeen: start + 1_000,
    lastSeen: start + 890_000,
  });
  return {
    version: 1,
    documents: 700,
    total: 700,
    untraced: 4,
    traces: 300,
    patterns: rootCauseIds.map(pattern),
    rootCauses: rootCauseIds.map((patternId) => ({ ...pattern(patternId), traces: 300, share: 1 })),
    representativeTrace: { traceId: "4bf92f3577b34da6", errors: [] },
    changed: [],
    usual: [],
    usualPeriod: { fromMs: start - 86_400_000, toMs: start, windows: 96, sampled: 0, total: 0 },
    firstSeenPatterns,
  };
}

type WindowOptions = {
  namespace?: string;
  errorCount?: number;
  baselineMean?: number;
  ratio?: number;
  severity?: "low" | "high" | "critical";
  enriched?: boolean;
  firstSeen?: FirstSeenPattern[];
};

async function createWindow(prisma: PrismaClient, timestamp: Date, options: WindowOptions = {}): Promise<number> {
  const errorCount = options.errorCount ?? 400;
  const baselineMean = options.baselineMean ?? 40;
  const enriched = options.enriched ?? true;
  const peak = await prisma.peakInvestigation.create({
    data: {
      timestamp,
      namespace: options.namespace ?? "payments",
      dayOfWeek: 1,
      hourOfDay: timestamp.getUTCHours(),
      quarterHour: Math.floor(timestamp.getUTCMinutes() / 15),
      severity: options.severity ?? "high",
      errorCount,
      baselineMean,
      baselineStddev: 6,
      baselineSamples: 4,
      ratio: options.ratio ?? errorCount / baselineMean,
      requiredRatio: 3,
      average24h: 40,
      referenceCounts: [],
      ...(enriched
        ? {
            appName: "payments-api",
            errorType: "timeout",
            traceId: "4bf92f3577b34da6",
            affectedServices: ["payments-api", "ledger"],
            rootCause: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
            topPatterns: JSON.parse(JSON.stringify(investigation(timestamp.getTime(), [POOL], options.firstSeen))) as object,
            enrichedAt: new Date(timestamp.getTime() + WINDOW),
          }
        : {}),
    },
    select: { id: true },
  });
  return peak.id;
}

/** Counted windows of a namespace (no peak): what ends an incident. */
async function countWindows(prisma: PrismaClient, namespace: string, from: number, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const timestamp = at(from + index);
    await prisma.peakRawData.create({
      data: { timestamp, dayOfWeek: 1, hourOfDay: timestamp.getUTCHours(), quarterHour: Math.floor(timestamp.getUTCMinutes() / 15), namespace, errorCount: 30 },
    });
  }
}

describe.each(databaseKinds)("incidents on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;
  let analyst: Actor;
  let otherAnalyst: Actor;
  let viewer: Actor;
  const now = new Date("2026-11-23T20:00:00Z");

  beforeEach(async () => {
    await prisma().$executeRawUnsafe(
      "TRUNCATE incidents, peak_notes, notification_deliveries, peak_investigation, peak_raw_data, known_peaks, known_issues, audit_log, users RESTART IDENTITY CASCADE",
    );
    const ana = await prisma().user.create({ data: { email: "ana@example.com", role: "analyst" } });
    const bob = await prisma().user.create({ data: { email: "bob@example.com", role: "analyst" } });
    const vic = await prisma().user.create({ data: { email: "vic@example.com", role: "viewer" } });
    analyst = { kind: "user", id: ana.id, email: ana.email, name: null, role: "analyst" };
    otherAnalyst = { kind: "user", id: bob.id, email: bob.email, name: null, role: "analyst" };
    viewer = { kind: "user", id: vic.id, email: vic.email, name: null, role: "viewer" };
  });

  const track = (autoResolve = true, when = now) => trackIncidents(db(), config, when, { autoResolve });
  const incidentOf = async (peakId: number) =>
    (await prisma().peakInvestigation.findUniqueOrThrow({ where: { id: peakId }, select: { incidentId: true } })).incidentId!;
  const statusesOf = async (incidentId: number) =>
    (await prisma().peakInvestigation.findMany({ where: { incidentId }, orderBy: { timestamp: "asc" }, select: { status: true, knownIssueId: true } })).map(
      (peak) => `${peak.status}${peak.knownIssueId === null ? "" : `#${peak.knownIssueId}`}`,
    );
  const auditActions = async (incidentId: number) =>
    (
      await prisma().auditLog.findMany({ where: { entityType: "incident", entityId: String(incidentId) }, orderBy: { id: "asc" }, select: { action: true } })
    ).map((entry) => entry.action);

  it("groups consecutive windows per namespace and counts what lists count: one incident, not its windows", async () => {
    const first = await createWindow(prisma(), at(0), { errorCount: 400, baselineMean: 40, severity: "high" });
    const second = await createWindow(prisma(), at(1), { errorCount: 1000, baselineMean: 40, severity: "critical" });
    // Within the 30-minute gap after the second window's end.
    const third = await createWindow(prisma(), at(4), { errorCount: 200, baselineMean: 50 });
    const elsewhere = await createWindow(prisma(), at(1), { namespace: "orders" });
    const later = await createWindow(prisma(), at(12));
    const tally = await track();
    expect(tally).toMatchObject({ created: 3, joined: 0, reopened: 0 });

    const incident = await incidentOf(first);
    expect(await incidentOf(second)).toBe(incident);
    expect(await incidentOf(third)).toBe(incident);
    expect(await incidentOf(elsewhere)).not.toBe(incident);
    expect(await incidentOf(later)).not.toBe(incident);

    const page = await listIncidents(db(), viewer, { namespace: "payments" }, { ...settings, now });
    expect(page.incidents.map((summary) => summary.id)).toEqual([await incidentOf(later), incident]);
    const summary = page.incidents[1]!;
    expect(summary).toMatchObject({
      namespace: "payments",
      start: at(0).toISOString(),
      end: at(5).toISOString(),
      ongoing: true,
      status: "open",
      windows: 3,
      errors: 1600,
      excess: 360 + 960 + 150,
      severity: "critical",
      lead: { peakId: second, errorCount: 1000, rootCause: expect.stringContaining("HikariPool-1") as string, affectedServices: ["payments-api", "ledger"] },
      latest: { peakId: third, errorCount: 200, requiredCount: 150 },
    });
  });

  it("a window of a later run joins the incident it continues, and takes the incident's triage", async () => {
    const first = await createWindow(prisma(), at(0));
    await track();
    const incident = await incidentOf(first);
    await applyIncidentAction(db(), analyst, incident, { action: "acknowledge" }, settings);

    const next = await createWindow(prisma(), at(2));
    expect(await track()).toMatchObject({ joined: 1, created: 0 });
    expect(await incidentOf(next)).toBe(incident);
    expect(await statusesOf(incident)).toEqual(["acknowledged", "acknowledged"]);
    const detail = await getIncident(db(), viewer, incident, { links, now });
    expect(detail.end).toBe(at(3).toISOString());
    expect(detail.owner).toEqual({ id: analyst.kind === "user" ? analyst.id : 0, email: "ana@example.com" });
    expect(detail.windowList.map((window) => window.peakId)).toEqual([first, next]);
    expect(detail.logLinks?.window).toContain(`from=${encodeURIComponent(at(0).toISOString())}&to=${encodeURIComponent(at(3).toISOString())}`);
  });

  it("lists the patterns first seen in its windows, each once, most errors first; none for an incident without any", async () => {
    const certificate = { patternId: "c3a1", template: "Certificate validation failed for issuer <*>", count: 8 };
    const quota = { patternId: "d4b2", template: "Disk quota exceeded on volume <*>", count: 30 };
    const first = await createWindow(prisma(), at(0), { firstSeen: [certificate] });
    // A damaged value shows nothing rather than failing the page.
    const second = await createWindow(prisma(), at(1));
    await prisma().peakInvestigation.update({
      where: { id: second },
      data: { topPatterns: { ...investigation(at(1).getTime(), [POOL]), firstSeenPatterns: [{ patternId: 7 }] } as object },
    });
    const third = await createWindow(prisma(), at(2), { firstSeen: [quota] });
    const other = await createWindow(prisma(), at(0), { namespace: "orders" });
    await track();
    const incident = await incidentOf(first);
    expect(await incidentOf(third)).toBe(incident);
    const detail = await getIncident(db(), viewer, incident, { links, now });
    expect(detail.firstSeenPatterns).toEqual([
      { ...quota, peakId: third, timestamp: at(2).toISOString() },
      { ...certificate, peakId: first, timestamp: at(0).toISOString() },
    ]);
    expect((await getIncident(db(), viewer, await incidentOf(other), { links, now })).firstSeenPatterns).toEqual([]);
  });

  it("ends an incident after the configured quiet windows and resolves it only in a live run; a gap never ends it", async () => {
    const first = await createWindow(prisma(), at(0));
    await track();
    const incident = await incidentOf(first);
    await countWindows(prisma(), "payments", 1, QUIET - 1);
    // Another namespace's windows say nothing about this one.
    await countWindows(prisma(), "orders", 1, QUIET + 2);
    expect(await track()).toMatchObject({ ended: 0, autoResolved: 0 });

    await countWindows(prisma(), "payments", QUIET, 1);
    expect(await track(false)).toMatchObject({ ended: 1, autoResolved: 0 });
    let detail = await getIncident(db(), viewer, incident, { links, now });
    expect(detail).toMatchObject({ ongoing: false, status: "open" });

    // The same in a live run: resolved as back to normal, all its windows with it, audited as the pipeline's.
    await prisma().incident.update({ where: { id: incident }, data: { endedAt: null } });
    expect(await track(true)).toMatchObject({ ended: 1, autoResolved: 1 });
    detail = await getIncident(db(), viewer, incident, { links, now });
    expect(detail).toMatchObject({ ongoing: false, status: "resolved", resolution: "quiet", resolvedAt: now.toISOString() });
    expect(await statusesOf(incident)).toEqual(["resolved"]);
    const entry = await prisma().auditLog.findFirstOrThrow({ where: { entityType: "incident", action: "incident.auto_resolve" } });
    expect(entry).toMatchObject({ actor: "pipeline", userId: null, details: { from: "open", to: "resolved", quietWindows: QUIET } });
  });

  it("reopens an incident that resolved itself when errors return within reopen_hours, as a regression; later, a new incident", async () => {
    const first = await createWindow(prisma(), at(0));
    await track();
    const incident = await incidentOf(first);
    await countWindows(prisma(), "payments", 1, QUIET);
    const resolvedAt = at(QUIET + 1);
    await track(true, resolvedAt);

    const back = await createWindow(prisma(), at(QUIET + 8));
    const reopenedAt = at(QUIET + 9);
    expect(await track(true, reopenedAt)).toMatchObject({ reopened: 1, created: 0 });
    expect(await incidentOf(back)).toBe(incident);
    const detail = await getIncident(db(), viewer, incident, { links, now });
    expect(detail).toMatchObject({ status: "open", ongoing: true, resolution: null, reopenedAt: reopenedAt.toISOString(), reopenCount: 1 });
    expect(await statusesOf(incident)).toEqual(["resolved", "open"]);
    const reopen = await prisma().auditLog.findFirstOrThrow({ where: { action: "incident.reopen" } });
    expect(reopen.details).toMatchObject({ regression: true, returnedAfterMinutes: 7 * 15 });

    // Resolved itself again; errors return after reopen_hours: a new incident.
    await countWindows(prisma(), "payments", QUIET + 9, QUIET);
    await track(true, at(2 * QUIET + 10));
    const muchLater = at(2 * QUIET + 10 + (config.incidents.reopen_hours * 3_600_000) / WINDOW + 4);
    const afterHours = await createWindow(prisma(), muchLater);
    expect(await track(true, muchLater)).toMatchObject({ reopened: 0, created: 1 });
    expect(await incidentOf(afterHours)).not.toBe(incident);
  });

  it("an incident resolved with a solution is never joined: its return is a new incident", async () => {
    const first = await createWindow(prisma(), at(0));
    await track();
    const incident = await incidentOf(first);
    const result = await applyIncidentAction(db(), analyst, incident, { action: "resolve", solution: "Raised the pool to 40." }, settings);
    expect(result.incident).toMatchObject({ status: "resolved", resolution: "solution" });
    expect(result.knownPeakId).toEqual(expect.any(Number));
    const next = await createWindow(prisma(), at(2));
    expect(await track()).toMatchObject({ created: 1, joined: 0 });
    expect(await incidentOf(next)).not.toBe(incident);
  });

  it("acts on all windows at once: acknowledge with an owner, create a known issue that labels the other matching incident, resolve", async () => {
    const a1 = await createWindow(prisma(), at(0));
    await createWindow(prisma(), at(1));
    const b1 = await createWindow(prisma(), at(20));
    await createWindow(prisma(), at(21));
    await track();
    const first = await incidentOf(a1);
    const second = await incidentOf(b1);

    // The owner: another analyst may be named; a viewer or an unknown user may not.
    await expect(
      applyIncidentAction(db(), analyst, first, { action: "acknowledge", ownerId: viewer.kind === "user" ? viewer.id : 0 }, settings),
    ).rejects.toThrow(InvalidInputError);
    await expect(applyIncidentAction(db(), analyst, first, { action: "acknowledge", ownerId: 9999 }, settings)).rejects.toThrow(/no enabled user has id 9999/);
    const acknowledged = await applyIncidentAction(
      db(),
      analyst,
      first,
      { action: "acknowledge", ownerId: otherAnalyst.kind === "user" ? otherAnalyst.id : 0 },
      settings,
    );
    expect(acknowledged.incident).toMatchObject({ status: "acknowledged", owner: { email: "bob@example.com" } });
    expect(await statusesOf(first)).toEqual(["acknowledged", "acknowledged"]);
    await expect(applyIncidentAction(db(), analyst, first, { action: "acknowledge" }, settings)).rejects.toThrow(ConflictError);

    const created = await applyIncidentAction(
      db(),
      analyst,
      first,
      { action: "create_known_issue", title: "Ledger pool exhausted", scope: "namespace", labelMatching: true },
      settings,
    );
    const issue = await prisma().knownIssue.findFirstOrThrow({ select: { id: true } });
    expect(created.incident).toMatchObject({ status: "known_issue", knownIssue: { id: issue.id, title: "Ledger pool exhausted" } });
    expect(await statusesOf(first)).toEqual([`known_issue#${issue.id}`, `known_issue#${issue.id}`]);
    // The other incident with the same root cause is known now, all its windows.
    expect(created.labelled?.length).toBe(2);
    expect(await statusesOf(second)).toEqual([`known_issue#${issue.id}`, `known_issue#${issue.id}`]);
    expect((await prisma().incident.findUniqueOrThrow({ where: { id: second } })).status).toBe("known_issue");

    const resolved = await applyIncidentAction(db(), analyst, first, { action: "resolve", solution: "Raised the pool to 40." }, settings);
    expect(resolved.incident.status).toBe("resolved");
    expect(await statusesOf(first)).toEqual([`resolved#${issue.id}`, `resolved#${issue.id}`]);
    expect((await prisma().knownIssue.findUniqueOrThrow({ where: { id: issue.id } })).status).toBe("resolved");
    expect(await auditActions(first)).toEqual(["incident.acknowledge", "incident.known_issue", "incident.resolve"]);

    const reopened = await applyIncidentAction(db(), analyst, first, { action: "reopen" }, settings);
    expect(reopened.incident).toMatchObject({ status: "open", resolution: null, resolvedAt: null });
    await applyIncidentAction(db(), analyst, first, { action: "false_positive", reason: "load test" }, settings);
    expect(await statusesOf(first)).toEqual([`false_positive#${issue.id}`, `false_positive#${issue.id}`]);
  });

  it("a window's own action (the peak page, /api/peaks/:id/actions) moves its whole incident, audited on both", async () => {
    const first = await createWindow(prisma(), at(0));
    const second = await createWindow(prisma(), at(1));
    await track();
    const incident = await incidentOf(first);
    await acknowledgeWindow(db(), analyst, second);
    expect(await statusesOf(incident)).toEqual(["acknowledged", "acknowledged"]);
    expect((await getIncident(db(), viewer, incident, { links, now })).owner?.email).toBe("ana@example.com");
    await markWindowFalsePositive(db(), analyst, first, { reason: "load test" });
    expect(await statusesOf(incident)).toEqual(["false_positive", "false_positive"]);
    expect((await prisma().incident.findUniqueOrThrow({ where: { id: incident } })).status).toBe("false_positive");
    const entries = await prisma().auditLog.findMany({ where: { entityType: "incident" }, orderBy: { id: "asc" }, select: { action: true, details: true } });
    expect(entries.map((entry) => [entry.action, (entry.details as { viaPeakId: number }).viaPeakId])).toEqual([
      ["incident.acknowledge", second],
      ["incident.false_positive", first],
    ]);
  });

  it("snoozes until a time or until the incident grows by a factor, and lifts the snooze with an audit entry", async () => {
    const first = await createWindow(prisma(), at(0), { errorCount: 140, baselineMean: 40 });
    await track();
    const incident = await incidentOf(first);
    await expect(applyIncidentAction(db(), analyst, incident, { action: "snooze" }, settings)).rejects.toThrow(/give until, growth or both/);
    await expect(
      applyIncidentAction(db(), analyst, incident, { action: "snooze", until: new Date(now.getTime() - 1).toISOString() }, { ...settings, now }),
    ).rejects.toThrow(/until: must be in the future/);
    await expect(applyIncidentAction(db(), analyst, incident, { action: "snooze", growth: 1 }, settings)).rejects.toThrow(/growth.*more than 1/);

    const snoozed = await applyIncidentAction(db(), analyst, incident, { action: "snooze", growth: 3 }, { ...settings, now });
    expect(snoozed.incident.snooze).toEqual({ until: null, growth: 3, state: "active" });
    // The incident grows: 100 excess errors, then 100 + 250 ≥ 3 × 100.
    await createWindow(prisma(), at(1), { errorCount: 290, baselineMean: 40 });
    expect(await track(true)).toMatchObject({ joined: 1, snoozesLifted: 1 });
    expect((await getIncident(db(), viewer, incident, { links, now })).snooze).toBeNull();

    const until = new Date(now.getTime() + 3_600_000);
    await applyIncidentAction(db(), analyst, incident, { action: "snooze", until: until.toISOString() }, { ...settings, now });
    expect(await track(true, new Date(until.getTime() - 1))).toMatchObject({ snoozesLifted: 0 });
    expect(await track(true, until)).toMatchObject({ snoozesLifted: 1 });
    const lifted = await prisma().auditLog.findMany({ where: { action: "incident.snooze_lifted" }, orderBy: { id: "asc" }, select: { details: true } });
    expect(lifted.map((entry) => (entry.details as { reason: string }).reason)).toEqual(["grew", "expired"]);
    await expect(applyIncidentAction(db(), analyst, incident, { action: "unsnooze" }, settings)).rejects.toThrow(/not snoozed/);
  });

  it("refuses viewers, unknown incidents and actions before investigation, and pages with a cursor", async () => {
    const uninvestigated = await createWindow(prisma(), at(0), { enriched: false });
    for (const step of [10, 20, 30]) await createWindow(prisma(), at(step));
    await track();
    const incident = await incidentOf(uninvestigated);
    await expect(applyIncidentAction(db(), viewer, incident, { action: "acknowledge" }, settings)).rejects.toThrow(ForbiddenError);
    await expect(applyIncidentAction(db(), analyst, 9999, { action: "acknowledge" }, settings)).rejects.toThrow(NotFoundError);
    await expect(applyIncidentAction(db(), analyst, incident, { action: "resolve", solution: "x" }, settings)).rejects.toThrow(/no investigated window yet/);
    expect(incidentActionRequestSchema.safeParse({ id: "1", action: "explode" }).success).toBe(false);

    const firstPage = await listIncidents(db(), viewer, { limit: 3 }, { ...settings, now });
    expect(firstPage.incidents).toHaveLength(3);
    const secondPage = await listIncidents(db(), viewer, { limit: 3, cursor: firstPage.nextCursor! }, { ...settings, now });
    expect(secondPage.incidents.map((summary) => summary.id)).toEqual([incident]);
    expect(secondPage.nextCursor).toBeNull();
    const open = await listIncidents(db(), viewer, { status: "open", ongoing: "true" }, { ...settings, now });
    expect(open.incidents).toHaveLength(4);
  });
});

import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import type { Actor } from "@/lib/roles";
import { peakRow } from "@/test/support/peak-rows";
import { hoursBefore, PLANNED_PATTERNS, PLANNED_TEMPLATES, seedPlannedProblems, type PlannedProblems } from "@/test/support/problem-rows";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import type { ProblemSummary } from "./contract";
import { getProblem } from "./detail";
import { listProblems } from "./list";
import { problemSettingsOf } from "./summaries";

const config = loadConfig(path.resolve("values.yaml"));
const now = new Date("2026-11-23T20:00:00Z");
const settings = { ...problemSettingsOf(config), now };
const viewer: Actor = { kind: "user", id: 1, email: "vic@example.com", name: null, role: "viewer" };
const { pool, nullPointer, deadlock, deadlockMerged, redis, signingKey, reports, gone } = PLANNED_PATTERNS;
const iso = (hoursAgo: number) => hoursBefore(now, hoursAgo).toISOString();
const WINDOW_HOURS = 0.25;

// The counts a source covered: every window of the 72 hours before `now` in every namespace of the
// plan, except two hours of payments the day before (30 to 28 hours ago), which nobody read.
const STORED_HOURS = 72;
const PAYMENTS_UNREAD = { fromHoursAgo: 30, toHoursAgo: 28 };

/** A window's count as ingestion stores it (slot keys in UTC, Monday = 0). */
function storedWindow(timestamp: Date, namespace: string) {
  return {
    timestamp,
    dayOfWeek: (timestamp.getUTCDay() + 6) % 7,
    hourOfDay: timestamp.getUTCHours(),
    quarterHour: timestamp.getUTCMinutes() / 15,
    namespace,
    errorCount: 3,
  };
}

async function seedStoredWindows(prisma: PrismaClient, namespaces: readonly string[]): Promise<void> {
  const windowMs = WINDOW_HOURS * 3_600_000;
  const rows = [];
  for (let start = hoursBefore(now, STORED_HOURS).getTime(); start < now.getTime(); start += windowMs) {
    const date = new Date(start);
    for (const namespace of namespaces) {
      const unread =
        namespace === "payments" &&
        start >= hoursBefore(now, PAYMENTS_UNREAD.fromHoursAgo).getTime() &&
        start < hoursBefore(now, PAYMENTS_UNREAD.toHoursAgo).getTime();
      if (unread) continue;
      rows.push(storedWindow(date, namespace));
    }
  }
  await prisma.peakRawData.createMany({ data: rows });
}

describe.each(databaseKinds)("problems on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  let planned: PlannedProblems;

  beforeAll(async () => {
    planned = await seedPlannedProblems(db(), config, now);
    await seedStoredWindows(db().prisma, [...new Set(planned.windows.map((window) => window.namespace))]);
  });

  const byId = (problems: readonly ProblemSummary[]) => new Map(problems.map((problem) => [problem.id, problem]));

  it("lists the period's problems most actionable first: unknown before known, growing, wide, big", async () => {
    const page = await listProblems(db(), viewer, {}, settings);
    expect(page.problems.map((problem) => problem.id)).toEqual([
      `${pool}-timeout`,
      `${deadlock}-database`,
      `${reports}-unknown`,
      `${nullPointer}-null_pointer`,
      `${pool}-connection`,
      `${redis}-connection`,
      `${signingKey}-auth`,
    ]);
    expect(page).toMatchObject({
      total: 7,
      offset: 0,
      limit: 50,
      nextOffset: null,
      period: { since: "24h", from: iso(24), to: now.toISOString(), previousFrom: iso(48) },
      judgement: { systemicNamespaces: 3, trendFactor: 1.5, trendMinErrors: 100 },
      // The window not investigated yet (a false positive without a root cause is not counted).
      windowsWithoutRootCause: 1,
    });
  });

  it("makes one systemic problem of the same root cause in three namespaces at once, growing against the day before, without its false positive", async () => {
    const problem = byId((await listProblems(db(), viewer, {}, settings)).problems).get(`${pool}-timeout`)!;
    expect(problem).toEqual({
      id: `${pool}-timeout`,
      patternId: pool,
      errorType: "timeout",
      template: PLANNED_TEMPLATES[pool],
      example: expect.stringContaining("HikariPool-1") as string,
      occurrences: 5,
      incidents: 3,
      namespaces: ["ledger", "orders", "payments"],
      apps: ["ledger-api", "orders-api", "payments-api"],
      firstSeen: iso(10),
      lastSeen: iso(9.5 - WINDOW_HOURS),
      errors: 2000,
      trend: {
        direction: "up",
        current: { windows: 5, errors: 2000 },
        previous: { windows: 1, errors: 400 },
        ratio: 5,
        // Two hours of payments the day before were not read: 400 before is a lower bound.
        previousGap: { missingWindows: 8, namespaces: ["payments"], namespaceTotal: 1, storedFrom: null },
      },
      scope: { kind: "systemic", namespaces: 3, mostAtOnce: 3, mostAtOnceFrom: iso(9.75) },
      knownIssue: null,
    });
  });

  it("reads the period before's windows again once a window is written: the unread hours, read late, close the gap", async () => {
    const previousGapOf = async () => byId((await listProblems(db(), viewer, {}, settings)).problems).get(`${pool}-timeout`)!.trend.previousGap;
    expect(await previousGapOf()).toMatchObject({ missingWindows: 8, namespaces: ["payments"] });
    const late = [];
    for (
      let start = hoursBefore(now, PAYMENTS_UNREAD.fromHoursAgo).getTime();
      start < hoursBefore(now, PAYMENTS_UNREAD.toHoursAgo).getTime();
      start += 900_000
    ) {
      late.push(storedWindow(new Date(start), "payments"));
    }
    await db().prisma.peakRawData.createMany({ data: late });
    try {
      expect(await previousGapOf()).toBeNull();
    } finally {
      await db().prisma.peakRawData.deleteMany({
        where: { namespace: "payments", timestamp: { gte: hoursBefore(now, PAYMENTS_UNREAD.fromHoursAgo), lt: hoursBefore(now, PAYMENTS_UNREAD.toHoursAgo) } },
      });
    }
    expect(await previousGapOf()).toMatchObject({ missingWindows: 8 });
  });

  it("calls two namespaces at once several by default, and systemic when two are enough", async () => {
    const id = `${nullPointer}-null_pointer`;
    const byDefault = byId((await listProblems(db(), viewer, {}, settings)).problems).get(id)!;
    expect(byDefault.scope).toEqual({ kind: "several", namespaces: 2, mostAtOnce: 2, mostAtOnceFrom: iso(5) });
    expect(byDefault.trend).toMatchObject({ direction: "stable", current: { windows: 2, errors: 600 }, previous: { windows: 2, errors: 600 } });
    // Checkout and cart were read in full the day before.
    expect(byDefault.trend.previousGap).toBeNull();
    const fromTwo = byId((await listProblems(db(), viewer, {}, { ...settings, systemicNamespaces: 2 })).problems);
    expect(fromTwo.get(id)!.scope.kind).toBe("systemic");
    // One namespace stays single whatever the threshold.
    expect(fromTwo.get(`${deadlock}-database`)!.scope.kind).toBe("single");
  });

  it("counts the windows of a merged pattern under the pattern they show under: growing in one namespace", async () => {
    const problem = byId((await listProblems(db(), viewer, {}, settings)).problems).get(`${deadlock}-database`)!;
    expect(problem).toMatchObject({
      occurrences: 3,
      incidents: 3,
      namespaces: ["inventory"],
      apps: ["inventory-api", "stock-worker"],
      errors: 1200,
      trend: { direction: "up", current: { windows: 3, errors: 1200 }, previous: { windows: 1, errors: 300 }, ratio: 4 },
      scope: { kind: "single", namespaces: 1, mostAtOnce: 1 },
    });
    const ids = (await listProblems(db(), viewer, { limit: 200 }, settings)).problems.map((entry) => entry.patternId);
    expect(ids).not.toContain(deadlockMerged);
  });

  it("shows a shrinking problem as down, with the template its investigations stored once the pattern is no longer kept", async () => {
    const problem = byId((await listProblems(db(), viewer, {}, settings)).problems).get(`${redis}-connection`)!;
    expect(problem).toMatchObject({
      template: PLANNED_TEMPLATES[redis],
      trend: { direction: "down", current: { windows: 1, errors: 300 }, previous: { windows: 4, errors: 2000 }, ratio: 0.15 },
    });
  });

  it("names the known issue of a known problem, counting an incident that crosses into the period on each side", async () => {
    const problem = byId((await listProblems(db(), viewer, {}, settings)).problems).get(`${signingKey}-auth`)!;
    expect(problem).toMatchObject({
      knownIssue: { id: planned.knownIssueId, title: "Expired signing key", status: "active" },
      occurrences: 3,
      incidents: 2,
      firstSeen: iso(24),
      trend: { direction: "stable", current: { windows: 3, errors: 1200 }, previous: { windows: 3, errors: 1200 } },
    });
  });

  it("keeps one pattern with two error types apart, and calls a window without an error type unknown", async () => {
    const problems = byId((await listProblems(db(), viewer, {}, settings)).problems);
    // 90 errors where there were none: under the minimum change, so stable.
    expect(problems.get(`${pool}-connection`)).toMatchObject({ occurrences: 1, errors: 90, trend: { direction: "stable", ratio: null } });
    expect(problems.get(`${reports}-unknown`)).toMatchObject({ errorType: "unknown", trend: { direction: "up", previous: { windows: 0, errors: 0 } } });
    // Seen only in the period before: not a problem of this one.
    expect([...problems.keys()].some((id) => id.startsWith(gone))).toBe(false);
  });

  it("filters by scope, by known issue and by text, and pages", async () => {
    const ids = async (input: Parameters<typeof listProblems>[2]) => (await listProblems(db(), viewer, input, settings)).problems.map((problem) => problem.id);
    expect(await ids({ scope: "systemic,several" })).toEqual([`${pool}-timeout`, `${nullPointer}-null_pointer`]);
    expect(await ids({ known: "true" })).toEqual([`${signingKey}-auth`]);
    expect(await ids({ known: "false" })).toHaveLength(6);
    // Part of a template, of an app, of a namespace, of an id, any case.
    expect(await ids({ q: "hikaripool" })).toEqual([`${pool}-timeout`, `${pool}-connection`]);
    expect(await ids({ q: "STOCK-WORKER" })).toEqual([`${deadlock}-database`]);
    expect(await ids({ q: "billing" })).toEqual([`${signingKey}-auth`]);
    expect(await ids({ q: redis.slice(0, 6) })).toEqual([`${redis}-connection`]);
    const first = await listProblems(db(), viewer, { limit: 3 }, settings);
    const second = await listProblems(db(), viewer, { limit: 3, offset: first.nextOffset! }, settings);
    const last = await listProblems(db(), viewer, { limit: 3, offset: second.nextOffset! }, settings);
    expect([first.nextOffset, second.nextOffset, last.nextOffset]).toEqual([3, 6, null]);
    expect([...first.problems, ...second.problems, ...last.problems].map((problem) => problem.id)).toEqual(await ids({}));
  });

  it("reads the period asked for: over 48 hours the day before joins the period, and the trend compares with the 48 hours before", async () => {
    const problems = byId((await listProblems(db(), viewer, { since: "48h" }, settings)).problems);
    expect(problems.get(`${pool}-timeout`)).toMatchObject({
      occurrences: 6,
      errors: 2400,
      trend: { direction: "down", previous: { windows: 1, errors: 9000 } },
    });
    // The 48 hours before begin a day before the oldest stored window; the unread hours of payments are in the period itself.
    expect(problems.get(`${pool}-timeout`)!.trend.previousGap).toEqual({ missingWindows: 0, namespaces: [], namespaceTotal: 0, storedFrom: iso(STORED_HOURS) });
    expect(problems.has(`${gone}-timeout`)).toBe(true);
    const week = await listProblems(db(), viewer, { since: "7d" }, settings);
    // The window 60 hours ago too.
    expect(byId(week.problems).get(`${pool}-timeout`)).toMatchObject({ occurrences: 7, errors: 11_400 });
  });

  it("refuses a period it cannot read, and a caller without a session", async () => {
    for (const since of ["0h", "91d", "24", "1w", "-3h", "2.5h"]) {
      await expect(listProblems(db(), viewer, { since }, settings), since).rejects.toBeInstanceOf(InvalidInputError);
    }
    await expect(listProblems(db(), viewer, { since: "90d" }, settings)).resolves.toMatchObject({ period: { since: "90d" } });
    await expect(listProblems(db(), viewer, { since: "007d" }, settings)).resolves.toMatchObject({ period: { since: "7d" } });
    await expect(listProblems(db(), viewer, { limit: 201 }, settings)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(listProblems(db(), viewer, { scope: "everywhere" }, settings)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(listProblems(db(), null, {}, settings)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it("reads the problems again once a window or a pattern was written, not before", async () => {
    const before = await listProblems(db(), viewer, { since: "24h", limit: 200 }, settings);
    expect((await listProblems(db(), viewer, { since: "24h", limit: 200 }, settings)).problems).toEqual(before.problems);
    const [window] = await db().prisma.peakInvestigation.createManyAndReturn({
      data: [{ ...peakRow(hoursBefore(now, 4), { namespace: "search" }), rootCausePatternId: "abcdef01234567", errorType: "timeout", enrichedAt: now }],
    });
    const afterWindow = await listProblems(db(), viewer, { since: "24h", limit: 200 }, settings);
    expect(afterWindow.total).toBe(before.total + 1);
    // An analyst merges it into the pool's pattern: it is counted there from now on.
    await db().prisma.errorPattern.create({
      data: {
        patternHash: "abcdef01234567",
        template: "Pool timeout <*>",
        firstSeen: now,
        lastSeen: now,
        namespaces: [],
        exampleMessages: [],
        mergedInto: pool,
      },
    });
    const afterMerge = byId((await listProblems(db(), viewer, { since: "24h", limit: 200 }, settings)).problems);
    expect(afterMerge.has("abcdef01234567-timeout")).toBe(false);
    expect(afterMerge.get(`${pool}-timeout`)).toMatchObject({ occurrences: 6, namespaces: ["ledger", "orders", "payments", "search"] });
    await db().prisma.errorPattern.delete({ where: { patternHash: "abcdef01234567" } });
    await db().prisma.peakInvestigation.delete({ where: { id: window!.id } });
    expect((await listProblems(db(), viewer, { since: "24h", limit: 200 }, settings)).problems).toEqual(before.problems);
  });

  it("gives one problem with its merged patterns, examples, history and incidents newest first for a timeline", async () => {
    const detail = await getProblem(db(), viewer, { id: `${deadlock}-database` }, settings);
    const listed = byId((await listProblems(db(), viewer, {}, settings)).problems).get(`${deadlock}-database`)!;
    const { patternIds, examples, history, incidentList, incidentTotal, versions, period, judgement, ...figures } = detail;
    expect(figures).toEqual(listed);
    expect(patternIds).toEqual([deadlock, deadlockMerged]);
    expect(examples).toEqual([PLANNED_TEMPLATES[deadlock]!.replace("<*>", "42")]);
    expect(history).toEqual({ firstWindow: iso(30), lastWindow: iso(2), windows: 4 });
    expect(incidentTotal).toBe(3);
    expect(
      incidentList.map((incident) => [
        incident.namespace,
        incident.start,
        incident.end,
        incident.windows,
        incident.errors,
        incident.status,
        incident.isOngoing,
      ]),
    ).toEqual([
      ["inventory", iso(2), iso(2 - WINDOW_HOURS), 1, 500, "open", true],
      ["inventory", iso(18), iso(18 - WINDOW_HOURS), 1, 400, "open", true],
      ["inventory", iso(20), iso(20 - WINDOW_HOURS), 1, 300, "open", true],
    ]);
    expect(incidentList.every((incident) => incident.incidentId !== null)).toBe(true);
    expect(period.since).toBe("24h");
    // Its windows were investigated before versions were read.
    expect(versions).toEqual({ namespaces: [], notShown: 0, withoutVersions: 1 });
    expect(judgement.systemicNamespaces).toBe(3);
  });

  it("gives a systemic problem's incidents in every namespace", async () => {
    const detail = await getProblem(db(), viewer, { id: `${pool}-timeout`, since: "24h" }, settings);
    expect(detail.incidentList.map((incident) => [incident.namespace, incident.windows, incident.errors])).toEqual([
      ["ledger", 2, 600],
      // Both ended with the window 9 h 45 min ago: by namespace.
      ["orders", 1, 400],
      ["payments", 2, 1000],
    ]);
    expect(detail.scope.kind).toBe("systemic");
  });

  it("answers 404 for an unknown problem, a merged one (naming where it shows), and one without a window in the period", async () => {
    await expect(getProblem(db(), viewer, { id: "ffffffffffffff-timeout" }, settings)).rejects.toThrow(
      new NotFoundError("Problem ffffffffffffff-timeout does not exist"),
    );
    await expect(getProblem(db(), viewer, { id: `${deadlockMerged}-database` }, settings)).rejects.toThrow(
      new NotFoundError(`Problem ${deadlockMerged}-database is part of problem ${deadlock}-database now: its pattern was merged into ${deadlock}`),
    );
    await expect(getProblem(db(), viewer, { id: `${gone}-timeout` }, settings)).rejects.toThrow(
      new NotFoundError(`Problem ${gone}-timeout had no peak window in the last 24h; its last one began at ${iso(40)}`),
    );
    await expect(getProblem(db(), viewer, { id: `${gone}-timeout`, since: "2d" }, settings)).resolves.toMatchObject({ occurrences: 1 });
    await expect(getProblem(db(), viewer, { id: "not a problem" }, settings)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

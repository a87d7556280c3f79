import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/roles";
import { httpStatusByCode, InvalidInputError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { effectiveBaseline, recordSample, type BaselineTable } from "@/lib/pipeline/baseline";
import type { PeakDetectionSettings } from "@/lib/pipeline/detect";
import { createWindowGrid } from "@/lib/pipeline/time";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { insertPeaks, insertWindows } from "@/lib/db/detection-store";
import { MAX_NAMESPACE_PAGE_SIZE, SPARKLINE_POINTS, sparklinePoints, type NamespaceList } from "./contract";
import { listNamespaces, readNamespaceStates, type NamespaceStateContext } from "./list";
import { hasNamespace, readNamespaceSeries, type SeriesContext } from "./series";
import { decisionColumns, loadBaseline, loadBaselineOfSlots, saveBaselineSlots } from "@/lib/detection/store";

const viewer: Actor = { kind: "user", id: 1, email: "v@example.com", name: null, role: "viewer" };
const settings: PeakDetectionSettings = {
  min_ratio_multiplier: 3,
  max_ratio_multiplier: 5,
  dynamic_min_multiplier: 2.5,
  min_absolute_value: 100,
  same_day_window_count: 3,
  same_day_min_ratio: 0,
  tail_probability: 1e-5,
};
const grid = createWindowGrid("UTC", 15);
const context: SeriesContext = { grid, defaults: settings };
const listContext: NamespaceStateContext = { ...context, staleAfterMinutes: 45 };
const WINDOW = 15 * 60_000;
const DAY = 86_400_000;
// Two stored days, Thursday 26 and Friday 27 November 2026 (UTC), and "now" just after them.
const FROM = Date.parse("2026-11-26T00:00:00Z");
const TO = FROM + 2 * DAY;
const NOW = new Date(TO + 7 * 60_000);
const SPIKE = FROM + DAY + 41 * WINDOW;

/** Every slot of the week with five samples, 10, 20, 30, 20, 20 (mean 20). */
function steadyBaseline(namespaces: string[]): BaselineTable {
  const table: BaselineTable = new Map();
  for (const start of grid.windowsBetween(FROM, FROM + 7 * DAY)) {
    for (const namespace of namespaces) for (const value of [10, 20, 30, 20, 20]) recordSample(table, namespace, grid.slotOf(start), value);
  }
  return table;
}

function windowsOf(namespace: string, count: (start: number) => number) {
  return grid.windowsBetween(FROM, TO).map((start) => ({ start, namespace, keys: grid.slotOf(start), count: count(start), isPeak: false, baselineValue: 20 }));
}

function peakAt(start: number, namespace: string, count: number) {
  return {
    start,
    namespace,
    keys: grid.slotOf(start),
    decision: decisionColumns({
      severity: "critical",
      thresholdsVersion: null,
      inputs: {
        count,
        mean: 20,
        stddev: 6.3,
        samples: 5,
        baselineSource: "slot" as const,
        ratio: count / 20,
        requiredRatio: 3.9,
        sameDayRatio: count / 5,
        dispersion: 0,
        spreadThreshold: 45,
        average24h: 6,
        referenceCounts: [5, 5, 5],
      },
    }),
    plateauStart: null,
  };
}

describe.each(databaseKinds)("namespace charts on %s", (kind) => {
  const db = useMigratedDatabase(kind);

  beforeAll(async () => {
    const { prisma } = db();
    // "quiet" has a baseline but no window in the last two days; "orders" has windows and no baseline.
    await saveBaselineSlots(prisma, steadyBaseline(["payments", "quiet"]));
    await insertWindows(prisma, [...windowsOf("payments", (start) => (start === SPIKE ? 900 : 5)), ...windowsOf("orders", () => 2)]);
    await insertPeaks(prisma, [peakAt(SPIKE, "payments", 900), peakAt(FROM - 3 * DAY, "payments", 400), peakAt(FROM + 4 * WINDOW, "orders", 150)]);
    const issue = await prisma.knownIssue.create({ data: { title: "Ledger pool exhausted", patternIds: [], regexes: [] } });
    await prisma.peakInvestigation.updateMany({ where: { timestamp: new Date(SPIKE) }, data: { knownIssueId: issue.id } });
    await prisma.peakInvestigation.updateMany({ where: { namespace: "orders" }, data: { status: "acknowledged" } });
  });

  it("draws a range in at most the asked points, each bucket keeping its busiest window, with the range's peaks and totals", async () => {
    const from = new Date(FROM + DAY).toISOString();
    const series = await readNamespaceSeries(db(), viewer, { namespace: "payments", from, to: new Date(TO).toISOString(), points: 10 }, context, NOW);
    expect(series.points.length).toBeLessThanOrEqual(10);
    expect(series.bucketMinutes).toBe(10 * 15);
    expect(series.windowMinutes).toBe(15);
    const spike = series.points.find((point) => point.count === 900);
    expect(spike).toMatchObject({ windowStart: SPIKE, mean: 20 });
    expect(spike!.threshold).toBeGreaterThanOrEqual(100);
    expect(series.peaks).toEqual([
      {
        id: expect.any(Number),
        start: SPIKE,
        severity: "critical",
        status: "open",
        errorCount: 900,
        knownIssueTitle: "Ledger pool exhausted",
        isRegression: false,
      },
    ]);
    expect(series.totals).toEqual({ errors: 95 * 5 + 900, windows: 96, peaks: 1 });
    expect(series.peaksTruncated).toBe(false);
    expect(series.latestWindow).toBe(TO - WINDOW);
    expect(series.firstWindow).toBe(FROM);
    expect(series.thresholdsVersion).toBeNull();
  });

  it("defaults to the 7 days before now", async () => {
    const series = await readNamespaceSeries(db(), viewer, { namespace: "payments" }, context, NOW);
    expect(series).toMatchObject({ from: NOW.getTime() - 7 * DAY, to: NOW.getTime() });
    expect(series.totals).toMatchObject({ windows: 192, peaks: 2 });
    expect(series.points.length).toBeLessThanOrEqual(480);
  });

  it("refuses a range over 92 days or not ending after its start (400), and a namespace it does not know (404)", async () => {
    const tooLong = readNamespaceSeries(db(), viewer, { namespace: "payments", from: "2026-08-01T00:00:00Z", to: "2026-11-02T00:00:00Z" }, context, NOW);
    await expect(tooLong).rejects.toBeInstanceOf(InvalidInputError);
    const reversed = readNamespaceSeries(db(), viewer, { namespace: "payments", from: "2026-11-27T00:00:00Z", to: "2026-11-27T00:00:00Z" }, context, NOW);
    const error = await reversed.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(httpStatusByCode[(error as InvalidInputError).code]).toBe(400);
    const unknown = await readNamespaceSeries(db(), viewer, { namespace: "nowhere" }, context, NOW).catch((caught: unknown) => caught);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(httpStatusByCode[(unknown as NotFoundError).code]).toBe(404);
  });

  it("knows a namespace by its windows or its baseline alone, as the chart does", async () => {
    expect(await hasNamespace(db(), viewer, "payments")).toBe(true);
    expect(await hasNamespace(db(), viewer, "orders")).toBe(true);
    expect(await hasNamespace(db(), viewer, "quiet")).toBe(true);
    expect(await hasNamespace(db(), viewer, "nowhere")).toBe(false);
    await expect(hasNamespace(db(), viewer, " ")).rejects.toBeInstanceOf(InvalidInputError);
    await expect(hasNamespace(db(), null, "payments")).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it("gives a page of namespaces its last 24 hours with errors, the baseline's expectation and open peaks", async () => {
    const answer = await listNamespaces(db(), viewer, listContext, { sort: "name" }, NOW);
    expect(answer).toMatchObject({ from: TO - DAY, to: TO, windowMinutes: 15, bucketMinutes: 30, matching: 3, offset: 0, nextOffset: null });
    expect(answer.rows.map((row) => row.namespace)).toEqual(["orders", "payments", "quiet"]);
    const [orders, payments, quiet] = answer.rows;
    expect(payments!.sparkline).toMatchObject({ errors: 95 * 5 + 900, windows: 96, expected: 96 * 20 });
    expect(payments!.openPeaks).toBe(2);
    // Columns of 30-minute points from the range's start: the 900-error window's bucket is drawn with it.
    expect(payments!.sparkline).toMatchObject({ start: TO - DAY, bucketMs: 30 * 60_000 });
    for (const column of ["count", "mean", "low", "high"] as const) expect(payments!.sparkline[column]).toHaveLength(SPARKLINE_POINTS);
    const points = sparklinePoints(payments!.sparkline);
    expect(points.find((point) => point.count === 900)?.start).toBeGreaterThanOrEqual(TO - DAY);
    expect(points.map((point) => point.start)).toEqual(Array.from({ length: SPARKLINE_POINTS }, (_, index) => TO - DAY + index * 30 * 60_000));
    expect(orders!.sparkline).toMatchObject({ errors: 96 * 2, windows: 96, expected: null });
    expect(orders!.openPeaks).toBe(0);
    expect(quiet!.sparkline).toMatchObject({ errors: 0, windows: 0, expected: null });
    expect(quiet!.sparkline.count.every((count) => count === null)).toBe(true);
    // "quiet" has a baseline and never a window: listed, but not stale (it has no source to fall behind).
    expect(quiet).toMatchObject({ windowEnd: null, attention: [] });
  });

  it("searches by part of the name in any case, sorts and pages on the server, drawing only the page's namespaces", async () => {
    const searched = await listNamespaces(db(), viewer, listContext, { q: " PAY ", sort: "name" }, NOW);
    expect(searched.rows.map((row) => row.namespace)).toEqual(["payments"]);
    expect(searched).toMatchObject({ q: "PAY", matching: 1, counts: { total: 3 } });

    const second = await listNamespaces(db(), viewer, listContext, { sort: "name", offset: 1, limit: 1 }, NOW);
    expect(second.rows.map((row) => row.namespace)).toEqual(["payments"]);
    expect(second).toMatchObject({ offset: 1, limit: 1, nextOffset: 2, matching: 3 });
    const last = await listNamespaces(db(), viewer, listContext, { sort: "name", offset: 2, limit: 1 }, NOW);
    expect(last.nextOffset).toBeNull();
    const beyond = await listNamespaces(db(), viewer, listContext, { sort: "name", offset: 40 }, NOW);
    expect(beyond.rows).toEqual([]);
    expect(beyond.nextOffset).toBeNull();

    const none = await listNamespaces(db(), viewer, listContext, { q: "nowhere" }, NOW);
    expect(none).toMatchObject({ rows: [], matching: 0, nextOffset: null, counts: { total: 3 } });
  });

  it("refuses a page larger than the largest, a negative offset, an unknown sort and a request without a user", async () => {
    await expect(listNamespaces(db(), viewer, listContext, { limit: MAX_NAMESPACE_PAGE_SIZE + 1 }, NOW)).rejects.toThrow();
    await expect(listNamespaces(db(), viewer, listContext, { offset: -1 }, NOW)).rejects.toThrow();
    await expect(listNamespaces(db(), viewer, listContext, { sort: "loudest" as "name" }, NOW)).rejects.toThrow();
    await expect(listNamespaces(db(), null, listContext, {}, NOW)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it("reuses the page's drawing until windows or the baseline change, and counts open peaks every time", async () => {
    const { prisma } = db();
    const rowOf = (answer: NamespaceList, namespace: string) => answer.rows.find((row) => row.namespace === namespace);
    const first = await listNamespaces(db(), viewer, listContext, { sort: "name" }, NOW);
    const second = await listNamespaces(db(), viewer, listContext, { sort: "name" }, NOW);
    expect(rowOf(second, "payments")!.sparkline).toBe(rowOf(first, "payments")!.sparkline);

    // An open peak of a namespace with nothing to draw is listed at once; a page of other namespaces keeps its drawing.
    await insertPeaks(prisma, [peakAt(TO - 2 * DAY - WINDOW, "audit", 300)]);
    const withPeak = await listNamespaces(db(), viewer, listContext, { sort: "name" }, NOW);
    expect(rowOf(withPeak, "audit")).toMatchObject({ openPeaks: 1, sparkline: { errors: 0, windows: 0, expected: null } });
    const onlyPayments = await listNamespaces(db(), viewer, listContext, { q: "payments" }, NOW);
    const againOnlyPayments = await listNamespaces(db(), viewer, listContext, { q: "payments" }, NOW);
    expect(rowOf(againOnlyPayments, "payments")!.sparkline).toBe(rowOf(onlyPayments, "payments")!.sparkline);
    expect(rowOf(againOnlyPayments, "payments")!.openPeaks).toBe(2);

    const late = TO - WINDOW;
    await insertWindows(prisma, [{ start: late, namespace: "shipping", keys: grid.slotOf(late), count: 7, isPeak: false, baselineValue: 7 }]);
    const withWindow = await listNamespaces(db(), viewer, listContext, { sort: "name" }, NOW);
    expect(rowOf(withWindow, "shipping")!.sparkline).toMatchObject({ errors: 7, windows: 1, expected: null });
    const paymentsAfterWindow = await listNamespaces(db(), viewer, listContext, { q: "payments" }, NOW);
    expect(rowOf(paymentsAfterWindow, "payments")!.sparkline).not.toBe(rowOf(onlyPayments, "payments")!.sparkline);

    const table: BaselineTable = new Map();
    for (const value of [2, 3, 4, 3, 3]) recordSample(table, "shipping", grid.slotOf(late), value);
    await saveBaselineSlots(prisma, table);
    const withBaseline = await listNamespaces(db(), viewer, listContext, { sort: "name" }, NOW);
    expect(rowOf(withBaseline, "shipping")!.sparkline).toMatchObject({ errors: 7, windows: 1, expected: 3 });

    // A window read again (an UPDATE, no new row) and thresholds saved are seen at once too.
    await prisma.peakRawData.updateMany({ where: { namespace: "shipping" }, data: { errorCount: 9 } });
    const corrected = await listNamespaces(db(), viewer, listContext, { sort: "name" }, NOW);
    expect(rowOf(corrected, "shipping")).toMatchObject({ errorCount: 9, sparkline: { errors: 9 } });
    const thresholdBefore = rowOf(corrected, "shipping")!.threshold;
    await prisma.thresholdSetting.create({ data: { values: { min_absolute_value: 2 } } });
    const lowered = await listNamespaces(db(), viewer, listContext, { sort: "name" }, NOW);
    expect(rowOf(lowered, "shipping")!.threshold).not.toBe(thresholdBefore);
    await prisma.thresholdSetting.deleteMany();
  });

  it("judges every namespace once while nothing it is judged from was written, and again once a peak is", async () => {
    const first = await readNamespaceStates(db(), listContext, NOW);
    expect(await readNamespaceStates(db(), listContext, NOW)).toBe(first);
    const auditPeaks = first.states.find((state) => state.namespace === "audit")?.openPeaks ?? 0;
    await insertPeaks(db().prisma, [peakAt(TO - 3 * DAY, "audit", 300)]);
    const after = await readNamespaceStates(db(), listContext, NOW);
    expect(after).not.toBe(first);
    expect(after.states.find((state) => state.namespace === "audit")).toMatchObject({ openPeaks: auditPeaks + 1 });
  });

  it("lists the windows no source covered as gaps, up to the last window completed by now", async () => {
    // The 7 days before now: only the last two are stored; the first window starts at the next quarter hour.
    const week = await readNamespaceSeries(db(), viewer, { namespace: "payments" }, context, NOW);
    const firstStart = grid.windowStartOf(NOW.getTime() - 7 * DAY) + WINDOW;
    expect(week.gaps).toEqual([{ from: firstStart, to: FROM, windows: (FROM - firstStart) / WINDOW }]);
    // Nothing stored in the range: one gap over all of it.
    const empty = await readNamespaceSeries(
      db(),
      viewer,
      { namespace: "quiet", from: new Date(FROM).toISOString(), to: new Date(FROM + DAY).toISOString() },
      context,
      NOW,
    );
    expect(empty.gaps).toEqual([{ from: FROM, to: FROM + DAY, windows: 96 }]);
    expect(empty.points.every((point) => point.count === null)).toBe(true);
  });

  it("keeps a one-window gap inside a downsampled bucket, whose point still shows the bucket's busiest stored window", async () => {
    const hole = FROM + DAY + 30 * WINDOW;
    const day = grid.windowsBetween(FROM + DAY, TO).filter((start) => start !== hole);
    await insertWindows(
      db().prisma,
      day.map((start) => ({ start, namespace: "ledger", keys: grid.slotOf(start), count: start === hole + WINDOW ? 40 : 4, isPeak: false, baselineValue: 4 })),
    );
    const series = await readNamespaceSeries(
      db(),
      viewer,
      { namespace: "ledger", from: new Date(FROM + DAY).toISOString(), to: new Date(TO).toISOString(), points: 10 },
      context,
      NOW,
    );
    expect(series.bucketMinutes).toBe(150);
    expect(series.gaps).toEqual([{ from: hole, to: hole + WINDOW, windows: 1 }]);
    const bucket = series.points.find((point) => point.start <= hole && hole < point.start + 150 * 60_000);
    expect(bucket).toMatchObject({ windowStart: hole + WINDOW, count: 40 });
    expect(series.totals.windows).toBe(95);
  });

  it("counts no window after now as a gap, nor the one still in progress", async () => {
    // A peak page's chart reaches 12 hours past a recent peak: the future is not missing data.
    const series = await readNamespaceSeries(
      db(),
      viewer,
      { namespace: "payments", from: new Date(TO - DAY).toISOString(), to: new Date(TO + DAY).toISOString() },
      context,
      NOW,
    );
    expect(series.gaps).toEqual([]);
    const later = new Date(TO + 2 * WINDOW + 60_000);
    const behind = await readNamespaceSeries(
      db(),
      viewer,
      { namespace: "payments", from: new Date(TO - DAY).toISOString(), to: new Date(TO + DAY).toISOString() },
      context,
      later,
    );
    expect(behind.gaps).toEqual([{ from: TO, to: TO + 2 * WINDOW, windows: 2 }]);
  });
});

describe.each(databaseKinds)("the baseline of a chart's slots on %s", (kind) => {
  const db = useMigratedDatabase(kind);

  it("reads what judging the slots needs, pooling young slots exactly as the whole baseline would", async () => {
    const { prisma } = db();
    // "young": Monday to Wednesday have a mature first half of each day, a young second half
    // (one or two samples), and no Thursday at all; "other" is mature everywhere.
    const table: BaselineTable = new Map();
    for (const start of grid.windowsBetween(FROM, FROM + 7 * DAY)) {
      const slot = grid.slotOf(start);
      for (const value of [10, 20, 30, 20, 20]) recordSample(table, "other", slot, value);
      if (slot.dayOfWeek > 2) continue;
      const samples = slot.hourOfDay < 12 ? [5, 7, 9, 11] : slot.quarterHour % 2 === 0 ? [40] : [40, 60];
      for (const value of samples) recordSample(table, "young", slot, value);
    }
    await saveBaselineSlots(prisma, table);
    const full = await loadBaseline(prisma, null);
    // Tuesday and Wednesday: own slots, young ones pooled with neighbours and other weekdays.
    const starts = grid.windowsBetween(Date.parse("2026-11-24T00:00:00Z"), Date.parse("2026-11-26T00:00:00Z"));
    const slots = starts.map((start) => grid.slotOf(start));
    const part = await loadBaselineOfSlots(prisma, ["young", "other", "absent"], slots, 4);
    expect(part.size).toBeLessThan(full.size);
    for (const namespace of ["young", "other", "absent"]) {
      for (const slot of slots)
        expect(effectiveBaseline(part, namespace, slot, 4), `${namespace} ${JSON.stringify(slot)}`).toEqual(effectiveBaseline(full, namespace, slot, 4));
    }
    expect(effectiveBaseline(part, "young", { dayOfWeek: 1, hourOfDay: 13, quarterHour: 1 }, 4).source).toBe("pooled");
    expect(effectiveBaseline(part, "young", { dayOfWeek: 1, hourOfDay: 13, quarterHour: 0 }, 4).source).toBe("insufficient");
  });
});

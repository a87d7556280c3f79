import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/roles";
import { loadConfig } from "@/lib/config";
import { ConflictError, ForbiddenError, InvalidInputError } from "@/lib/errors";
import { differingSlots, dumpDetectionState } from "@/test/support/completeness";
import { dayDocuments, daysFrom, writeLines, type CountPlan } from "@/test/support/log-files";
import { databaseKinds, type DatabaseKind, useMigratedDatabase } from "@/test/support/test-database";
import { recalculateBaseline } from "./baseline";
import { gridOf } from "@/lib/config/grid";
import { ingestFiles } from "./ingest";
import { acceptNewNormal, listNewNormals, takeBackNewNormal } from "./new-normal";

// A release adds a steady 100 errors a window to payments (20 before). Detection flags it; an
// analyst accepts the new level from the peak; the next day at that level is normal. Taking the
// acceptance back restores the slots exactly, and the level is flagged again.

const root = path.resolve(import.meta.dirname, "..", "..");
const config = loadConfig(path.join(root, "values.yaml"));
const grid = gridOf(config);
const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-new-normal-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const days = daysFrom(grid, "2026-01-05", 31);
const shiftDay = days[28]!;
const shiftStart = grid.localDayRange(shiftDay).startMs + 10 * 3_600_000;
const plan: CountPlan = (namespace, start) => (namespace === "payments" && start >= shiftStart ? 120 : 20);
const rangeOf = (day: string) => {
  const { startMs, endMs } = grid.localDayRange(day);
  return { fromMs: startMs, toMs: endMs };
};
const viewer: Actor = { kind: "user", id: 0, email: "viewer@example.com", name: null, role: "viewer" };

describe.each(databaseKinds)("accepting a new normal on %s", (kind: DatabaseKind) => {
  const dir = path.join(workDir, kind);
  const fileOf = (day: string) => path.join(dir, `errors-${day}.ndjson`);
  const db = useMigratedDatabase(kind);
  const ingestDay = (index: number) =>
    ingestFiles(db(), config, { paths: [fileOf(days[index - 1]!), fileOf(days[index]!)], mode: "detect", range: rangeOf(days[index]!) });
  const slotMeans = async () =>
    new Map(
      (await db().prisma.aggregationData.findMany({ where: { namespace: "payments" } })).map((slot) => [
        `${slot.dayOfWeek}|${slot.hourOfDay}|${slot.quarterHour}`,
        slot.mean,
      ]),
    );

  let analyst: Actor = viewer;

  beforeAll(async () => {
    const user = await db().prisma.user.create({ data: { email: "analyst@example.com", name: null, role: "analyst" } });
    analyst = { kind: "user", id: user.id, email: user.email, name: null, role: "analyst" };
    mkdirSync(dir, { recursive: true });
    for (const day of days) await writeLines(fileOf(day), dayDocuments(grid, day, ["payments"], plan));
    await ingestFiles(db(), config, { paths: days.slice(0, 28).map(fileOf), mode: "init" });
    // Without the 24-hour floor a level shift stays above the thresholds for as long as the baseline does not know it.
    // Nor the same-day guard, which keeps a level that was high all day from being a new incident.
    await db().prisma.thresholdSetting.create({
      data: { values: { ...config.peak_detection, dynamic_min_multiplier: 0, same_day_min_ratio: 0 }, comment: "no 24-hour floor, no same-day guard" },
    });
    await ingestDay(28);
  });

  it("flags the level shift, and measures it without writing on a preview", async () => {
    const first = await db().prisma.peakInvestigation.findFirstOrThrow({ where: { namespace: "payments" }, orderBy: { timestamp: "asc" } });
    expect(first.timestamp.getTime()).toBe(shiftStart);
    const before = await dumpDetectionState(db().prisma);
    const result = await acceptNewNormal(db(), config, analyst, { peakId: first.id, preview: true });
    const open = await db().prisma.peakInvestigation.findMany({
      where: { namespace: "payments", status: "open" },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    expect(open.length).toBeGreaterThan(0);
    expect(result).toEqual({
      preview: {
        namespace: "payments",
        from: new Date(shiftStart).toISOString(),
        levelOffset: 100,
        windows: 55,
        slots: 672,
        openPeaks: open.map((peak) => peak.id),
      },
    });
    expect(await dumpDetectionState(db().prisma)).toEqual(before);
  });

  it("refuses viewers, a start that is not a window, and a start with too few windows after it, writing nothing", async () => {
    const before = await dumpDetectionState(db().prisma);
    await expect(acceptNewNormal(db(), config, viewer, { namespace: "payments", from: new Date(shiftStart).toISOString() })).rejects.toThrow(ForbiddenError);
    await expect(acceptNewNormal(db(), config, analyst, { namespace: "payments", from: new Date(shiftStart + 60_000).toISOString() })).rejects.toThrow(
      /start of a window/,
    );
    // The day's last window is not stored yet: the next day's file covers it.
    const late = grid.localDayRange(shiftDay).endMs - 3 * grid.windowMs;
    await expect(acceptNewNormal(db(), config, analyst, { namespace: "payments", from: new Date(late).toISOString() })).rejects.toThrow(
      /2 are stored, at least 4/,
    );
    await expect(acceptNewNormal(db(), config, analyst, { namespace: "payments" })).rejects.toThrow(InvalidInputError);
    expect(await dumpDetectionState(db().prisma)).toEqual(before);
  });

  let acceptedId = 0;
  let meansBefore = new Map<string, number>();
  let storedBefore = new Set<number>();

  it("re-seeds every slot by the measured level, audited, exactly as a recalculation gives it, and the next day at that level is normal", async () => {
    meansBefore = await slotMeans();
    storedBefore = new Set((await db().prisma.peakRawData.findMany({ select: { timestamp: true } })).map((window) => window.timestamp.getTime()));
    const first = await db().prisma.peakInvestigation.findFirstOrThrow({ where: { namespace: "payments" }, orderBy: { timestamp: "asc" } });
    const result = await acceptNewNormal(db(), config, analyst, { peakId: first.id, comment: "release 4.2 logs a deprecation error" });
    if (!("accepted" in result)) throw new Error("expected an acceptance");
    acceptedId = result.accepted.id;
    expect(result.accepted).toMatchObject({
      namespace: "payments",
      levelOffset: 100,
      windows: 55,
      peakId: first.id,
      acceptedBy: "analyst@example.com",
      revertedAt: null,
    });
    const after = await slotMeans();
    for (const [slot, mean] of after) {
      // The 55 windows since the start entered at 120; every earlier sample moved by 100.
      expect(mean, slot).toBeCloseTo(120, 9);
    }
    const audit = await db().prisma.auditLog.findFirstOrThrow({ where: { action: "baseline.accept_new_normal" } });
    expect(audit).toMatchObject({ entityType: "namespace", entityId: "payments", actor: "analyst@example.com" });
    const peaks = await db().prisma.peakInvestigation.findMany({ where: { namespace: "payments" }, select: { id: true, status: true } });
    expect(peaks.length).toBeGreaterThan(0);
    expect(peaks.every((peak) => peak.status === "acknowledged")).toBe(true);
    expect(audit.details).toMatchObject({ acknowledgedPeaks: peaks.map((peak) => peak.id).sort((left, right) => left - right) });

    const state = await dumpDetectionState(db().prisma);
    const report = await recalculateBaseline(db(), { namespace: "payments" });
    expect(report.largestMeanDifference).toBeLessThan(1e-12);
    expect(differingSlots(state.slots, (await dumpDetectionState(db().prisma)).slots)).toEqual([]);

    const peaksBefore = await db().prisma.peakInvestigation.count();
    const next = await ingestDay(29);
    expect(next.peaks.new + next.peaks.continuing).toBe(0);
    expect(await db().prisma.peakInvestigation.count()).toBe(peaksBefore);
    expect(await listNewNormals(db(), viewer, { namespace: "payments" })).toEqual([result.accepted]);
  });

  const lateWindow = shiftStart - 2 * grid.windowMs;

  it("gives a window before the start that late documents correct the same shift as every other sample before it", async () => {
    const lateFile = path.join(dir, "late.ndjson");
    await writeLines(
      lateFile,
      Array.from({ length: 5 }, (_, index) =>
        JSON.stringify({
          "@timestamp": new Date(lateWindow + 1000 + index).toISOString(),
          level: "ERROR",
          message: "late",
          kubernetes: { namespace: "payments" },
        }),
      ),
    );
    const peaksBefore = await db().prisma.peakInvestigation.findMany({ where: { namespace: "payments" }, orderBy: { id: "asc" } });
    const corrected = await ingestFiles(db(), config, {
      paths: [fileOf(days[27]!), fileOf(shiftDay), lateFile],
      mode: "detect",
      range: rangeOf(shiftDay),
    });
    expect(corrected.corrections.filter((entry) => entry.count !== entry.previousCount)).toEqual([
      { start: lateWindow, namespace: "payments", previousCount: 20, count: 25, wasPeak: false, isPeak: false },
    ]);
    // Judged again against the new normal, the level's windows are no peaks any more; the peaks
    // stay, acknowledged when the level was accepted.
    expect(corrected.peaks.removed).toBe(0);
    expect(await db().prisma.peakInvestigation.findMany({ where: { namespace: "payments" }, orderBy: { id: "asc" } })).toEqual(
      peaksBefore.map((peak) => ({ ...peak, updatedAt: expect.any(Date) })),
    );
    const window = await db().prisma.peakRawData.findFirstOrThrow({ where: { namespace: "payments", timestamp: new Date(lateWindow) } });
    expect(window).toMatchObject({ errorCount: 25, baselineValue: 125 });
    const state = await dumpDetectionState(db().prisma);
    expect((await recalculateBaseline(db(), { namespace: "payments" })).largestMeanDifference).toBeLessThan(1e-9);
    expect(differingSlots(state.slots, (await dumpDetectionState(db().prisma)).slots)).toEqual([]);
  });

  it("takes the acceptance back exactly, once, and the level is flagged again", async () => {
    const storedSince = (await db().prisma.peakRawData.findMany({ select: { timestamp: true } })).filter(
      (window) => !storedBefore.has(window.timestamp.getTime()),
    );
    const slotsJudgedSince = new Set(
      storedSince.map((window) => grid.slotOf(window.timestamp.getTime())).map((slot) => `${slot.dayOfWeek}|${slot.hourOfDay}|${slot.quarterHour}`),
    );
    // The shift day's last window and the next day's but its last.
    expect(slotsJudgedSince.size).toBe(96 - 1);
    const late = grid.slotOf(lateWindow);
    const lateSlot = `${late.dayOfWeek}|${late.hourOfDay}|${late.quarterHour}`;
    const reverted = await takeBackNewNormal(db(), config, analyst, acceptedId);
    expect(reverted).toMatchObject({ id: acceptedId, revertedBy: "analyst@example.com" });
    const after = await slotMeans();
    // Late documents made that window 25 instead of 20: one of the slot's five samples.
    expect(after.get(lateSlot)).toBeCloseTo(meansBefore.get(lateSlot)! + 5 / 5, 9);
    for (const [slot, mean] of meansBefore) {
      if (slot === lateSlot) continue;
      // A slot of a window stored since holds one more window (120 errors); the others are as before.
      if (slotsJudgedSince.has(slot)) expect(after.get(slot)!, slot).toBeGreaterThan(mean);
      else expect(after.get(slot)!, slot).toBeCloseTo(mean, 9);
    }
    await expect(takeBackNewNormal(db(), config, analyst, acceptedId)).rejects.toThrow(ConflictError);
    const next = await ingestDay(30);
    expect(next.peaks.new + next.peaks.continuing).toBeGreaterThan(0);
  });
});

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import type { Database } from "@/lib/db/client";
import { deleteExpiredWindows } from "@/lib/db/maintenance";
import { ingestFiles } from "@/lib/jobs/ingest";
import { namespaceSlotKeys, parseSlotKey } from "@/lib/pipeline/baseline";
import { createDispersionTracker, exactSum, MIN_DISPERSION_SLOTS, type DispersionState } from "@/lib/pipeline/count-model";
import { dayDocuments, daysFrom, writeLines, type CountPlan } from "@/test/support/log-files";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { loadBaseline, saveBaselineSlots } from "./store";

// A run reads only the slots of the windows it judges and takes each namespace's dispersion (a
// function of all of its slots) from baseline_spreads. What it judges must not depend on whether
// the spreads were stored or computed again from the slots, and a spread must never outlive a
// change of its namespace's slots made by anything else.

const root = path.resolve(import.meta.dirname, "..", "..");
const config = loadConfig(path.join(root, "values.yaml"));
const grid = gridOf(config);
const windowsPerHour = 60 / config.window_minutes;
const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-spreads-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const days = daysFrom(grid, "2026-01-05", 24);
const NAMESPACES = ["bursty", "busy", "quiet"] as const;

/** A deterministic value in [0, 1) per namespace and window. */
function noise(namespace: string, start: number): number {
  let hash = 2166136261 ^ (start / 60_000);
  for (const character of namespace) hash = Math.imul(hash ^ character.charCodeAt(0), 16777619);
  return ((hash >>> 0) % 10_007) / 10_007;
}

/**
 * busy: 40 a window with mild noise (every slot takes part in the median); bursty: 20 with
 * over-dispersed bursts and an incident on day 23; quiet: 0–3 (too few slots of mean ≥ 5 for a
 * median, so its pooled moments decide).
 */
const plan: CountPlan = (namespace, start) => {
  const u = noise(namespace, start);
  const hour = grid.slotOf(start).hourOfDay;
  if (namespace === "quiet") return Math.floor(u * 4);
  if (namespace === "busy") return 40 + Math.floor(u * 12) - 6 + (hour >= 9 && hour < 17 ? 20 : 0);
  const incident = grid.localDateOf(start) === days[22] && hour === 15 ? 600 : 0;
  return 20 + (u > 0.9 ? Math.floor(u * 80) : Math.floor(u * 10)) + incident;
};

async function storedSpreads(db: Database): Promise<Map<string, DispersionState>> {
  const rows = await db.prisma.baselineSpread.findMany({ orderBy: { namespace: "asc" } });
  return new Map(rows.map((row) => [row.namespace, row.state as DispersionState]));
}

/** The spread each namespace's stored slots give, computed from all of them. */
async function spreadsOfSlots(db: Database): Promise<Map<string, DispersionState>> {
  const baseline = await loadBaseline(db.prisma, null);
  return new Map(
    NAMESPACES.map((namespace) => [namespace, createDispersionTracker(namespaceSlotKeys(namespace, windowsPerHour).map((key) => baseline.get(key))).state()]),
  );
}

function comparable(state: DispersionState | undefined) {
  return state && { version: state.version, ratios: state.ratios, excess: exactSum(state.excess), scale: exactSum(state.scale) };
}

async function decisions(db: Database) {
  return db.prisma.peakInvestigation.findMany({
    select: { namespace: true, timestamp: true, errorCount: true, dispersion: true, spreadThreshold: true, baselineMean: true, ratio: true },
    orderBy: [{ timestamp: "asc" }, { namespace: "asc" }],
  });
}

describe.each(databaseKinds)("stored spreads on %s", (kind: DatabaseKind) => {
  const dir = path.join(workDir, kind);
  const fileOf = (day: string) => path.join(dir, `errors-${day}.ndjson`);
  const stored = useMigratedDatabase(kind);
  const recomputed = useMigratedDatabase(kind);
  const rangeOf = (day: string) => {
    const { startMs, endMs } = grid.localDayRange(day);
    return { fromMs: startMs, toMs: endMs };
  };
  /** The day's windows judged one run per `hours` hours, as the scheduled runs do. */
  async function detectDay(db: Database, dayIndex: number, hours: number, beforeEachRun: () => Promise<void> = async () => {}) {
    const day = days[dayIndex]!;
    const { fromMs, toMs } = rangeOf(day);
    for (let from = fromMs; from < toMs; from += hours * 3_600_000) {
      await beforeEachRun();
      await ingestFiles(db, config, {
        paths: [fileOf(days[dayIndex - 1]!), fileOf(day)],
        mode: "detect",
        range: { fromMs: from, toMs: Math.min(toMs, from + hours * 3_600_000) },
      });
    }
  }

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    for (const day of days) await writeLines(fileOf(day), dayDocuments(grid, day, NAMESPACES, plan));
    for (const db of [stored(), recomputed()]) await ingestFiles(db, config, { paths: days.slice(0, 21).map(fileOf), mode: "init" });
  }, 300_000);

  it("stores after a detect run each namespace's spread, exactly the one all of its stored slots give", async () => {
    await detectDay(stored(), 21, 24);
    await detectDay(recomputed(), 21, 24);
    const spreads = await storedSpreads(stored());
    expect([...spreads.keys()]).toEqual([...NAMESPACES]);
    const ofSlots = await spreadsOfSlots(stored());
    for (const namespace of NAMESPACES) expect(comparable(spreads.get(namespace)), namespace).toEqual(comparable(ofSlots.get(namespace)));
    // Both paths of the estimate are exercised: the median for busy, the pooled moments for quiet.
    expect(ofSlots.get("busy")!.ratios.length).toBeGreaterThanOrEqual(MIN_DISPERSION_SLOTS);
    expect(ofSlots.get("quiet")!.ratios.length).toBeLessThan(MIN_DISPERSION_SLOTS);
  }, 240_000);

  it("judges a day of hourly runs from stored spreads exactly as runs that compute every spread from the slots", async () => {
    await detectDay(stored(), 22, 1);
    // The other database loses its spreads before every run: each is computed from all slots.
    await detectDay(recomputed(), 22, 1, async () => {
      await recomputed().prisma.baselineSpread.deleteMany();
    });
    const judged = await decisions(stored());
    expect(judged.some((peak) => peak.namespace === "bursty")).toBe(true);
    expect(judged).toEqual(await decisions(recomputed()));
    expect([...(await storedSpreads(stored())).entries()].map(([namespace, state]) => [namespace, comparable(state)])).toEqual(
      [...(await storedSpreads(recomputed())).entries()].map(([namespace, state]) => [namespace, comparable(state)]),
    );
    const ofSlots = await spreadsOfSlots(stored());
    for (const [namespace, state] of await storedSpreads(stored())) expect(comparable(state), namespace).toEqual(comparable(ofSlots.get(namespace)));
  }, 300_000);

  it("drops a namespace's spread when its slots are written by anything else, keeps it when old windows only retire, and computes it again", async () => {
    const db = stored();
    const baseline = await loadBaseline(db.prisma, ["bursty"]);
    const [key, stats] = [...baseline][0]!;
    await saveBaselineSlots(db.prisma, new Map([[key, { ...stats, mean: stats.mean + 1 }]]));
    expect([...(await storedSpreads(db)).keys()]).toEqual(["busy", "quiet"]);
    expect(parseSlotKey(key).namespace).toBe("bursty");

    // Retiring expired windows writes aggregation_data's retired_* columns, not the slots' statistics.
    const retired = await deleteExpiredWindows(db.prisma, new Date(grid.localDayRange(days[1]!).startMs), 1_000);
    expect(retired.deleted).toBeGreaterThan(0);
    expect([...(await storedSpreads(db)).keys()]).toEqual(["busy", "quiet"]);

    await detectDay(db, 23, 1);
    const spreads = await storedSpreads(db);
    expect([...spreads.keys()]).toEqual([...NAMESPACES]);
    const ofSlots = await spreadsOfSlots(db);
    for (const namespace of NAMESPACES) expect(comparable(spreads.get(namespace)), namespace).toEqual(comparable(ofSlots.get(namespace)));

    await db.prisma.$executeRawUnsafe("TRUNCATE aggregation_data");
    expect((await storedSpreads(db)).size).toBe(0);
  }, 300_000);
});

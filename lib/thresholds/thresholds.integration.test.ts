import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/roles";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import type { PeakDetectionSettings } from "@/lib/pipeline/detect";
import { createWindowGrid } from "@/lib/pipeline/time";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { insertWindows } from "@/lib/db/detection-store";
import { backtestThresholds } from "./backtest";
import { getThresholds, restoreThresholds, saveThresholds } from "./settings";
import { findEffectiveThresholds } from "@/lib/detection/store";

const defaults: PeakDetectionSettings = {
  min_ratio_multiplier: 3,
  max_ratio_multiplier: 5,
  dynamic_min_multiplier: 2.5,
  min_absolute_value: 100,
  same_day_window_count: 3,
  same_day_min_ratio: 0,
  tail_probability: 1e-5,
};
const grid = createWindowGrid("UTC", 15);
const WINDOW = 15 * 60_000;
const DAY = 86_400_000;
// Monday 5 January 2026, 00:00 UTC: five weeks of history, then the week the backtest judges.
const MONDAY = Date.parse("2026-01-05T00:00:00Z");
const END = MONDAY + 42 * DAY;
const moderateSpike = END - 3 * DAY + 20 * WINDOW;
const bigSpike = END - DAY + 50 * WINDOW;

describe.each(databaseKinds)("threshold versions and backtest on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const viewer: Actor = { kind: "user", id: 0, email: "viewer@example.com", name: null, role: "viewer" };
  const analyst: Actor = { ...viewer, email: "analyst@example.com", role: "analyst" };
  let admin: Actor;

  it("starts at the values.yaml defaults, readable by viewers", async () => {
    const user = await db().prisma.user.create({ data: { email: "admin@example.com", name: "Ada Admin", role: "admin" } });
    admin = { kind: "user", id: user.id, email: user.email, name: user.name, role: "admin" };
    const state = await getThresholds(db(), viewer, defaults);
    expect(state.current).toMatchObject({ version: null, values: defaults, createdBy: null });
    expect(state.history).toHaveLength(1);
  });

  it("saves a version with who, when and what changed, audited, and detection uses it", async () => {
    const saved = await saveThresholds(db(), admin, defaults, {
      values: { ...defaults, min_absolute_value: 60 },
      comment: "quieter services",
      basedOnVersion: null,
    });
    expect(saved).toMatchObject({ comment: "quieter services", createdBy: "Ada Admin", changes: [{ key: "min_absolute_value", from: 100, to: 60 }] });
    expect(await findEffectiveThresholds(db().prisma, defaults)).toEqual({ settings: { ...defaults, min_absolute_value: 60 }, version: saved.version });
    const audit = await db().prisma.auditLog.findFirstOrThrow({ where: { action: "thresholds.save" } });
    expect(audit).toMatchObject({ entityId: String(saved.version), actor: "admin@example.com" });
    expect(audit.details).toMatchObject({ previousVersion: null, before: defaults, after: { ...defaults, min_absolute_value: 60 } });
  });

  it("refuses a save based on a version that is no longer in force, unchanged values and invalid values, writing nothing", async () => {
    const before = await db().prisma.thresholdSetting.count();
    await expect(saveThresholds(db(), admin, defaults, { values: { ...defaults, min_absolute_value: 70 }, basedOnVersion: null })).rejects.toThrow(
      ConflictError,
    );
    const { current } = await getThresholds(db(), viewer, defaults);
    await expect(saveThresholds(db(), admin, defaults, { values: current.values, basedOnVersion: current.version })).rejects.toThrow(/already in force/);
    const invalid = saveThresholds(db(), admin, defaults, { values: { ...defaults, max_ratio_multiplier: 2 }, basedOnVersion: current.version });
    await expect(invalid).rejects.toThrow(InvalidInputError);
    await expect(invalid).rejects.toMatchObject({ details: [{ path: "values.max_ratio_multiplier", message: "must be at least min_ratio_multiplier" }] });
    await expect(saveThresholds(db(), analyst, defaults, { values: defaults, basedOnVersion: current.version })).rejects.toThrow(ForbiddenError);
    expect(await db().prisma.thresholdSetting.count()).toBe(before);
  });

  it("restores an earlier version as a new one and lists the history newest first", async () => {
    const first = (await getThresholds(db(), viewer, defaults)).current;
    const second = await saveThresholds(db(), admin, defaults, { values: { ...first.values, min_ratio_multiplier: 4 }, basedOnVersion: first.version });
    const restored = await restoreThresholds(db(), admin, defaults, { version: first.version! });
    expect(restored).toMatchObject({
      values: first.values,
      comment: `Restored version ${first.version}`,
      changes: [{ key: "min_ratio_multiplier", from: 4, to: 3 }],
    });
    const state = await getThresholds(db(), viewer, defaults);
    expect(state.history.map((version) => version.version)).toEqual([restored.version, second.version, first.version, null]);
    await expect(restoreThresholds(db(), admin, defaults, { version: 9999 })).rejects.toThrow(NotFoundError);
    await expect(restoreThresholds(db(), admin, defaults, { version: first.version! })).rejects.toThrow(/already in force/);
  });

  it("backtests proposed values against the ones in force over the last days of stored windows", async () => {
    const rows = ["shop", "billing"].flatMap((namespace) =>
      grid.windowsBetween(MONDAY, END).map((start, index) => {
        const count = namespace === "shop" && start === moderateSpike ? 80 : namespace === "shop" && start === bigSpike ? 400 : index % 2 === 0 ? 18 : 22;
        return { start, namespace, keys: grid.slotOf(start), count, isPeak: false, baselineValue: count };
      }),
    );
    await insertWindows(db().prisma, rows);
    const inForce = (await getThresholds(db(), viewer, defaults)).current.values; // min_absolute_value 60
    const answer = await backtestThresholds(db(), admin, { grid, defaults }, { values: { ...inForce, min_absolute_value: 200 }, days: 7 });
    expect(answer).toMatchObject({ from: END - 7 * DAY, to: END, days: 7, current: inForce, totals: { current: 2, proposed: 1, added: 0, removed: 1 } });
    const shop = answer.namespaces.find((entry) => entry.namespace === "shop")!;
    expect(shop.removed.map((peak) => [peak.start, peak.count])).toEqual([[moderateSpike, 80]]);
    expect(shop.kept.map((peak) => peak.start)).toEqual([bigSpike]);
    expect(answer.namespaces.find((entry) => entry.namespace === "billing")).toMatchObject({ current: 0, proposed: 0 });
    // The chart shows the namespace that changes most, downsampled, with both thresholds.
    expect(answer.chart?.namespace).toBe("shop");
    expect(answer.chart!.points.length).toBeLessThanOrEqual(480);
    expect(answer.chart!.points.find((point) => point.windowStart === moderateSpike)).toMatchObject({
      count: 80,
      currentThreshold: 60,
      proposedThreshold: 200,
    });

    const one = await backtestThresholds(db(), admin, { grid, defaults }, { values: { ...inForce, min_absolute_value: 200 }, days: 3, namespace: "billing" });
    expect(one.namespaces.map((entry) => entry.namespace)).toEqual(["billing"]);
    expect(one.chart?.namespace).toBe("billing");
    await expect(backtestThresholds(db(), admin, { grid, defaults }, { values: inForce, namespace: "nowhere" })).rejects.toThrow(NotFoundError);
    await expect(backtestThresholds(db(), analyst, { grid, defaults }, { values: inForce })).rejects.toThrow(ForbiddenError);
    await expect(backtestThresholds(db(), admin, { grid, defaults }, { values: inForce, days: 31 })).rejects.toThrow(InvalidInputError);
  });
});

import { effectiveBaseline, namespaceSlotKeys, type BaselineTable } from "./baseline";
import type { WindowGrid } from "./time";

/**
 * "From this window on, this level is normal": an analyst accepts a namespace's new level (a
 * release that adds a steady error rate, or a fix that removed one). The level change is
 * measured on the windows since the chosen start, as the median of each window's count minus its
 * baseline mean (the slots without those windows), and every slot of the namespace is re-seeded
 * by it: each of its earlier samples moves by that many errors, so its mean moves by it and its
 * spread stays; a mean never goes below 0. The windows since the start enter their slots with
 * their full counts: they are the new normal. The change is additive because a new steady error
 * source adds about the same number of errors at every hour.
 *
 * Each slot's shift is kept so that the acceptance can be taken back exactly, and so that a
 * recalculation from the stored windows gives the same slots (lib/jobs/new-normal.ts).
 */

/** Windows since the start an estimate needs (an hour): fewer say more about noise than about a level. */
export const MIN_ACCEPTANCE_WINDOWS = 4;

/**
 * The median of count − baseline mean over the windows (judged against `baseline` without them):
 * the median, because the windows since the start usually begin with the incident that made the
 * change noticed, whose spike would pull a mean up. Null with fewer than MIN_ACCEPTANCE_WINDOWS.
 */
export function levelOffsetOf(
  windows: readonly { start: number; count: number }[],
  baseline: BaselineTable,
  namespace: string,
  grid: WindowGrid,
): number | null {
  if (windows.length < MIN_ACCEPTANCE_WINDOWS) return null;
  const windowsPerHour = 60 / grid.windowMinutes;
  const excess = windows
    .map((window) => window.count - effectiveBaseline(baseline, namespace, grid.slotOf(window.start), windowsPerHour).mean)
    .sort((left, right) => left - right);
  const middle = excess.length >> 1;
  return excess.length % 2 === 1 ? excess[middle]! : (excess[middle - 1]! + excess[middle]!) / 2;
}

/** The shift of each slot: slot key → errors per window added to each of its samples before the start. */
export type SlotShifts = Map<string, number>;

/** The shift of every slot of the namespace that has samples: `offset`, or less for a slot whose mean would go below 0. */
export function acceptanceShifts(baseline: BaselineTable, namespace: string, offset: number, windowsPerHour: number): SlotShifts {
  const shifts: SlotShifts = new Map();
  for (const key of namespaceSlotKeys(namespace, windowsPerHour)) {
    const stats = baseline.get(key);
    if (!stats || stats.samples === 0) continue;
    shifts.set(key, Math.max(offset, -stats.mean));
  }
  return shifts;
}

/** Moves every sample of the shifted slots (mutates the table): `direction` −1 takes the shifts back. The spread is unchanged. */
export function applyShifts(baseline: BaselineTable, shifts: ReadonlyMap<string, number>, direction: 1 | -1): void {
  for (const [key, shift] of shifts) {
    const stats = baseline.get(key);
    if (stats && stats.samples > 0) baseline.set(key, { ...stats, mean: stats.mean + direction * shift });
  }
}

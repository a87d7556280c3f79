import { describe, expect, it } from "vitest";
import {
  addExact,
  createDispersionTracker,
  dispersionOf,
  DISPERSION_STATE_VERSION,
  exactSum,
  MIN_DISPERSION_SLOTS,
  normalQuantile,
  ordinaryCeiling,
  predictiveVariance,
  trackerFromState,
  upperCount,
  type DispersionTracker,
} from "./count-model";
import { createRandom } from "@/lib/synthetic/random";
import { addSample, removeSample, statsOf, type RunningStats } from "./running-stats";

/** Slots of a namespace: `slots` slots with means from 10 to 60, `samples` negative-binomial (or Poisson, shape null) counts each. */
function namespaceSlots(seed: number, shape: number | null, samples: number, slots = 672): RunningStats[] {
  const random = createRandom(seed);
  return Array.from({ length: slots }, (_, index) => {
    const mean = 10 + 50 * (0.5 + 0.5 * Math.sin((index / slots) * 14 * Math.PI));
    return statsOf(Array.from({ length: samples }, () => (shape === null ? random.poisson(mean) : random.negativeBinomial(mean, shape))));
  });
}

/** Windows entering (a negative-binomial count) or leaving (one at the mean) random slots, the tracker told of each change. */
function changeSlots(
  slots: RunningStats[],
  tracker: DispersionTracker,
  plan: { seed: number; steps: number; addChance: number; mean: number; shape: number },
): void {
  const random = createRandom(plan.seed);
  for (let step = 0; step < plan.steps; step += 1) {
    const index = random.integer(0, slots.length - 1);
    const before = slots[index]!;
    const after = random.chance(plan.addChance) ? addSample(before, random.negativeBinomial(plan.mean, plan.shape)) : removeSample(before, before.mean);
    slots[index] = after;
    tracker.replace(before, after);
  }
}

describe("normalQuantile", () => {
  it("inverts the standard normal distribution", () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(1 - 1e-6)).toBeCloseTo(4.753424, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe("dispersionOf", () => {
  it("is about 0 for Poisson counts and about 1 / shape for negative-binomial ones", () => {
    expect(dispersionOf(namespaceSlots(1, null, 4))).toBeLessThan(0.03);
    for (const shape of [6, 4, 1.5]) {
      const estimate = dispersionOf(namespaceSlots(2, shape, 4));
      expect(estimate, `shape ${shape}`).toBeGreaterThan(0.75 / shape);
      expect(estimate, `shape ${shape}`).toBeLessThan(1.25 / shape);
    }
  });

  it("is not thrown off by the slots of a level change (a seventh of them holding 20 and 120)", () => {
    const slots = namespaceSlots(3, null, 4);
    for (let index = 0; index < 96; index += 1) slots[index] = statsOf([20, 21, 19, 20, 120]);
    expect(dispersionOf(slots)).toBeLessThan(0.03);
  });

  it("pools the moments of a young namespace with too few slots for a median, and is 0 for an empty one", () => {
    const few = namespaceSlots(4, 4, 4, MIN_DISPERSION_SLOTS - 1);
    const pooled = few.reduce(
      (sums, slot) => ({ excess: sums.excess + slot.m2 - (slot.samples - 1) * slot.mean, scale: sums.scale + (slot.samples - 1) * slot.mean ** 2 }),
      { excess: 0, scale: 0 },
    );
    expect(dispersionOf(few)).toBeCloseTo(Math.max(0, pooled.excess / pooled.scale), 12);
    expect(dispersionOf([])).toBe(0);
    expect(dispersionOf([undefined, statsOf([3])])).toBe(0);
  });
});

describe("createDispersionTracker", () => {
  it("follows the slots as windows enter and leave them, giving dispersionOf of the slots as they are", () => {
    const slots = namespaceSlots(5, 4, 3, 200);
    const tracker = createDispersionTracker(slots);
    expect(tracker.value()).toBe(dispersionOf(slots));
    const empty = createDispersionTracker();
    for (const slot of slots) empty.replace(undefined, slot);
    expect(empty.value()).toBeCloseTo(dispersionOf(slots), 12);
    changeSlots(slots, tracker, { seed: 6, steps: 500, addChance: 0.8, mean: 30, shape: 4 });
    expect(tracker.value()).toBeCloseTo(dispersionOf(slots), 12);
  });

  it("holds exactly what the slots give, whatever the order of the changes, also for a young namespace's pooled moments", () => {
    for (const count of [200, MIN_DISPERSION_SLOTS - 1]) {
      const slots = namespaceSlots(7, 2, 4, count);
      const tracker = createDispersionTracker(slots);
      changeSlots(slots, tracker, { seed: 8, steps: 2_000, addChance: 0.6, mean: 25, shape: 2 });
      const fresh = createDispersionTracker(slots);
      expect(tracker.value(), `${count} slots`).toBe(fresh.value());
      expect(tracker.state().ratios, `${count} slots`).toEqual(fresh.state().ratios);
      expect(exactSum(tracker.state().excess), `${count} slots`).toBe(exactSum(fresh.state().excess));
      expect(exactSum(tracker.state().scale), `${count} slots`).toBe(exactSum(fresh.state().scale));
    }
  });

  it("is taken up again from its stored state (through JSON) and goes on exactly as the original", () => {
    const slots = namespaceSlots(9, 3, 4, 100);
    const original = createDispersionTracker(slots);
    const taken = trackerFromState(JSON.parse(JSON.stringify(original.state())));
    expect(taken).not.toBeNull();
    expect(taken!.value()).toBe(original.value());
    const changed = addSample(slots[3]!, 500);
    original.replace(slots[3], changed);
    taken!.replace(slots[3], changed);
    expect(taken!.value()).toBe(original.value());
    expect(taken!.state()).toEqual(original.state());
  });

  it("refuses a stored state of another version or shape, so that it is computed again from the slots", () => {
    const state = createDispersionTracker(namespaceSlots(10, 3, 4, 30)).state();
    expect(trackerFromState({ ...state, version: DISPERSION_STATE_VERSION + 1 })).toBeNull();
    expect(trackerFromState({ ...state, ratios: [...state.ratios].reverse() })).toBeNull();
    expect(trackerFromState({ ...state, excess: ["1"] })).toBeNull();
    expect(trackerFromState({ ...state, scale: [Number.NaN] })).toBeNull();
    expect(trackerFromState(null)).toBeNull();
    expect(trackerFromState("state")).toBeNull();
  });
});

describe("addExact and exactSum", () => {
  it("sum exactly: adding values and then their negatives in another order gives back the sum of what remains", () => {
    const random = createRandom(11);
    const values = Array.from({ length: 400 }, () => (random.next() - 0.5) * 10 ** random.integer(-8, 12));
    const partials: number[] = [];
    for (const value of values) addExact(partials, value);
    const kept = values.slice(0, 50);
    const dropped = values.slice(50).reverse();
    for (const value of dropped) addExact(partials, -value);
    const reference: number[] = [];
    for (const value of [...kept].reverse()) addExact(reference, value);
    expect(exactSum(partials)).toBe(exactSum(reference));
    // 0.1 ten times is 1 exactly when summed exactly and correctly rounded; naive summation gives 0.9999999999999999.
    const tenths: number[] = [];
    for (let index = 0; index < 10; index += 1) addExact(tenths, 0.1);
    expect(exactSum(tenths)).toBe(1);
    expect(exactSum([])).toBe(0);
    // Cancellation that naive summation loses entirely.
    const cancelling: number[] = [];
    for (const value of [1e16, 1, -1e16]) addExact(cancelling, value);
    expect(exactSum(cancelling)).toBe(1);
  });
});

describe("upperCount", () => {
  it("is exceeded by ordinary negative-binomial counts about as often as the tail says", () => {
    const random = createRandom(9);
    for (const [mean, shape] of [
      [40, 4],
      [30, 1.5],
      [25, null],
    ] as const) {
      const dispersion = shape === null ? 0 : 1 / shape;
      const threshold = upperCount(mean, dispersion, 1_000_000, 1e-3);
      let above = 0;
      for (let draw = 0; draw < 200_000; draw += 1) if ((shape === null ? random.poisson(mean) : random.negativeBinomial(mean, shape)) >= threshold) above += 1;
      // Within a factor of about 2.5 of 1e-3 (200 of 200,000): the gamma twin of a discrete distribution.
      expect(above, `mean ${mean} shape ${shape}`).toBeGreaterThan(80);
      expect(above, `mean ${mean} shape ${shape}`).toBeLessThan(500);
    }
  });

  it("grows with the spread, with fewer samples and with a smaller tail, and is 0 for a zero mean", () => {
    expect(upperCount(30, 0.5, 8, 1e-6)).toBeGreaterThan(upperCount(30, 0.1, 8, 1e-6));
    expect(upperCount(30, 0.1, 4, 1e-6)).toBeGreaterThan(upperCount(30, 0.1, 40, 1e-6));
    expect(upperCount(30, 0.1, 8, 1e-7)).toBeGreaterThan(upperCount(30, 0.1, 8, 1e-6));
    expect(upperCount(0, 0.5, 8, 1e-6)).toBe(0);
    expect(predictiveVariance(20, 0.25, 4)).toBeCloseTo((20 + 100) * 1.25, 12);
  });

  it("stays well under three times the mean for a steady Poisson slot of at least 20, so the ratio decides there", () => {
    for (const mean of [20, 40, 100]) expect(upperCount(mean, 0, 4, 1e-6) / mean).toBeLessThan(3);
  });
});

describe("ordinaryCeiling", () => {
  it("is the mean plus two deviations of the count model", () => {
    expect(ordinaryCeiling(20, 0)).toBeCloseTo(20 + 2 * Math.sqrt(20), 12);
    expect(ordinaryCeiling(20, 0.25)).toBeCloseTo(20 + 2 * Math.sqrt(20 + 100), 12);
  });
});

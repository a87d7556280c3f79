import { describe, expect, it } from "vitest";
import { effectiveBaseline, recordSample, slotKey, type BaselineTable } from "./baseline";
import { standardDeviation } from "./running-stats";
import {
  detectNamespace,
  isYoungBaseline,
  NO_BASELINE_RATIO,
  plateausOf,
  requiredRatioFor,
  severityOf,
  type PeakDetectionSettings,
  type WindowCount,
  type WindowDecision,
} from "./detect";
import { createWindowGrid, type WindowGrid } from "./time";

const settings: PeakDetectionSettings = {
  min_ratio_multiplier: 3,
  max_ratio_multiplier: 5,
  dynamic_min_multiplier: 2.5,
  min_absolute_value: 100,
  same_day_window_count: 3,
  same_day_min_ratio: 0,
  tail_probability: 1e-5,
};
const utc = createWindowGrid("UTC", 15);
const DAY = 86_400_000;
const at = (iso: string) => new Date(iso).getTime();
// Monday 5 January 2026, 00:00 UTC.
const MONDAY = at("2026-01-05T00:00:00Z");

function series(grid: WindowGrid, fromMs: number, toMs: number, countOf: (start: number) => number): WindowCount[] {
  return grid.windowsBetween(fromMs, toMs).map((start) => ({ start, count: countOf(start) }));
}

/** Feeds history into a new baseline (the INIT phase) and returns it with the last day of history. */
function learn(grid: WindowGrid, namespace: string, history: WindowCount[]) {
  const baseline: BaselineTable = new Map();
  detectNamespace({ namespace, windows: history, history: [], historyPeaks: new Map() }, baseline, grid, settings, { detect: false });
  return { baseline, lastDay: history.slice(-96) };
}

function judge(grid: WindowGrid, namespace: string, history: WindowCount[], windows: WindowCount[], baseline?: BaselineTable) {
  const learned = learn(grid, namespace, history);
  return detectNamespace({ namespace, windows, history: learned.lastDay, historyPeaks: new Map() }, baseline ?? learned.baseline, grid, settings, {
    detect: true,
  });
}

const peaks = (decisions: WindowDecision[]) => decisions.filter((decision) => decision.status === "peak");

describe("required ratio", () => {
  it("is min_ratio_multiplier for a steady slot and max_ratio_multiplier for a noisy one", () => {
    expect(requiredRatioFor(50, 0, settings)).toBe(3);
    // Poisson noise alone (σ² = μ) is not noise of the namespace.
    expect(requiredRatioFor(50, Math.sqrt(50), settings)).toBeCloseTo(3, 6);
    // Spread beyond Poisson of half the mean: σ² = 50 + 25².
    expect(requiredRatioFor(50, Math.sqrt(50 + 625), settings)).toBeCloseTo(4, 12);
    expect(requiredRatioFor(50, Math.sqrt(50 + 2500), settings)).toBeCloseTo(5, 12);
    expect(requiredRatioFor(50, 500, settings)).toBe(5);
  });

  it("is max_ratio_multiplier when the baseline is zero", () => {
    expect(requiredRatioFor(0, 0, settings)).toBe(5);
  });
});

describe("severity", () => {
  it("grows with the ratio", () => {
    expect([3, 5, 10, 20, NO_BASELINE_RATIO].map(severityOf)).toEqual(["low", "medium", "high", "critical", "critical"]);
  });
});

describe("detectNamespace", () => {
  it("returns nothing for empty input and leaves the baseline untouched", () => {
    const baseline: BaselineTable = new Map();
    expect(detectNamespace({ namespace: "a", windows: [], history: [], historyPeaks: new Map() }, baseline, utc, settings, { detect: true })).toEqual([]);
    expect(baseline.size).toBe(0);
  });

  it("does not judge a namespace with less than two hours of history, and says so", () => {
    const decisions = judge(
      utc,
      "new",
      [],
      series(utc, MONDAY, MONDAY + 3_600_000, () => 5_000),
    );
    expect(decisions).toHaveLength(4);
    expect(decisions.every((decision) => decision.status === "insufficient_history" && decision.inputs.baselineSource === "insufficient")).toBe(true);
  });

  it("judges a young namespace against its recent level, with the strictest ratio, and says the baseline is young", () => {
    const history = series(utc, MONDAY, MONDAY + DAY, () => 20);
    const decisions = judge(
      utc,
      "young",
      history,
      series(utc, MONDAY + DAY, MONDAY + DAY + 3_600_000, (start) => (start === MONDAY + DAY ? 1_000 : 90)),
    );
    expect(decisions[0]).toMatchObject({ status: "peak", severity: "critical" });
    expect(decisions[0]?.inputs).toMatchObject({ baselineSource: "recent", mean: 20, stddev: 0, samples: 96, ratio: 50, requiredRatio: 5 });
    expect(isYoungBaseline(decisions[0]!.inputs.baselineSource)).toBe(true);
    // 90 is 4.5× the recent level: under the 5× a young baseline needs, and under the minimum.
    expect(decisions.slice(1).every((decision) => decision.status === "normal")).toBe(true);
  });

  it("flags an ordinary level of a young namespace nowhere, however busy it is", () => {
    const history = series(utc, MONDAY, MONDAY + 3 * DAY, (start) => 300 + ((start / 900_000) % 7) * 20);
    const decisions = judge(
      utc,
      "busy",
      history,
      series(utc, MONDAY + 3 * DAY, MONDAY + 4 * DAY, (start) => 300 + ((start / 900_000) % 5) * 30),
    );
    expect(decisions).toHaveLength(96);
    expect(peaks(decisions)).toEqual([]);
  });

  it("detects with three weeks of history, borrowing from neighbouring slots", () => {
    const history = series(utc, MONDAY, MONDAY + 21 * DAY, () => 20);
    const spikeStart = MONDAY + 21 * DAY + 10 * 3_600_000;
    const decisions = judge(
      utc,
      "ns",
      history,
      series(utc, spikeStart, spikeStart + 900_000, () => 400),
    );
    expect(decisions[0]).toMatchObject({ status: "peak", severity: "critical", plateauStart: null });
    expect(decisions[0]?.inputs).toMatchObject({ count: 400, mean: 20, stddev: 0, baselineSource: "pooled", ratio: 20, requiredRatio: 3 });
    expect(decisions[0]?.inputs.samples).toBe(3 + 2 * 3 + 4 * 3);
  });

  it("flags a namespace whose baseline is zero with the ratio stored as 999", () => {
    const history = series(utc, MONDAY, MONDAY + 28 * DAY, () => 0);
    const decisions = judge(
      utc,
      "quiet",
      history,
      series(utc, MONDAY + 28 * DAY, MONDAY + 28 * DAY + 900_000, () => 150),
    );
    expect(decisions[0]).toMatchObject({ status: "peak", severity: "critical" });
    expect(decisions[0]?.inputs).toMatchObject({ ratio: NO_BASELINE_RATIO, requiredRatio: 5, mean: 0, baselineSource: "slot" });
  });

  it("takes reference windows and the 24-hour average by time: a gap is neither a zero nor a neighbour", () => {
    const start = MONDAY + 28 * DAY + 9 * 3_600_000;
    const gapFrom = start - 2 * 3_600_000;
    // Quiet history with a two-hour gap (no window stored) just before the spike.
    const history = series(utc, MONDAY, start, () => 20).filter((window) => window.start < gapFrom || window.start >= start - 900_000);
    const decisions = judge(
      utc,
      "ns",
      history,
      series(utc, start, start + 900_000, () => 300),
    );
    expect(decisions[0]?.inputs.referenceCounts).toEqual([20]);
    // 20 on every stored window of the day before: the gap's 8 windows are left out, not counted as 0.
    expect(decisions[0]?.inputs.average24h).toBe(20);
  });

  it("does not link a peak after a gap to the plateau before it", () => {
    const start = MONDAY + 28 * DAY + 9 * 3_600_000;
    const history = series(utc, MONDAY, start, () => 20);
    const windows = [...series(utc, start, start + 900_000, () => 300), ...series(utc, start + 4 * 900_000, start + 5 * 900_000, () => 300)];
    const decisions = judge(utc, "ns", history, windows);
    expect(decisions.map((decision) => decision.plateauStart)).toEqual([null, null]);
  });

  it("treats a plateau as one peak: later windows continue the first", () => {
    const start = MONDAY + 28 * DAY + 9 * 3_600_000;
    const history = series(utc, MONDAY, start, () => 20);
    const decisions = judge(
      utc,
      "ns",
      history,
      series(utc, start, start + 6 * 900_000, (window) => (window < start + 5 * 900_000 ? 300 : 20)),
    );
    expect(decisions.map((decision) => decision.status)).toEqual(["peak", "peak", "peak", "peak", "peak", "normal"]);
    expect(decisions.map((decision) => decision.plateauStart)).toEqual([null, start, start, start, start, null]);
    expect(decisions[1]?.inputs.referenceCounts).toEqual([300, 20, 20]);
  });

  describe("a count exactly at each threshold is a peak, one below is not", () => {
    // A steady slot: mean 40, stddev 0, so the required ratio is exactly 3.
    const steady = (mean: number, average24h: number, count: number) => {
      const start = MONDAY + 28 * DAY;
      const keys = utc.slotOf(start);
      const baseline: BaselineTable = new Map();
      for (let week = 0; week < 4; week += 1) recordSample(baseline, "ns", keys, mean);
      const history = series(utc, start - DAY, start, () => average24h);
      return detectNamespace({ namespace: "ns", windows: [{ start, count }], history, historyPeaks: new Map() }, baseline, utc, settings, { detect: true })[0]!;
    };

    it("ratio: count = 3 × mean", () => {
      expect(steady(40, 10, 120)).toMatchObject({ status: "peak", checks: { absolute: true, ratio: true, average24h: true } });
      expect(steady(40, 10, 119)).toMatchObject({ status: "normal", checks: { absolute: true, ratio: false, average24h: true } });
    });

    it("min_absolute_value: count = 100", () => {
      expect(steady(20, 10, 100)).toMatchObject({ status: "peak", checks: { absolute: true } });
      expect(steady(20, 10, 99)).toMatchObject({ status: "normal", checks: { absolute: false, ratio: true, average24h: true } });
    });

    it("24-hour floor: count = 2.5 × the 24 h average", () => {
      expect(steady(30, 48, 120)).toMatchObject({ status: "peak", checks: { average24h: true } });
      expect(steady(30, 48, 119)).toMatchObject({ status: "normal", checks: { absolute: true, ratio: true, average24h: false } });
      expect(steady(30, 48, 120).inputs.average24h).toBe(48);
    });
  });

  it("averages exactly the 24 hours before each window, sliding as it goes", () => {
    const start = MONDAY + 28 * DAY;
    // 97 windows of history: the oldest (10 000) is 24 h 15 min before the first judged window.
    const history = [{ start: start - DAY - 900_000, count: 10_000 }, ...series(utc, start - DAY, start, () => 40)];
    const windows = series(utc, start, start + 3 * 900_000, () => 80);
    const decisions = detectNamespace({ namespace: "ns", windows, history, historyPeaks: new Map() }, new Map(), utc, settings, { detect: true });
    expect(decisions.map((decision) => decision.inputs.average24h)).toEqual([40, (95 * 40 + 80) / 96, (94 * 40 + 2 * 80) / 96]);
  });

  it("averages the windows available when there is less than a day of history", () => {
    const start = MONDAY + 28 * DAY;
    const history = series(utc, start - 3_600_000, start, () => 10);
    const [decision] = detectNamespace({ namespace: "ns", windows: [{ start, count: 50 }], history, historyPeaks: new Map() }, new Map(), utc, settings, {
      detect: true,
    });
    expect(decision?.inputs.average24h).toBe(10);
  });

  it("keeps a one-off incident from poisoning its slot: it adds at most the slot's mean + 2 deviations", () => {
    const history = series(utc, MONDAY, MONDAY + 28 * DAY, () => 20);
    const learned = learn(utc, "ns", history);
    const start = MONDAY + 28 * DAY + 12 * 3_600_000;
    const [decision] = detectNamespace(
      { namespace: "ns", windows: [{ start, count: 10_000 }], history: learned.lastDay, historyPeaks: new Map() },
      learned.baseline,
      utc,
      settings,
      { detect: true },
    );
    const slot = learned.baseline.get(slotKey("ns", utc.slotOf(start)));
    // A steady namespace (no spread beyond Poisson): the ceiling is 20 + 2·√20.
    expect(decision?.baselineValue).toBeCloseTo(20 + 2 * Math.sqrt(20), 12);
    expect(slot?.samples).toBe(5);
    expect(slot?.mean).toBeCloseTo((4 * 20 + 20 + 2 * Math.sqrt(20)) / 5, 12);
  });

  it("flags an incident replayed one and two weeks later in the same slot: one incident moves neither mean nor spread materially", () => {
    // Poisson-like counts around 19 (a fixed pseudo-random sequence), four weeks of them.
    const noise = [17, 22, 19, 15, 24, 18, 21, 16, 20, 23, 14, 19, 25, 17, 18, 21];
    const history = series(utc, MONDAY, MONDAY + 28 * DAY, (start) => noise[(start / 900_000) % noise.length]!);
    const learned = learn(utc, "payments", history);
    const incident = MONDAY + 28 * DAY + 14 * 3_600_000;
    const keys = utc.slotOf(incident);
    const before = learned.baseline.get(slotKey("payments", keys))!;
    const flagged: boolean[] = [];
    const earlierPeaks = new Set<number>();
    for (const week of [0, 1, 2]) {
      const start = incident + week * 7 * DAY;
      const lastDay = series(utc, start - DAY, start, (window) => noise[(window / 900_000) % noise.length]!);
      const [decision] = detectNamespace(
        { namespace: "payments", windows: [{ start, count: 168 }], history: lastDay, historyPeaks: new Map(), earlierPeaks },
        learned.baseline,
        utc,
        settings,
        { detect: true },
      );
      flagged.push(decision?.status === "peak");
      if (decision?.status === "peak") earlierPeaks.add(start);
      if (week === 0) {
        const after = learned.baseline.get(slotKey("payments", keys))!;
        expect(after.mean / before.mean).toBeLessThan(1.15);
        expect(standardDeviation(after) / Math.max(standardDeviation(before), Math.sqrt(before.mean))).toBeLessThan(1.5);
      }
    }
    expect(flagged).toEqual([true, true, true]);
  });

  it("lets a spike that recurs every week at the same time become normal after a few weeks", () => {
    const history = series(utc, MONDAY, MONDAY + 28 * DAY, () => 20);
    const { baseline } = learn(utc, "ns", history);
    const flagged: boolean[] = [];
    const earlierPeaks = new Set<number>();
    for (let week = 4; week < 10; week += 1) {
      const start = MONDAY + week * 7 * DAY + 3 * 3_600_000;
      const lastDay = series(utc, start - DAY, start, () => 20);
      const [decision] = detectNamespace(
        { namespace: "ns", windows: [{ start, count: 600 }], history: lastDay, historyPeaks: new Map(), earlierPeaks },
        baseline,
        utc,
        settings,
        {
          detect: true,
        },
      );
      flagged.push(decision?.status === "peak");
      if (decision?.status === "peak") earlierPeaks.add(start);
    }
    // Flagged while it is news; from its third week in a row it enters its slot in full.
    expect(flagged.slice(0, 3)).toEqual([true, true, true]);
    expect(flagged.at(-1)).toBe(false);
    expect(flagged.filter(Boolean).length).toBeLessThanOrEqual(4);
  });

  it("judges every window of the 23-hour and the 25-hour day in a DST timezone", () => {
    const prague = createWindowGrid("Europe/Prague", 15);
    const history = series(prague, at("2026-03-01T00:00:00Z"), prague.localDayRange("2026-03-29").startMs, () => 20);
    const spring = prague.localDayRange("2026-03-29");
    const springDecisions = judge(
      prague,
      "ns",
      history,
      series(prague, spring.startMs, spring.endMs, () => 20),
    );
    expect(springDecisions).toHaveLength(92);
    expect(peaks(springDecisions)).toEqual([]);

    const autumnHistory = series(prague, at("2026-10-01T00:00:00Z"), prague.localDayRange("2026-10-25").startMs, () => 20);
    const autumn = prague.localDayRange("2026-10-25");
    const autumnDecisions = judge(
      prague,
      "ns",
      autumnHistory,
      series(prague, autumn.startMs, autumn.endMs, (start) => (start === autumn.startMs + 3 * 3_600_000 ? 500 : 20)),
    );
    expect(autumnDecisions).toHaveLength(100);
    // The spike is in the second 02:00 hour (after the clocks went back).
    expect(peaks(autumnDecisions).map((decision) => [decision.keys.hourOfDay, new Date(decision.start).toISOString()])).toEqual([
      [2, "2026-10-25T01:00:00.000Z"],
    ]);
  });
});

describe("effectiveBaseline", () => {
  it("uses the slot alone once it has four samples, and pools weekend days only with weekend days", () => {
    const baseline: BaselineTable = new Map();
    const saturday = { dayOfWeek: 5, hourOfDay: 10, quarterHour: 0 };
    for (let week = 0; week < 3; week += 1) {
      recordSample(baseline, "ns", saturday, 10);
      recordSample(baseline, "ns", { ...saturday, dayOfWeek: 6 }, 30);
      recordSample(baseline, "ns", { ...saturday, dayOfWeek: 4 }, 1_000);
      recordSample(baseline, "ns", { ...saturday, quarterHour: 1 }, 10);
      recordSample(baseline, "ns", { ...saturday, hourOfDay: 9, quarterHour: 3 }, 10);
    }
    const pooled = effectiveBaseline(baseline, "ns", saturday, 4);
    expect(pooled).toMatchObject({ source: "pooled", samples: 12 });
    expect(pooled.mean).toBe(15);
    recordSample(baseline, "ns", saturday, 10);
    expect(effectiveBaseline(baseline, "ns", saturday, 4)).toEqual({ mean: 10, stddev: 0, samples: 4, source: "slot" });
  });
});

describe("plateausOf", () => {
  const W = 900_000;
  it("links each peak to the earliest plateau among its three previous windows, by time", () => {
    const plateaus = plateausOf([0, W, 3 * W, 8 * W, 9 * W], W, 3);
    expect([...plateaus]).toEqual([
      [0, 0],
      [W, 0],
      [3 * W, 0],
      [8 * W, 8 * W],
      [9 * W, 8 * W],
    ]);
  });
});

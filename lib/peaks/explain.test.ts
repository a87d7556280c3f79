import { describe, expect, it } from "vitest";
import type { DecisionThresholds, PeakDetail } from "./contract";
import { explainPeak, formatAmount, formatRatio } from "./explain";

const valuesYaml: DecisionThresholds = {
  min_ratio_multiplier: 3,
  max_ratio_multiplier: 5,
  dynamic_min_multiplier: 2.5,
  min_absolute_value: 100,
  same_day_window_count: 3,
  same_day_min_ratio: 0,
  tail_probability: 1e-5,
  version: null,
};

function decision(overrides: Partial<PeakDetail["decision"]> = {}): PeakDetail["decision"] {
  return {
    errorCount: 1240,
    baselineMean: 150,
    baselineStddev: 40,
    baselineSamples: 6,
    ratio: 1240 / 150,
    requiredRatio: 3.4,
    average24h: 130,
    referenceCounts: [140, 160, 155],
    thresholdsVersion: null,
    baselineSource: "slot",
    sameDayRatio: 1240 / 151.67,
    dispersion: 0.06,
    spreadThreshold: 431.2,
    ...overrides,
  };
}

describe("explainPeak", () => {
  it("explains a peak over the slot's own baseline with the values.yaml thresholds", () => {
    expect(explainPeak(decision(), valuesYaml)).toEqual({
      summary: "1,240 errors in the window, 8.3× the baseline of 150 (± 40, from 6 samples of this slot).",
      reasons: [
        "The required ratio was 3.4× for this slot's variation (the spread is 27 % of the mean; a steady slot needs 3×, the noisiest 5×); it reached 8.3×.",
        "Beyond the spread of its slot: at least 432 errors were needed, which an ordinary window exceeds with a chance of 1 in 100,000; this namespace's counts vary more widely than random noise (over-dispersion 0.06: a window's variance is its mean plus 0.06 × the mean squared).",
        "Above the minimum of 100 errors.",
        "Above 2.5× the 24-hour average of 130 (at least 325 errors).",
      ],
      notes: [
        "Severity medium: 5× to 10× the baseline.",
        "Same-day view (shown for comparison; the seasonal view decides): 8.2× the mean of the 3 windows before it (140, 160 and 155 errors, newest first).",
        "Judged with the thresholds of values.yaml (none had been saved on the dashboard); the figures above are its current values.",
      ],
    });
  });

  it("says when a young slot's baseline was pooled, and names a saved thresholds version", () => {
    const explanation = explainPeak(
      decision({
        errorCount: 425,
        baselineMean: 36.39,
        baselineStddev: 6.13,
        baselineSamples: 23,
        ratio: 11.68,
        requiredRatio: 3.34,
        thresholdsVersion: 3,
        baselineSource: "pooled",
      }),
      { ...valuesYaml, min_absolute_value: 150, version: 3 },
    );
    expect(explanation.summary).toBe(
      "425 errors in the window, 11.7× the baseline of 36 (± 6.1, pooled from 23 samples of the neighbouring windows and the same window on similar days, as this slot had fewer than 4 of its own).",
    );
    expect(explanation.reasons[2]).toBe("Above the minimum of 150 errors.");
    expect(explanation.notes).toContain("Severity high: 10× to 20× the baseline.");
    expect(explanation.notes).toContain(
      "Young baseline: this slot had fewer than 4 samples of its own. Treat it with more care than a peak over a mature baseline.",
    );
    expect(explanation.notes.at(-1)).toBe("Judged with thresholds version 3.");
  });

  it("explains a window whose slot had no errors before (no baseline) as critical", () => {
    const explanation = explainPeak(
      decision({
        errorCount: 180,
        baselineMean: 0,
        baselineStddev: 0,
        baselineSamples: 9,
        ratio: 999,
        requiredRatio: 5,
        average24h: 0.4,
        dispersion: null,
        spreadThreshold: null,
      }),
      valuesYaml,
    );
    expect(explanation.summary).toBe(
      "180 errors in the window, where this slot's baseline is 0 (from 9 samples of this slot): errors were not usual at this time, so the ratio to the baseline has no limit.",
    );
    expect(explanation.reasons).toEqual([
      "With no baseline, any count passes the ratio check (the required ratio was 5×, the most for a slot).",
      "Above the minimum of 100 errors.",
      "Above 2.5× the 24-hour average of 0.4 (at least 1 error).",
    ]);
    expect(explanation.notes[0]).toBe("Severity critical: 20× the baseline or more, or no baseline at all.");
  });

  it("says what cannot be told: an unknown baseline source and a thresholds version that no longer exists", () => {
    const explanation = explainPeak(
      decision({
        baselineSamples: 12,
        baselineSource: null,
        thresholdsVersion: 7,
        referenceCounts: [1],
        sameDayRatio: null,
        dispersion: null,
        spreadThreshold: null,
      }),
      null,
    );
    expect(explanation.summary).toContain("(± 40, from 12 samples).");
    expect(explanation.reasons).toEqual([
      "The required ratio was 3.4× for this slot's variation (the spread is 27 % of the mean); it reached 8.3×.",
      "Above the minimum number of errors.",
      "Above the required multiple of the 24-hour average of 130.",
    ]);
    expect(explanation.notes).toEqual([
      "Severity medium: 5× to 10× the baseline.",
      "The window before it had 1 error.",
      "A slot gets one sample a week, and while it has fewer than 4 its baseline is pooled with its neighbours; whether this one was can no longer be told.",
      "Judged with thresholds version 7, which no longer exists.",
    ]);
  });

  it("explains a young namespace judged against its recent level", () => {
    const explanation = explainPeak(
      decision({
        errorCount: 5000,
        baselineMean: 21.5,
        baselineStddev: 5.2,
        baselineSamples: 96,
        ratio: 5000 / 21.5,
        requiredRatio: 5,
        baselineSource: "recent",
        dispersion: 0,
      }),
      valuesYaml,
    );
    expect(explanation.summary).toBe(
      "5,000 errors in the window, 233× the recent level of 22 (± 5.2, the namespace's average over its last 96 windows, as it is too young for a baseline of this time of week).",
    );
    expect(explanation.reasons[0]).toBe("A young baseline needs the strictest ratio, 5×; it reached 233×.");
    expect(explanation.reasons[1]).toContain("this namespace's counts vary no more than random noise does");
    expect(explanation.notes.some((note) => note.startsWith("Young baseline: the namespace has too little history"))).toBe(true);
  });

  it("makes the same-day view a reason when the thresholds require it", () => {
    const explanation = explainPeak(decision(), { ...valuesYaml, same_day_min_ratio: 2 });
    expect(explanation.reasons.at(-1)).toBe(
      "Same-day view: 8.2× the mean of the 3 windows before it (140, 160 and 155 errors, newest first), where a new peak needs 2×.",
    );
    expect(explanation.notes.some((note) => note.includes("Same-day"))).toBe(false);
  });

  it("leaves out the windows before when none were stored", () => {
    expect(explainPeak(decision({ referenceCounts: [] }), valuesYaml).notes.some((note) => note.includes("before it"))).toBe(false);
  });
});

describe("formatAmount and formatRatio", () => {
  it("keep one decimal below 10 and whole numbers with separators above", () => {
    expect([0, 0.4, 7.5, 9.96, 10.4, 150, 1240.6].map(formatAmount)).toEqual(["0", "0.4", "7.5", "10", "10", "150", "1,241"]);
    expect([1, 3.36, 8.2667, 99.94, 240.4, 1500].map(formatRatio)).toEqual(["1×", "3.4×", "8.3×", "99.9×", "240×", "1,500×"]);
  });
});

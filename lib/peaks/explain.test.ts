import { describe, expect, it } from "vitest";
import type { DecisionThresholds, PeakDetail } from "@/lib/db/peak-triage";
import { explainPeak, formatAmount, formatRatio } from "./explain";

const valuesYaml: DecisionThresholds = {
  min_ratio_multiplier: 3,
  max_ratio_multiplier: 5,
  dynamic_min_multiplier: 2.5,
  min_absolute_value: 100,
  same_day_window_count: 3,
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
    ...overrides,
  };
}

describe("explainPeak", () => {
  it("explains a peak over the slot's own baseline with the values.yaml thresholds", () => {
    expect(explainPeak(decision(), valuesYaml)).toEqual({
      summary: "1,240 errors in the window, 8.3× the baseline of 150 (± 40, from 6 samples of this slot).",
      reasons: [
        "The required ratio was 3.4× for this slot's variation (the spread is 27 % of the mean; a steady slot needs 3×, the noisiest 5×); it reached 8.3×.",
        "Above the minimum of 100 errors.",
        "Above 2.5× the 24-hour average of 130 (at least 325 errors).",
      ],
      notes: [
        "Severity medium: 5× to 10× the baseline.",
        "The 3 windows before it had 140, 160 and 155 errors (newest first).",
        "Judged with the thresholds of values.yaml (none had been saved on the dashboard); the figures above are its current values.",
      ],
    });
  });

  it("says when a young slot's baseline was pooled, and names a saved thresholds version", () => {
    const explanation = explainPeak(
      decision({ errorCount: 425, baselineMean: 36.39, baselineStddev: 6.13, baselineSamples: 23, ratio: 11.68, requiredRatio: 3.34, thresholdsVersion: 3, baselineSource: "pooled" }),
      { ...valuesYaml, min_absolute_value: 150, version: 3 },
    );
    expect(explanation.summary).toBe(
      "425 errors in the window, 11.7× the baseline of 36 (± 6.1, pooled from 23 samples of the neighbouring windows and the same window on similar days, as this slot had fewer than 4 of its own).",
    );
    expect(explanation.reasons[1]).toBe("Above the minimum of 150 errors.");
    expect(explanation.notes).toContain("Severity high: 10× to 20× the baseline.");
    expect(explanation.notes.at(-1)).toBe("Judged with thresholds version 3.");
  });

  it("explains a window whose slot had no errors before (no baseline) as critical", () => {
    const explanation = explainPeak(decision({ errorCount: 180, baselineMean: 0, baselineStddev: 0, baselineSamples: 9, ratio: 999, requiredRatio: 5, average24h: 0.4 }), valuesYaml);
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
    const explanation = explainPeak(decision({ baselineSamples: 12, baselineSource: null, thresholdsVersion: 7, referenceCounts: [1] }), null);
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

import { describe, expect, it } from "vitest";
import { splitLead } from "./why-flagged";

describe("splitLead", () => {
  it("sets apart the name of a view of unusual", () => {
    expect(splitLead("Same-day view: 3.2× their mean, where a new peak needs 1.2×.")).toEqual({
      lead: "Same-day view",
      rest: "3.2× their mean, where a new peak needs 1.2×.",
    });
    expect(
      splitLead("Beyond the spread of its slot: at least 432 errors were needed; this namespace's counts vary (over-dispersion 0.06: a window's variance…)."),
    ).toEqual({
      lead: "Beyond the spread of its slot",
      rest: "at least 432 errors were needed; this namespace's counts vary (over-dispersion 0.06: a window's variance…).",
    });
    expect(splitLead("Young baseline: this slot had fewer than 4 samples of its own.").lead).toBe("Young baseline");
  });

  it("leaves a line without a lead-in as it is", () => {
    for (const line of [
      "Above the minimum of 100 errors.",
      "The required ratio was 3.4× for this slot's variation (the spread is 27 % of the mean; a steady slot needs 3×, the noisiest 5×); it reached 8.3×.",
      "Judged with thresholds version 3. Note: something.",
      `${"A very long sentence that only happens to contain a colon much further on ".repeat(2)}: like this.`,
    ]) {
      expect(splitLead(line)).toEqual({ lead: null, rest: line });
    }
  });
});

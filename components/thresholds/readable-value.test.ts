import { describe, expect, it } from "vitest";
import { formatThresholdValue, readableThresholdValue } from "./readable-value";

describe("readableThresholdValue", () => {
  it("gives the tail probability as odds, however it was typed", () => {
    expect(readableThresholdValue("tail_probability", Number("0.000001"))).toBe("1 in 1,000,000");
    expect(readableThresholdValue("tail_probability", Number("1e-6"))).toBe("1 in 1,000,000");
    expect(readableThresholdValue("tail_probability", 0.01)).toBe("1 in 100");
    expect(readableThresholdValue("tail_probability", 3e-7)).toBe("1 in 3,333,333");
  });

  it("has no words for other fields or for a value that is no probability", () => {
    expect(readableThresholdValue("min_ratio_multiplier", 0.000001)).toBeNull();
    expect(readableThresholdValue("tail_probability", 0)).toBeNull();
    expect(readableThresholdValue("tail_probability", Number.NaN)).toBeNull();
  });
});

describe("formatThresholdValue", () => {
  it("adds the words after the number", () => {
    expect(formatThresholdValue("tail_probability", 1e-7)).toBe("1e-7 (1 in 10,000,000)");
    expect(formatThresholdValue("min_absolute_value", 100)).toBe("100");
  });
});

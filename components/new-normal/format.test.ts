import { describe, expect, it } from "vitest";
import { describeLevelOffset, formatLevelOffset, newNormalMarkerText } from "./format";

describe("formatLevelOffset", () => {
  it("signs and rounds like the other amounts: whole from 10 up, one decimal below", () => {
    expect(formatLevelOffset(80.4)).toBe("+80");
    expect(formatLevelOffset(1_240.6)).toBe("+1,241");
    expect(formatLevelOffset(3.46)).toBe("+3.5");
    expect(formatLevelOffset(-3.46)).toBe("−3.5");
    expect(formatLevelOffset(-12)).toBe("−12");
  });

  it("keeps a small real change visible instead of rounding it to zero", () => {
    expect(formatLevelOffset(0.04)).toBe("+0.04");
    expect(formatLevelOffset(-0.04)).toBe("−0.04");
    expect(formatLevelOffset(0.001)).toBe("±0");
    expect(formatLevelOffset(0)).toBe("±0");
  });
});

describe("describeLevelOffset", () => {
  it("says above or below, with the singular for one error", () => {
    expect(describeLevelOffset(80)).toBe("about +80 errors a window above its baseline");
    expect(describeLevelOffset(-1)).toBe("about −1 error a window below its baseline");
    expect(describeLevelOffset(0)).toBe("at its baseline, with no measurable change");
  });
});

describe("newNormalMarkerText", () => {
  it("labels a marker, and says when it was taken back", () => {
    expect(newNormalMarkerText(80.2, false)).toBe("New normal +80/window");
    expect(newNormalMarkerText(-2.25, true)).toBe("New normal −2.3/window, taken back");
  });
});

import { describe, expect, it } from "vitest";
import { describeBucket, formatMinutes } from "./describe-bucket";

describe("formatMinutes", () => {
  it("writes minutes, hours and whole days", () => {
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(60)).toBe("1 h");
    expect(formatMinutes(270)).toBe("4 h 30 min");
    expect(formatMinutes(48 * 60)).toBe("2 days");
    expect(formatMinutes(25 * 60)).toBe("25 h");
  });
});

describe("describeBucket", () => {
  it("says a point is a window when nothing was merged, and which window a merged point shows otherwise", () => {
    expect(describeBucket(15, 15)).toBe("Each point is one 15-minute window.");
    expect(describeBucket(15, 60)).toBe("Each point is the busiest 15-minute window of 1 h.");
  });
});

import { describe, expect, it } from "vitest";
import { classifyTrend } from "@/lib/patterns/contract";
import { trendSentence } from "./pattern-trend";

describe("trendSentence", () => {
  it("compares with the days before only when patterns were counted then", () => {
    expect(trendSentence(classifyTrend(117, 0, true, false), 30)).toBe("117 in the last 30 days, no patterns counted before them to compare with");
    expect(trendSentence(classifyTrend(117, 0, true), 30)).toBe("117 in the last 30 days, first seen in them");
    expect(trendSentence(classifyTrend(2713, 120, false), 30)).toBe("2,713 in the last 30 days, against 120 in the 30 before");
    expect(trendSentence(classifyTrend(1, 0, false), 1)).toBe("1 in the last 1 day, against 0 in the 1 before");
  });
});

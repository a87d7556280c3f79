import { describe, expect, it } from "vitest";
import type { ProblemScope, ProblemTrend } from "./contract";
import { boundedList, defaultKnownIssueTitle, describePeriod, describePreviousGap, describeScope, describeTrend, trendFigures, trendLabel } from "./words";

const judgement = { systemicNamespaces: 3, trendFactor: 1.5, trendMinErrors: 100 };
const trend = (direction: ProblemTrend["direction"], current: number, previous: number, windows = [5, 1]): ProblemTrend => ({
  direction,
  current: { windows: windows[0]!, errors: current },
  previous: { windows: windows[1]!, errors: previous },
  ratio: previous > 0 ? current / previous : null,
  previousGap: null,
});

describe("problems in words", () => {
  it("says a period as a person does", () => {
    expect(describePeriod("24h")).toBe("24 hours");
    expect(describePeriod("1h")).toBe("1 hour");
    expect(describePeriod("7d")).toBe("7 days");
    expect(describePeriod("1d")).toBe("1 day");
  });

  it("labels a trend with its word and factor, not its colour alone", () => {
    expect(trendLabel(trend("up", 2000, 400))).toEqual({ arrow: "↑", words: "growing ×5.0", caveat: null });
    expect(trendLabel(trend("down", 300, 2000))).toEqual({ arrow: "↓", words: "shrinking ×0.15", caveat: null });
    expect(trendLabel(trend("up", 4000, 100))).toEqual({ arrow: "↑", words: "growing ×40", caveat: null });
    expect(trendLabel(trend("stable", 600, 600))).toEqual({ arrow: "→", words: "stable", caveat: null });
    // Nothing before: no factor to give.
    expect(trendLabel(trend("up", 300, 0, [1, 0]))).toEqual({ arrow: "↑", words: "growing, new", caveat: null });
    expect(trendLabel(trend("stable", 90, 0, [1, 0]))).toEqual({ arrow: "→", words: "stable", caveat: null });
  });

  it("says when the period before lacks data, except for a trend down, which fewer errors read before cannot make wrong", () => {
    const gap = { missingWindows: 12, namespaces: ["orders", "payments"], namespaceTotal: 2, storedFrom: null };
    expect(trendLabel({ ...trend("up", 300, 0, [1, 0]), previousGap: gap })).toEqual({ arrow: "↑", words: "growing, new", caveat: "period before incomplete" });
    expect(trendLabel({ ...trend("stable", 600, 600), previousGap: gap }).caveat).toBe("period before incomplete");
    expect(trendLabel({ ...trend("down", 100, 4000), previousGap: gap }).caveat).toBeNull();
    expect(describePreviousGap(gap, "Europe/Prague")).toBe(
      "The period before is incomplete: 12 windows of orders and payments were not read; its figures are a lower bound.",
    );
    expect(
      describePreviousGap({ missingWindows: 1, namespaces: ["a", "b"], namespaceTotal: 14, storedFrom: "2026-12-02T13:00:00.000Z" }, "Europe/Prague"),
    ).toBe(
      "The period before is incomplete: 1 window of a, b and 12 more was not read, and nothing is stored before 2 Dec 2026, 14:00; its figures are a lower bound.",
    );
    expect(describePreviousGap({ missingWindows: 0, namespaces: [], namespaceTotal: 0, storedFrom: "2026-12-02T13:00:00.000Z" }, "UTC")).toBe(
      "The period before is incomplete: nothing is stored before 2 Dec 2026, 13:00; its figures are a lower bound.",
    );
    expect(describeTrend({ ...trend("up", 300, 0, [1, 0]), previousGap: gap }, "24h", judgement, "UTC")).toMatch(
      /at least 100 errors of change\. The period before is incomplete: 12 windows of orders and payments were not read; its figures are a lower bound\.$/,
    );
  });

  it("gives a trend's figures short, and in full with the rule it was judged by", () => {
    expect(trendFigures(trend("up", 2000, 400))).toBe("2,000 errors (5 windows), 400 before");
    expect(trendFigures(trend("stable", 90, 0, [1, 0]))).toBe("90 errors (1 window), 0 before");
    expect(describeTrend(trend("up", 2000, 400), "24h", judgement, "Europe/Prague")).toBe(
      "Growing: 2,000 errors in 5 windows in the last 24 hours against 400 in 1 window in the 24 hours before (×5.0). Up or down takes ×1.5 and at least 100 errors of change.",
    );
    expect(describeTrend(trend("up", 300, 0, [1, 0]), "7d", judgement, "Europe/Prague")).toMatch(
      /^Growing, new: 300 errors in 1 window in the last 7 days against 0 in 0 windows/,
    );
    expect(describeTrend(trend("stable", 600, 600, [2, 2]), "24h", judgement, "Europe/Prague")).toMatch(/^Stable: .*\(×1\.0\)\./);
  });

  it("explains each scope, the systemic one with when it held the most namespaces in the configured timezone", () => {
    const systemic: ProblemScope = { kind: "systemic", namespaces: 3, mostAtOnce: 3, mostAtOnceFrom: "2026-11-23T10:15:00Z" };
    expect(describeScope(systemic, judgement, "Europe/Prague")).toBe(
      "Systemic: it held 3 of its 3 namespaces at once from 23 Nov 2026, 11:15 (3 at once make a problem systemic).",
    );
    expect(describeScope({ ...systemic, kind: "several", namespaces: 4, mostAtOnce: 2 }, judgement, "UTC")).toBe(
      "Several namespaces: 4 in the period, at most 2 at once (3 at once make a problem systemic).",
    );
    expect(describeScope({ ...systemic, kind: "single", namespaces: 1, mostAtOnce: 1 }, judgement, "UTC")).toBe(
      "One namespace: it hit no other in the period.",
    );
  });

  it("bounds a list and counts the rest", () => {
    expect(boundedList(["a", "b", "c", "d", "e"], 3)).toEqual({ shown: ["a", "b", "c"], more: 2 });
    expect(boundedList(["a"], 3)).toEqual({ shown: ["a"], more: 0 });
    expect(boundedList([], 3)).toEqual({ shown: [], more: 0 });
  });

  it("starts a known issue's title with the template, else the example, else the error type, within 200 characters", () => {
    expect(defaultKnownIssueTitle({ template: " Redis reset <*> ", example: "Redis reset 42", errorType: "connection" })).toBe("Redis reset <*>");
    expect(defaultKnownIssueTitle({ template: null, example: "Redis reset 42", errorType: "connection" })).toBe("Redis reset 42");
    expect(defaultKnownIssueTitle({ template: null, example: null, errorType: "connection" })).toBe("connection");
    const long = defaultKnownIssueTitle({ template: "x".repeat(300), example: null, errorType: "unknown" });
    expect(long).toHaveLength(200);
    expect(long.endsWith("…")).toBe(true);
  });
});

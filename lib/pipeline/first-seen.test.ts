import { describe, expect, it } from "vitest";
import { findFirstSeenPatterns, type FirstSeenEvidence } from "./first-seen";

const WINDOW = 15 * 60_000;
const DAY = 24 * 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 8, 0);
const window = { start: T0 };

const refused = { patternId: "p-refused", template: "connection refused to <*>", count: 40 };
const timeout = { patternId: "p-timeout", template: "timeout after <*> ms", count: 12 };

function evidence(overrides: Partial<FirstSeenEvidence> = {}): FirstSeenEvidence {
  return { hasHistory: true, firstWindowOf: new Map(), seenInUsualPeriod: new Set(), ...overrides };
}

describe("findFirstSeenPatterns", () => {
  it("flags a pattern never counted in the namespace when the namespace has history, most errors first", () => {
    expect(findFirstSeenPatterns(window, [timeout, refused], evidence(), 5)).toEqual([refused, timeout]);
  });

  it("flags nothing on the first investigation of existing data: the namespace has no history before the window", () => {
    expect(findFirstSeenPatterns(window, [refused, timeout], evidence({ hasHistory: false }), 1)).toEqual([]);
  });

  it("flags a pattern whose earliest counted window is this one (it was stored with the window before the investigation)", () => {
    expect(findFirstSeenPatterns(window, [refused], evidence({ firstWindowOf: new Map([[refused.patternId, T0]]) }), 5)).toEqual([refused]);
  });

  it("does not flag a pattern counted in this namespace in an earlier window, a week or one window before", () => {
    expect(findFirstSeenPatterns(window, [refused], evidence({ firstWindowOf: new Map([[refused.patternId, T0 - 7 * DAY]]) }), 5)).toEqual([]);
    expect(findFirstSeenPatterns(window, [refused], evidence({ firstWindowOf: new Map([[refused.patternId, T0 - WINDOW]]) }), 5)).toEqual([]);
  });

  it("flags a pattern seen earlier in another namespace only: the history it is judged against is this namespace's", () => {
    // firstWindowOf holds this namespace's first windows only; the pattern's stored first window elsewhere does not reach it.
    expect(findFirstSeenPatterns(window, [refused], evidence({ firstWindowOf: new Map([["p-other", T0 - DAY]]) }), 5)).toEqual([refused]);
  });

  it("flags a pattern only from the minimum count on", () => {
    expect(findFirstSeenPatterns(window, [{ ...timeout, count: 4 }], evidence(), 5)).toEqual([]);
    expect(findFirstSeenPatterns(window, [{ ...timeout, count: 5 }], evidence(), 5)).toEqual([{ ...timeout, count: 5 }]);
  });

  it("does not flag a pattern the usual period before the window showed, though it was never stored", () => {
    expect(findFirstSeenPatterns(window, [refused, timeout], evidence({ seenInUsualPeriod: new Set([refused.patternId]) }), 5)).toEqual([timeout]);
  });

  it("orders patterns of equal count by id, so that the result is the same on every run", () => {
    const other = { ...refused, patternId: "p-another" };
    expect(findFirstSeenPatterns(window, [refused, other], evidence(), 5).map((pattern) => pattern.patternId)).toEqual(["p-another", "p-refused"]);
  });
});

import { describe, expect, it } from "vitest";
import { excessErrors, hasEnded, placeNewWindows, snoozeState, type IncidentSpan } from "./incidents";

const MINUTE = 60_000;
const WINDOW = 15 * MINUTE;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 10, 2, 8, 0);
const rules = { windowMs: WINDOW, gapMs: 30 * MINUTE, reopenMs: 24 * HOUR };

function span(overrides: Partial<IncidentSpan> & { id: number }): IncidentSpan {
  return { startedAt: T0, lastWindowAt: T0, resolvedWithSolution: false, resolvedQuietlyAt: null, ...overrides };
}

describe("placeNewWindows", () => {
  it("groups windows no more than the gap apart into one new incident, and starts another after a longer pause", () => {
    const placements = placeNewWindows(
      [],
      [
        { id: 3, start: T0 + 2 * WINDOW },
        { id: 1, start: T0 },
        // 30 minutes after the end of window 3: still the same incident.
        { id: 4, start: T0 + 5 * WINDOW },
        // 45 minutes after the end of window 4: a new one.
        { id: 5, start: T0 + 9 * WINDOW },
      ],
      rules,
    );
    expect(placements).toEqual([
      { kind: "new", peakIds: [1, 3, 4], startedAt: T0, lastWindowAt: T0 + 5 * WINDOW },
      { kind: "new", peakIds: [5], startedAt: T0 + 9 * WINDOW, lastWindowAt: T0 + 9 * WINDOW },
    ]);
  });

  it("adds a window to the incident it continues, and a late window before it too", () => {
    const incidents = [span({ id: 7, startedAt: T0, lastWindowAt: T0 + WINDOW })];
    expect(placeNewWindows(incidents, [{ id: 9, start: T0 + 2 * WINDOW }], rules)).toEqual([{ kind: "join", incidentId: 7, peakIds: [9] }]);
    expect(placeNewWindows(incidents, [{ id: 8, start: T0 - WINDOW }], rules)).toEqual([{ kind: "join", incidentId: 7, peakIds: [8] }]);
    // The incident grows as windows join it: a run of windows follows it past the first gap.
    const run = [1, 2, 3, 4, 5, 6].map((step) => ({ id: 20 + step, start: T0 + WINDOW + step * 2 * WINDOW }));
    expect(placeNewWindows(incidents, run, rules)).toEqual([{ kind: "join", incidentId: 7, peakIds: [21, 22, 23, 24, 25, 26] }]);
  });

  it("never joins an incident resolved with a solution: its return is a new incident", () => {
    const incidents = [span({ id: 7, lastWindowAt: T0 + WINDOW, resolvedWithSolution: true })];
    expect(placeNewWindows(incidents, [{ id: 9, start: T0 + 2 * WINDOW }], rules)).toEqual([
      { kind: "new", peakIds: [9], startedAt: T0 + 2 * WINDOW, lastWindowAt: T0 + 2 * WINDOW },
    ]);
  });

  it("reopens an incident that resolved itself when errors return within reopen hours, and not after", () => {
    const resolvedQuietlyAt = T0 + 2 * HOUR;
    const incidents = [span({ id: 7, lastWindowAt: T0 + WINDOW, resolvedQuietlyAt })];
    const back = T0 + 5 * HOUR;
    expect(
      placeNewWindows(
        incidents,
        [
          { id: 9, start: back },
          { id: 10, start: back + WINDOW },
        ],
        rules,
      ),
    ).toEqual([{ kind: "reopen", incidentId: 7, peakIds: [9, 10], afterMs: 3 * HOUR }]);
    expect(placeNewWindows(incidents, [{ id: 9, start: resolvedQuietlyAt + 25 * HOUR }], rules)).toEqual([
      { kind: "new", peakIds: [9], startedAt: resolvedQuietlyAt + 25 * HOUR, lastWindowAt: resolvedQuietlyAt + 25 * HOUR },
    ]);
  });

  it("reopens once: a second return after a pause is a new incident", () => {
    const incidents = [span({ id: 7, lastWindowAt: T0 + WINDOW, resolvedQuietlyAt: T0 + 2 * HOUR })];
    const placements = placeNewWindows(
      incidents,
      [
        { id: 9, start: T0 + 3 * HOUR },
        { id: 10, start: T0 + 6 * HOUR },
      ],
      rules,
    );
    expect(placements).toEqual([
      { kind: "reopen", incidentId: 7, peakIds: [9], afterMs: HOUR },
      { kind: "new", peakIds: [10], startedAt: T0 + 6 * HOUR, lastWindowAt: T0 + 6 * HOUR },
    ]);
  });

  it("prefers the latest incident when a window is within the gap of two", () => {
    const incidents = [span({ id: 1, startedAt: T0, lastWindowAt: T0 }), span({ id: 2, startedAt: T0 + 4 * WINDOW, lastWindowAt: T0 + 4 * WINDOW })];
    expect(placeNewWindows(incidents, [{ id: 9, start: T0 + 2 * WINDOW }], rules)).toEqual([{ kind: "join", incidentId: 2, peakIds: [9] }]);
  });
});

describe("hasEnded", () => {
  it("needs the configured number of counted windows after the last peak window", () => {
    expect(hasEnded(3, 4)).toBe(false);
    expect(hasEnded(4, 4)).toBe(true);
  });
});

describe("snoozeState", () => {
  const now = T0 + HOUR;
  it("holds until its time, then expires", () => {
    expect(snoozeState({ until: now + 1, growth: null, excessWhenSnoozed: null }, 100, now)).toBe("active");
    expect(snoozeState({ until: now, growth: null, excessWhenSnoozed: null }, 100, now)).toBe("expired");
  });
  it("lifts when the incident grew by the factor, whichever comes first", () => {
    const snooze = { until: now + HOUR, growth: 3, excessWhenSnoozed: 100 };
    expect(snoozeState(snooze, 299, now)).toBe("active");
    expect(snoozeState(snooze, 300, now)).toBe("grew");
    expect(snoozeState({ until: null, growth: 2, excessWhenSnoozed: 0 }, 2, now)).toBe("grew");
  });
  it("says none without a snooze", () => {
    expect(snoozeState({ until: null, growth: null, excessWhenSnoozed: null }, 5, now)).toBe("none");
  });
});

describe("excessErrors", () => {
  it("is the count above the baseline mean, never negative", () => {
    expect(excessErrors({ errorCount: 120, baselineMean: 20.5 })).toBe(99.5);
    expect(excessErrors({ errorCount: 10, baselineMean: 20 })).toBe(0);
  });
});

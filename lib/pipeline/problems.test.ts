import { describe, expect, it } from "vitest";
import {
  buildProblems,
  classifyProblemTrend,
  compareActionable,
  mostFrequentKnownIssue,
  mostNamespacesAtOnce,
  parseProblemId,
  previousPeriodGapOf,
  problemIdOf,
  problemPeriodOf,
  problemScopeOf,
  type Problem,
  type ProblemIncidentFact,
  type ProblemSettings,
} from "./problems";

const MINUTE = 60_000;
const WINDOW = 15 * MINUTE;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 10, 23, 8, 0);
const settings: ProblemSettings = { windowMs: WINDOW, systemicNamespaces: 3, trendFactor: 1.5, trendMinErrors: 100 };
const tolerance = { trendFactor: 1.5, trendMinErrors: 100 };

const POOL = "9f1c2a7be0d44e";
const DISK = "0a1b2c3d4e5f60";

function fact(overrides: Partial<ProblemIncidentFact> = {}): ProblemIncidentFact {
  const firstWindowMs = overrides.firstWindowMs ?? T0;
  return {
    patternId: POOL,
    errorType: "timeout",
    incidentId: 1,
    namespace: "payments",
    isCurrent: true,
    firstWindowMs,
    lastWindowMs: firstWindowMs,
    windows: 1,
    errors: 400,
    apps: ["payments-api"],
    knownIssueIds: [],
    latestWindowId: 1,
    ...overrides,
  };
}

describe("problem ids", () => {
  it("read as the pattern id and the error type for the miner's hex ids and snake_case types", () => {
    expect(problemIdOf({ patternId: POOL, errorType: "null_pointer" })).toBe(`${POOL}-null_pointer`);
    expect(parseProblemId(`${POOL}-null_pointer`)).toEqual({ patternId: POOL, errorType: "null_pointer" });
  });

  it("escape every other character, so that any key gives a URL-safe id that reads back to it", () => {
    const keys = [
      { patternId: "root-1", errorType: "timeout" },
      { patternId: "a.b/c d?e#f%", errorType: "Odd-Type" },
      { patternId: "ünïcødé-😀", errorType: "unknown" },
    ];
    for (const key of keys) {
      const id = problemIdOf(key);
      expect(id).toMatch(/^[A-Za-z0-9_.-]+$/);
      expect(encodeURIComponent(id)).toBe(id);
      expect(parseProblemId(id)).toEqual(key);
    }
  });

  it("differ for keys that differ only in where the pattern id ends", () => {
    const left = problemIdOf({ patternId: "a-b", errorType: "c" });
    const right = problemIdOf({ patternId: "a", errorType: "b-c" });
    expect(left).not.toBe(right);
    expect(parseProblemId(left)).toEqual({ patternId: "a-b", errorType: "c" });
    expect(parseProblemId(right)).toEqual({ patternId: "a", errorType: "b-c" });
  });

  it("refuse texts that no key gives", () => {
    for (const text of [
      "",
      POOL,
      `-timeout`,
      `${POOL}-`,
      `${POOL}-time-out`,
      `${POOL}-time.002D`,
      `${POOL}.12-timeout`,
      `${POOL}%2d-timeout`,
      `${POOL}-timeout/x`,
    ]) {
      expect(parseProblemId(text), text).toBeNull();
    }
  });
});

describe("problemPeriodOf", () => {
  it("ends now and has the period of the same length before it", () => {
    expect(problemPeriodOf(T0, 24 * HOUR, WINDOW)).toEqual({ fromMs: T0 - 24 * HOUR, toMs: T0, previousFromMs: T0 - 48 * HOUR });
  });

  it("ends with the window now is in, so that every moment of a window asks for the same period", () => {
    for (const now of [T0 + 1, T0 + 7 * MINUTE, T0 + WINDOW - 1]) {
      expect(problemPeriodOf(now, 7 * 24 * HOUR, WINDOW)).toEqual({
        fromMs: T0 + WINDOW - 7 * 24 * HOUR,
        toMs: T0 + WINDOW,
        previousFromMs: T0 + WINDOW - 14 * 24 * HOUR,
      });
    }
  });
});

describe("classifyProblemTrend", () => {
  const trend = (current: number, previous: number) =>
    classifyProblemTrend({ windows: 1, errors: current }, { windows: 1, errors: previous }, tolerance).direction;

  it("calls 1 → 2 errors stable: twice as many, but one error more", () => {
    expect(trend(2, 1)).toBe("stable");
    expect(trend(1, 2)).toBe("stable");
  });

  it("calls a large change by a small factor stable: 10,000 → 10,400 is 400 errors but ×1.04", () => {
    expect(trend(10_400, 10_000)).toBe("stable");
    expect(trend(10_000, 10_400)).toBe("stable");
  });

  it("is up when errors grew by the factor and by the minimum, both reached exactly", () => {
    expect(trend(600, 400)).toBe("up");
    expect(trend(300, 200)).toBe("up");
    expect(trend(590, 400)).toBe("stable");
    expect(trend(299, 200)).toBe("stable");
  });

  it("is down when errors shrank by the factor and by the minimum", () => {
    expect(trend(400, 600)).toBe("down");
    expect(trend(410, 600)).toBe("stable");
    expect(trend(0, 150)).toBe("down");
    expect(trend(0, 99)).toBe("stable");
  });

  it("is up for a problem absent from the previous period once it has the minimum, with no ratio", () => {
    expect(classifyProblemTrend({ windows: 1, errors: 150 }, { windows: 0, errors: 0 }, tolerance)).toEqual({
      direction: "up",
      current: { windows: 1, errors: 150 },
      previous: { windows: 0, errors: 0 },
      ratio: null,
    });
    expect(trend(99, 0)).toBe("stable");
  });

  it("keeps both periods' figures and their ratio", () => {
    expect(classifyProblemTrend({ windows: 3, errors: 900 }, { windows: 2, errors: 600 }, tolerance)).toEqual({
      direction: "up",
      current: { windows: 3, errors: 900 },
      previous: { windows: 2, errors: 600 },
      ratio: 1.5,
    });
  });

  it("is stable when nothing changed, even at zero", () => {
    expect(trend(500, 500)).toBe("stable");
    expect(trend(0, 0)).toBe("stable");
  });
});

describe("previousPeriodGapOf", () => {
  const WINDOW = 15 * 60_000;
  const HOUR = 3_600_000;
  // A period of 24 h from 2026-12-02 00:00 UTC; the period before is the day before (96 windows).
  const period = { previousFromMs: Date.parse("2026-12-01T00:00:00Z"), fromMs: Date.parse("2026-12-02T00:00:00Z") };
  const stored = (oldestStoredMs: number | null, counts: Record<string, number>) => ({ oldestStoredMs, byNamespace: new Map(Object.entries(counts)) });

  it("is null when every namespace of the problem has all 96 windows of the day before", () => {
    expect(previousPeriodGapOf(["a", "b"], period, WINDOW, stored(period.previousFromMs - HOUR, { a: 96, b: 96, c: 3 }))).toBeNull();
  });

  it("counts the windows of the problem's namespaces that are not stored, other namespaces aside", () => {
    expect(previousPeriodGapOf(["a", "b", "d"], period, WINDOW, stored(period.previousFromMs, { a: 96, b: 84, c: 3 }))).toEqual({
      missingWindows: 12 + 96,
      namespaces: ["b", "d"],
      storedFromMs: null,
    });
  });

  it("says when nothing is stored before a time within the period before, counting gaps only after it", () => {
    const oldest = period.previousFromMs + 6 * HOUR;
    expect(previousPeriodGapOf(["a"], period, WINDOW, stored(oldest, { a: 72 }))).toEqual({ missingWindows: 0, namespaces: [], storedFromMs: oldest });
    expect(previousPeriodGapOf(["a"], period, WINDOW, stored(oldest, { a: 70 }))).toEqual({ missingWindows: 2, namespaces: ["a"], storedFromMs: oldest });
  });

  it("says the whole period before is unread when nothing was stored before the period itself, or at all", () => {
    expect(previousPeriodGapOf(["a"], period, WINDOW, stored(period.fromMs + HOUR, {}))).toEqual({
      missingWindows: 0,
      namespaces: [],
      storedFromMs: period.fromMs + HOUR,
    });
    expect(previousPeriodGapOf(["a"], period, WINDOW, stored(null, {}))).toEqual({ missingWindows: 0, namespaces: [], storedFromMs: period.fromMs });
  });
});

describe("mostNamespacesAtOnce and problemScopeOf", () => {
  const episode = (namespace: string, fromWindow: number, toWindow: number) => ({ namespace, fromMs: T0 + fromWindow * WINDOW, toMs: T0 + toWindow * WINDOW });

  it("is single for one namespace, however many episodes", () => {
    expect(problemScopeOf([episode("payments", 0, 1), episode("payments", 4, 8), episode("payments", 90, 91)], 2)).toEqual({
      kind: "single",
      namespaces: 1,
      mostAtOnce: 1,
      mostAtOnceFromMs: T0,
    });
  });

  it("is several for namespaces hit at different times", () => {
    const scope = problemScopeOf([episode("payments", 0, 2), episode("orders", 3, 4), episode("ledger", 10, 12)], 2);
    expect(scope).toMatchObject({ kind: "several", namespaces: 3, mostAtOnce: 1 });
  });

  it("does not count episodes that only touch (ends are exclusive) as overlapping", () => {
    expect(mostNamespacesAtOnce([episode("payments", 0, 2), episode("orders", 2, 4)]).most).toBe(1);
  });

  it("is systemic when enough namespaces are held in the same windows", () => {
    const scope = problemScopeOf([episode("payments", 4, 5), episode("orders", 4, 5), episode("ledger", 4, 5)], 3);
    expect(scope).toEqual({ kind: "systemic", namespaces: 3, mostAtOnce: 3, mostAtOnceFromMs: T0 + 4 * WINDOW });
  });

  it("is systemic for overlapping incidents that do not start together, from when the last one joined", () => {
    const scope = problemScopeOf([episode("payments", 0, 6), episode("orders", 2, 4), episode("ledger", 3, 9)], 3);
    expect(scope).toEqual({ kind: "systemic", namespaces: 3, mostAtOnce: 3, mostAtOnceFromMs: T0 + 3 * WINDOW });
  });

  it("is not systemic when each pair overlaps but never all of them at once", () => {
    // payments with orders, orders with ledger, but payments has ended when ledger begins.
    const scope = problemScopeOf([episode("payments", 0, 2), episode("orders", 1, 4), episode("ledger", 2, 5)], 3);
    expect(scope).toMatchObject({ kind: "several", mostAtOnce: 2 });
  });

  it("counts a namespace once when its own episodes overlap", () => {
    const scope = problemScopeOf([episode("payments", 0, 4), episode("payments", 1, 2), episode("orders", 1, 2)], 3);
    expect(scope).toMatchObject({ kind: "several", namespaces: 2, mostAtOnce: 2 });
  });

  it("follows the configured number: two namespaces at once are systemic from 2", () => {
    const both = [episode("payments", 0, 1), episode("orders", 0, 1)];
    expect(problemScopeOf(both, 2).kind).toBe("systemic");
    expect(problemScopeOf(both, 3).kind).toBe("several");
  });

  it("has nothing at once without episodes", () => {
    expect(mostNamespacesAtOnce([])).toEqual({ most: 0, fromMs: 0 });
  });
});

describe("mostFrequentKnownIssue", () => {
  it("is null when no window has a known issue", () => {
    expect(mostFrequentKnownIssue([])).toBeNull();
    expect(mostFrequentKnownIssue([{ knownIssueIds: [], lastWindowMs: T0 }])).toBeNull();
  });

  it("is the issue most windows carry, counted over all facts", () => {
    expect(
      mostFrequentKnownIssue([
        { knownIssueIds: [7, 7], lastWindowMs: T0 },
        { knownIssueIds: [9], lastWindowMs: T0 + HOUR },
        { knownIssueIds: [7], lastWindowMs: T0 - HOUR },
        { knownIssueIds: [9], lastWindowMs: T0 + 2 * HOUR },
        { knownIssueIds: [], lastWindowMs: T0 + 3 * HOUR },
      ]),
    ).toBe(7);
  });

  it("breaks a tie by the newest window, then by the lower id", () => {
    expect(
      mostFrequentKnownIssue([
        { knownIssueIds: [7], lastWindowMs: T0 },
        { knownIssueIds: [9], lastWindowMs: T0 + HOUR },
      ]),
    ).toBe(9);
    expect(mostFrequentKnownIssue([{ knownIssueIds: [9, 4], lastWindowMs: T0 }])).toBe(4);
  });
});

describe("buildProblems", () => {
  it("gathers a problem's incidents across namespaces: windows, incidents, namespaces, apps, first and last seen, errors", () => {
    const [problem, ...others] = buildProblems(
      [
        fact({ incidentId: 1, namespace: "payments", firstWindowMs: T0, lastWindowMs: T0 + 2 * WINDOW, windows: 3, errors: 1200, latestWindowId: 3 }),
        fact({
          incidentId: 2,
          namespace: "orders",
          firstWindowMs: T0 + HOUR,
          windows: 1,
          errors: 300,
          apps: ["orders-api", "payments-api"],
          latestWindowId: 8,
        }),
        // Windows not placed yet: counted as occurrences, not as incidents.
        fact({ incidentId: null, namespace: "orders", firstWindowMs: T0 + 2 * HOUR, windows: 1, errors: 200, apps: [], latestWindowId: 11 }),
      ],
      settings,
    );
    expect(others).toEqual([]);
    expect(problem).toMatchObject({
      id: `${POOL}-timeout`,
      patternId: POOL,
      errorType: "timeout",
      occurrences: 5,
      incidents: 2,
      namespaces: ["orders", "payments"],
      apps: ["orders-api", "payments-api"],
      firstSeenMs: T0,
      lastSeenMs: T0 + 2 * HOUR + WINDOW,
      errors: 1700,
      latestWindowId: 11,
      knownIssueId: null,
    });
  });

  it("makes two problems of one pattern with two error types, and of one error type with two patterns", () => {
    const problems = buildProblems([fact(), fact({ errorType: "connection", incidentId: 2 }), fact({ patternId: DISK, incidentId: 3 })], settings);
    expect(problems.map((problem) => problem.id).sort()).toEqual([`${DISK}-timeout`, `${POOL}-connection`, `${POOL}-timeout`].sort());
  });

  it("compares with the previous period's windows and errors of the same key", () => {
    const [problem] = buildProblems(
      [
        fact({ windows: 2, errors: 900 }),
        fact({ isCurrent: false, incidentId: 5, windows: 1, errors: 200 }),
        // Another problem's previous period is not this one's.
        fact({ isCurrent: false, patternId: DISK, incidentId: 6, windows: 4, errors: 5000 }),
      ],
      settings,
    );
    expect(problem!.trend).toEqual({ direction: "up", current: { windows: 2, errors: 900 }, previous: { windows: 1, errors: 200 }, ratio: 4.5 });
  });

  it("leaves out a problem seen only in the previous period", () => {
    expect(buildProblems([fact({ isCurrent: false })], settings)).toEqual([]);
  });

  it("counts an incident that crosses into the period once in each period", () => {
    const [problem] = buildProblems(
      [fact({ incidentId: 4, windows: 2, errors: 500 }), fact({ incidentId: 4, isCurrent: false, firstWindowMs: T0 - WINDOW, windows: 1, errors: 300 })],
      settings,
    );
    expect(problem).toMatchObject({ incidents: 1, occurrences: 2, firstSeenMs: T0, trend: { previous: { windows: 1, errors: 300 } } });
  });

  it("judges scope on the period's incidents only, each spanning its windows of the problem", () => {
    const [problem] = buildProblems(
      [
        fact({ namespace: "payments", incidentId: 1, firstWindowMs: T0, lastWindowMs: T0 + 2 * WINDOW }),
        // Starts in payments' last window: the same instant, two namespaces.
        fact({ namespace: "orders", incidentId: 2, firstWindowMs: T0 + 2 * WINDOW }),
        // Held at the same time, but before the period: not counted.
        fact({ namespace: "ledger", incidentId: 3, isCurrent: false }),
      ],
      { ...settings, systemicNamespaces: 2 },
    );
    expect(problem!.scope).toEqual({ kind: "systemic", namespaces: 2, mostAtOnce: 2, mostAtOnceFromMs: T0 + 2 * WINDOW });
  });

  it("takes the known issue most of the period's windows carry", () => {
    const [problem] = buildProblems(
      [fact({ knownIssueIds: [3, 3] }), fact({ incidentId: 2, knownIssueIds: [8] }), fact({ incidentId: 3, isCurrent: false, knownIssueIds: [8, 8, 8] })],
      settings,
    );
    expect(problem!.knownIssueId).toBe(3);
  });
});

describe("compareActionable", () => {
  function problem(id: string, overrides: Partial<Problem> = {}): Problem {
    // As much as in the previous period: stable unless told otherwise.
    const [built] = buildProblems([fact({ patternId: id }), fact({ patternId: id, isCurrent: false })], settings);
    return { ...built!, ...overrides };
  }
  const up = classifyProblemTrend({ windows: 4, errors: 2000 }, { windows: 1, errors: 400 }, tolerance);
  const down = classifyProblemTrend({ windows: 1, errors: 400 }, { windows: 4, errors: 2000 }, tolerance);
  const systemic = { kind: "systemic" as const, namespaces: 4, mostAtOnce: 4, mostAtOnceFromMs: T0 };
  const several = { kind: "several" as const, namespaces: 2, mostAtOnce: 1, mostAtOnceFromMs: T0 };

  const ordered = [
    problem("unknown_growing_systemic", { trend: up, scope: systemic, namespaces: ["a", "b", "c", "d"] }),
    problem("unknown_growing_single_big", { trend: up, errors: 9000 }),
    problem("unknown_growing_single_small", { trend: up, errors: 500 }),
    problem("unknown_stable_several", { scope: several, namespaces: ["a", "b"] }),
    problem("unknown_stable_single_recent", { lastSeenMs: T0 + HOUR }),
    problem("unknown_stable_single_a"),
    problem("unknown_stable_single_b"),
    problem("unknown_shrinking_systemic", { trend: down, scope: systemic, namespaces: ["a", "b", "c", "d"] }),
    problem("known_growing", { knownIssueId: 4, trend: up }),
    problem("known_stable_huge", { knownIssueId: 4, errors: 1_000_000 }),
  ];

  it("puts problems without a known issue first, then growing, then wide, then big, then recent ones", () => {
    expect(
      [...ordered]
        .reverse()
        .sort(compareActionable)
        .map((entry) => entry.patternId),
    ).toEqual(ordered.map((entry) => entry.patternId));
  });

  it("is a total order: every shuffle sorts the same", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 50; round += 1) {
      const shuffled = [...ordered];
      for (let index = shuffled.length - 1; index > 0; index -= 1) {
        const other = Math.floor(next() * (index + 1));
        [shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!];
      }
      expect(shuffled.sort(compareActionable).map((entry) => entry.id)).toEqual(ordered.map((entry) => entry.id));
    }
  });
});

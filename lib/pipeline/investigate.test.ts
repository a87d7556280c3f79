import { describe, expect, it } from "vitest";
import { createClassifier } from "./classify";
import { comparePatterns, explainingRootCauses, findMatchingIssue, investigateWindow, issueMatches, type IssueMatcher, type MatchSubject } from "./investigate";
import type { LogDocument } from "./log-document";
import { createPatternMiner } from "./patterns";

const classify = createClassifier([
  { type: "database", patterns: ["deadlock"] },
  { type: "http_5xx", patterns: ["\\b50[0-9]\\b"] },
  { type: "timeout", patterns: ["timed out"] },
]);
const T0 = Date.parse("2026-01-15T09:00:00Z");

function document(second: number, app: string | null, message: string, traceId: string | null): LogDocument {
  return { timestamp: T0 + second * 1000, namespace: "payments", app, level: "ERROR", message, traceId, version: null };
}

// Two traces start with a deadlock in payments-db-writer, one with a timeout in gateway;
// two documents carry no trace. Listed out of time order on purpose.
const documents = [
  document(12, "checkout-api", "upstream payments-api answered 503 for order 17", "t1"),
  document(10, "payments-db-writer", "deadlock detected on table ledger (tx 881)", "t1"),
  document(11, "payments-api", "HTTP 500 from payments-db-writer for order 17", "t1"),
  document(20, "payments-db-writer", "deadlock detected on table ledger (tx 990)", "t2"),
  document(21, "payments-api", "HTTP 500 from payments-db-writer for order 18", "t2"),
  document(5, "gateway", "request to payments-api timed out after 30s", "t3"),
  document(6, "payments-api", "HTTP 500 from payments-db-writer for order 19", "t3"),
  document(30, "payments-api", "HTTP 500 from payments-db-writer for order 20", null),
  document(31, null, "HTTP 500 from payments-db-writer for order 21", null),
];

describe("investigateWindow", () => {
  const result = investigateWindow(documents, createPatternMiner(), classify);

  it("counts and patterns every document, traced or not", () => {
    expect(result).toMatchObject({ documents: 9, untraced: 2, traces: 3 });
    expect(result.patterns.map((pattern) => [pattern.template, pattern.count, pattern.errorType])).toEqual([
      ["HTTP 500 from payments-db-writer for order <*>", 5, "http_5xx"],
      ["deadlock detected on table ledger (tx <*>)", 2, "database"],
      ["request to payments-api timed out after <*>", 1, "timeout"],
      ["upstream payments-api answered 503 for order <*>", 1, "http_5xx"],
    ]);
  });

  it("takes each trace's earliest error as its root cause, and the most frequent one as the peak's", () => {
    expect(result.rootCauses.map((cause) => [cause.template, cause.traces, Number(cause.share.toFixed(2))])).toEqual([
      ["deadlock detected on table ledger (tx <*>)", 2, 0.67],
      ["request to payments-api timed out after <*>", 1, 0.33],
    ]);
    expect(result.rootCause).toMatchObject({
      template: "deadlock detected on table ledger (tx <*>)",
      errorType: "database",
      example: "deadlock detected on table ledger (tx 881)",
    });
    expect(result.errorType).toBe("database");
  });

  it("shows the longest trace of the dominant root cause, errors in order, and the services in those traces", () => {
    expect(result.representativeTrace?.traceId).toBe("t1");
    expect(result.representativeTrace?.errors.map((error) => error.app)).toEqual(["payments-db-writer", "payments-api", "checkout-api"]);
    expect(result.app).toBe("payments-db-writer");
    expect(result.affectedServices).toEqual(["payments-api", "payments-db-writer", "checkout-api"]);
  });

  it("falls back to the most frequent pattern and app when nothing is traced", () => {
    const untraced = investigateWindow(
      documents.map((entry) => ({ ...entry, traceId: null })),
      createPatternMiner(),
      classify,
    );
    expect(untraced).toMatchObject({ traces: 0, untraced: 9, representativeTrace: null, app: "payments-api", errorType: "http_5xx" });
    expect(untraced.rootCause?.template).toBe("HTTP 500 from payments-db-writer for order <*>");
    expect(untraced.affectedServices[0]).toBe("payments-api");
  });

  it("is empty for no documents", () => {
    expect(investigateWindow([], createPatternMiner(), classify)).toMatchObject({
      documents: 0,
      rootCause: null,
      app: null,
      errorType: null,
      affectedServices: [],
    });
  });
});

describe("comparePatterns", () => {
  const during = [
    { patternId: "a", template: "A", count: 300, errorType: "x", example: "a" },
    { patternId: "b", template: "B", count: 40, errorType: "x", example: "b" },
    { patternId: "c", template: "C", count: 12, errorType: "x", example: "c" },
    { patternId: "d", template: "D", count: 5, errorType: "x", example: "d" },
  ];
  // Over 96 usual windows: a 960 (10 per window), b 2880 (30 per window), c never, d 96 (1 per window).
  const usual = new Map([
    ["a", 960],
    ["b", 2880],
    ["d", 96],
  ]);

  it("puts new patterns first, then grown ones by growth, and keeps the rest as usual", () => {
    const result = comparePatterns(during, usual, 96);
    expect(result.changed.map((change) => [change.patternId, change.isNew, change.growth])).toEqual([
      ["c", true, null],
      ["a", false, 30],
      ["d", false, 5],
    ]);
    expect(result.usual).toEqual([{ patternId: "b", template: "B", usualPerWindow: 30, during: 40, growth: 40 / 30, isNew: false }]);
    expect(comparePatterns(during, usual, 96, 1.2).changed.map((change) => change.patternId)).toEqual(["c", "a", "d", "b"]);
  });
});

describe("known issue matching", () => {
  const subject: MatchSubject = {
    namespace: "payments",
    app: "payments-api",
    patterns: [{ patternId: "p1", template: "deadlock detected on table <*>", example: "deadlock detected on table ledger" }],
  };
  const issue = (overrides: Partial<IssueMatcher>): IssueMatcher => ({ id: 1, patternIds: [], regexes: [], namespace: null, appName: null, ...overrides });

  it("matches by pattern id or by a regular expression on the root cause", () => {
    expect(issueMatches(issue({ patternIds: ["p1"] }), subject)).toBe(true);
    expect(issueMatches(issue({ regexes: ["deadlock.*ledger"] }), subject)).toBe(true);
    expect(issueMatches(issue({ regexes: ["DEADLOCK"] }), subject)).toBe(true);
    expect(issueMatches(issue({ patternIds: ["p2"], regexes: ["timeout"] }), subject)).toBe(false);
  });

  it("respects the scope and ignores an invalid expression", () => {
    expect(issueMatches(issue({ patternIds: ["p1"], namespace: "orders" }), subject)).toBe(false);
    expect(issueMatches(issue({ patternIds: ["p1"], appName: "other-app" }), subject)).toBe(false);
    expect(issueMatches(issue({ patternIds: ["p1"], namespace: "payments", appName: "payments-api" }), subject)).toBe(true);
    expect(issueMatches(issue({ regexes: ["(unclosed"] }), subject)).toBe(false);
  });

  it("skips a stored regex the linear-time engine refuses, without throwing, and still tries the others", () => {
    // Valid JavaScript saved before the switch to RE2: a backreference and a lookahead.
    expect(issueMatches(issue({ regexes: ["(dead)lock.*\\1", "deadlock(?= detected)"] }), subject)).toBe(false);
    expect(issueMatches(issue({ regexes: ["(dead)lock.*\\1", "table ledger$"] }), subject)).toBe(true);
    expect(findMatchingIssue([issue({ id: 7, regexes: ["(?<=dead)lock"] })], subject)).toBeNull();
  });

  it("prefers the most specific match", () => {
    const issues = [issue({ id: 1, regexes: ["deadlock"] }), issue({ id: 2, patternIds: ["p1"], namespace: "payments" }), issue({ id: 3, patternIds: ["p1"] })];
    expect(findMatchingIssue(issues, subject)?.id).toBe(2);
    expect(findMatchingIssue(issues.slice(0, 1).concat(issues.slice(2)), subject)?.id).toBe(3);
    expect(findMatchingIssue([], subject)).toBeNull();
  });
});

describe("explainingRootCauses", () => {
  it("keeps the leading root cause and those behind at least a tenth of the traces, not the background that began a trace or two", () => {
    const causes = [
      { patternId: "pool", share: 0.86 },
      { patternId: "second", share: 0.1 },
      { patternId: "declined", share: 0.03 },
      { patternId: "refund", share: 0.02 },
    ];
    expect(explainingRootCauses(causes).map((cause) => cause.patternId)).toEqual(["pool", "second"]);
  });

  it("keeps the leading one however small its share, and entries stored without a share", () => {
    expect(
      explainingRootCauses([
        { patternId: "a", share: 0.05 },
        { patternId: "b", share: 0.04 },
      ]).map((cause) => cause.patternId),
    ).toEqual(["a"]);
    const unshared: { patternId: string; share?: number }[] = [{ patternId: "a" }, { patternId: "b" }];
    expect(explainingRootCauses(unshared).map((cause) => cause.patternId)).toEqual(["a", "b"]);
    expect(explainingRootCauses([])).toEqual([]);
  });
});

describe("issueMatches with the explaining root causes", () => {
  it("does not let background errors shared by two windows make an issue of one match the other", () => {
    const source = [
      { patternId: "pool", share: 0.86 },
      { patternId: "declined", share: 0.03 },
    ];
    const other = [
      { patternId: "tls", share: 0.89 },
      { patternId: "declined", share: 0.03 },
    ];
    const issue = { id: 1, namespace: null, appName: null, patternIds: explainingRootCauses(source).map((cause) => cause.patternId), regexes: [] };
    const subject = (causes: typeof other) => ({
      namespace: "payments",
      app: null,
      patterns: explainingRootCauses(causes).map((cause) => ({ patternId: cause.patternId, example: cause.patternId, template: cause.patternId })),
    });
    expect(issueMatches(issue, subject(other))).toBe(false);
    expect(issueMatches(issue, subject(source))).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { describeAuditEntry, shortRootCause } from "./words";

const entry = (action: string, details: Record<string, unknown> = {}) => ({ action, details: details as never });

describe("describeAuditEntry", () => {
  it("says what each triage action did", () => {
    expect(describeAuditEntry(entry("peak.acknowledge", { from: "open", to: "acknowledged" }))).toBe("acknowledged the peak");
    expect(describeAuditEntry(entry("peak.reopen", { from: "false_positive", to: "open" }))).toBe("reopened the peak (it was marked as a false positive)");
    expect(describeAuditEntry(entry("peak.false_positive", { reason: "Load test" }))).toBe("marked it as a false positive: “Load test”");
    expect(describeAuditEntry(entry("peak.false_positive"))).toBe("marked it as a false positive");
    expect(describeAuditEntry(entry("peak.note", { noteId: 3, text: "hi" }))).toBe("added a note");
  });

  it("names the known issue, whether it was created, and how many other peaks were labelled", () => {
    expect(describeAuditEntry(entry("peak.mark_known_issue", { knownIssueId: 4, title: "Pool exhaustion", created: true, labelledPeakIds: [5, 6] }))).toBe(
      "created known issue #4 “Pool exhaustion” from it, and labelled 2 other open peaks with the same root cause",
    );
    expect(describeAuditEntry(entry("peak.mark_known_issue", { knownIssueId: 4, title: "Pool exhaustion", labelledPeakIds: [9] }))).toBe(
      "attached it to known issue #4 “Pool exhaustion”, and labelled 1 other open peak with the same root cause",
    );
    expect(describeAuditEntry(entry("peak.mark_known_issue", { knownIssueId: 4, title: "Pool exhaustion" }))).toBe(
      "attached it to known issue #4 “Pool exhaustion”",
    );
    expect(describeAuditEntry(entry("peak.label_matching", { knownIssueId: 4, title: "Pool exhaustion", sourcePeakId: 3 }))).toBe(
      "labelled it known issue #4 “Pool exhaustion”: its root cause matched when peak #3 was marked",
    );
    expect(describeAuditEntry(entry("peak.label_matching", { knownIssueId: 4, title: "Pool exhaustion", sourcePeakId: null }))).toBe(
      "labelled it known issue #4 “Pool exhaustion”: its root cause matched when the issue was created",
    );
  });

  it("quotes the solution of a resolution and says when it resolved the known issue", () => {
    expect(describeAuditEntry(entry("peak.resolve", { solution: "Pool 30", resolvedKnownIssue: true }))).toBe(
      "resolved it with the solution “Pool 30”, which resolved its known issue",
    );
    expect(describeAuditEntry(entry("peak.resolve", { solution: "Pool 30", resolvedKnownIssue: false }))).toBe("resolved it with the solution “Pool 30”");
  });

  it("quotes the solution of a peak resolved without a known issue (its entry names none: null)", () => {
    expect(describeAuditEntry(entry("peak.resolve", { solution: "Pool 30", knownPeakId: 4, knownIssueId: null, resolvedKnownIssue: false }))).toBe(
      "resolved it with the solution “Pool 30”",
    );
  });

  it("falls back to the action name for an unknown action, and reads damaged details as none", () => {
    expect(describeAuditEntry(entry("peak.something_new"))).toBe("peak.something_new");
    expect(describeAuditEntry({ action: "peak.mark_known_issue", details: "not an object" })).toBe("attached it to a known issue");
    expect(describeAuditEntry(entry("peak.reopen", { from: "weird" }))).toBe("reopened the peak");
  });
});

describe("shortRootCause", () => {
  it.each([
    [
      "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available",
      "SQLTransientConnectionException: HikariPool-1 - Connection is not available",
    ],
    ["org.springframework.web.client.ResourceAccessException: I/O error on POST", "ResourceAccessException: I/O error on POST"],
    ["Timeout at com.example.ledger.PoolGuard.acquire(PoolGuard.java:88)", "Timeout at PoolGuard.acquire(PoolGuard.java:88)"],
    ["System.InvalidOperationException: Sequence contains no elements", "System.InvalidOperationException: Sequence contains no elements"],
    ["payment declined for order 1234.56 by gateway v2.1.0", "payment declined for order 1234.56 by gateway v2.1.0"],
    ["see https://status.example.com/incidents for details", "see https://status.example.com/incidents for details"],
  ])("%s", (text, expected) => {
    expect(shortRootCause(text)).toBe(expected);
  });
});

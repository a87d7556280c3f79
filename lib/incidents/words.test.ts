import { describe, expect, it } from "vitest";
import {
  describeIncidentAuditEntry,
  describeSnooze,
  eventNamespacesOf,
  firstSeenSentence,
  formatIncidentDuration,
  formatMinutes,
  regressionNote,
} from "./words";

describe("formatMinutes", () => {
  it("says minutes, hours and days as a person would", () => {
    expect(formatMinutes(0)).toBe("0 min");
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(60)).toBe("1 h");
    expect(formatMinutes(135)).toBe("2 h 15 min");
    expect(formatMinutes(1440)).toBe("1 day");
    expect(formatMinutes(3 * 1440 + 250)).toBe("3 days 4 h");
    expect(formatMinutes(-5)).toBe("0 min");
  });

  it("measures an incident from its first window's start to its last window's end", () => {
    expect(formatIncidentDuration({ start: "2026-11-23T08:00:00.000Z", end: "2026-11-23T09:15:00.000Z" })).toBe("1 h 15 min");
  });
});

describe("describeSnooze", () => {
  it("says until when, until how much growth, or both, in the configured timezone", () => {
    expect(describeSnooze({ until: "2026-11-23T13:00:00.000Z", growth: null, state: "active" }, "Europe/Prague")).toBe("snoozed until 23 Nov 2026, 14:00");
    expect(describeSnooze({ until: null, growth: 3, state: "active" }, "UTC")).toBe("snoozed until it grows ×3");
    expect(describeSnooze({ until: "2026-11-23T13:00:00.000Z", growth: 2.5, state: "active" }, "UTC")).toBe(
      "snoozed until 23 Nov 2026, 13:00 or until it grows ×2.5",
    );
    expect(describeSnooze({ until: null, growth: 3, state: "grew" }, "UTC")).toMatch(/^snooze ended: it grew ×3/);
  });
});

describe("describeIncidentAuditEntry", () => {
  const words = (action: string, details: unknown) => describeIncidentAuditEntry({ action, details: details as never }, "UTC");

  it("describes every action of an incident", () => {
    expect(words("incident.acknowledge", { from: "open", to: "acknowledged", owner: "bob@example.com" })).toBe("acknowledged it, owner bob@example.com");
    expect(words("incident.assign", { owner: null })).toBe("removed its owner");
    expect(words("incident.assign", { owner: "ana@example.com" })).toBe("made ana@example.com its owner");
    expect(words("incident.reopen", { from: "resolved", to: "open" })).toBe("reopened it (it was resolved)");
    expect(words("incident.reopen", { from: "resolved", to: "open", regression: true, returnedAfterMinutes: 105 })).toBe(
      "reopened it as a regression: errors returned 1 h 45 min after it resolved itself",
    );
    expect(words("incident.false_positive", { reason: "load test" })).toBe("marked it as a false positive: “load test”");
    expect(words("incident.known_issue", { knownIssueId: 4, title: "Pool", created: true })).toBe("created known issue #4 “Pool” from it");
    expect(words("incident.known_issue", { knownIssueId: 4, title: "Pool" })).toBe("attached it to known issue #4 “Pool”");
    expect(words("incident.resolve", { solution: "Raised the pool", knownPeakId: 7 })).toBe("resolved it with the solution “Raised the pool” (known peak #7)");
    expect(words("incident.auto_resolve", { quietWindows: 4 })).toBe("resolved it as back to normal after 4 quiet windows");
    expect(words("incident.snooze", { until: "2026-11-23T13:00:00.000Z", growth: 3 })).toBe("snoozed it until 23 Nov 2026, 13:00 or until it grows ×3");
    expect(words("incident.unsnooze", {})).toBe("lifted its snooze");
    expect(words("incident.snooze_lifted", { reason: "grew" })).toBe("lifted its snooze: it grew by the factor it was snoozed for");
    expect(words("incident.snooze_lifted", { reason: "expired" })).toBe("lifted its snooze: its time passed");
  });

  it("still reads an entry whose details are not what it expects", () => {
    expect(words("incident.known_issue", "garbage")).toBe("attached it to a known issue");
    expect(words("incident.explode", {})).toBe("incident.explode");
  });
});

describe("regressionNote", () => {
  it("says how long after resolving itself the errors came back, from the newest regression", () => {
    expect(
      regressionNote([
        { action: "incident.acknowledge", details: {} },
        { action: "incident.reopen", details: { regression: true, returnedAfterMinutes: 120 } },
        { action: "incident.reopen", details: { regression: true, returnedAfterMinutes: 30 } },
      ]),
    ).toBe("Errors returned 2 h after it resolved itself.");
    expect(regressionNote([{ action: "incident.reopen", details: { from: "resolved" } }])).toBeNull();
    expect(regressionNote([])).toBeNull();
  });
});

describe("firstSeenSentence", () => {
  it("names the namespace the pattern is new in, and where it was first seen", () => {
    expect(firstSeenSentence("payments", "incident")).toBe("new in payments: first seen in this incident");
    expect(firstSeenSentence("orders", "window")).toBe("new in orders: first seen in this window");
  });
});

describe("eventNamespacesOf", () => {
  it("names the incident's own namespace first, then the others by name", () => {
    expect(eventNamespacesOf({ namespaces: ["ledger", "orders", "payments"], namespaceTotal: 3 }, "payments")).toEqual({
      named: ["payments", "ledger", "orders"],
      more: 0,
    });
  });

  it("counts the namespaces the event's answer leaves out, and names the incident's own even when it is one of them", () => {
    expect(eventNamespacesOf({ namespaces: ["a", "b", "c"], namespaceTotal: 5 }, "b")).toEqual({ named: ["b", "a", "c"], more: 2 });
    expect(eventNamespacesOf({ namespaces: ["a", "b", "c"], namespaceTotal: 5 }, "zeta")).toEqual({ named: ["zeta", "a", "b", "c"], more: 1 });
  });
});

import { describe, expect, it } from "vitest";
import { encodeCursor } from "@/lib/peaks/contract";
import { incidentActionRequestSchema, listIncidentsSchema, MAX_INCIDENT_PAGE_SIZE } from "./contract";

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join(".")) ?? [];

describe("listIncidentsSchema refuses what no page can be asked for", () => {
  it("takes a valid query and its defaults", () => {
    expect(listIncidentsSchema.parse({ status: "open,acknowledged", ongoing: "true", cursor: encodeCursor({ timestampMs: 1, id: 2 }) })).toMatchObject({
      status: ["open", "acknowledged"],
      ongoing: "true",
      limit: 50,
    });
  });

  it("names the field of an unknown status, a page too large, a forged cursor, an unordered range and a non-boolean ongoing", () => {
    expect(issuesOf(listIncidentsSchema.safeParse({ status: "open,burning" }))).toEqual(["status"]);
    expect(issuesOf(listIncidentsSchema.safeParse({ limit: String(MAX_INCIDENT_PAGE_SIZE + 1) }))).toEqual(["limit"]);
    expect(new Set(issuesOf(listIncidentsSchema.safeParse({ cursor: "x".repeat(101) })))).toEqual(new Set(["cursor"]));
    expect(issuesOf(listIncidentsSchema.safeParse({ cursor: btoa("not a cursor") }))).toEqual(["cursor"]);
    expect(issuesOf(listIncidentsSchema.safeParse({ from: "2026-12-02T10:00:00Z", to: "2026-12-01T10:00:00Z" }))).toEqual(["to"]);
    expect(issuesOf(listIncidentsSchema.safeParse({ ongoing: "yes" }))).toEqual(["ongoing"]);
    expect(issuesOf(listIncidentsSchema.safeParse({ namespace: "a".repeat(201) }))).toEqual(["namespace.0"]);
  });
});

describe("incidentActionRequestSchema refuses a malformed action", () => {
  it("names an id no record can have, an unknown action, a wrong type and text too long", () => {
    expect(incidentActionRequestSchema.safeParse({ id: "1e3", action: "reopen" }).success).toBe(false);
    expect(incidentActionRequestSchema.safeParse({ id: "7", action: "explode" }).success).toBe(false);
    expect(issuesOf(incidentActionRequestSchema.safeParse({ id: "7", action: "acknowledge", ownerId: "me" }))).toEqual(["ownerId"]);
    expect(issuesOf(incidentActionRequestSchema.safeParse({ id: "7", action: "snooze", growth: "3" }))).toEqual(["growth"]);
    expect(issuesOf(incidentActionRequestSchema.safeParse({ id: "7", action: "snooze", until: "tomorrow" }))).toEqual(["until"]);
    expect(issuesOf(incidentActionRequestSchema.safeParse({ id: "7", action: "resolve", solution: "x".repeat(10_001) }))).toEqual(["solution"]);
    expect(issuesOf(incidentActionRequestSchema.safeParse({ id: "7", action: "false_positive", reason: "x".repeat(2_001) }))).toEqual(["reason"]);
  });

  it("takes each action in its valid form", () => {
    for (const action of [
      { action: "acknowledge" },
      { action: "assign", ownerId: null },
      { action: "snooze", until: "2026-12-03T10:00:00Z", growth: 2 },
      { action: "unsnooze" },
      { action: "resolve", solution: "Raised the pool." },
      { action: "create_known_issue", title: "Pool", scope: "namespace" },
      { action: "attach_known_issue", knownIssueId: 3 },
      { action: "false_positive" },
      { action: "reopen" },
    ]) {
      expect(incidentActionRequestSchema.safeParse({ id: 7, ...action }).success, action.action).toBe(true);
    }
  });
});

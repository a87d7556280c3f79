import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import type { Actor } from "@/lib/roles";
import { hoursBefore, PLANNED_PATTERNS, seedPlannedProblems, type PlannedProblems } from "@/test/support/problem-rows";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { getProblem } from "./detail";
import { createKnownIssueFromProblem } from "./known-issue";
import { problemSettingsOf } from "./summaries";

// Creating a known issue from a problem: the issue (its patterns, scope, audit entry) and the
// problem's incidents marked known with it, in one transaction; refused to viewers, and with 409
// to a problem that has a known issue already.

const config = loadConfig(path.resolve("values.yaml"));
const now = new Date("2026-11-23T20:00:00Z");
const settings = { ...problemSettingsOf(config), now };
const viewer: Actor = { kind: "user", id: 1, email: "vic@example.com", name: null, role: "viewer" };
const { pool, nullPointer, deadlock, deadlockMerged, signingKey } = PLANNED_PATTERNS;

describe.each(databaseKinds)("a known issue from a problem on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  let planned: PlannedProblems;
  let analystActor: Extract<Actor, { kind: "user" }>;

  beforeEach(async () => {
    const prisma = db().prisma;
    // Each test starts from the planned windows alone.
    await prisma.auditLog.deleteMany();
    await prisma.peakInvestigation.deleteMany();
    await prisma.incident.deleteMany();
    await prisma.knownIssue.deleteMany();
    await prisma.errorPattern.deleteMany();
    await prisma.user.deleteMany();
    const user = await prisma.user.create({ data: { email: "ana@example.com", passwordHash: "x", role: "analyst" } });
    analystActor = { kind: "user", id: user.id, email: user.email, name: null, role: "analyst" };
    planned = await seedPlannedProblems(db(), config, now);
  });

  /** The incidents of a problem's windows in the period. */
  const incidentsOf = async (patternIds: readonly string[], errorType: string) => {
    const windows = await db().prisma.peakInvestigation.findMany({
      where: { rootCausePatternId: { in: [...patternIds] }, errorType, status: { not: "false_positive" }, timestamp: { gte: hoursBefore(now, 24) } },
      select: { incidentId: true },
    });
    return [...new Set(windows.map((window) => window.incidentId!))].sort((a, b) => a - b);
  };

  it("creates the issue with the problem's patterns, marks its incidents and their windows known with it, and audits each", async () => {
    const id = `${deadlock}-database`;
    const incidentIds = await incidentsOf([deadlock, deadlockMerged], "database");
    expect(incidentIds).toHaveLength(3);
    const result = await createKnownIssueFromProblem(db(), analystActor, { id, title: "Inventory deadlocks", scope: "namespace" }, settings);
    expect(result).toMatchObject({ knownIssue: { title: "Inventory deadlocks", status: "active" }, attachedIncidentIds: incidentIds, skippedIncidents: [] });
    // Its open window of the day before, outside the period, matches the new issue: labelled as creating any known issue does.
    const older = planned.windows.find((window) => window.patternId === deadlock && window.timestamp.getTime() === hoursBefore(now, 30).getTime())!;
    expect(result.labelled).toEqual([{ id: older.id, timestamp: older.timestamp.toISOString(), namespace: "inventory" }]);

    const prisma = db().prisma;
    const issue = await prisma.knownIssue.findUniqueOrThrow({ where: { id: result.knownIssue.id } });
    expect(issue).toMatchObject({ patternIds: [deadlock, deadlockMerged], regexes: [], namespace: "inventory", appName: null, createdById: analystActor.id });
    const incidents = await prisma.incident.findMany({ where: { id: { in: incidentIds } }, select: { status: true } });
    expect(incidents.map((incident) => incident.status)).toEqual(["known_issue", "known_issue", "known_issue"]);
    const windows = await prisma.peakInvestigation.findMany({ where: { incidentId: { in: incidentIds } }, select: { status: true, knownIssueId: true } });
    expect(windows.every((window) => window.status === "known_issue" && window.knownIssueId === issue.id)).toBe(true);

    const audit = await prisma.auditLog.findMany({ orderBy: { id: "asc" }, select: { action: true, entityId: true, details: true } });
    expect(audit.map((entry) => [entry.action, entry.entityId])).toEqual([
      ["known_issue.create", String(issue.id)],
      ...incidentIds.map((incidentId) => ["incident.known_issue", String(incidentId)]),
      ["peak.label_matching", String(older.id)],
    ]);
    expect(audit[1]!.details).toMatchObject({ from: "open", to: "known_issue", knownIssueId: issue.id, created: true, fromProblemId: id });

    // The problem's page shows it now.
    expect((await getProblem(db(), viewer, { id }, settings)).knownIssue).toEqual({ id: issue.id, title: "Inventory deadlocks", status: "active" });
  });

  it("refuses with 409 a problem that has a known issue, naming it, and the second creation of the same problem", async () => {
    const known = createKnownIssueFromProblem(db(), analystActor, { id: `${signingKey}-auth`, title: "Again" }, settings);
    await expect(known).rejects.toThrow(ConflictError);
    await expect(known).rejects.toThrow(`already has known issue ${planned.knownIssueId} ("Expired signing key")`);
    await createKnownIssueFromProblem(db(), analystActor, { id: `${pool}-timeout`, title: "Pool exhausted" }, settings);
    await expect(createKnownIssueFromProblem(db(), analystActor, { id: `${pool}-timeout`, title: "Pool exhausted" }, settings)).rejects.toThrow(ConflictError);
    expect(await db().prisma.knownIssue.count()).toBe(2);
  });

  it("writes nothing when an incident of the problem was marked known meanwhile: the issue, the other incidents and the audit roll back", async () => {
    const prisma = db().prisma;
    const [checkout, cart] = await incidentsOf([nullPointer], "null_pointer");
    // Known without a known issue on its windows: what the check before the transaction cannot see.
    await prisma.incident.update({ where: { id: cart! }, data: { status: "known_issue" } });
    const attempt = createKnownIssueFromProblem(db(), analystActor, { id: `${nullPointer}-null_pointer`, title: "Cart NPE" }, settings);
    await expect(attempt).rejects.toThrow(ConflictError);
    expect(await prisma.knownIssue.count()).toBe(1);
    expect((await prisma.incident.findUniqueOrThrow({ where: { id: checkout! } })).status).toBe("open");
    expect(await prisma.auditLog.count()).toBe(0);
  });

  it("leaves a resolved incident as it is and says so", async () => {
    const prisma = db().prisma;
    const [first, ...others] = await incidentsOf([pool], "timeout");
    await prisma.incident.update({ where: { id: first! }, data: { status: "resolved" } });
    await prisma.peakInvestigation.updateMany({ where: { incidentId: first! }, data: { status: "resolved" } });
    const result = await createKnownIssueFromProblem(db(), analystActor, { id: `${pool}-timeout`, title: "Pool exhausted", labelMatching: false }, settings);
    expect(result).toMatchObject({ attachedIncidentIds: others, skippedIncidents: [{ id: first, status: "resolved" }], labelled: [] });
    expect((await prisma.incident.findUniqueOrThrow({ where: { id: first! } })).status).toBe("resolved");
    expect((await prisma.knownIssue.findUniqueOrThrow({ where: { id: result.knownIssue.id } })).namespace).toBeNull();
  });

  it("creates the issue when every incident is closed, and refuses a second one naming the first, which its windows do not carry", async () => {
    const prisma = db().prisma;
    const incidentIds = await incidentsOf([deadlock, deadlockMerged], "database");
    await prisma.incident.updateMany({ where: { id: { in: incidentIds } }, data: { status: "resolved" } });
    await prisma.peakInvestigation.updateMany({ where: { incidentId: { in: incidentIds } }, data: { status: "resolved" } });
    const id = `${deadlock}-database`;
    const first = await createKnownIssueFromProblem(db(), analystActor, { id, title: "Inventory deadlocks", labelMatching: false }, settings);
    expect(first.attachedIncidentIds).toEqual([]);
    expect(first.skippedIncidents.map((incident) => incident.status)).toEqual(["resolved", "resolved", "resolved"]);
    expect((await getProblem(db(), viewer, { id }, settings)).knownIssue).toBeNull();
    const second = createKnownIssueFromProblem(db(), analystActor, { id, title: "Inventory deadlocks again" }, settings);
    await expect(second).rejects.toThrow(ConflictError);
    await expect(second).rejects.toThrow(`root cause is already known issue ${first.knownIssue.id} ("Inventory deadlocks")`);
    // An issue of another namespace does not count.
    await prisma.knownIssue.update({ where: { id: first.knownIssue.id }, data: { namespace: "payments" } });
    await expect(
      createKnownIssueFromProblem(db(), analystActor, { id, title: "Inventory deadlocks again", labelMatching: false }, settings),
    ).resolves.toMatchObject({
      attachedIncidentIds: [],
    });
  });

  it("refuses viewers and no session, a namespace scope for a problem of several namespaces, and an unknown problem", async () => {
    const input = { id: `${pool}-timeout`, title: "Pool exhausted" };
    await expect(createKnownIssueFromProblem(db(), viewer, input, settings)).rejects.toThrow(ForbiddenError);
    await expect(createKnownIssueFromProblem(db(), null, input, settings)).rejects.toThrow("Sign in");
    const scoped = createKnownIssueFromProblem(db(), analystActor, { ...input, scope: "namespace" }, settings);
    await expect(scoped).rejects.toThrow(InvalidInputError);
    await expect(scoped).rejects.toThrow("hit 3 namespaces");
    await expect(createKnownIssueFromProblem(db(), analystActor, { ...input, id: "ffffffffffffff-timeout" }, settings)).rejects.toThrow(NotFoundError);
    await expect(createKnownIssueFromProblem(db(), analystActor, { ...input, title: " " }, settings)).rejects.toThrow(InvalidInputError);
    expect(await db().prisma.knownIssue.count()).toBe(1);
  });
});

import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { trackIncidents } from "@/lib/incidents/track";
import type { Actor } from "@/lib/roles";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import type { StoredInvestigation } from "./contract";
import { attachToKnownIssue, createKnownIssueFromPeak } from "./triage";
import { peakRow } from "@/test/support/peak-rows";

// A peak marked as a known issue while other windows of its own incident have the same root cause:
// labelling them labels their incident, and so the peak itself, within the same transaction.

const config = loadConfig(path.resolve("values.yaml"));
const WINDOW = config.window_minutes * 60_000;
const t0 = new Date("2026-11-23T08:00:00Z");
const at = (windows: number) => new Date(t0.getTime() + windows * WINDOW);
const PATTERN = "9f1c2a7be0d44e01";
const MESSAGE = "HikariPool-1 - Connection is not available, request timed out after 30000ms";

function investigation(start: number): StoredInvestigation {
  const pattern = {
    patternId: PATTERN,
    template: "HikariPool-1 - Connection is not available, request timed out after <*>ms",
    count: 700,
    errorType: "timeout",
    example: MESSAGE,
    examples: [MESSAGE],
    firstSeen: start + 1_000,
    lastSeen: start + 890_000,
  };
  return {
    version: 1,
    documents: 700,
    total: 700,
    untraced: 0,
    traces: 300,
    patterns: [pattern],
    rootCauses: [{ ...pattern, traces: 300, share: 1 }],
    representativeTrace: null,
    changed: [],
    usual: [],
    usualPeriod: { fromMs: start - 86_400_000, toMs: start, windows: 96, sampled: 0, total: 0 },
    firstSeenPatterns: [],
  };
}

describe.each(databaseKinds)("marking a window of a multi-window incident as a known issue on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;
  let analyst: Actor;
  let windows: number[];

  beforeEach(async () => {
    await prisma().$executeRawUnsafe(
      "TRUNCATE incidents, peak_notes, notification_deliveries, peak_investigation, peak_raw_data, known_peaks, known_issues, audit_log, users RESTART IDENTITY CASCADE",
    );
    const ana = await prisma().user.create({ data: { email: "ana@example.com", role: "analyst" } });
    analyst = { kind: "user", id: ana.id, email: ana.email, name: null, role: "analyst" };
    windows = [];
    for (const index of [0, 1, 2]) {
      const timestamp = at(index);
      const peak = await prisma().peakInvestigation.create({
        data: peakRow(timestamp, {
          appName: "payments-api",
          rootCause: MESSAGE,
          topPatterns: JSON.parse(JSON.stringify(investigation(timestamp.getTime()))) as object,
          enrichedAt: new Date(timestamp.getTime() + WINDOW),
        }),
        select: { id: true },
      });
      windows.push(peak.id);
    }
    await trackIncidents(db(), config, at(4), { autoResolve: false });
  });

  const statuses = async () =>
    (await prisma().peakInvestigation.findMany({ orderBy: { timestamp: "asc" }, select: { status: true, knownIssueId: true } })).map(
      (peak) => `${peak.status}#${peak.knownIssueId ?? "-"}`,
    );

  it("creates the issue from the first window and labels the others with their incident, without a conflict", async () => {
    const result = await createKnownIssueFromPeak(db(), analyst, windows[0]!, { title: "Pool exhausted", scope: "namespace" });
    expect(result.peak.status).toBe("known_issue");
    expect(result.labelled.map((peak) => peak.id)).toEqual(windows.slice(1));
    expect(await statuses()).toEqual(["known_issue#1", "known_issue#1", "known_issue#1"]);
    expect((await prisma().incident.findFirstOrThrow()).status).toBe("known_issue");
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: "peak.mark_known_issue" } });
    expect(audit.details).toMatchObject({ from: "open", to: "known_issue", created: true, labelledPeakIds: windows.slice(1) });
  });

  it("attaches the first window to an existing issue and labels the others the same way", async () => {
    const issue = await prisma().knownIssue.create({ data: { title: "Pool exhausted", patternIds: [PATTERN], regexes: [] } });
    const result = await attachToKnownIssue(db(), analyst, windows[0]!, { knownIssueId: issue.id });
    expect(result.labelled.map((peak) => peak.id)).toEqual(windows.slice(1));
    expect(await statuses()).toEqual([`known_issue#${issue.id}`, `known_issue#${issue.id}`, `known_issue#${issue.id}`]);
  });
});

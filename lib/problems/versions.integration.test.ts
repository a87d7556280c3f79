import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { Actor } from "@/lib/roles";
import { hoursBefore, PLANNED_PATTERNS, seedPlannedProblems } from "@/test/support/problem-rows";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { getProblem } from "./detail";
import { problemSettingsOf } from "./summaries";
import { readProblemsVersionFindings } from "./versions";

// A problem's errors by version: one release impact per namespace it hit, from its windows'
// stored counts and each namespace's own version timeline, over the period.

const config = loadConfig(path.resolve("values.yaml"));
const now = new Date("2026-11-23T20:00:00Z");
const settings = { ...problemSettingsOf(config), now };
const viewer: Actor = { kind: "user", id: 1, email: "vic@example.com", name: null, role: "viewer" };
const { pool, deadlock } = PLANNED_PATTERNS;
const HOUR = 3_600_000;

const counts = (versions: [string, number][], unversioned = 0) => ({
  versions: versions.map(([version, errors]) => ({ version, errors })),
  unversioned,
  otherVersions: 0,
});

describe.each(databaseKinds)("a problem's errors by version on %s", (kind) => {
  const db = useMigratedDatabase(kind);

  beforeAll(async () => {
    await seedPlannedProblems(db(), config, now);
    const prisma = db().prisma;
    const store = (hoursAgo: number, namespace: string, value: ReturnType<typeof counts>) =>
      prisma.peakInvestigation.update({
        where: { timestamp_namespace: { timestamp: hoursBefore(now, hoursAgo), namespace } },
        data: { errorsByVersion: value },
      });
    // The systemic pool timeouts: payments moved to 1.5.0 just before, orders ran 2.0.0 for long; ledger's windows were read before versions.
    await store(
      10,
      "payments",
      counts([
        ["1.5.0", 450],
        ["1.4.0", 50],
      ]),
    );
    await store(9.75, "payments", counts([["1.5.0", 480]], 20));
    await store(9.75, "orders", counts([["2.0.0", 400]]));
    // A false positive's counts never count.
    await store(12, "payments", counts([["9.9.9", 5000]]));
    // Before the period: not of it.
    await store(34, "payments", counts([["1.4.0", 400]]));
    await prisma.namespaceVersion.createMany({
      data: [
        { namespace: "payments", version: "1.4.0", firstSeen: new Date(now.getTime() - 60 * HOUR), lastSeen: hoursBefore(now, 9.5), errors: 2000 },
        { namespace: "payments", version: "1.5.0", firstSeen: hoursBefore(now, 10.25), lastSeen: hoursBefore(now, 1), errors: 1500 },
        { namespace: "orders", version: "2.0.0", firstSeen: new Date(now.getTime() - 100 * HOUR), lastSeen: hoursBefore(now, 1), errors: 900 },
      ],
    });
  });

  it("gives each namespace with stored counts its versions, most errors of the problem first, and counts the namespaces without", async () => {
    const { versions } = await getProblem(db(), viewer, { id: `${pool}-timeout` }, settings);
    expect(versions.namespaces.map((entry) => entry.namespace)).toEqual(["payments", "orders"]);
    expect(versions).toMatchObject({ notShown: 0, withoutVersions: 1 });
    const payments = versions.namespaces[0]!.impact;
    expect(payments).toMatchObject({ versioned: 980, unversioned: 20, otherVersions: 0, windowsRead: 2, windows: 2 });
    expect(payments.versions.map((row) => [row.version, row.errors, row.windows])).toEqual([
      ["1.4.0", 50, 1],
      ["1.5.0", 930, 2],
    ]);
    // Times come from the namespace's own timeline.
    expect(payments.versions[1]!.firstSeen).toBe(hoursBefore(now, 10.25).toISOString());
    expect(payments.versions.map((row) => row.version)).not.toContain("9.9.9");
    const orders = versions.namespaces[1]!.impact;
    expect(orders.versions.map((row) => [row.version, row.errors, row.share])).toEqual([["2.0.0", 400, 1]]);
  });

  it("names a release that came with the problem in its namespace", async () => {
    const { versions } = await getProblem(db(), viewer, { id: `${pool}-timeout` }, settings);
    expect(versions.namespaces[0]!.impact.findings[0]).toEqual({
      kind: "new_release",
      version: "1.5.0",
      firstSeen: hoursBefore(now, 10.25).toISOString(),
      minutesBeforeStart: 15,
      share: 930 / 980,
      previousVersion: "1.4.0",
    });
  });

  it("has no namespace for a problem whose windows were all read before versions", async () => {
    const { versions } = await getProblem(db(), viewer, { id: `${deadlock}-database` }, settings);
    expect(versions).toEqual({ namespaces: [], notShown: 0, withoutVersions: 1 });
  });

  it("gives the digest each problem's release findings over a period, the problems without any with none", async () => {
    const range = { previousFrom: hoursBefore(now, 48), from: hoursBefore(now, 24), to: now };
    const findings = await readProblemsVersionFindings(db(), [`${pool}-timeout`, `${deadlock}-database`, "not a problem id"], range, settings.windowMs);
    expect(findings).toEqual([
      {
        problemId: `${pool}-timeout`,
        findings: [
          expect.objectContaining({ kind: "new_release", version: "1.5.0", previousVersion: "1.4.0" }),
          expect.objectContaining({ kind: "above_others", version: "1.5.0", errors: 930 }),
        ],
      },
      { problemId: `${deadlock}-database`, findings: [] },
      { problemId: "not a problem id", findings: [] },
    ]);
    // A period before the release: the problem's older windows ran 1.4.0 alone, nothing new with it.
    const before = await readProblemsVersionFindings(
      db(),
      [`${pool}-timeout`],
      { previousFrom: hoursBefore(now, 72), from: hoursBefore(now, 48), to: hoursBefore(now, 24) },
      settings.windowMs,
    );
    expect(before[0]!.findings.filter((finding) => finding.kind === "new_release")).toEqual([]);
  });
});

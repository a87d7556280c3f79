import type { Database } from "@/lib/db/client";

/**
 * Sets the e2e server's first-start known issue aside while a spec runs: it labels the sample's
 * biggest root cause, and as the older active issue it would win the matching the spec shows. It
 * is resolved, and the peaks it labels (with their incidents) are opened again without it, which
 * the API cannot do (reopening keeps a peak's known issue). Returns what puts it back; a peak or
 * incident the spec triaged since stays as the spec left it.
 */
export async function setSampleKnownIssueAside(database: Database): Promise<() => Promise<void>> {
  const sample = await database.prisma.knownIssue.findMany({
    where: { description: { startsWith: "Came with the sample data" }, status: "active" },
    select: { id: true },
  });
  const sampleIds = sample.map((entry) => entry.id);
  if (sampleIds.length === 0) return async () => {};
  const labelled = await database.prisma.peakInvestigation.findMany({
    where: { knownIssueId: { in: sampleIds }, status: "known_issue" },
    select: { id: true, incidentId: true, knownIssueId: true },
  });
  const incidents = await database.prisma.incident.findMany({
    where: { id: { in: labelled.flatMap((peak) => (peak.incidentId === null ? [] : [peak.incidentId])) }, status: "known_issue" },
    select: { id: true },
  });
  const incidentIds = incidents.map((incident) => incident.id);
  await database.prisma.$transaction([
    database.prisma.knownIssue.updateMany({ where: { id: { in: sampleIds } }, data: { status: "resolved", resolvedAt: new Date() } }),
    database.prisma.peakInvestigation.updateMany({ where: { id: { in: labelled.map((peak) => peak.id) } }, data: { status: "open", knownIssueId: null } }),
    database.prisma.incident.updateMany({ where: { id: { in: incidentIds } }, data: { status: "open" } }),
  ]);

  return async () => {
    await database.prisma.$transaction([
      database.prisma.knownIssue.updateMany({ where: { id: { in: sampleIds } }, data: { status: "active", resolvedAt: null } }),
      ...sampleIds.map((knownIssueId) =>
        database.prisma.peakInvestigation.updateMany({
          where: { id: { in: labelled.flatMap((peak) => (peak.knownIssueId === knownIssueId ? [peak.id] : [])) }, status: "open", knownIssueId: null },
          data: { status: "known_issue", knownIssueId },
        }),
      ),
      database.prisma.incident.updateMany({ where: { id: { in: incidentIds }, status: "open" }, data: { status: "known_issue" } }),
    ]);
  };
}

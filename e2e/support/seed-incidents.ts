import type { Database } from "@/lib/db/client";

// Incidents with their windows written straight to the e2e server's database, as a live run's
// detection and enrichment would have stored them: the sample logs end yesterday, so nothing burns
// in them now. Each spec removes what it seeded (removeSeededIncidents) when it is done.

export const QUARTER = 15 * 60_000;

export type IncidentSeed = {
  namespace: string;
  /** First window start, UTC ms: a quarter hour. */
  startMs: number;
  /** One window a quarter hour each, consecutive from startMs, by severity. */
  windows: ("critical" | "high")[];
  status: "open" | "acknowledged";
  ownerId?: number;
  snoozedUntil?: Date;
  /** The root cause's pattern and error type, as enrichment stores them. */
  pattern?: { id: string; errorType: string };
};

/** An ongoing incident with its windows, each window's root cause `rootCause`; its id. */
export async function seedIncident(database: Database, seed: IncidentSeed, rootCause: string): Promise<number> {
  const lastMs = seed.startMs + (seed.windows.length - 1) * QUARTER;
  const { id } = await database.prisma.incident.create({
    data: {
      namespace: seed.namespace,
      startedAt: new Date(seed.startMs),
      lastWindowAt: new Date(lastMs),
      status: seed.status,
      ownerId: seed.ownerId ?? null,
      snoozedUntil: seed.snoozedUntil ?? null,
    },
    select: { id: true },
  });
  await database.prisma.peakInvestigation.createMany({
    data: seed.windows.map((severity, index) => {
      const timestamp = new Date(seed.startMs + index * QUARTER);
      return {
        timestamp,
        namespace: seed.namespace,
        dayOfWeek: timestamp.getUTCDay(),
        hourOfDay: timestamp.getUTCHours(),
        quarterHour: timestamp.getUTCMinutes() / 15,
        severity,
        status: seed.status,
        errorCount: 1_200 + index * 100,
        baselineMean: 40,
        baselineStddev: 8,
        baselineSamples: 4,
        ratio: (1_200 + index * 100) / 40,
        requiredRatio: 3,
        average24h: 38,
        referenceCounts: [40, 41, 39],
        // As enrichment writes it when no trace names a service (the incident's page lists them).
        affectedServices: [],
        incidentId: id,
        rootCause,
        rootCausePatternId: seed.pattern?.id ?? null,
        errorType: seed.pattern?.errorType ?? null,
        enrichedAt: new Date(seed.startMs + QUARTER),
      };
    }),
  });
  return id;
}

/** Removes seeded incidents and their windows. */
export async function removeSeededIncidents(database: Database, ids: readonly number[]): Promise<void> {
  await database.prisma.peakInvestigation.deleteMany({ where: { incidentId: { in: [...ids] } } });
  await database.prisma.incident.deleteMany({ where: { id: { in: [...ids] } } });
}

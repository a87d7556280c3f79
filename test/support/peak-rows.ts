// A stored peak window for integration tests that need peaks without running detection: the
// figures of an ordinary high peak (400 errors against a baseline of 40), in the window of
// `timestamp` (slot keys read in UTC, Monday = 0 as the window grid counts), with what a test
// cares about given as overrides.
import type { Prisma, PrismaClient } from "@/lib/db/client";
import type { PeakStatus } from "@/lib/db/generated/prisma/enums";

export function peakRow(timestamp: Date, overrides: Partial<Prisma.PeakInvestigationUncheckedCreateInput> = {}): Prisma.PeakInvestigationUncheckedCreateInput {
  return {
    timestamp,
    namespace: "payments",
    dayOfWeek: (timestamp.getUTCDay() + 6) % 7,
    hourOfDay: timestamp.getUTCHours(),
    quarterHour: Math.floor(timestamp.getUTCMinutes() / 15),
    severity: "high",
    errorCount: 400,
    baselineMean: 40,
    baselineStddev: 6,
    baselineSamples: 4,
    ratio: 10,
    requiredRatio: 3,
    average24h: 40,
    referenceCounts: [],
    ...overrides,
  };
}

/** An incident's row over `windows` consecutive windows of `windowMs` from `startMs`, ended one window after its last when `ended`. */
export async function createIncidentRow(
  prisma: PrismaClient,
  seed: { namespace: string; startMs: number; windows: number; windowMs: number; status: PeakStatus; ended?: boolean; ownerId?: number; snoozedUntil?: string },
): Promise<{ id: number; lastWindowMs: number }> {
  const lastWindowMs = seed.startMs + (seed.windows - 1) * seed.windowMs;
  const { id } = await prisma.incident.create({
    data: {
      namespace: seed.namespace,
      startedAt: new Date(seed.startMs),
      lastWindowAt: new Date(lastWindowMs),
      endedAt: seed.ended ? new Date(lastWindowMs + seed.windowMs) : null,
      status: seed.status,
      ownerId: seed.ownerId ?? null,
      snoozedUntil: seed.snoozedUntil ? new Date(seed.snoozedUntil) : null,
    },
    select: { id: true },
  });
  return { id, lastWindowMs };
}

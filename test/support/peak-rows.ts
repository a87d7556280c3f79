// A stored peak window for integration tests that need peaks without running detection: the
// figures of an ordinary high peak (400 errors against a baseline of 40), in the window of
// `timestamp` (slot keys read in UTC, Monday = 0 as the window grid counts), with what a test
// cares about given as overrides.
import type { Prisma } from "@/lib/db/client";

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

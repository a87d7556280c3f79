// Peak windows with planned problems, for the problems' tests (use cases and command line): each
// planned problem is a root-cause pattern with an error type, placed in windows relative to `now`
// (the end of a 24-hour period) so that its figures, trend and scope are known in advance. The
// windows are placed into incidents as the pipeline does.
import type { FrozenConfig } from "@/lib/config";
import type { Database, Prisma } from "@/lib/db/client";
import { placeNewPeaks } from "@/lib/incidents/track";
import { peakRow } from "./peak-rows";

export const PLANNED_PATTERNS = {
  /** Connection pool timeouts in payments, orders and ledger at the same time: systemic (3 at once), growing. */
  pool: "9f1c2a7be0d44e",
  /** Null pointers in checkout and cart in the same window: two namespaces at once, stable. */
  nullPointer: "5555eeee6666ff",
  /** Deadlocks in inventory, growing; `deadlockMerged`'s windows show under it. */
  deadlock: "0a1b2c3d4e5f60",
  deadlockMerged: "0a1b2c3d4e5f61",
  /** Redis resets in search, shrinking; the pattern is no longer kept (only its windows' investigations know its template). */
  redis: "1111aaaa2222bb",
  /** Expired signing keys in billing, a known issue, stable; one incident crosses into the period. */
  signingKey: "3333cccc4444dd",
  /** Report timeouts whose windows have no error type. */
  reports: "8888aaaa9999bb",
  /** Seen only in the period before: no problem of the period. */
  gone: "7777bbbb8888cc",
} as const;

export const PLANNED_TEMPLATES: Record<string, string> = {
  [PLANNED_PATTERNS.pool]: "HikariPool-1 - Connection is not available, request timed out after <*>ms",
  [PLANNED_PATTERNS.nullPointer]: "NullPointerException at CartService.total(<*>)",
  [PLANNED_PATTERNS.deadlock]: "Deadlock found when trying to get lock; try restarting transaction",
  [PLANNED_PATTERNS.deadlockMerged]: "Deadlock detected on table <*>",
  [PLANNED_PATTERNS.redis]: "Redis connection reset by peer <*>",
  [PLANNED_PATTERNS.signingKey]: "JWT signature expired for key <*>",
  [PLANNED_PATTERNS.reports]: "Report <*> timed out",
  [PLANNED_PATTERNS.gone]: "Feature flag service unavailable",
};

const HOUR = 3_600_000;
const QUARTER = 15 * 60_000;

type PlannedWindow = {
  /** Window start, hours before `now` (negative quarters allowed: 10.25 is 10 h 15 min before). */
  hoursAgo: number;
  namespace: string;
  errors: number;
  patternId: string | null;
  errorType?: string | null;
  app?: string;
  knownIssueId?: number;
  isFalsePositive?: boolean;
};

export type PlannedProblems = { knownIssueId: number; windows: { id: number; timestamp: Date; namespace: string; patternId: string | null }[] };

/** Stores the planned windows (and the patterns they name, all but `redis`), places them into incidents, and returns what was made. */
export async function seedPlannedProblems(database: Database, config: FrozenConfig, now: Date): Promise<PlannedProblems> {
  const prisma = database.prisma;
  const issue = await prisma.knownIssue.create({ data: { title: "Expired signing key", patternIds: [PLANNED_PATTERNS.signingKey], regexes: [] } });
  const { pool, nullPointer, deadlock, deadlockMerged, redis, signingKey, reports, gone } = PLANNED_PATTERNS;
  const planned: PlannedWindow[] = [
    // Systemic: three namespaces held together from 9 h 45 min ago; 2,000 errors against 400 before.
    { hoursAgo: 10, namespace: "payments", errors: 500, patternId: pool, errorType: "timeout", app: "payments-api" },
    { hoursAgo: 9.75, namespace: "payments", errors: 500, patternId: pool, errorType: "timeout", app: "payments-api" },
    { hoursAgo: 9.75, namespace: "orders", errors: 400, patternId: pool, errorType: "timeout", app: "orders-api" },
    { hoursAgo: 9.75, namespace: "ledger", errors: 300, patternId: pool, errorType: "timeout", app: "ledger-api" },
    { hoursAgo: 9.5, namespace: "ledger", errors: 300, patternId: pool, errorType: "timeout", app: "ledger-api" },
    { hoursAgo: 34, namespace: "payments", errors: 400, patternId: pool, errorType: "timeout", app: "payments-api" },
    // An analyst found no problem in it: left out.
    { hoursAgo: 12, namespace: "payments", errors: 5000, patternId: pool, errorType: "timeout", app: "payments-api", isFalsePositive: true },
    { hoursAgo: 1.5, namespace: "flags", errors: 5000, patternId: null, isFalsePositive: true },
    // Older than both periods: never read.
    { hoursAgo: 60, namespace: "payments", errors: 9000, patternId: pool, errorType: "timeout", app: "payments-api" },
    // The same pattern with another error type is another problem: 90 errors, none before (under the minimum change: stable).
    { hoursAgo: 15, namespace: "payments", errors: 90, patternId: pool, errorType: "connection", app: "payments-api" },
    // Two namespaces in the same window, as many errors as the day before.
    { hoursAgo: 5, namespace: "checkout", errors: 300, patternId: nullPointer, errorType: "null_pointer", app: "checkout-web" },
    { hoursAgo: 5, namespace: "cart", errors: 300, patternId: nullPointer, errorType: "null_pointer", app: "cart-api" },
    { hoursAgo: 29, namespace: "checkout", errors: 300, patternId: nullPointer, errorType: "null_pointer", app: "checkout-web" },
    { hoursAgo: 29, namespace: "cart", errors: 300, patternId: nullPointer, errorType: "null_pointer", app: "cart-api" },
    // Growing in one namespace, three incidents (one under the merged pattern): 1,200 errors against 300.
    { hoursAgo: 20, namespace: "inventory", errors: 300, patternId: deadlock, errorType: "database", app: "inventory-api" },
    { hoursAgo: 18, namespace: "inventory", errors: 400, patternId: deadlockMerged, errorType: "database", app: "stock-worker" },
    { hoursAgo: 2, namespace: "inventory", errors: 500, patternId: deadlock, errorType: "database", app: "inventory-api" },
    { hoursAgo: 30, namespace: "inventory", errors: 300, patternId: deadlock, errorType: "database", app: "inventory-api" },
    // Shrinking: 300 errors against 2,000 in four windows the day before.
    { hoursAgo: 3, namespace: "search", errors: 300, patternId: redis, errorType: "connection", app: "search-api" },
    ...[40, 39.75, 39.5, 39.25].map((hoursAgo) => ({
      hoursAgo,
      namespace: "search",
      errors: 500,
      patternId: redis,
      errorType: "connection",
      app: "search-api",
    })),
    // A known issue, 1,200 errors in each period; the incident of 24 h 15 min and 24 h ago crosses into the period.
    ...[24.25, 24, 8, 7.75, 32, 31.75].map((hoursAgo) => ({
      hoursAgo,
      namespace: "billing",
      errors: 400,
      patternId: signingKey,
      errorType: "auth",
      app: "billing-api",
      knownIssueId: issue.id,
    })),
    // Without an error type: an "unknown" one.
    { hoursAgo: 6, namespace: "reports", errors: 300, patternId: reports, errorType: null, app: "reports-job" },
    // Only in the period before.
    { hoursAgo: 40, namespace: "flags", errors: 700, patternId: gone, errorType: "timeout", app: "flags-api" },
    // Not investigated yet: no root cause, in no problem.
    { hoursAgo: 1, namespace: "payments", errors: 800, patternId: null },
  ];

  const kept = Object.values(PLANNED_PATTERNS).filter((patternId) => patternId !== redis);
  await prisma.errorPattern.createMany({
    data: kept.map((patternId) => ({
      patternHash: patternId,
      template: PLANNED_TEMPLATES[patternId]!,
      firstSeen: new Date(now.getTime() - 60 * HOUR),
      lastSeen: now,
      occurrences: 1,
      namespaces: [],
      exampleMessages: [PLANNED_TEMPLATES[patternId]!.replace("<*>", "42")],
      mergedInto: patternId === deadlockMerged ? deadlock : null,
    })),
  });
  await prisma.peakInvestigation.createMany({
    data: planned.map((window) => windowRow(window, now)),
  });
  await placeNewPeaks(database, config, now);
  // Triaged as the incident's action does it: the incident and its windows (placing gave them the new incident's status).
  for (const window of planned.filter((candidate) => candidate.isFalsePositive === true)) {
    const { incidentId } = await prisma.peakInvestigation.findUniqueOrThrow({
      where: { timestamp_namespace: { timestamp: hoursBefore(now, window.hoursAgo), namespace: window.namespace } },
      select: { incidentId: true },
    });
    await prisma.incident.update({ where: { id: incidentId! }, data: { status: "false_positive" } });
    await prisma.peakInvestigation.updateMany({ where: { incidentId }, data: { status: "false_positive" } });
  }
  const windows = await prisma.peakInvestigation.findMany({
    orderBy: [{ timestamp: "asc" }, { namespace: "asc" }],
    select: { id: true, timestamp: true, namespace: true, rootCausePatternId: true },
  });
  return {
    knownIssueId: issue.id,
    windows: windows.map((window) => ({ id: window.id, timestamp: window.timestamp, namespace: window.namespace, patternId: window.rootCausePatternId })),
  };
}

/** `hoursAgo` before `now` as a window start. */
export function hoursBefore(now: Date, hoursAgo: number): Date {
  return new Date(now.getTime() - Math.round((hoursAgo * HOUR) / QUARTER) * QUARTER);
}

function windowRow(window: PlannedWindow, now: Date): Prisma.PeakInvestigationUncheckedCreateInput {
  const timestamp = hoursBefore(now, window.hoursAgo);
  const base = peakRow(timestamp, { namespace: window.namespace, errorCount: window.errors, ratio: window.errors / 40 });
  if (window.patternId === null) return base;
  const template = PLANNED_TEMPLATES[window.patternId]!;
  const example = template.replace("<*>", "42");
  return {
    ...base,
    enrichedAt: now,
    appName: window.app ?? null,
    errorType: window.errorType ?? null,
    rootCause: `${example} (${window.namespace})`,
    rootCausePatternId: window.patternId,
    // The part of an investigation problems read: the root cause's template.
    topPatterns: { version: 1, rootCauses: [{ patternId: window.patternId, template, example }], patterns: [] },
    knownIssueId: window.knownIssueId ?? null,
    status: window.knownIssueId === undefined ? "open" : "known_issue",
  };
}

import { digestPeriodOf } from "@/lib/pipeline/digest-period";
import { createWindowGrid } from "@/lib/pipeline/time";
import type { ProblemSummary } from "@/lib/problems/contract";
import type { DigestSources } from "./compose";

// Sources of a digest for the unit tests of the composition and the renderers.

const grid = createWindowGrid("Europe/Prague", 15);
export const FIXTURE_PERIOD = digestPeriodOf("2026-01-15", "08:00", grid);

/** A problem as lib/problems answers it, with what a test changes. */
export function problemOf(id: string, overrides: Partial<ProblemSummary> = {}): ProblemSummary {
  return {
    id,
    patternId: id.split("-")[0]!,
    errorType: "timeout",
    template: `Timeout calling <*> after <*> ms (${id})`,
    example: "Timeout calling payments after 3000 ms",
    occurrences: 4,
    incidents: 1,
    namespaces: ["payments"],
    apps: ["api"],
    firstSeen: "2026-01-15T02:00:00.000Z",
    lastSeen: "2026-01-15T03:00:00.000Z",
    errors: 1200,
    trend: { direction: "up", current: { windows: 4, errors: 1200 }, previous: { windows: 1, errors: 300 }, ratio: 4, previousGap: null },
    scope: { kind: "single", namespaces: 1, mostAtOnce: 1, mostAtOnceFrom: "2026-01-15T02:00:00.000Z" },
    knownIssue: null,
    ...overrides,
  };
}

export function sourcesOf(overrides: Partial<DigestSources> = {}): DigestSources {
  return {
    period: FIXTURE_PERIOD,
    timeZone: "Europe/Prague",
    localTime: "08:00",
    top: 2,
    dashboardUrl: "https://peaks.example.com/",
    problems: [
      problemOf("aa11-timeout", {
        scope: { kind: "systemic", namespaces: 3, mostAtOnce: 3, mostAtOnceFrom: "2026-01-15T02:00:00.000Z" },
        namespaces: ["a", "b", "c"],
      }),
      problemOf("bb22-database", {
        errorType: "database",
        trend: { direction: "stable", current: { windows: 2, errors: 500 }, previous: { windows: 2, errors: 480 }, ratio: 500 / 480, previousGap: null },
      }),
      problemOf("cc33-auth", { knownIssue: { id: 7, title: "Token refresh", status: "active" } }),
    ],
    problemTotal: 3,
    windowsWithoutRootCause: 2,
    newVersions: [
      { namespace: "payments", version: "2.4.0", firstSeenMs: Date.parse("2026-01-14T12:00:00Z"), errors: 40 },
      { namespace: "orders", version: "1.9.1", firstSeenMs: Date.parse("2026-01-14T09:00:00Z"), errors: 3 },
    ],
    newVersionTotal: 2,
    openIncidents: [
      {
        id: 11,
        namespace: "orders",
        startMs: Date.parse("2026-01-13T10:00:00Z"),
        endMs: Date.parse("2026-01-13T11:00:00Z"),
        isOngoing: false,
        status: "acknowledged",
        severity: "critical",
        windows: 4,
        errors: 900,
        owner: "ana@example.com",
        knownIssue: null,
        snoozedUntilMs: null,
      },
      {
        id: 12,
        namespace: "payments",
        startMs: Date.parse("2026-01-15T02:00:00Z"),
        endMs: Date.parse("2026-01-15T03:00:00Z"),
        isOngoing: true,
        status: "open",
        severity: "medium",
        windows: 4,
        errors: 1200,
        owner: null,
        knownIssue: null,
        snoozedUntilMs: null,
      },
    ],
    openIncidentTotal: 2,
    dataGaps: [
      {
        id: 3,
        kind: "silent",
        subject: "search",
        detail: "no errors for 1 h where 40 were expected",
        dataUntilMs: null,
        openedAtMs: Date.parse("2026-01-14T10:00:00Z"),
        closedAtMs: Date.parse("2026-01-14T11:00:00Z"),
      },
      {
        id: 4,
        kind: "stale",
        subject: "",
        detail: "newest document 52 min old",
        dataUntilMs: Date.parse("2026-01-15T05:00:00Z"),
        openedAtMs: Date.parse("2026-01-15T05:50:00Z"),
        closedAtMs: null,
      },
    ],
    ...overrides,
  };
}

import type { Db } from "@/lib/db/client";
import { findIncidents } from "@/lib/db/incidents";
import { countOpenIncidentsBySeverity, findLastIncidentEnd, findLastRun, findOpenDataGapRows } from "@/lib/db/overview";
import { createVersionedRead, readTableVersions, type TableVersions, type VersionedTable } from "@/lib/db/data-versions";
import { createReusedRead } from "@/lib/db/reused-read";
import { readTableStats, type TableStats } from "@/lib/db/stats";
import type { IncidentSummary } from "@/lib/incidents/contract";
import { summarize, summarizeFirst, type IncidentRank } from "@/lib/incidents/list";
import { peakSeverities } from "@/lib/peaks/contract";
import { NAMESPACE_LIST_TABLES, readNamespaceStates, type NamespaceStateContext } from "@/lib/namespaces/list";
import { assertRole, type Actor } from "@/lib/roles";
import { readCrossNamespaceEvents } from "./events";
import { MAX_LAST_DAY_INCIDENTS, MAX_ON_FIRE, severities, type OpenIncidentCounts, type Overview, type OverviewIncident } from "./contract";

/** How long the overview reuses its table counts: counting the largest tables takes 0.1 s of database time. */
export const TABLE_STATS_MAX_AGE_MS = 60_000;

/** What the overview judges with: the window grid, pipeline.stale_after_minutes and values.yaml's thresholds (under the saved ones). */
export type OverviewContext = NamespaceStateContext;

const DAY_MS = 86_400_000;
/** Ongoing incidents read to pick the on-fire list from: far more than ever burn at once. */
const ON_FIRE_READ_LIMIT = 500;

type TableCount = { countedAtMs: number; value: Promise<TableStats[]> };

/** The latest table count per database. */
const reuseTableCount = createReusedRead<TableCount>();

function countTables(db: Db, nowMs: number): TableCount {
  return reuseTableCount(
    db.prisma,
    (count) => nowMs - count.countedAtMs < TABLE_STATS_MAX_AGE_MS && nowMs >= count.countedAtMs,
    () => ({ countedAtMs: nowMs, value: readTableStats(db) }),
  );
}

/** Snoozed last, then worst severity first, then newest first. */
function compareOnFire(left: IncidentRank, right: IncidentRank): number {
  const snoozed = (incident: IncidentRank) => (incident.isSnoozed ? 1 : 0);
  const rank = (incident: IncidentRank) => peakSeverities.indexOf(incident.severity);
  return snoozed(left) - snoozed(right) || rank(right) - rank(left) || Date.parse(right.start) - Date.parse(left.start) || right.id - left.id;
}

/** What the overview's tables show of an incident. */
function toOverviewIncident(summary: IncidentSummary): OverviewIncident {
  const { id, namespace, start, end, ongoing, status, owner, snooze, reopenCount, severity, knownIssue, regressionOf, lead, latest } = summary;
  return {
    id,
    namespace,
    start,
    end,
    ongoing,
    status,
    owner,
    snooze,
    reopenCount,
    severity,
    knownIssue,
    regressionOf,
    lead: { rootCause: lead.rootCause },
    latest: { timestamp: latest.timestamp, errorCount: latest.errorCount, requiredCount: latest.requiredCount },
  };
}

/** Ongoing incidents not resolved or false positive, in the on-fire order. */
async function readOnFire(db: Db, windowMinutes: number, now: Date): Promise<{ onFire: OverviewIncident[]; total: number }> {
  const rows = await findIncidents(db, { ongoing: true, status: ["open", "acknowledged", "known_issue"], limit: ON_FIRE_READ_LIMIT });
  const { incidents, total } = await summarizeFirst(db, rows, { windowMinutes, now, limit: MAX_ON_FIRE, order: compareOnFire });
  return { onFire: incidents.map(toOverviewIncident), total };
}

/** Incidents that started in the 24 hours before `now`, newest first. */
async function readLastDay(db: Db, windowMinutes: number, now: Date): Promise<{ incidents: OverviewIncident[]; hasMore: boolean }> {
  const rows = await findIncidents(db, { from: new Date(now.getTime() - DAY_MS), to: now, limit: MAX_LAST_DAY_INCIDENTS + 1 });
  const summaries = await summarize(db, rows.slice(0, MAX_LAST_DAY_INCIDENTS), windowMinutes, now);
  return { incidents: summaries.map(toOverviewIncident), hasMore: rows.length > MAX_LAST_DAY_INCIDENTS };
}

type IncidentTables = {
  onFire: { onFire: OverviewIncident[]; total: number };
  lastDay: { incidents: OverviewIncident[]; hasMore: boolean };
  quietSince: Date | null;
};

const INCIDENT_TABLES: readonly VersionedTable[] = ["incidents", "peak_investigation"];

/**
 * The overview's incident tables, reused within the minute they were read in while no incident or
 * peak was written: analysts refreshing the overview together read them once (a dozen queries).
 * Within that minute a snooze may end, an incident may pass 24 hours, and a known issue's title or
 * an owner's e-mail (tables without versions) may change: the page shows them at most a minute late.
 */
const reuseIncidentTables = createVersionedRead<IncidentTables>(INCIDENT_TABLES);

async function readIncidentTables(db: Db, windowMinutes: number, now: Date): Promise<IncidentTables> {
  const [onFire, lastDay, quietSince] = await Promise.all([readOnFire(db, windowMinutes, now), readLastDay(db, windowMinutes, now), findLastIncidentEnd(db)]);
  return { onFire, lastDay, quietSince };
}

const EVENT_TABLES: readonly VersionedTable[] = ["error_patterns", "incidents", "peak_investigation"];

/** The day's cross-namespace events, reused while no window, pattern or incident is written within the window they were read in (the day ends with it). */
const reuseEvents = createVersionedRead<Awaited<ReturnType<typeof readCrossNamespaceEvents>>>(EVENT_TABLES);

/** Every table the overview reads through versioned reads, the namespace list's among them: the overview page reads their versions once. */
export const OVERVIEW_TABLES: readonly VersionedTable[] = [...new Set([...NAMESPACE_LIST_TABLES, ...INCIDENT_TABLES, ...EVENT_TABLES])];

/** Open incidents by severity, reused while no incident or peak was written (every open incident is joined with its peaks). */
const reuseOpenIncidentCounts = createVersionedRead<OpenIncidentCounts>(["incidents", "peak_investigation"]);

async function countOpenIncidents(db: Db): Promise<OpenIncidentCounts> {
  const counts = Object.fromEntries(severities.map((severity) => [severity, { total: 0, acknowledged: 0 }])) as OpenIncidentCounts;
  for (const group of await countOpenIncidentsBySeverity(db)) {
    const severity = peakSeverities[group.severityRank - 1];
    if (!severity) continue;
    counts[severity].total += group.incidents;
    if (group.status === "acknowledged") counts[severity].acknowledged += group.incidents;
  }
  return counts;
}

/**
 * Everything the overview page needs, in one round of queries (viewers and above): what is on
 * fire now, the last 24 hours' incidents, open incidents by severity, how many namespaces call for
 * attention (the namespace list, GET /api/namespaces, has them one by one) and data gaps. The table
 * counts are reused for up to a minute (see tablesCountedAt), the incident tables within the
 * minute (see reuseIncidentTables), the windows' judgement and the counts of open incidents while
 * nothing they read was written; the data gaps and the last run are read fresh. `versionsRead`:
 * OVERVIEW_TABLES' versions, when the request read them already.
 */
export async function readOverview(
  db: Db,
  actor: Actor | null,
  context: OverviewContext,
  now: Date = new Date(),
  versionsRead?: TableVersions,
): Promise<Overview> {
  assertRole(actor, "viewer");
  const tableCount = countTables(db, now.getTime());
  const { grid } = context;
  const versions = versionsRead ?? (await readTableVersions(db, OVERVIEW_TABLES));
  const incidentKey = `${Math.floor(now.getTime() / 60_000)}|${grid.windowMinutes}`;
  // The events' day ends where the window of `now` ends (problemPeriodOf): one key per period.
  const eventKey = `${Math.ceil(now.getTime() / grid.windowMs)}|${grid.windowMinutes}`;
  const [tables, namespaces, openDataGaps, openIncidents, { onFire, lastDay, quietSince }, events, lastRun] = await Promise.all([
    tableCount.value,
    readNamespaceStates(db, context, now, versions),
    findOpenDataGapRows(db),
    reuseOpenIncidentCounts(db, "", () => countOpenIncidents(db), versions),
    reuseIncidentTables(db, incidentKey, () => readIncidentTables(db, grid.windowMinutes, now), versions),
    reuseEvents(db, eventKey, () => readCrossNamespaceEvents(db, grid.windowMinutes, now), versions),
    findLastRun(db),
  ]);
  return {
    tables: tables.map((row) => ({
      table: row.table,
      rows: row.rows,
      from: row.from?.toISOString() ?? null,
      to: row.to?.toISOString() ?? null,
    })),
    tablesCountedAt: new Date(tableCount.countedAtMs).toISOString(),
    namespaces: namespaces.counts,
    openIncidents,
    onFire: onFire.onFire,
    onFireTotal: onFire.total,
    quietSince: quietSince?.toISOString() ?? null,
    lastDay: lastDay.incidents,
    lastDayHasMore: lastDay.hasMore,
    readAt: now.toISOString(),
    lastRun: lastRun
      ? {
          ...lastRun,
          startedAt: lastRun.startedAt.toISOString(),
          finishedAt: lastRun.finishedAt?.toISOString() ?? null,
          rangeFrom: lastRun.rangeFrom.toISOString(),
          rangeTo: lastRun.rangeTo.toISOString(),
          coveredTo: lastRun.coveredTo?.toISOString() ?? null,
        }
      : null,
    hasData: namespaces.states.some((state) => state.windowEnd !== null),
    completedUntil: new Date(namespaces.completedEndMs).toISOString(),
    openDataGaps: openDataGaps.map((gap) => ({
      ...gap,
      kind: gap.kind === "silent" ? "silent" : "stale",
      dataUntil: gap.dataUntil?.toISOString() ?? null,
      openedAt: gap.openedAt.toISOString(),
      lastSeenAt: gap.lastSeenAt.toISOString(),
    })),
    events: events.events,
    eventsTotal: events.total,
  };
}

import type { Db } from "@/lib/db/client";
import {
  findIncidentAudit,
  findFirstSeenPatternsOfWindows,
  findIncidentLastWindows,
  findIncidentLeadWindows,
  findIncidentRow,
  findIncidents,
  findIncidentTotals,
  findIncidentWindows,
  findOwnerCandidates,
  type IncidentRow,
} from "@/lib/db/incidents";
import { NotFoundError, parseInput } from "@/lib/errors";
import { buildLogsLinks, type LogsLinkSettings } from "@/lib/logs-link";
import { z } from "zod";
import { decodeCursor, encodeCursor, firstSeenPatternSchema, peakSeverities } from "@/lib/peaks/contract";
import { storedSnoozeState } from "@/lib/pipeline/incidents";
import { assertRole, type Actor } from "@/lib/roles";
import { findIncidentErrorsByVersion, findNamespaceVersions } from "@/lib/db/versions";
import { versionImpactOf } from "@/lib/versions/impact";
import { readIncidentEvents } from "./events";
import {
  incidentIdSchema,
  listIncidentsSchema,
  type IncidentDetail,
  type IncidentFirstSeenPattern,
  type IncidentOwnerOption,
  type IncidentPage,
  type IncidentSummary,
  type ListIncidentsInput,
} from "./contract";

/** Reads the windows' figures of the given incidents and puts them into summaries, in the rows' order. */
export async function summarize(db: Db, rows: readonly IncidentRow[], windowMinutes: number, now: Date): Promise<IncidentSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [totals, leads, lasts] = await Promise.all([findIncidentTotals(db, ids), findIncidentLeadWindows(db, ids), findIncidentLastWindows(db, ids)]);
  return assemble(rows, totals, leads, lasts, windowMinutes, now);
}

/** What orders incidents before their lead and last windows are read: whether a snooze holds now, the worst window's severity, the start (ISO) and the id. */
export type IncidentRank = Pick<IncidentSummary, "id" | "start" | "severity"> & { isSnoozed: boolean };

/**
 * The first `limit` of the incidents in `order`, summarized, and how many there are: every
 * incident's totals are read to rank it, the lead and last windows (the larger rows) of the
 * first `limit` alone. The overview ranks up to 500 ongoing incidents to show 50.
 */
export async function summarizeFirst(
  db: Db,
  rows: readonly IncidentRow[],
  settings: { windowMinutes: number; now: Date; limit: number; order: (left: IncidentRank, right: IncidentRank) => number },
): Promise<{ incidents: IncidentSummary[]; total: number }> {
  if (rows.length === 0) return { incidents: [], total: 0 };
  const totals = await findIncidentTotals(
    db,
    rows.map((row) => row.id),
  );
  const totalOf = new Map(totals.map((total) => [total.incident_id, total]));
  const ranked = rows
    .flatMap((row) => {
      const total = totalOf.get(row.id);
      if (!total) return [];
      const rank: IncidentRank = {
        id: row.id,
        start: row.started_at.toISOString(),
        severity: severityOf(total.severity_rank),
        isSnoozed: storedSnoozeState(row, total.excess, settings.now) === "active",
      };
      return [{ row, rank }];
    })
    .sort((left, right) => settings.order(left.rank, right.rank));
  const first = ranked.slice(0, settings.limit).map((entry) => entry.row);
  const ids = first.map((row) => row.id);
  const [leads, lasts] = await Promise.all([findIncidentLeadWindows(db, ids), findIncidentLastWindows(db, ids)]);
  return { incidents: assemble(first, totals, leads, lasts, settings.windowMinutes, settings.now), total: ranked.length };
}

function severityOf(rank: number | string): IncidentSummary["severity"] {
  return peakSeverities[Number(rank) - 1] ?? "low";
}

function assemble(
  rows: readonly IncidentRow[],
  totals: Awaited<ReturnType<typeof findIncidentTotals>>,
  leads: Awaited<ReturnType<typeof findIncidentLeadWindows>>,
  lasts: Awaited<ReturnType<typeof findIncidentLastWindows>>,
  windowMinutes: number,
  now: Date,
): IncidentSummary[] {
  const totalOf = new Map(totals.map((total) => [total.incident_id, total]));
  const leadOf = new Map(leads.map((lead) => [lead.incident_id, lead]));
  const lastOf = new Map(lasts.map((last) => [last.incident_id, last]));
  // An incident whose windows retention deleted between the two reads is left out.
  return rows.flatMap((row) => {
    const total = totalOf.get(row.id);
    const lead = leadOf.get(row.id);
    const last = lastOf.get(row.id);
    if (!total || !lead || !last) return [];
    const excess = total.excess;
    const state = storedSnoozeState(row, excess, now);
    const summary: IncidentSummary = {
      id: row.id,
      namespace: row.namespace,
      start: row.started_at.toISOString(),
      end: new Date(row.last_window_at.getTime() + windowMinutes * 60_000).toISOString(),
      ongoing: row.ended_at === null,
      status: row.status,
      owner: row.owner_id !== null && row.owner_email !== null ? { id: row.owner_id, email: row.owner_email } : null,
      snooze: state === "none" ? null : { until: row.snoozed_until?.toISOString() ?? null, growth: row.snooze_growth, state },
      resolution: row.resolution,
      resolvedAt: row.resolved_at?.toISOString() ?? null,
      reopenedAt: row.reopened_at?.toISOString() ?? null,
      reopenCount: row.reopen_count,
      windows: Number(total.windows),
      errors: Number(total.errors),
      excess: Math.round(excess),
      severity: severityOf(total.severity_rank),
      lead: {
        peakId: lead.id,
        timestamp: lead.timestamp.toISOString(),
        errorCount: lead.error_count,
        ratio: lead.ratio,
        rootCause: lead.root_cause,
        errorType: lead.error_type,
        appName: lead.app_name,
        affectedServices: lead.affected_services,
        traceId: lead.trace_id,
      },
      latest: {
        peakId: last.id,
        timestamp: last.timestamp.toISOString(),
        errorCount: last.error_count,
        requiredCount: Math.ceil(last.baseline_mean * last.required_ratio),
      },
      knownIssue: lead.known_issue_id !== null && lead.known_issue_title !== null ? { id: lead.known_issue_id, title: lead.known_issue_title } : null,
      regressionOf: lead.known_peak_id !== null && lead.known_peak_title !== null ? { id: lead.known_peak_id, title: lead.known_peak_title } : null,
    };
    return [summary];
  });
}

/**
 * A page of incidents, newest first (viewers and above). Keyset-paginated on (first window start
 * desc, id desc): pass the returned nextCursor for the next page; null on the last.
 */
export async function listIncidents(
  db: Db,
  actor: Actor | null,
  filter: ListIncidentsInput,
  settings: { windowMinutes: number; now: Date },
): Promise<IncidentPage> {
  assertRole(actor, "viewer");
  const parsed = parseInput(listIncidentsSchema, filter);
  const cursor = parsed.cursor === undefined ? null : decodeCursor(parsed.cursor);
  const rows = await findIncidents(db, {
    status: parsed.status,
    namespace: parsed.namespace,
    ongoing: parsed.ongoing === undefined ? undefined : parsed.ongoing === "true",
    from: parsed.from ? new Date(parsed.from) : undefined,
    to: parsed.to ? new Date(parsed.to) : undefined,
    after: cursor ? { startedAt: new Date(cursor.timestampMs), id: cursor.id } : undefined,
    // One more than the page: whether there is a next page.
    limit: parsed.limit + 1,
  });
  const page = rows.slice(0, parsed.limit);
  const last = page.at(-1);
  return {
    incidents: await summarize(db, page, settings.windowMinutes, settings.now),
    nextCursor: rows.length > parsed.limit && last ? encodeCursor({ timestampMs: last.started_at.getTime(), id: last.id }) : null,
  };
}

/** A window's stored first-seen patterns; a damaged value shows none. */
const storedFirstSeenSchema = z.array(firstSeenPatternSchema).catch([]);

/** The patterns first seen in an incident's windows, each once (its first window), most errors first. */
function firstSeenOf(rows: Awaited<ReturnType<typeof findFirstSeenPatternsOfWindows>>): IncidentFirstSeenPattern[] {
  const byPattern = new Map<string, IncidentFirstSeenPattern>();
  for (const row of rows) {
    for (const pattern of storedFirstSeenSchema.parse(row.patterns)) {
      if (byPattern.has(pattern.patternId)) continue;
      byPattern.set(pattern.patternId, { ...pattern, peakId: row.id, timestamp: row.timestamp.toISOString() });
    }
  }
  return [...byPattern.values()].sort((left, right) => right.count - left.count || left.patternId.localeCompare(right.patternId));
}

/** One incident in full: its summary, its windows, its errors by version, the cross-namespace events it is part of, its audit trail and its links to the logs (viewers and above). */
export async function getIncident(db: Db, actor: Actor | null, id: number, settings: { links: LogsLinkSettings; now: Date }): Promise<IncidentDetail> {
  assertRole(actor, "viewer");
  const incidentId = parseInput(incidentIdSchema, id);
  const row = await findIncidentRow(db, incidentId);
  const [summary] = row ? await summarize(db, [row], settings.links.windowMinutes, settings.now) : [];
  if (!row || !summary) throw new NotFoundError(`Incident ${incidentId} does not exist`);
  const [windows, firstSeen, audit, errorsByVersion, timeline, events] = await Promise.all([
    findIncidentWindows(db, incidentId),
    findFirstSeenPatternsOfWindows(db, { incidentIds: [incidentId] }),
    findIncidentAudit(db, incidentId),
    findIncidentErrorsByVersion(db, incidentId),
    findNamespaceVersions(db, summary.namespace),
    readIncidentEvents(db, { id: incidentId, startedAt: row.started_at, lastWindowAt: row.last_window_at }, settings.links.windowMinutes),
  ]);
  const logLinks = buildLogsLinks(settings.links, {
    namespace: summary.namespace,
    windowStartMs: Date.parse(summary.start),
    windowEndMs: Date.parse(summary.end),
    traceIds: summary.lead.traceId ? [summary.lead.traceId] : [],
  });
  return {
    ...summary,
    windowList: windows.map((window) => ({
      peakId: window.id,
      timestamp: window.timestamp.toISOString(),
      severity: window.severity,
      status: window.status,
      errorCount: window.error_count,
      baselineMean: window.baseline_mean,
      ratio: window.ratio,
      rootCause: window.root_cause,
    })),
    firstSeenPatterns: firstSeenOf(firstSeen),
    // Versions compare over the incident's own span: what ran while it lasted.
    versions: versionImpactOf(
      errorsByVersion.map((row) => row.errors_by_version),
      timeline,
      { fromMs: Date.parse(summary.start), toMs: Date.parse(summary.end) },
      { windowMs: settings.links.windowMinutes * 60_000, windows: windows.length },
    ),
    audit: audit.map((entry) => ({
      id: entry.id,
      actor: entry.actor,
      action: entry.action,
      details: entry.details,
      createdAt: entry.created_at.toISOString(),
    })),
    logLinks: logLinks.window === null ? null : logLinks,
    ...events,
  };
}

/** Who an analyst may make an incident's owner (analysts and above): every enabled analyst and admin, by e-mail. */
export async function listOwnerCandidates(db: Db, actor: Actor | null): Promise<IncidentOwnerOption[]> {
  assertRole(actor, "analyst");
  const rows = await findOwnerCandidates(db);
  return rows.flatMap((row) => (row.role === "analyst" || row.role === "admin" ? [{ id: row.id, email: row.email, role: row.role }] : []));
}

/** Whether the incident exists (viewers and above): the page's 404 check before anything streams. */
export async function hasIncident(db: Db, actor: Actor | null, id: number): Promise<boolean> {
  assertRole(actor, "viewer");
  return (await findIncidentRow(db, parseInput(incidentIdSchema, id))) !== undefined;
}

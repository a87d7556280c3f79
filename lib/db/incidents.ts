import { sql } from "kysely";
import type { Db, Prisma } from "./client";
import type { IncidentResolution, PeakStatus } from "./generated/kysely/types";

// The incidents' queries: reads through Kysely, writes through Prisma (inside the transactions of
// lib/incidents). An incident's counts, worst window and labels are read from its windows.

type Transaction = Prisma.TransactionClient;

// ---------------------------------------------------------------------------------------------
// Placing new windows (lib/incidents/assign.ts).

/** Peak windows not in an incident yet, oldest first. */
export function findUnplacedPeaks(db: Db) {
  return db.kysely
    .selectFrom("peak_investigation")
    .select(["id", "namespace", "timestamp"])
    .where("incident_id", "is", null)
    .orderBy("namespace")
    .orderBy("timestamp")
    .orderBy("id")
    .execute();
}

/** A namespace's incidents whose span reaches into [fromMs, toMs] (last window from `fromMs`, first window until `toMs`). */
export function findIncidentsNear(db: Db, namespace: string, range: { fromMs: number; toMs: number }) {
  return db.kysely
    .selectFrom("incidents")
    .select(["id", "started_at", "last_window_at", "status", "resolution", "resolved_at"])
    .where("namespace", "=", namespace)
    .where("last_window_at", ">=", new Date(range.fromMs))
    .where("started_at", "<=", new Date(range.toMs))
    .execute();
}

export async function insertIncident(transaction: Transaction, incident: { namespace: string; startedAt: Date; lastWindowAt: Date }): Promise<number> {
  return (await transaction.incident.create({ data: incident, select: { id: true } })).id;
}

/**
 * Puts windows into an incident: they take its status, and while it is a known issue, its known
 * issue. Only windows still outside an incident move, so a concurrent run places each once.
 * Returns how many windows moved.
 */
export async function moveWindowsIntoIncident(transaction: Transaction, incidentId: number, peakIds: readonly number[]): Promise<number> {
  return transaction.$executeRaw`
    UPDATE peak_investigation p
       SET incident_id = i.id,
           status = i.status,
           known_issue_id = CASE WHEN i.status = 'known_issue'
             THEN COALESCE(p.known_issue_id, (SELECT o.known_issue_id FROM peak_investigation o
                                               WHERE o.incident_id = i.id AND o.known_issue_id IS NOT NULL
                                               ORDER BY o.timestamp LIMIT 1))
             ELSE p.known_issue_id END,
           updated_at = now()
      FROM incidents i
     WHERE i.id = ${incidentId} AND p.id = ANY(${[...peakIds]}::int[]) AND p.incident_id IS NULL`;
}

/** Widens an incident's span to its windows and makes it ongoing again (a window joined it). */
export async function refreshIncidentSpan(transaction: Transaction, incidentId: number): Promise<void> {
  await transaction.$executeRaw`
    UPDATE incidents i
       SET started_at = s.started_at, last_window_at = s.last_window_at, ended_at = NULL, updated_at = now()
      FROM (SELECT MIN(timestamp) AS started_at, MAX(timestamp) AS last_window_at
              FROM peak_investigation WHERE incident_id = ${incidentId}) s
     WHERE i.id = ${incidentId} AND s.started_at IS NOT NULL`;
}

/** An incident that resolved itself is open again: errors returned (a regression). */
export async function reopenReturnedIncident(transaction: Transaction, incidentId: number, now: Date): Promise<boolean> {
  const { count } = await transaction.incident.updateMany({
    where: { id: incidentId, status: "resolved", resolution: "quiet" },
    data: { status: "open", resolution: null, resolvedAt: null, endedAt: null, reopenedAt: now, reopenCount: { increment: 1 } },
  });
  return count === 1;
}

// ---------------------------------------------------------------------------------------------
// Settling ongoing incidents (lib/incidents/settle.ts).

/** Ongoing incidents with how many windows of their namespace were counted after their last one (at most `enough`). */
export function findOngoingIncidents(db: Db, enough: number) {
  return db.kysely
    .selectFrom("incidents as i")
    .select((eb) => [
      "i.id",
      "i.namespace",
      "i.status",
      "i.last_window_at",
      eb
        .selectFrom((inner) =>
          inner
            .selectFrom("peak_raw_data as w")
            .select("w.id")
            .whereRef("w.namespace", "=", "i.namespace")
            .whereRef("w.timestamp", ">", "i.last_window_at")
            .limit(enough)
            .as("after"),
        )
        .select((counter) => counter.fn.countAll<string>().as("count"))
        .as("windows_after"),
    ])
    .where("i.ended_at", "is", null)
    .orderBy("i.id")
    .execute();
}

/**
 * Records that an ongoing incident ended at `endedAt`; with `resolveAt`, an open or acknowledged
 * one is resolved as back to normal, with all its windows. Returns whether it was resolved.
 */
export async function endIncident(
  transaction: Transaction,
  incidentId: number,
  endedAt: Date,
  resolveAt: Date | null,
): Promise<{ ended: boolean; resolvedFrom: PeakStatus | null }> {
  const row = await transaction.incident.findUnique({ where: { id: incidentId }, select: { status: true, endedAt: true } });
  if (!row || row.endedAt !== null) return { ended: false, resolvedFrom: null };
  const resolves = resolveAt !== null && (row.status === "open" || row.status === "acknowledged");
  await transaction.incident.update({
    where: { id: incidentId },
    data: {
      endedAt,
      ...(resolves ? { status: "resolved", resolution: "quiet", resolvedAt: resolveAt, snoozedUntil: null, snoozeGrowth: null, snoozeExcess: null } : {}),
    },
  });
  if (resolves) await setWindowsStatus(transaction, incidentId, "resolved");
  return { ended: true, resolvedFrom: resolves ? row.status : null };
}

// ---------------------------------------------------------------------------------------------
// Actions (lib/incidents/actions.ts).

const incidentForActionSelect = {
  id: true,
  namespace: true,
  status: true,
  ownerId: true,
  snoozedUntil: true,
  snoozeGrowth: true,
  snoozeExcess: true,
  resolution: true,
} satisfies Prisma.IncidentSelect;

export type IncidentForAction = Prisma.IncidentGetPayload<{ select: typeof incidentForActionSelect }>;

export function findIncidentForAction(transaction: Transaction, incidentId: number): Promise<IncidentForAction | null> {
  return transaction.incident.findUnique({ where: { id: incidentId }, select: incidentForActionSelect });
}

/** The incident's windows, oldest first: what an action reads to pick the window it acts through. */
export function findIncidentWindowsForAction(transaction: Transaction, incidentId: number) {
  return transaction.peakInvestigation.findMany({
    where: { incidentId },
    orderBy: [{ timestamp: "asc" }, { id: "asc" }],
    select: { id: true, status: true, ratio: true, errorCount: true, baselineMean: true, enrichedAt: true, topPatterns: true, knownIssueId: true },
  });
}

/** Moves the incident from `from` to `to` with `data`, only if it still has status `from`. */
export async function updateIncidentStatus(
  transaction: Transaction,
  change: { incidentId: number; from: PeakStatus; to: PeakStatus; resolution?: IncidentResolution | null; resolvedAt?: Date | null; ownerId?: number | null },
): Promise<boolean> {
  const { incidentId, from, to, ...rest } = change;
  const { count } = await transaction.incident.updateMany({
    where: { id: incidentId, status: from },
    data: {
      status: to,
      ...(rest.resolution === undefined ? {} : { resolution: rest.resolution }),
      ...(rest.resolvedAt === undefined ? {} : { resolvedAt: rest.resolvedAt }),
      ...(rest.ownerId === undefined ? {} : { ownerId: rest.ownerId }),
      // A triaged incident is no longer snoozed: the snooze only quiets an untriaged one.
      ...(to === "open" || to === "acknowledged" ? {} : { snoozedUntil: null, snoozeGrowth: null, snoozeExcess: null }),
    },
  });
  return count > 0;
}

/** Gives every window of the incident `status` (and `knownIssueId` when given). */
export async function setWindowsStatus(transaction: Transaction, incidentId: number, status: PeakStatus, knownIssueId?: number): Promise<void> {
  await transaction.peakInvestigation.updateMany({
    where: { incidentId },
    data: { status, ...(knownIssueId === undefined ? {} : { knownIssueId }) },
  });
}

export async function updateIncidentOwner(transaction: Transaction, incidentId: number, ownerId: number | null): Promise<void> {
  await transaction.incident.update({ where: { id: incidentId }, data: { ownerId } });
}

/** The snoozed incidents (by time or by growth), with what their snooze state is judged on. */
export function findSnoozedIncidents(db: Db) {
  return db.kysely
    .selectFrom("incidents")
    .select(["id", "snoozed_until", "snooze_growth", "snooze_excess"])
    .where((eb) => eb.or([eb("snoozed_until", "is not", null), eb("snooze_growth", "is not", null)]))
    .execute();
}

export async function updateIncidentSnooze(
  transaction: Transaction,
  incidentId: number,
  snooze: { until: Date | null; growth: number | null; excess: number | null },
): Promise<void> {
  await transaction.incident.update({
    where: { id: incidentId },
    data: { snoozedUntil: snooze.until, snoozeGrowth: snooze.growth, snoozeExcess: snooze.excess },
  });
}

export async function findActiveUser(transaction: Transaction, userId: number): Promise<{ id: number; email: string; role: string } | null> {
  return transaction.user.findFirst({ where: { id: userId, isDisabled: false }, select: { id: true, email: true, role: true } });
}

/**
 * The open incidents of the given windows become known issues of `issueId`, with all their open
 * windows; the incident of `sourcePeakId` is left to that window's own action. Returns the
 * incidents changed.
 */
export async function labelIncidentsOfWindows(
  transaction: Transaction,
  issueId: number,
  peakIds: readonly number[],
  sourcePeakId: number | null,
): Promise<number[]> {
  if (peakIds.length === 0) return [];
  const rows = await transaction.$queryRaw<{ id: number }[]>`
    UPDATE incidents SET status = 'known_issue', snoozed_until = NULL, snooze_growth = NULL, snooze_excess = NULL, updated_at = now()
     WHERE id IN (SELECT incident_id FROM peak_investigation WHERE id = ANY(${[...peakIds]}::int[]) AND incident_id IS NOT NULL)
       AND id IS DISTINCT FROM (SELECT incident_id FROM peak_investigation WHERE id = ${sourcePeakId ?? 0})
       AND status IN ('open', 'acknowledged')
    RETURNING id`;
  const incidentIds = rows.map((row) => row.id);
  if (incidentIds.length > 0) {
    await transaction.$executeRaw`
      UPDATE peak_investigation SET status = 'known_issue', known_issue_id = COALESCE(known_issue_id, ${issueId}), updated_at = now()
       WHERE incident_id = ANY(${incidentIds}::int[]) AND status IN ('open', 'acknowledged')`;
  }
  return incidentIds;
}

// ---------------------------------------------------------------------------------------------
// Lists and pages (lib/incidents/list.ts).

export type IncidentFilter = {
  status?: readonly PeakStatus[];
  namespace?: readonly string[];
  /** true: ongoing only; false: ended only. */
  ongoing?: boolean;
  /** First window start, inclusive / exclusive. */
  from?: Date;
  to?: Date;
  after?: { startedAt: Date; id: number };
  limit: number;
};

const incidentColumns = [
  "i.id",
  "i.namespace",
  "i.started_at",
  "i.last_window_at",
  "i.ended_at",
  "i.status",
  "i.snoozed_until",
  "i.snooze_growth",
  "i.snooze_excess",
  "i.resolution",
  "i.resolved_at",
  "i.reopened_at",
  "i.reopen_count",
  "i.owner_id",
  "u.email as owner_email",
] as const;

/** Incidents newest first (first window start desc, id desc), at most `limit`, strictly after `after`. */
export function findIncidents(db: Db, filter: IncidentFilter) {
  const { status, namespace, ongoing, from, to, after } = filter;
  return db.kysely
    .selectFrom("incidents as i")
    .leftJoin("users as u", "u.id", "i.owner_id")
    .select(incidentColumns)
    .$if(status !== undefined, (query) => query.where((eb) => sql<boolean>`${eb.ref("i.status")} = ANY(${status}::"PeakStatus"[])`))
    .$if(namespace !== undefined, (query) => query.where((eb) => sql<boolean>`${eb.ref("i.namespace")} = ANY(${namespace}::text[])`))
    .$if(ongoing === true, (query) => query.where("i.ended_at", "is", null))
    .$if(ongoing === false, (query) => query.where("i.ended_at", "is not", null))
    .$if(from !== undefined, (query) => query.where("i.started_at", ">=", from!))
    .$if(to !== undefined, (query) => query.where("i.started_at", "<", to!))
    .$if(after !== undefined, (query) =>
      query.where("i.started_at", "<=", after!.startedAt).where((eb) => eb.or([eb("i.started_at", "<", after!.startedAt), eb("i.id", "<", after!.id)])),
    )
    .orderBy("i.started_at", "desc")
    .orderBy("i.id", "desc")
    .limit(filter.limit)
    .execute();
}

export type IncidentRow = Awaited<ReturnType<typeof findIncidents>>[number];

export function findIncidentRow(db: Db, incidentId: number) {
  return db.kysely
    .selectFrom("incidents as i")
    .leftJoin("users as u", "u.id", "i.owner_id")
    .select(incidentColumns)
    .where("i.id", "=", incidentId)
    .executeTakeFirst();
}

/** Per incident: windows, errors, excess errors, the worst severity and when its windows were counted. */
export function findIncidentTotals(db: Db, incidentIds: readonly number[]) {
  return db.kysely
    .selectFrom("peak_investigation")
    .select((eb) => [
      "incident_id",
      eb.fn.countAll<string>().as("windows"),
      sql<string>`SUM(error_count)`.as("errors"),
      sql<number>`SUM(GREATEST(error_count - baseline_mean, 0))::float8`.as("excess"),
      sql<string>`MAX(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)`.as("severity_rank"),
    ])
    .where((eb) => sql<boolean>`${eb.ref("incident_id")} = ANY(${[...incidentIds]}::int[])`)
    .groupBy("incident_id")
    .execute();
}

/**
 * Per incident, the window it is shown by: its worst investigated window (highest ratio), else its
 * worst window; with that window's root cause, labels and threshold figures.
 */
export function findIncidentLeadWindows(db: Db, incidentIds: readonly number[]) {
  return db.kysely
    .selectFrom("peak_investigation as p")
    .leftJoin("known_issues as k", "k.id", "p.known_issue_id")
    .leftJoin("known_peaks as kp", "kp.id", "p.known_peak_id")
    .select([
      "p.incident_id",
      "p.id",
      "p.timestamp",
      "p.error_count",
      "p.baseline_mean",
      "p.ratio",
      "p.required_ratio",
      "p.root_cause",
      "p.error_type",
      "p.app_name",
      "p.affected_services",
      "p.trace_id",
      "k.id as known_issue_id",
      "k.title as known_issue_title",
      "kp.id as known_peak_id",
      "kp.title as known_peak_title",
    ])
    .distinctOn("p.incident_id")
    .where((eb) => sql<boolean>`${eb.ref("p.incident_id")} = ANY(${[...incidentIds]}::int[])`)
    .orderBy("p.incident_id")
    .orderBy(sql`(p.enriched_at IS NULL)`)
    .orderBy(sql`(p.known_issue_id IS NULL AND p.known_peak_id IS NULL)`)
    .orderBy("p.ratio", "desc")
    .orderBy("p.id")
    .execute();
}

/** The incident's last window, with its count and the count its threshold required. */
export function findIncidentLastWindows(db: Db, incidentIds: readonly number[]) {
  return db.kysely
    .selectFrom("peak_investigation as p")
    .select(["p.incident_id", "p.id", "p.timestamp", "p.error_count", "p.baseline_mean", "p.required_ratio"])
    .distinctOn("p.incident_id")
    .where((eb) => sql<boolean>`${eb.ref("p.incident_id")} = ANY(${[...incidentIds]}::int[])`)
    .orderBy("p.incident_id")
    .orderBy("p.timestamp", "desc")
    .execute();
}

/** An incident's windows, oldest first. */
export function findIncidentWindows(db: Db, incidentId: number) {
  return db.kysely
    .selectFrom("peak_investigation")
    .select(["id", "timestamp", "severity", "status", "error_count", "baseline_mean", "ratio", "root_cause", "known_issue_id", "known_peak_id"])
    .where("incident_id", "=", incidentId)
    .orderBy("timestamp")
    .orderBy("id")
    .execute();
}

/**
 * The stored first-seen patterns of incidents' windows, or of peak windows (top_patterns' firstSeenPatterns, as
 * JSON for the caller to parse), in window order; windows without any are left out.
 */
export function findFirstSeenPatternsOfWindows(db: Db, of: { incidentIds: readonly number[] } | { peakIds: readonly number[] }) {
  const ids = "incidentIds" in of ? of.incidentIds : of.peakIds;
  if (ids.length === 0) return Promise.resolve([]);
  return db.kysely
    .selectFrom("peak_investigation as p")
    .select((eb) => ["p.id", "p.incident_id", "p.namespace", "p.timestamp", sql<unknown>`${eb.ref("p.top_patterns")} -> 'firstSeenPatterns'`.as("patterns")])
    .$if("incidentIds" in of, (query) => query.where("p.incident_id", "in", [...ids]))
    .$if("peakIds" in of, (query) => query.where("p.id", "in", [...ids]))
    .where((eb) => sql<boolean>`jsonb_typeof(${eb.ref("p.top_patterns")} -> 'firstSeenPatterns') = 'array'`)
    .where((eb) => sql<boolean>`jsonb_array_length(${eb.ref("p.top_patterns")} -> 'firstSeenPatterns') > 0`)
    .orderBy("p.timestamp")
    .orderBy("p.id")
    .execute();
}

/** The audit entries of an incident, newest first. */
export function findIncidentAudit(db: Db, incidentId: number) {
  return db.kysely
    .selectFrom("audit_log")
    .select(["id", "actor", "action", "details", "created_at"])
    .where("entity_type", "=", "incident")
    .where("entity_id", "=", String(incidentId))
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(200)
    .execute();
}

/** The enabled users who may own an incident (analysts and admins), by e-mail. */
export function findOwnerCandidates(db: Db) {
  return db.kysely
    .selectFrom("users")
    .select(["id", "email", "role"])
    .where("is_disabled", "=", false)
    .where((eb) => sql<boolean>`${eb.ref("role")} IN ('analyst', 'admin')`)
    .orderBy("email")
    .execute();
}

/** The incident a peak window belongs to, with its status and how many windows it has; undefined when none. */
export function findIncidentHeadline(db: Db, incidentId: number) {
  return db.kysely
    .selectFrom("incidents as i")
    .select((eb) => [
      "i.id",
      "i.status",
      eb
        .selectFrom("peak_investigation as p")
        .select((counter) => counter.fn.countAll<string>().as("count"))
        .whereRef("p.incident_id", "=", "i.id")
        .as("windows"),
    ])
    .where("i.id", "=", incidentId)
    .executeTakeFirst();
}

/** Incidents whose windows are all gone (retention deleted them). Returns how many were deleted. */
export async function deleteEmptyIncidents(db: Db): Promise<number> {
  return db.prisma.$executeRaw`DELETE FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM peak_investigation p WHERE p.incident_id = i.id)`;
}

// ---------------------------------------------------------------------------------------------
// Teams (lib/jobs/run-steps.ts): what a message about an incident needs.

/** The incidents' standing for a message: status, snooze and reopenings, with the minutes after which errors last returned. */
export function findIncidentsToNotify(db: Db, incidentIds: readonly number[]) {
  return db.kysely
    .selectFrom("incidents as i")
    .select((eb) => [
      "i.id",
      "i.status",
      "i.snoozed_until",
      "i.snooze_growth",
      "i.snooze_excess",
      "i.reopen_count",
      eb
        .selectFrom("audit_log as a")
        .select(sql<number | null>`(a.details->>'returnedAfterMinutes')::float8`.as("minutes"))
        .where("a.entity_type", "=", "incident")
        .whereRef("a.entity_id", "=", sql<string>`i.id::text`)
        .where("a.action", "=", "incident.reopen")
        .where("a.actor", "=", "pipeline")
        .orderBy("a.id", "desc")
        .limit(1)
        .as("returned_after_minutes"),
    ])
    .where((eb) => sql<boolean>`${eb.ref("i.id")} = ANY(${[...incidentIds]}::int[])`)
    .execute();
}

/**
 * Incidents resolved since `since` whose announcement on `channel` was sent and whose resolution
 * (of this reopening) was not: with their span, first window, and who resolved them and how.
 */
export function findResolvedIncidentsToAnnounce(db: Db, since: Date) {
  return db.kysely
    .selectFrom("incidents as i")
    .innerJoin(
      (eb) =>
        eb
          .selectFrom("peak_investigation")
          .select((inner) => ["incident_id", inner.fn.min("id").as("first_peak_id")])
          .groupBy("incident_id")
          .as("w"),
      (join) => join.onRef("w.incident_id", "=", "i.id"),
    )
    .select((eb) => [
      "i.id",
      "i.namespace",
      "i.started_at",
      "i.last_window_at",
      "i.resolution",
      "i.reopen_count",
      "w.first_peak_id",
      eb
        .selectFrom("audit_log as a")
        .select(sql<unknown>`json_build_object('actor', a.actor, 'details', a.details)`.as("how"))
        .where("a.entity_type", "=", "incident")
        .whereRef("a.entity_id", "=", sql<string>`i.id::text`)
        .where("a.action", "in", ["incident.resolve", "incident.auto_resolve"])
        .orderBy("a.id", "desc")
        .limit(1)
        .as("how"),
    ])
    .where("i.status", "=", "resolved")
    .where("i.resolved_at", ">=", since)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("notification_deliveries as d")
          .select(sql.lit(1).as("one"))
          .where("d.status", "=", "sent")
          // The opening message's key, or a reopening's (`:reopened:<n>`, n up to reopen_count, which
          // only grows): equalities the unique index answers, where a LIKE with a computed pattern
          // read every delivery once per incident.
          .where(
            "d.dedupe_key",
            "=",
            sql<string>`ANY(ARRAY['teams:incident:' || i.id] || ARRAY(SELECT 'teams:incident:' || i.id || ':reopened:' || n FROM generate_series(1, i.reopen_count) AS n))`,
          ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("notification_deliveries as d")
            .select(sql.lit(1).as("one"))
            .where("d.status", "=", "sent")
            .where("d.dedupe_key", "=", sql<string>`'teams:incident:' || i.id || ':resolved:' || i.reopen_count`),
        ),
      ),
    )
    .orderBy("i.resolved_at")
    .execute();
}

// ---------------------------------------------------------------------------------------------
// A window's triage action (lib/peaks/triage.ts) acts on its whole incident.

/**
 * Gives the incident of `peakId` the window's new status (resolution and resolved time with it)
 * and all its windows too; returns the incident's id and previous status, or null when the
 * window is in no incident yet.
 */
export async function applyWindowStatusToIncident(
  transaction: Transaction,
  peakId: number,
  change: { to: PeakStatus; knownIssueId?: number; now: Date; ownerId: number | null },
): Promise<{ incidentId: number; from: PeakStatus } | null> {
  const window = await transaction.peakInvestigation.findUnique({
    where: { id: peakId },
    select: { incident: { select: { id: true, status: true, ownerId: true } } },
  });
  const incident = window?.incident;
  if (!incident) return null;
  await transaction.incident.update({
    where: { id: incident.id },
    data: {
      status: change.to,
      // Who acknowledges a window owns its incident, unless someone does already.
      ...(change.to === "acknowledged" && incident.ownerId === null && change.ownerId !== null ? { ownerId: change.ownerId } : {}),
      ...(change.to === "resolved" ? { resolution: "solution", resolvedAt: change.now } : {}),
      ...(change.to === "open" ? { resolution: null, resolvedAt: null } : {}),
      ...(change.to === "open" || change.to === "acknowledged" ? {} : { snoozedUntil: null, snoozeGrowth: null, snoozeExcess: null }),
    },
  });
  await setWindowsStatus(transaction, incident.id, change.to, change.knownIssueId);
  return { incidentId: incident.id, from: incident.status };
}

/**
 * The incidents open at an instant, the daily digest's "still open": begun before it and open or
 * acknowledged now, or resolved only after it. Known-issue and false-positive incidents are
 * triaged, so never listed. Ongoing first, then the oldest; at most `limit`, with how many there are.
 */
export async function findIncidentsOpenAt(db: Db, at: Date, limit: number) {
  const open = db.kysely
    .selectFrom("incidents as i")
    .where("i.started_at", "<", at)
    .where((eb) => eb.or([eb("i.status", "in", ["open", "acknowledged"]), eb.and([eb("i.status", "=", "resolved"), eb("i.resolved_at", ">=", at)])]));
  const [rows, count] = await Promise.all([
    open
      .leftJoin("users as u", "u.id", "i.owner_id")
      .select((eb) => [
        "i.id",
        "i.namespace",
        "i.started_at",
        "i.last_window_at",
        "i.ended_at",
        "i.status",
        "i.snoozed_until",
        "u.email as owner_email",
        // The known issue of its newest labelled window: what the incident is taken for.
        sql<string | null>`(SELECT k.title FROM peak_investigation p JOIN known_issues k ON k.id = p.known_issue_id
          WHERE p.incident_id = ${eb.ref("i.id")} ORDER BY p.timestamp DESC, p.id DESC LIMIT 1)`.as("known_issue_title"),
      ])
      .orderBy(sql`CASE WHEN i.ended_at IS NULL OR i.ended_at > ${at} THEN 0 ELSE 1 END`)
      .orderBy("i.started_at")
      .orderBy("i.id")
      .limit(limit)
      .execute(),
    open.select((eb) => eb.fn.countAll<string>().as("total")).executeTakeFirst(),
  ]);
  return { rows, total: Number(count?.total ?? 0) };
}

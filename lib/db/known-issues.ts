import { sql, type RawBuilder, type Selectable } from "kysely";
import { actorLabel, type Actor } from "@/lib/roles";
import type { Db, Prisma, PrismaClient } from "./client";
import type { KnownIssueStatus, PeakInvestigation } from "./generated/kysely/types";
import { escapeLike } from "./sql";

// The known issues' queries: reads through Kysely, writes through Prisma (the transaction's
// client). Role checks, input parsing, audit decisions and matching are lib/known-issues's.

type Reader = PrismaClient | Prisma.TransactionClient;

/** A known issue as the lists show it, with its pattern templates and match counts. */
export type KnownIssueRow = {
  id: number;
  title: string;
  description: string | null;
  patternIds: string[];
  /** [pattern id, template or null when error_patterns no longer has it], in the issue's order. */
  patterns: [string, string | null][];
  regexes: string[];
  namespace: string | null;
  appName: string | null;
  link: string | null;
  status: KnownIssueStatus;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  matchedPeaks: number;
  lastMatchedAt: Date | null;
};

/**
 * Which known issues to read: one by id, or those of a status and/or matching a search. `q` is a
 * case-insensitive part of the title, description, namespace or app name, a whole pattern id, or
 * the issue's id ("12" or "#12").
 */
export type KnownIssueFilter = { id?: number; status?: KnownIssueStatus; q?: string };

/** The issue id a search names, "#12" or "12"; null when it names none. */
function issueIdIn(q: string): number | null {
  const match = /^#?(\d{1,9})$/.exec(q.trim());
  return match ? Number(match[1]) : null;
}

/** The filter as a condition on `known_issues` aliased `i`. */
function conditionOf(filter: KnownIssueFilter): RawBuilder<boolean> {
  const { id, status, q } = filter;
  const parts: RawBuilder<unknown>[] = [sql`TRUE`];
  if (id !== undefined) parts.push(sql`${sql.ref("i.id")} = ${id}`);
  if (status !== undefined) parts.push(sql`${sql.ref("i.status")} = ${status}::"KnownIssueStatus"`);
  if (q !== undefined) {
    const like = `%${escapeLike(q)}%`;
    const namedId = issueIdIn(q);
    const matches = [
      sql`${sql.ref("i.title")} ILIKE ${like}`,
      sql`${sql.ref("i.description")} ILIKE ${like}`,
      sql`${sql.ref("i.namespace")} ILIKE ${like}`,
      sql`${sql.ref("i.app_name")} ILIKE ${like}`,
      sql`${q}::text = ANY(${sql.ref("i.pattern_ids")})`,
      ...(namedId === null ? [] : [sql`${sql.ref("i.id")} = ${namedId}`]),
    ];
    parts.push(sql`(${sql.join(matches, sql` OR `)})`);
  }
  return sql<boolean>`${sql.join(parts, sql` AND `)}`;
}

/** How many known issues a filter selects (a page of findKnownIssues says how many there are in all). */
export async function countKnownIssues(db: Db, filter: KnownIssueFilter): Promise<number> {
  const row = await db.kysely
    .selectFrom("known_issues as i")
    .select(sql<number>`count(*)::int`.as("total"))
    .where(conditionOf(filter))
    .executeTakeFirstOrThrow();
  return row.total;
}

/**
 * Known issues with their pattern templates and match counts, in one query, active first, then
 * newest; with `page`, only those rows of that order.
 */
export async function findKnownIssues(db: Db, filter: KnownIssueFilter, page?: { offset: number; limit: number }): Promise<KnownIssueRow[]> {
  const query = db.kysely
    .selectFrom("known_issues as i")
    .leftJoin("users as u", "u.id", "i.created_by_id")
    .crossJoinLateral((eb) =>
      eb
        .selectFrom("peak_investigation as p")
        .select((inner) => [sql<number>`count(*)::int`.as("matched_peaks"), inner.fn.max("p.timestamp").as("last_matched_at")])
        .whereRef("p.known_issue_id", "=", "i.id")
        .as("m"),
    )
    .select((eb) => [
      "i.id",
      "i.title",
      "i.description",
      "i.pattern_ids",
      "i.regexes",
      "i.namespace",
      "i.app_name",
      "i.link",
      "i.status",
      "u.email as created_by",
      "i.created_at",
      "i.updated_at",
      "i.resolved_at",
      eb
        .selectFrom(sql<{ id: string; position: string }>`unnest(${eb.ref("i.pattern_ids")}) WITH ORDINALITY`.as<"x">(sql`x(id, position)`))
        .leftJoin("error_patterns as e", "e.pattern_hash", "x.id")
        .select((inner) =>
          sql<
            [string, string | null][]
          >`coalesce(json_agg(json_build_array(${inner.ref("x.id")}, ${inner.ref("e.template")}) ORDER BY ${inner.ref("x.position")}), '[]')`.as("patterns"),
        )
        .as("patterns"),
      "m.matched_peaks",
      "m.last_matched_at",
    ])
    .where(conditionOf(filter))
    .orderBy("i.status")
    .orderBy("i.id", "desc")
    .$if(page !== undefined, (paged) => paged.offset(page!.offset).limit(page!.limit));
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    description: row.description,
    patternIds: row.pattern_ids,
    patterns: row.patterns ?? [],
    regexes: row.regexes,
    namespace: row.namespace,
    appName: row.app_name,
    link: row.link,
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    resolvedAt: row.resolved_at,
    matchedPeaks: row.matched_peaks,
    lastMatchedAt: row.last_matched_at,
  }));
}

export async function knownIssueExists(db: Db, issueId: number): Promise<boolean> {
  return (
    (await db.kysely
      .selectFrom("known_issues")
      .select(sql<number>`1`.as("one"))
      .where("id", "=", issueId)
      .executeTakeFirst()) !== undefined
  );
}

/** The peaks labelled with an issue, newest first, at most `limit`. */
export async function findPeaksOfKnownIssue(db: Db, issueId: number, limit: number) {
  return db.kysely
    .selectFrom("peak_investigation")
    .select(["id", "timestamp", "namespace", "severity", "error_count as errorCount", "status", "root_cause as rootCause"])
    .where("known_issue_id", "=", issueId)
    .orderBy("timestamp", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** The newest known peak an issue was resolved into, with the e-mail of who resolved it; undefined when none. */
export async function findKnownPeakOfIssue(db: Db, issueId: number) {
  return db.kysely
    .selectFrom("known_peaks as k")
    .leftJoin("users as u", "u.id", "k.resolved_by_id")
    .select(["k.id", "k.solution", "k.resolved_at as resolvedAt", "u.email as resolvedBy"])
    .where("k.known_issue_id", "=", issueId)
    .orderBy("k.id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Pattern ids among `ids` that error_patterns does not hold. */
export async function findUnknownPatternIds(reader: Reader, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const known = await reader.errorPattern.findMany({ where: { patternHash: { in: [...ids] } }, select: { patternHash: true } });
  const knownIds = new Set(known.map((pattern) => pattern.patternHash));
  return ids.filter((id) => !knownIds.has(id));
}

/** The fields an analyst edits. */
export type KnownIssueFields = {
  title: string;
  description: string | null;
  patternIds: string[];
  regexes: string[];
  namespace: string | null;
  appName: string | null;
  link: string | null;
};

export async function insertKnownIssue(transaction: Prisma.TransactionClient, fields: KnownIssueFields & { createdById: number | null }): Promise<number> {
  return (await transaction.knownIssue.create({ data: fields, select: { id: true } })).id;
}

const issueSelect = {
  id: true,
  title: true,
  description: true,
  patternIds: true,
  regexes: true,
  namespace: true,
  appName: true,
  link: true,
  status: true,
} satisfies Prisma.KnownIssueSelect;

/** An issue's fields and status, as the transaction sees them; null when there is none. */
export function findKnownIssueFields(transaction: Prisma.TransactionClient, issueId: number) {
  return transaction.knownIssue.findUnique({ where: { id: issueId }, select: issueSelect });
}

export async function updateKnownIssueFields(transaction: Prisma.TransactionClient, issueId: number, fields: KnownIssueFields): Promise<void> {
  await transaction.knownIssue.update({ where: { id: issueId }, data: fields, select: { id: true } });
}

/**
 * Marks an active issue resolved; false when it is not active (resolved already, or missing).
 * Conditional on the status, so that two concurrent resolves cannot both succeed.
 */
export async function markKnownIssueResolved(transaction: Prisma.TransactionClient, issueId: number, resolvedAt: Date): Promise<boolean> {
  const { count } = await transaction.knownIssue.updateMany({ where: { id: issueId, status: "active" }, data: { status: "resolved", resolvedAt } });
  return count > 0;
}

export async function insertKnownPeak(
  transaction: Prisma.TransactionClient,
  peak: KnownIssueFields & { solution: string; knownIssueId: number; resolvedById: number | null; resolvedAt: Date },
): Promise<number> {
  return (await transaction.knownPeak.create({ data: peak, select: { id: true } })).id;
}

/** A stored peak's scope with what enrichment matched it by (the root causes and the first pattern of top_patterns). */
export type StoredMatchRow = Pick<Selectable<PeakInvestigation>, "id" | "namespace" | "app_name"> & { root_causes: unknown; first_pattern: unknown };

/** A peak a known issue may label, with what a preview shows of it. */
export type LabelCandidateRow = StoredMatchRow & Pick<Selectable<PeakInvestigation>, "timestamp" | "root_cause">;

/**
 * The enriched peaks from `from` to `to` in a scope (null: any), newest first, for a preview of
 * what a matcher would label. Only the root causes and the first pattern of top_patterns are read.
 */
export async function findPreviewCandidates(db: Db, scope: { from: Date; to: Date; namespace: string | null; appName: string | null }) {
  const { namespace, appName } = scope;
  return db.kysely
    .selectFrom("peak_investigation")
    .select((eb) => [
      "id",
      "timestamp",
      "namespace",
      "app_name",
      "root_cause",
      "known_issue_id",
      sql<unknown>`${eb.ref("top_patterns")}->'rootCauses'`.as("root_causes"),
      sql<unknown>`${eb.ref("top_patterns")}->'patterns'->0`.as("first_pattern"),
    ])
    .where("enriched_at", "is not", null)
    .where("top_patterns", "is not", null)
    .where("timestamp", ">=", scope.from)
    .where("timestamp", "<=", scope.to)
    .$if(namespace !== null, (query) => query.where("namespace", "=", namespace!))
    .$if(appName !== null, (query) => query.where("app_name", "=", appName!))
    .orderBy("timestamp", "desc")
    .orderBy("id", "desc")
    .execute();
}

/** The matchers of the active known issues, as the transaction sees them. */
export function findActiveIssueMatchers(
  transaction: Prisma.TransactionClient,
): Promise<{ id: number; patternIds: string[]; regexes: string[]; namespace: string | null; appName: string | null }[]> {
  return transaction.knownIssue.findMany({
    where: { status: "active" },
    select: { id: true, patternIds: true, regexes: true, namespace: true, appName: true },
  });
}

/**
 * The open, enriched peaks without a known issue in a scope (null: any), but `sourcePeakId`:
 * those a new or attached issue may label. Read in the transaction (which may have created the
 * issue), hence through Prisma rather than Kysely.
 */
export function findLabelCandidates(
  transaction: Prisma.TransactionClient,
  scope: { sourcePeakId: number | null; namespace: string | null; appName: string | null },
): Promise<LabelCandidateRow[]> {
  const conditions = ["status = 'open'", "known_issue_id IS NULL", "enriched_at IS NOT NULL", "top_patterns IS NOT NULL"];
  const parameters: unknown[] = [];
  if (scope.sourcePeakId !== null) {
    parameters.push(scope.sourcePeakId);
    conditions.push(`id <> $${parameters.length}`);
  }
  if (scope.namespace !== null) {
    parameters.push(scope.namespace);
    conditions.push(`namespace = $${parameters.length}`);
  }
  if (scope.appName !== null) {
    parameters.push(scope.appName);
    conditions.push(`app_name = $${parameters.length}`);
  }
  return transaction.$queryRawUnsafe<LabelCandidateRow[]>(
    `SELECT id, timestamp, namespace, app_name, root_cause, top_patterns->'rootCauses' AS root_causes, top_patterns->'patterns'->0 AS first_pattern
       FROM peak_investigation
      WHERE ${conditions.join(" AND ")}
      ORDER BY timestamp DESC, id DESC`,
    ...parameters,
  );
}

/**
 * Labels peaks with a known issue (status known_issue); only those still open without an issue,
 * so that a peak triaged meanwhile by someone else keeps its status. Returns those labelled.
 */
export function labelPeaksWithIssue(
  transaction: Prisma.TransactionClient,
  issueId: number,
  peakIds: readonly number[],
): Promise<Pick<Selectable<PeakInvestigation>, "id" | "timestamp" | "namespace">[]> {
  return transaction.$queryRawUnsafe(
    `UPDATE peak_investigation SET status = 'known_issue', known_issue_id = $1, updated_at = now()
      WHERE id = ANY($2::int[]) AND status = 'open' AND known_issue_id IS NULL
      RETURNING id, timestamp, namespace`,
    issueId,
    peakIds,
  );
}

/** Audit entries of one actor about several entities, in one statement (recordAudit writes one). */
export async function recordAuditEntries(
  transaction: Prisma.TransactionClient,
  actor: Actor,
  entries: readonly { action: string; entityType: string; entityId: string | number; details: Prisma.InputJsonObject }[],
): Promise<void> {
  await transaction.auditLog.createMany({
    data: entries.map((entry) => ({
      userId: actor.kind === "user" ? actor.id : null,
      actor: actorLabel(actor),
      action: entry.action,
      entityType: entry.entityType,
      entityId: String(entry.entityId),
      details: entry.details,
    })),
  });
}

import { assertRole, type Actor } from "@/lib/roles";
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import {
  createKnownIssueSchema,
  knownIssueFieldsShape,
  knownIssueIdSchema,
  listKnownIssuesSchema,
  NEEDS_A_MATCHER,
  PREVIEW_LIMIT,
  previewMatchesSchema,
  resolveKnownIssueSchema,
  updateKnownIssueSchema,
  type CreateKnownIssueInput,
  type KnownIssueStatus,
  type ListKnownIssuesInput,
  type PreviewMatchesInput,
  type ResolveKnownIssueInput,
  type UpdateKnownIssueInput,
} from "@/lib/known-issues/schema";
import { issueMatches } from "@/lib/pipeline/investigate";
import { recordAudit } from "./audit";
import { storedMatchSubject } from "./known-issue-matching";
import { readRows, type Prisma, type PrismaClient } from "./client";
import { escapeLike } from "./sql";

// ---------------------------------------------------------------------------------------------
// Input schemas live beside the dashboard's forms (they hold no server code); re-exported so
// that route handlers keep importing everything known-issue from here.

export {
  createKnownIssueSchema,
  knownIssueIdSchema,
  knownIssueRequestSchema,
  knownIssueStatuses,
  listKnownIssuesSchema,
  PREVIEW_DEFAULT_DAYS,
  PREVIEW_LIMIT,
  PREVIEW_MAX_DAYS,
  previewMatchesSchema,
  resolveKnownIssueRequestSchema,
  resolveKnownIssueSchema,
  updateKnownIssueRequestSchema,
  updateKnownIssueSchema,
} from "@/lib/known-issues/schema";
export type {
  CreateKnownIssueInput,
  ListKnownIssuesInput,
  PreviewMatchesInput,
  ResolveKnownIssueInput,
  UpdateKnownIssueInput,
} from "@/lib/known-issues/schema";

// ---------------------------------------------------------------------------------------------
// Answers. JSON-safe: times are ISO strings.

export type KnownIssueSummary = {
  id: number;
  title: string;
  description: string | null;
  patternIds: string[];
  /** Each pattern id with its current template; null when error_patterns no longer has it. */
  patterns: { patternId: string; template: string | null }[];
  regexes: string[];
  namespace: string | null;
  appName: string | null;
  link: string | null;
  status: KnownIssueStatus;
  /** E-mail of the creator; null for the command line or a deleted user. */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** Peaks labelled with this issue. */
  matchedPeaks: number;
  lastMatchedAt: string | null;
};

export type MatchedPeak = {
  id: number;
  timestamp: string;
  namespace: string;
  severity: string;
  errorCount: number;
  status: string;
  rootCause: string | null;
};

export type KnownIssueDetail = KnownIssueSummary & {
  /** Newest first, at most MAX_DETAIL_PEAKS (matchedPeaks has the full count). */
  peaks: MatchedPeak[];
  /** The resolved incident this issue became, when resolved. */
  knownPeak: { id: number; solution: string; resolvedAt: string; resolvedBy: string | null } | null;
};

export type PreviewPeak = { id: number; timestamp: string; namespace: string; rootCause: string | null; knownIssueId: number | null };
export type MatchPreview = { days: number; from: string; total: number; peaks: PreviewPeak[] };

const MAX_DETAIL_PEAKS = 100;

// ---------------------------------------------------------------------------------------------
// Queries.

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
  createdAt: true,
  updatedAt: true,
  resolvedAt: true,
  createdBy: { select: { email: true } },
} satisfies Prisma.KnownIssueSelect;

type Reader = PrismaClient | Prisma.TransactionClient;

type SummaryRow = {
  id: number;
  title: string;
  description: string | null;
  pattern_ids: string[];
  regexes: string[];
  namespace: string | null;
  app_name: string | null;
  link: string | null;
  status: KnownIssueStatus;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  /** [pattern id, template or null], in the issue's order. */
  patterns: [string, string | null][];
  matched_peaks: number;
  last_matched_at: Date | null;
};

/**
 * Known issues with their pattern templates and match counts, in one plain SQL query, active
 * first, then newest. `condition` is SQL over the issue `i` with $1… bound to `values`.
 */
async function readSummaries(prisma: PrismaClient, condition: string, values: readonly unknown[]): Promise<KnownIssueSummary[]> {
  const rows = await readRows<SummaryRow>(
    prisma,
    `SELECT i.id, i.title, i.description, i.pattern_ids, i.regexes, i.namespace, i.app_name, i.link, i.status::text AS status,
            u.email AS created_by, i.created_at, i.updated_at, i.resolved_at,
            (SELECT coalesce(json_agg(json_build_array(x.id, e.template) ORDER BY x.position), '[]')
               FROM unnest(i.pattern_ids) WITH ORDINALITY AS x(id, position) LEFT JOIN error_patterns e ON e.pattern_hash = x.id) AS patterns,
            m.matched_peaks, m.last_matched_at
       FROM known_issues i
       LEFT JOIN users u ON u.id = i.created_by_id
       CROSS JOIN LATERAL (SELECT count(*)::int AS matched_peaks, max(p.timestamp) AS last_matched_at FROM peak_investigation p WHERE p.known_issue_id = i.id) m
      WHERE ${condition}
      ORDER BY i.status, i.id DESC`,
    values,
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    description: row.description,
    patternIds: row.pattern_ids,
    patterns: row.patterns.map(([patternId, template]) => ({ patternId, template })),
    regexes: row.regexes,
    namespace: row.namespace,
    appName: row.app_name,
    link: row.link,
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    matchedPeaks: row.matched_peaks,
    lastMatchedAt: row.last_matched_at?.toISOString() ?? null,
  }));
}

/** One known issue's summary, read after the change that returns it has committed. */
async function readSummary(prisma: PrismaClient, issueId: number): Promise<KnownIssueSummary> {
  const [summary] = await readSummaries(prisma, "i.id = $1", [issueId]);
  if (!summary) throw new NotFoundError(`Known issue ${issueId} does not exist`);
  return summary;
}

/** Pattern ids among `ids` that error_patterns does not hold. */
async function findUnknownPatternIds(db: Reader, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const known = await db.errorPattern.findMany({ where: { patternHash: { in: [...ids] } }, select: { patternHash: true } });
  const knownIds = new Set(known.map((pattern) => pattern.patternHash));
  return ids.filter((id) => !knownIds.has(id));
}

function unknownPatternIdsError(unknown: readonly string[]): InvalidInputError {
  const message = `unknown pattern id${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}`;
  return new InvalidInputError(`patternIds: ${message}`, [{ path: "patternIds", message }]);
}

// ---------------------------------------------------------------------------------------------
// Domain functions.

/** Known issues, active first, then newest (viewers and above); `q` searches title, description and pattern ids. */
export async function listKnownIssues(prisma: PrismaClient, actor: Actor | null, input: ListKnownIssuesInput = {}): Promise<KnownIssueSummary[]> {
  assertRole(actor, "viewer");
  const { status, q } = parseInput(listKnownIssuesSchema, input);
  const conditions = ["TRUE"];
  const values: unknown[] = [];
  if (status) {
    values.push(status);
    conditions.push(`i.status = $${values.length}::"KnownIssueStatus"`);
  }
  if (q) {
    values.push(`%${escapeLike(q)}%`, q);
    conditions.push(`(i.title ILIKE $${values.length - 1} OR i.description ILIKE $${values.length - 1} OR $${values.length}::text = ANY(i.pattern_ids))`);
  }
  return readSummaries(prisma, conditions.join(" AND "), values);
}

/** Whether a known issue with this id exists (viewers and above): one indexed lookup, for a page to answer 404 before it streams. */
export async function hasKnownIssue(prisma: PrismaClient, actor: Actor | null, id: number): Promise<boolean> {
  assertRole(actor, "viewer");
  const issueId = parseInput(knownIssueIdSchema, id);
  return (await readRows(prisma, "SELECT 1 FROM known_issues WHERE id = $1", [issueId])).length > 0;
}

/** One known issue with the peaks it labelled, newest first (viewers and above). */
export async function getKnownIssue(prisma: PrismaClient, actor: Actor | null, id: number): Promise<KnownIssueDetail> {
  assertRole(actor, "viewer");
  const issueId = parseInput(knownIssueIdSchema, id);
  const [summary, peaks, knownPeak] = await Promise.all([
    readSummary(prisma, issueId),
    prisma.peakInvestigation.findMany({
      where: { knownIssueId: issueId },
      orderBy: [{ timestamp: "desc" }, { id: "desc" }],
      take: MAX_DETAIL_PEAKS,
      select: { id: true, timestamp: true, namespace: true, severity: true, errorCount: true, status: true, rootCause: true },
    }),
    prisma.knownPeak.findFirst({
      where: { knownIssueId: issueId },
      orderBy: { id: "desc" },
      select: { id: true, solution: true, resolvedAt: true, resolvedBy: { select: { email: true } } },
    }),
  ]);
  return {
    ...summary,
    peaks: peaks.map((peak) => ({ ...peak, timestamp: peak.timestamp.toISOString() })),
    knownPeak: knownPeak
      ? { id: knownPeak.id, solution: knownPeak.solution, resolvedAt: knownPeak.resolvedAt.toISOString(), resolvedBy: knownPeak.resolvedBy?.email ?? null }
      : null,
  };
}

/** Creates an active known issue (analysts and above); its pattern ids must exist. */
export async function createKnownIssue(prisma: PrismaClient, actor: Actor | null, input: CreateKnownIssueInput): Promise<KnownIssueSummary> {
  assertRole(actor, "analyst");
  const parsed = parseInput(createKnownIssueSchema, input);
  const fields = {
    title: parsed.title,
    description: parsed.description ?? null,
    patternIds: parsed.patternIds,
    regexes: parsed.regexes,
    namespace: parsed.namespace ?? null,
    appName: parsed.appName ?? null,
    link: parsed.link ?? null,
  };
  const issueId = await prisma.$transaction(async (transaction) => {
    const unknown = await findUnknownPatternIds(transaction, fields.patternIds);
    if (unknown.length > 0) throw unknownPatternIdsError(unknown);
    const row = await transaction.knownIssue.create({
      data: { ...fields, createdById: actor.kind === "user" ? actor.id : null },
      select: { id: true },
    });
    await recordAudit(transaction, actor, { action: "known_issue.create", entityType: "known_issue", entityId: row.id, details: fields });
    return row.id;
  });
  return readSummary(prisma, issueId);
}

type EditableField = keyof typeof knownIssueFieldsShape;
const editableFields = Object.keys(knownIssueFieldsShape) as EditableField[];

function isSameValue(left: string | string[] | null, right: string | string[] | null): boolean {
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((value, index) => value === right[index]);
  return left === right;
}

/**
 * Changes an active known issue (analysts and above). Only the given fields change; the audit
 * entry holds each changed field before and after. Nothing is written when nothing changes.
 * A resolved issue is refused: its known peak keeps the matcher it was resolved with.
 */
export async function updateKnownIssue(prisma: PrismaClient, actor: Actor | null, id: number, input: UpdateKnownIssueInput): Promise<KnownIssueSummary> {
  assertRole(actor, "analyst");
  const issueId = parseInput(knownIssueIdSchema, id);
  const parsed = parseInput(updateKnownIssueSchema, input);
  await prisma.$transaction(async (transaction) => {
    const before = await transaction.knownIssue.findUnique({ where: { id: issueId }, select: issueSelect });
    if (!before) throw new NotFoundError(`Known issue ${issueId} does not exist`);
    if (before.status === "resolved") throw new ConflictError(`Known issue ${issueId} is resolved and can no longer be changed`);

    const after = {
      title: parsed.title ?? before.title,
      description: parsed.description === undefined ? before.description : parsed.description,
      patternIds: parsed.patternIds ?? before.patternIds,
      regexes: parsed.regexes ?? before.regexes,
      namespace: parsed.namespace === undefined ? before.namespace : parsed.namespace,
      appName: parsed.appName === undefined ? before.appName : parsed.appName,
      link: parsed.link === undefined ? before.link : parsed.link,
    } satisfies Record<EditableField, string | string[] | null>;
    const changes = Object.fromEntries(
      editableFields.filter((field) => !isSameValue(before[field], after[field])).map((field) => [field, { before: before[field], after: after[field] }]),
    );
    if (Object.keys(changes).length === 0) return;

    if (after.patternIds.length === 0 && after.regexes.length === 0) {
      throw new InvalidInputError(`patternIds: ${NEEDS_A_MATCHER}`, [{ path: "patternIds", message: NEEDS_A_MATCHER }]);
    }
    // Only added ids are checked: a pattern pruned from error_patterns since must not block other edits.
    const unknown = await findUnknownPatternIds(
      transaction,
      after.patternIds.filter((patternId) => !before.patternIds.includes(patternId)),
    );
    if (unknown.length > 0) throw unknownPatternIdsError(unknown);

    await transaction.knownIssue.update({ where: { id: issueId }, data: after, select: { id: true } });
    await recordAudit(transaction, actor, { action: "known_issue.update", entityType: "known_issue", entityId: issueId, details: { changes } });
  });
  return readSummary(prisma, issueId);
}

/**
 * Resolves an active known issue (analysts and above) and keeps it as a known peak with its
 * solution, so that a later matching peak is reported as a regression. Resolving twice conflicts.
 */
export async function resolveKnownIssue(
  prisma: PrismaClient,
  actor: Actor | null,
  id: number,
  input: ResolveKnownIssueInput,
): Promise<{ issue: KnownIssueSummary; knownPeakId: number }> {
  assertRole(actor, "analyst");
  const issueId = parseInput(knownIssueIdSchema, id);
  const { solution } = parseInput(resolveKnownIssueSchema, input);
  const resolvedAt = new Date();
  const knownPeakId = await prisma.$transaction(async (transaction) => {
    // Conditional on the status, so that two concurrent resolves cannot both create a known peak.
    const { count } = await transaction.knownIssue.updateMany({ where: { id: issueId, status: "active" }, data: { status: "resolved", resolvedAt } });
    if (count === 0) {
      const existing = await transaction.knownIssue.findUnique({ where: { id: issueId }, select: { id: true } });
      if (!existing) throw new NotFoundError(`Known issue ${issueId} does not exist`);
      throw new ConflictError(`Known issue ${issueId} is already resolved`);
    }
    const row = await transaction.knownIssue.findUniqueOrThrow({ where: { id: issueId }, select: issueSelect });
    const knownPeak = await transaction.knownPeak.create({
      data: {
        title: row.title,
        description: row.description,
        solution,
        patternIds: row.patternIds,
        regexes: row.regexes,
        namespace: row.namespace,
        appName: row.appName,
        link: row.link,
        knownIssueId: issueId,
        resolvedById: actor.kind === "user" ? actor.id : null,
        resolvedAt,
      },
      select: { id: true },
    });
    await recordAudit(transaction, actor, {
      action: "known_issue.resolve",
      entityType: "known_issue",
      entityId: issueId,
      details: { knownPeakId: knownPeak.id, solution },
    });
    return knownPeak.id;
  });
  return { issue: await readSummary(prisma, issueId), knownPeakId };
}

// ---------------------------------------------------------------------------------------------
// Preview.

type PreviewRow = {
  id: number;
  timestamp: Date;
  namespace: string;
  app_name: string | null;
  root_cause: string | null;
  known_issue_id: number | null;
  root_causes: unknown;
  first_pattern: unknown;
};

/**
 * Which enriched peaks of the `days` before `now` these matchers would label (viewers and above):
 * the total and the newest PREVIEW_LIMIT. Matches like enrichment does: the stored root causes,
 * or the most frequent pattern when the window had no trace, through issueMatches.
 */
export async function previewMatches(prisma: PrismaClient, actor: Actor | null, input: PreviewMatchesInput, now: Date = new Date()): Promise<MatchPreview> {
  assertRole(actor, "viewer");
  const parsed = parseInput(previewMatchesSchema, input);
  const from = new Date(now.getTime() - parsed.days * 86_400_000);
  const answer = { days: parsed.days, from: from.toISOString() };
  if (parsed.patternIds.length === 0 && parsed.regexes.length === 0) return { ...answer, total: 0, peaks: [] };

  // Scope and time are filtered here; regexes run on RE2 in JavaScript (user-regex.ts), not in
  // SQL, so the match itself runs below on the root causes only (not the whole top_patterns document).
  const conditions = ["enriched_at IS NOT NULL", "top_patterns IS NOT NULL", "timestamp >= $1", "timestamp <= $2"];
  const parameters: unknown[] = [from, now];
  if (parsed.namespace) {
    parameters.push(parsed.namespace);
    conditions.push(`namespace = $${parameters.length}`);
  }
  if (parsed.appName) {
    parameters.push(parsed.appName);
    conditions.push(`app_name = $${parameters.length}`);
  }
  const rows = await prisma.$queryRawUnsafe<PreviewRow[]>(
    `SELECT id, timestamp, namespace, app_name, root_cause, known_issue_id,
            top_patterns->'rootCauses' AS root_causes, top_patterns->'patterns'->0 AS first_pattern
       FROM peak_investigation
      WHERE ${conditions.join(" AND ")}
      ORDER BY timestamp DESC, id DESC`,
    ...parameters,
  );

  const matcher = { id: 0, patternIds: parsed.patternIds, regexes: parsed.regexes, namespace: parsed.namespace ?? null, appName: parsed.appName ?? null };
  const matching = rows.filter((row) =>
    issueMatches(
      matcher,
      storedMatchSubject({ namespace: row.namespace, appName: row.app_name, rootCauses: row.root_causes, firstPattern: row.first_pattern }),
    ),
  );
  return {
    ...answer,
    total: matching.length,
    peaks: matching.slice(0, PREVIEW_LIMIT).map((row) => ({
      id: row.id,
      timestamp: row.timestamp.toISOString(),
      namespace: row.namespace,
      rootCause: row.root_cause,
      knownIssueId: row.known_issue_id,
    })),
  };
}

import type { Db } from "@/lib/db/client";
import {
  countKnownIssues,
  findKnownIssues,
  findKnownPeakOfIssue,
  findPeaksOfKnownIssue,
  knownIssueExists,
  type KnownIssueFilter,
  type KnownIssueRow,
} from "@/lib/db/known-issues";
import { NotFoundError, parseInput } from "@/lib/errors";
import { assertRole, type Actor } from "@/lib/roles";
import {
  knownIssueIdSchema,
  listKnownIssuesSchema,
  MAX_DETAIL_PEAKS,
  type KnownIssueDetail,
  type KnownIssuePage,
  type KnownIssueSummary,
  type ListKnownIssuesInput,
} from "./contract";

// Reading known issues: who may, what is asked, the answers' shape. The queries are
// lib/db/known-issues.ts's.

function toSummary(row: KnownIssueRow): KnownIssueSummary {
  return {
    ...row,
    patterns: row.patterns.map(([patternId, template]) => ({ patternId, template })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    lastMatchedAt: row.lastMatchedAt?.toISOString() ?? null,
  };
}

async function readSummaries(db: Db, filter: KnownIssueFilter): Promise<KnownIssueSummary[]> {
  return (await findKnownIssues(db, filter)).map(toSummary);
}

/** One known issue's summary (no role check: read after a change that returns it has committed), or NotFoundError. */
export async function readKnownIssueSummary(db: Db, issueId: number): Promise<KnownIssueSummary> {
  const [summary] = await readSummaries(db, { id: issueId });
  if (!summary) throw new NotFoundError(`Known issue ${issueId} does not exist`);
  return summary;
}

/** One page of known issues, active first, then newest (viewers and above); `q` searches as listKnownIssuesSchema says. */
export async function listKnownIssues(db: Db, actor: Actor | null, input: ListKnownIssuesInput = {}): Promise<KnownIssuePage> {
  assertRole(actor, "viewer");
  const { status, q, offset, limit } = parseInput(listKnownIssuesSchema, input);
  // An empty search searches nothing: only a given `q` filters.
  const filter = { status, q: q ? q : undefined };
  const [rows, total] = await Promise.all([findKnownIssues(db, filter, { offset, limit }), countKnownIssues(db, filter)]);
  return {
    knownIssues: rows.map(toSummary),
    total,
    offset,
    limit,
    nextOffset: offset + rows.length < total ? offset + rows.length : null,
  };
}

/** Whether a known issue with this id exists (viewers and above): one indexed lookup, for a page to answer 404 before it streams. */
export async function hasKnownIssue(db: Db, actor: Actor | null, id: number): Promise<boolean> {
  assertRole(actor, "viewer");
  return knownIssueExists(db, parseInput(knownIssueIdSchema, id));
}

/** One known issue with the peaks it labelled, newest first (viewers and above). */
export async function getKnownIssue(db: Db, actor: Actor | null, id: number): Promise<KnownIssueDetail> {
  assertRole(actor, "viewer");
  const issueId = parseInput(knownIssueIdSchema, id);
  const [summary, peaks, knownPeak] = await Promise.all([
    readKnownIssueSummary(db, issueId),
    findPeaksOfKnownIssue(db, issueId, MAX_DETAIL_PEAKS),
    findKnownPeakOfIssue(db, issueId),
  ]);
  return {
    ...summary,
    peaks: peaks.map((peak) => ({ ...peak, timestamp: peak.timestamp.toISOString() })),
    knownPeak: knownPeak ? { ...knownPeak, resolvedAt: knownPeak.resolvedAt.toISOString() } : null,
  };
}

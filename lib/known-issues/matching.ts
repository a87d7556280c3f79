import { labelIncidentsOfWindows } from "@/lib/db/incidents";
import { z } from "zod";
import type { Db, Prisma } from "@/lib/db/client";
import {
  findActiveIssueMatchers,
  findLabelCandidates,
  findPreviewCandidates,
  labelPeaksWithIssue,
  recordAuditEntries,
  type StoredMatchRow,
} from "@/lib/db/known-issues";
import { parseInput } from "@/lib/errors";
import { explainingRootCauses, findMatchingIssue, issueMatches, type IssueMatcher, type MatchSubject } from "@/lib/pipeline/investigate";
import { expandMergedIds, type PatternRuleSet } from "@/lib/pipeline/pattern-rules";
import { loadPatternRuleSet } from "@/lib/patterns/rules";
import { assertRole, type Actor } from "@/lib/roles";
import { PREVIEW_LIMIT, previewMatchesSchema, type LabelledPeak, type MatchPreview, type PreviewMatchesInput } from "./contract";

// Matching stored peaks against known issues as enrichment does (lib/pipeline's issueMatches):
// the live preview of a matcher, and labelling the other open peaks when an issue is created
// from a peak or a peak is attached to one.

/**
 * Which enriched peaks of the `days` before `now` these matchers would label (viewers and above):
 * the total and the newest PREVIEW_LIMIT. Matches like enrichment does: the stored root causes,
 * or the most frequent pattern when the window had no trace, through issueMatches.
 */
export async function previewMatches(db: Db, actor: Actor | null, input: PreviewMatchesInput, now: Date = new Date()): Promise<MatchPreview> {
  assertRole(actor, "viewer");
  const parsed = parseInput(previewMatchesSchema, input);
  const from = new Date(now.getTime() - parsed.days * 86_400_000);
  const answer = { days: parsed.days, from: from.toISOString() };
  if (parsed.patternIds.length === 0 && parsed.regexes.length === 0) return { ...answer, total: 0, peaks: [], labels: { total: 0, peaks: [] } };

  // Scope and time are filtered in SQL; regexes run on RE2 in JavaScript (user-regex.ts), not in
  // SQL, so the match itself runs here on the root causes only (not the whole top_patterns document).
  const namespace = parsed.namespace ?? null;
  const appName = parsed.appName ?? null;
  const rows = await findPreviewCandidates(db, { from, to: now, namespace, appName });

  // Merged patterns match as one (lib/pipeline/pattern-rules.ts), as in enrichment.
  const rules = await loadPatternRuleSet(db.prisma);
  const matcher = { id: UNSAVED_ISSUE_ID, patternIds: expandMergedIds(rules, parsed.patternIds), regexes: parsed.regexes, namespace, appName };
  const matching = rows.filter((row) => issueMatches(matcher, storedMatchSubject(row)));
  const labels = peaksLabelledBy(
    await findLabelCandidates(db.prisma, { sourcePeakId: null, namespace, appName }),
    matcher,
    withMergedIds(rules, await findActiveIssueMatchers(db.prisma)),
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
    labels: {
      total: labels.length,
      peaks: labels
        .slice(0, PREVIEW_LIMIT)
        .map((row) => ({ id: row.id, timestamp: row.timestamp.toISOString(), namespace: row.namespace, rootCause: row.root_cause, knownIssueId: null })),
    },
  };
}

/** Matchers with the pattern ids merged with theirs. */
function withMergedIds(rules: PatternRuleSet, matchers: IssueMatcher[]): IssueMatcher[] {
  return rules.mergedInto.size === 0 ? matchers : matchers.map((matcher) => ({ ...matcher, patternIds: expandMergedIds(rules, matcher.patternIds) }));
}

/**
 * The id a matcher not saved yet stands in with: larger than any saved issue's, as its id will
 * be, so that findMatchingIssue's last tie-break (the oldest id first) treats it as it will then.
 */
const UNSAVED_ISSUE_ID = Number.MAX_SAFE_INTEGER;

/**
 * The candidates an issue labels: those whose most specific matching active issue
 * (findMatchingIssue) is this one. The preview and the labelling both decide with it, so that a
 * new issue labels exactly the open peaks its preview listed.
 */
function peaksLabelledBy<Row extends StoredMatchRow>(rows: readonly Row[], issue: IssueMatcher, activeIssues: readonly IssueMatcher[]): Row[] {
  const matchers = [...activeIssues.filter((active) => active.id !== issue.id), issue];
  return rows.filter((row) => findMatchingIssue(matchers, storedMatchSubject(row))?.id === issue.id);
}

/** A pattern as stored in top_patterns; other fields are ignored, a damaged entry is skipped. */
const storedPatternSchema = z.object({ patternId: z.string(), template: z.string(), example: z.string(), share: z.number().optional() });

function readStoredPatterns(value: unknown): (MatchSubject["patterns"][number] & { share?: number })[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const parsed = storedPatternSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * What enrichment matched a stored peak by: its root-cause patterns, or its most frequent
 * pattern when the window had no trace (`root_causes` and `first_pattern` as read from top_patterns).
 */
export function storedMatchSubject(peak: { namespace: string; app_name: string | null; root_causes: unknown; first_pattern: unknown }): MatchSubject {
  const rootCauses = explainingRootCauses(readStoredPatterns(peak.root_causes));
  return { namespace: peak.namespace, app: peak.app_name, patterns: rootCauses.length > 0 ? rootCauses : readStoredPatterns([peak.first_pattern]) };
}

/**
 * Labels the other open peaks of this known issue at once, as the next enrichment would have:
 * every open, enriched peak without a known issue (but `sourcePeakId`) whose stored root cause
 * the issue matches, when no more specific active issue matches it first (findMatchingIssue).
 * Each gets status known_issue and the issue, and an audit entry naming the source peak. Call it
 * in the transaction that created or attached the issue. Returns the peaks labelled, oldest first.
 */
export async function labelMatchingPeaks(
  transaction: Prisma.TransactionClient,
  actor: Actor,
  issue: { id: number; title: string },
  sourcePeakId: number | null,
): Promise<LabelledPeak[]> {
  const candidates: IssueMatcher[] = withMergedIds(await loadPatternRuleSet(transaction), await findActiveIssueMatchers(transaction));
  const matcher = candidates.find((candidate) => candidate.id === issue.id);
  if (!matcher) return [];

  // Scope is filtered in SQL; the match itself (RE2 regexes, user-regex.ts) runs here on the root causes only.
  const rows = await findLabelCandidates(transaction, { sourcePeakId, namespace: matcher.namespace, appName: matcher.appName });
  const ids = peaksLabelledBy(rows, matcher, candidates).map((row) => row.id);
  if (ids.length === 0) return [];

  const labelled = await labelPeaksWithIssue(transaction, issue.id, ids);
  // An incident is triaged as a whole: the incidents of the labelled windows become known with them.
  await labelIncidentsOfWindows(
    transaction,
    issue.id,
    labelled.map((peak) => peak.id),
    sourcePeakId,
  );
  labelled.sort((left, right) => left.timestamp.getTime() - right.timestamp.getTime() || left.id - right.id);
  await recordAuditEntries(
    transaction,
    actor,
    labelled.map((peak) => ({
      action: "peak.label_matching",
      entityType: "peak",
      entityId: peak.id,
      details: { from: "open", to: "known_issue", knownIssueId: issue.id, title: issue.title, sourcePeakId },
    })),
  );
  return labelled.map((peak) => ({ id: peak.id, timestamp: peak.timestamp.toISOString(), namespace: peak.namespace }));
}

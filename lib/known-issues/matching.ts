import type { Db } from "@/lib/db/client";
import { findPreviewCandidates } from "@/lib/db/known-issues";
import { storedMatchSubject } from "@/lib/db/known-issue-matching";
import { parseInput } from "@/lib/errors";
import { issueMatches } from "@/lib/pipeline/investigate";
import { assertRole, type Actor } from "@/lib/roles";
import { PREVIEW_LIMIT, previewMatchesSchema, type MatchPreview, type PreviewMatchesInput } from "./contract";

// Matching stored peaks against known issues as enrichment does (lib/pipeline's issueMatches):
// the live preview of a matcher. Labelling the other open peaks when an issue is created from
// a peak or a peak is attached to one is labelMatchingPeaks, in lib/db/known-issue-matching.ts
// for now (see there).

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
  if (parsed.patternIds.length === 0 && parsed.regexes.length === 0) return { ...answer, total: 0, peaks: [] };

  // Scope and time are filtered in SQL; regexes run on RE2 in JavaScript (user-regex.ts), not in
  // SQL, so the match itself runs here on the root causes only (not the whole top_patterns document).
  const namespace = parsed.namespace ?? null;
  const appName = parsed.appName ?? null;
  const rows = await findPreviewCandidates(db, { from, to: now, namespace, appName });

  const matcher = { id: 0, patternIds: parsed.patternIds, regexes: parsed.regexes, namespace, appName };
  const matching = rows.filter((row) => issueMatches(matcher, storedMatchSubject(row)));
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

import { z } from "zod";
import { findMatchingIssue, type IssueMatcher, type MatchSubject } from "@/lib/pipeline/investigate";
import type { Actor } from "@/lib/roles";
import type { Prisma } from "./client";
import { findActiveIssueMatchers, findLabelCandidates, labelPeaksWithIssue, recordAuditEntries } from "./known-issues";

// A use case parked in lib/db: labelling the peaks a known issue matches calls lib/pipeline and
// decides audit entries, so it belongs to lib/known-issues/matching.ts. It stays here while its
// callers (the peak triage's use cases, lib/db/peak-triage.ts) are in lib/db: lib/db importing
// lib/known-issues while lib/known-issues imports lib/db would be a cycle between the folders.
// Move it beside previewMatches once peak-triage's use cases have left lib/db.

/** A pattern as stored in top_patterns; other fields are ignored, a damaged entry is skipped. */
const storedPatternSchema = z.object({ patternId: z.string(), template: z.string(), example: z.string() });

function readStoredPatterns(value: unknown): MatchSubject["patterns"] {
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
  const rootCauses = readStoredPatterns(peak.root_causes);
  return { namespace: peak.namespace, app: peak.app_name, patterns: rootCauses.length > 0 ? rootCauses : readStoredPatterns([peak.first_pattern]) };
}

export type LabelledPeak = { id: number; timestamp: string; namespace: string };

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
  sourcePeakId: number,
): Promise<LabelledPeak[]> {
  const candidates: IssueMatcher[] = await findActiveIssueMatchers(transaction);
  const matcher = candidates.find((candidate) => candidate.id === issue.id);
  if (!matcher) return [];

  // Scope is filtered in SQL; the match itself (RE2 regexes, user-regex.ts) runs here on the root causes only.
  const rows = await findLabelCandidates(transaction, { sourcePeakId, namespace: matcher.namespace, appName: matcher.appName });
  const ids = rows.filter((row) => findMatchingIssue(candidates, storedMatchSubject(row))?.id === issue.id).map((row) => row.id);
  if (ids.length === 0) return [];

  const labelled = await labelPeaksWithIssue(transaction, issue.id, ids);
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

import { z } from "zod";
import { actorLabel, type Actor } from "@/lib/roles";
import { findMatchingIssue, type IssueMatcher, type MatchSubject } from "@/lib/pipeline/investigate";
import type { Prisma } from "./client";

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
 * pattern when the window had no trace (`rootCauses` and `firstPattern` as read from top_patterns).
 */
export function storedMatchSubject(peak: { namespace: string; appName: string | null; rootCauses: unknown; firstPattern: unknown }): MatchSubject {
  const rootCauses = readStoredPatterns(peak.rootCauses);
  return { namespace: peak.namespace, app: peak.appName, patterns: rootCauses.length > 0 ? rootCauses : readStoredPatterns([peak.firstPattern]) };
}

export type LabelledPeak = { id: number; timestamp: string; namespace: string };

type CandidateRow = { id: number; namespace: string; app_name: string | null; root_causes: unknown; first_pattern: unknown };

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
  const candidates: IssueMatcher[] = await transaction.knownIssue.findMany({
    where: { status: "active" },
    select: { id: true, patternIds: true, regexes: true, namespace: true, appName: true },
  });
  const matcher = candidates.find((candidate) => candidate.id === issue.id);
  if (!matcher) return [];

  // Scope is filtered here; the match itself (RE2 regexes, user-regex.ts) runs below on the root causes only.
  const conditions = ["status = 'open'", "known_issue_id IS NULL", "enriched_at IS NOT NULL", "top_patterns IS NOT NULL", "id <> $1"];
  const parameters: unknown[] = [sourcePeakId];
  if (matcher.namespace !== null) {
    parameters.push(matcher.namespace);
    conditions.push(`namespace = $${parameters.length}`);
  }
  if (matcher.appName !== null) {
    parameters.push(matcher.appName);
    conditions.push(`app_name = $${parameters.length}`);
  }
  const rows = await transaction.$queryRawUnsafe<CandidateRow[]>(
    `SELECT id, namespace, app_name, top_patterns->'rootCauses' AS root_causes, top_patterns->'patterns'->0 AS first_pattern
       FROM peak_investigation
      WHERE ${conditions.join(" AND ")}`,
    ...parameters,
  );
  const ids = rows
    .filter(
      (row) =>
        findMatchingIssue(
          candidates,
          storedMatchSubject({ namespace: row.namespace, appName: row.app_name, rootCauses: row.root_causes, firstPattern: row.first_pattern }),
        )?.id === issue.id,
    )
    .map((row) => row.id);
  if (ids.length === 0) return [];

  // Conditional again on the update, so that a peak triaged meanwhile by someone else keeps its status.
  const labelled = await transaction.$queryRawUnsafe<{ id: number; timestamp: Date; namespace: string }[]>(
    `UPDATE peak_investigation SET status = 'known_issue', known_issue_id = $1, updated_at = now()
      WHERE id = ANY($2::int[]) AND status = 'open' AND known_issue_id IS NULL
      RETURNING id, timestamp, namespace`,
    issue.id,
    ids,
  );
  labelled.sort((left, right) => left.timestamp.getTime() - right.timestamp.getTime() || left.id - right.id);
  await transaction.auditLog.createMany({
    data: labelled.map((peak) => ({
      userId: actor.kind === "user" ? actor.id : null,
      actor: actorLabel(actor),
      action: "peak.label_matching",
      entityType: "peak",
      entityId: String(peak.id),
      details: { from: "open", to: "known_issue", knownIssueId: issue.id, title: issue.title, sourcePeakId },
    })),
  });
  return labelled.map((peak) => ({ id: peak.id, timestamp: peak.timestamp.toISOString(), namespace: peak.namespace }));
}

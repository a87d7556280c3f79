import type { Db } from "./client";

// The reads of the first start's triage of the sample data set (lib/jobs/first-start.ts).

/** Every peak with what choosing the sample's examples needs, oldest first. */
export async function findPeaksForSampleTriage(db: Db) {
  return db.kysely
    .selectFrom("peak_investigation")
    .select([
      "id",
      "incident_id as incidentId",
      "namespace",
      "timestamp",
      "status",
      "error_count as errorCount",
      "baseline_mean as baselineMean",
      "root_cause as rootCause",
      "known_issue_id as knownIssueId",
      "top_patterns as topPatterns",
      "enriched_at as enrichedAt",
    ])
    .orderBy("timestamp")
    .orderBy("namespace")
    .orderBy("id")
    .execute();
}

/** How many known issues and known peaks exist: the first start adds its examples only to a catalogue without any. */
export async function countCatalogue(db: Db): Promise<{ knownIssues: number; knownPeaks: number }> {
  const [issues, peaks] = await Promise.all([
    db.kysely
      .selectFrom("known_issues")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow(),
    db.kysely
      .selectFrom("known_peaks")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow(),
  ]);
  return { knownIssues: Number(issues.count), knownPeaks: Number(peaks.count) };
}

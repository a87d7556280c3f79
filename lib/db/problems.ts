import { sql, type SqlBool } from "kysely";
import type { Db } from "./client";

// The problems' queries, all reads through Kysely: peak windows grouped by root-cause pattern (as
// shown, after analysts' merges: error_patterns.merged_into) and error type. Only the period asked
// for and the one before it are read (the timestamp index); windows are summed per incident here,
// and lib/pipeline/problems.ts makes problems of those sums.

/** The period read: from `previousFrom` to `to`, split at `from`; start inclusive, end exclusive. */
export type ProblemPeriodRange = { previousFrom: Date; from: Date; to: Date };

export type ProblemFactFilter = ProblemPeriodRange & {
  /** The error type of a window without one (the classifier's word for no match). */
  unclassified: string;
  /** One problem only: the windows of these root-cause patterns (a pattern and those merged into it) with this error type. */
  only?: { patternIds: readonly string[]; errorType: string };
};

/** One incident's windows of one problem in one of the two periods; windows not in an incident yet come one per row (incidentId null). */
export type ProblemFactRow = {
  patternId: string;
  errorType: string;
  incidentId: number | null;
  namespace: string;
  isCurrent: boolean;
  /** Starts of the first and last of these windows, UTC ms. */
  firstWindowMs: number;
  lastWindowMs: number;
  windows: number;
  errors: number;
  /** The app of each window that has one (repeats included). */
  apps: string[];
  /** The known issue of each window that has one (repeats included). */
  knownIssueIds: number[];
  /** The highest window id: the window detected last. */
  latestWindowId: number;
};

/** A fact as the query writes it in JSON: the fields of ProblemFactRow in order. */
type FactTuple = [string, string, number | null, string, boolean, number, number, number, number, string[] | null, number[] | null, number];

/**
 * The investigated peak windows of the period and the one before, summed per problem, incident
 * and period. Windows without a root-cause pattern (not investigated yet) are left out, and so
 * are false positives (an analyst found no problem in them). The sums
 * come back as one JSON text: a year's period is thousands of them, which as rows cost the
 * driver more than the query (parsing each row and its times).
 */
export async function findProblemIncidentFacts(db: Db, filter: ProblemFactFilter): Promise<ProblemFactRow[]> {
  const { only } = filter;
  const result = await db.kysely
    .with("f", (query) =>
      query
        .selectFrom("peak_investigation as p")
        .leftJoin("error_patterns as e", "e.pattern_hash", "p.root_cause_pattern_id")
        .select((eb) => [
          sql<string>`COALESCE(${eb.ref("e.merged_into")}, ${eb.ref("p.root_cause_pattern_id")})`.as("pattern_id"),
          sql<string>`COALESCE(${eb.ref("p.error_type")}, ${filter.unclassified}::text)`.as("error_type"),
          "p.incident_id",
          "p.namespace",
          sql<boolean>`(${eb.ref("p.timestamp")} >= ${filter.from})`.as("is_current"),
          eb.fn.min("p.timestamp").as("first_window"),
          eb.fn.max("p.timestamp").as("last_window"),
          eb.fn.countAll<string>().as("windows"),
          sql<string>`SUM(${eb.ref("p.error_count")})`.as("errors"),
          // Neither DISTINCT nor ORDER BY inside an aggregate: either makes the database sort every window.
          sql<string[] | null>`array_agg(${eb.ref("p.app_name")}) FILTER (WHERE ${eb.ref("p.app_name")} IS NOT NULL)`.as("apps"),
          sql<number[] | null>`array_agg(${eb.ref("p.known_issue_id")}) FILTER (WHERE ${eb.ref("p.known_issue_id")} IS NOT NULL)`.as("known_issue_ids"),
          eb.fn.max("p.id").as("latest_window_id"),
        ])
        .where("p.root_cause_pattern_id", "is not", null)
        .where("p.status", "!=", "false_positive")
        .where("p.timestamp", ">=", filter.previousFrom)
        .where("p.timestamp", "<", filter.to)
        .$if(only !== undefined, (inner) =>
          inner
            .where((eb) => sql<SqlBool>`${eb.ref("p.root_cause_pattern_id")} = ANY(${[...only!.patternIds]}::text[])`)
            .where((eb) => sql<SqlBool>`COALESCE(${eb.ref("p.error_type")}, ${filter.unclassified}::text) = ${only!.errorType}`),
        )
        // By position: the selected expressions hold parameters, which a repeated expression would not match.
        .groupBy(sql`1, 2, 3, 4, 5, CASE WHEN p.incident_id IS NULL THEN p.id END`),
    )
    .selectFrom("f")
    .select((eb) =>
      sql<string>`COALESCE(json_agg(json_build_array(${eb.ref("f.pattern_id")}, ${eb.ref("f.error_type")}, ${eb.ref("f.incident_id")}, ${eb.ref("f.namespace")},
        ${eb.ref("f.is_current")}, (extract(epoch FROM ${eb.ref("f.first_window")}) * 1000)::bigint, (extract(epoch FROM ${eb.ref("f.last_window")}) * 1000)::bigint,
        ${eb.ref("f.windows")}, ${eb.ref("f.errors")}, ${eb.ref("f.apps")}, ${eb.ref("f.known_issue_ids")}, ${eb.ref("f.latest_window_id")})), '[]')::text`.as(
        "facts",
      ),
    )
    .executeTakeFirst();
  const tuples = JSON.parse(result?.facts ?? "[]") as FactTuple[];
  return tuples.map(
    ([patternId, errorType, incidentId, namespace, isCurrent, firstWindowMs, lastWindowMs, windows, errors, apps, knownIssueIds, latestWindowId]) => ({
      patternId,
      errorType,
      incidentId,
      namespace,
      isCurrent,
      firstWindowMs,
      lastWindowMs,
      windows,
      errors,
      apps: apps ?? [],
      knownIssueIds: knownIssueIds ?? [],
      latestWindowId,
    }),
  );
}

/** Peak windows of the period (from `from` to `to`) without a root-cause pattern, false positives aside: not investigated yet, so in no problem. */
export async function countWindowsWithoutRootCause(db: Db, range: { from: Date; to: Date }): Promise<number> {
  const row = await db.kysely
    .selectFrom("peak_investigation")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("root_cause_pattern_id", "is", null)
    .where("status", "!=", "false_positive")
    .where("timestamp", ">=", range.from)
    .where("timestamp", "<", range.to)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** The stored template of each of the patterns that is still kept (retention deletes patterns long unseen). */
export async function findPatternTemplates(db: Db, patternIds: readonly string[]): Promise<Map<string, string>> {
  if (patternIds.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom("error_patterns")
    .select(["pattern_hash", "template"])
    .where((eb) => sql<SqlBool>`${eb.ref("pattern_hash")} = ANY(${[...patternIds]}::text[])`)
    .execute();
  return new Map(rows.map((row) => [row.pattern_hash, row.template]));
}

/**
 * Each problem's template, by problem id: its pattern's as stored, else, for a pattern retention
 * deleted, the template its newest window's investigation stored; null when neither is kept.
 */
export async function findProblemTemplates(
  db: Db,
  problems: readonly { id: string; patternId: string; latestWindowId: number }[],
): Promise<Map<string, string | null>> {
  const stored = await findPatternTemplates(db, [...new Set(problems.map((problem) => problem.patternId))]);
  const unkept = problems.filter((problem) => !stored.has(problem.patternId));
  const fromWindows =
    unkept.length === 0
      ? new Map<number, { storedTemplate: string | null }>()
      : await findWindowRootCauses(
          db,
          unkept.map((problem) => problem.latestWindowId),
          new Set(unkept.map((problem) => problem.latestWindowId)),
        );
  return new Map(problems.map((problem) => [problem.id, stored.get(problem.patternId) ?? fromWindows.get(problem.latestWindowId)?.storedTemplate ?? null]));
}

/**
 * Each window's root-cause message (its example) and, when asked, the root cause's template as
 * its investigation stored it (for a pattern retention deleted): the first root cause's, else the
 * first pattern's, as the root-cause pattern id was chosen.
 */
export async function findWindowRootCauses(
  db: Db,
  windowIds: readonly number[],
  storedTemplateOf: ReadonlySet<number> = new Set(),
): Promise<Map<number, { example: string | null; storedTemplate: string | null }>> {
  if (windowIds.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom("peak_investigation as p")
    .select((eb) => [
      "p.id",
      "p.root_cause",
      // Read only where asked: top_patterns is the row's largest value.
      sql<string | null>`CASE WHEN ${eb.ref("p.id")} = ANY(${[...storedTemplateOf]}::int[])
        THEN COALESCE(${eb.ref("p.top_patterns")} #>> '{rootCauses,0,template}', ${eb.ref("p.top_patterns")} #>> '{patterns,0,template}') END`.as(
        "stored_template",
      ),
    ])
    .where((eb) => sql<SqlBool>`${eb.ref("p.id")} = ANY(${[...windowIds]}::int[])`)
    .execute();
  return new Map(rows.map((row) => [row.id, { example: row.root_cause, storedTemplate: row.stored_template }]));
}

/** Known issues by id: title and status. */
export async function findKnownIssueNames(db: Db, ids: readonly number[]): Promise<Map<number, { id: number; title: string; status: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom("known_issues")
    .select(["id", "title", "status"])
    .where((eb) => sql<SqlBool>`${eb.ref("id")} = ANY(${[...ids]}::int[])`)
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** A stored pattern as a problem's page shows it, with where it shows (merged_into) and the patterns shown under it; null when not kept. */
export async function findProblemPattern(
  db: Db,
  patternId: string,
): Promise<{ template: string; examples: string[]; mergedInto: string | null; mergedFrom: string[] } | null> {
  const [row, members] = await Promise.all([
    db.kysely.selectFrom("error_patterns").select(["template", "example_messages", "merged_into"]).where("pattern_hash", "=", patternId).executeTakeFirst(),
    db.kysely.selectFrom("error_patterns").select("pattern_hash").where("merged_into", "=", patternId).orderBy("pattern_hash").execute(),
  ]);
  if (!row) return null;
  return { template: row.template, examples: row.example_messages, mergedInto: row.merged_into, mergedFrom: members.map((member) => member.pattern_hash) };
}

/** The first and last window ever of a problem's root-cause patterns with its error type (false positives aside), and how many; null when there is none. */
export async function findProblemSpan(
  db: Db,
  problem: { patternIds: readonly string[]; errorType: string; unclassified: string },
): Promise<{ firstWindow: Date; lastWindow: Date; windows: number } | null> {
  const row = await db.kysely
    .selectFrom("peak_investigation as p")
    .select((eb) => [eb.fn.min("p.timestamp").as("first_window"), eb.fn.max("p.timestamp").as("last_window"), eb.fn.countAll<string>().as("windows")])
    .where((eb) => sql<SqlBool>`${eb.ref("p.root_cause_pattern_id")} = ANY(${[...problem.patternIds]}::text[])`)
    .where((eb) => sql<SqlBool>`COALESCE(${eb.ref("p.error_type")}, ${problem.unclassified}::text) = ${problem.errorType}`)
    .where("p.status", "!=", "false_positive")
    .executeTakeFirst();
  if (!row || row.first_window === null || row.last_window === null) return null;
  return { firstWindow: row.first_window, lastWindow: row.last_window, windows: Number(row.windows) };
}

/** Incidents by id, as a problem's timeline shows them. */
export function findIncidentsOfProblem(db: Db, incidentIds: readonly number[]) {
  if (incidentIds.length === 0) return Promise.resolve([]);
  return db.kysely
    .selectFrom("incidents")
    .select(["id", "namespace", "started_at", "last_window_at", "ended_at", "status"])
    .where((eb) => sql<SqlBool>`${eb.ref("id")} = ANY(${[...incidentIds]}::int[])`)
    .execute();
}

/**
 * The active known issues recognised by any of the patterns, in every namespace or in one of
 * `namespaces`, oldest first: what a problem's root cause is known as already, whether or not its
 * windows carry the issue.
 */
export function findActiveKnownIssuesOfPatterns(
  db: Db,
  patternIds: readonly string[],
  namespaces: readonly string[],
): Promise<{ id: number; title: string }[]> {
  if (patternIds.length === 0) return Promise.resolve([]);
  return db.kysely
    .selectFrom("known_issues")
    .select(["id", "title"])
    .where("status", "=", "active")
    .where((eb) => sql<SqlBool>`${eb.ref("pattern_ids")} && ${[...patternIds]}::text[]`)
    .where((eb) => eb.or([eb("namespace", "is", null), sql<SqlBool>`${eb.ref("namespace")} = ANY(${[...namespaces]}::text[])`]))
    .orderBy("id")
    .execute();
}

import { expressionBuilder, sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import { z } from "zod";
import type { Db } from "./client";
import type { DB } from "./generated/kysely/types";
import { effectivePatterns, findMergedMembers } from "./pattern-rules";
import { escapeLike } from "./sql";

// The error patterns' queries, all reads through Kysely. Role checks, input parsing, series and
// trends are lib/patterns's.

/** error_patterns.namespace_occurrences: occurrences per namespace, { "<namespace>": count }. Written by lib/db/investigation.ts. */
export const namespaceOccurrencesSchema = z.record(z.string(), z.number());
export type NamespaceOccurrences = z.infer<typeof namespaceOccurrencesSchema>;

/** error_patterns.namespace_first_windows: the earliest counted window per namespace, { "<namespace>": window start, UTC ms }. Written by lib/db/investigation.ts. */
export const namespaceFirstWindowsSchema = z.record(z.string(), z.number());
export type NamespaceFirstWindows = z.infer<typeof namespaceFirstWindowsSchema>;

// peak_pattern_ids(top_patterns): the ids of a peak's top patterns and root causes, as text[],
// indexed with GIN (migration 0006). Queries must use this very expression to use the index.
function peakPatternIds(topPatterns: Expression<unknown>): RawBuilder<string[]> {
  return sql<string[]>`peak_pattern_ids(${topPatterns})`;
}

const patternsTable = expressionBuilder<DB & { e: DB["error_patterns"] }, "e">();
const trendTable = expressionBuilder<DB & { t: { change: string; current: string } }, "t">();

export type PatternPageFilter = {
  /** Case-insensitive part of the template or error type, or the start of the pattern id. */
  q?: string;
  /** Counts, order and trend sums of this namespace only; null for all. */
  namespace: string | null;
  errorType?: string;
  sort: "last_seen" | "first_seen" | "occurrences" | "trend";
  /** The trend window's UTC days (YYYY-MM-DD): the window from `from` to `to`, the one before from `previousFrom`. */
  window: { previousFrom: string; from: string; to: string };
  limit: number;
  offset: number;
};

export type PatternPageRow = {
  hash: string;
  template: string;
  errorType: string | null;
  firstSeen: Date;
  lastSeen: Date;
  namespaces: string[];
  /** All time, or the namespace's when the page is of one. */
  occurrences: number;
};

/**
 * A page of error patterns with the total matching the filters, in one query. Sorting by trend
 * ranks by the change of the window against the one before (largest rise first).
 */
export async function findPatternPage(db: Db, filter: PatternPageFilter): Promise<{ total: number; patterns: PatternPageRow[] }> {
  const e = patternsTable;
  const { namespace } = filter;
  const conditions: Expression<SqlBool>[] = [];
  if (filter.q) {
    const contains = `%${escapeLike(filter.q)}%`;
    conditions.push(e.or([e("e.template", "ilike", contains), e("e.error_type", "ilike", contains), e("e.pattern_hash", "ilike", `${escapeLike(filter.q)}%`)]));
  }
  if (namespace) conditions.push(sql<SqlBool>`${namespace}::text = ANY(${e.ref("e.namespaces")})`);
  if (filter.errorType) conditions.push(e("e.error_type", "=", filter.errorType));
  // A merged-away pattern is listed under the one it went into.
  conditions.push(e("e.merged_into", "is", null));
  // With a namespace, its own count from namespace_occurrences ranks and shows.
  const occurrences =
    namespace === null ? e.ref("e.occurrences") : sql<string>`COALESCE((${e.ref("e.namespace_occurrences")} ->> ${namespace}::text)::bigint, 0)`;

  const patterns = db.kysely
    .selectFrom(effectivePatterns(db).as("e"))
    .select([
      "e.pattern_hash",
      "e.template",
      "e.error_type",
      "e.first_seen",
      "e.last_seen",
      "e.namespaces",
      sql<number>`(${occurrences})::float8`.as("occurrences"),
    ])
    .$if(conditions.length > 0, (query) => query.where(e.and(conditions)));
  const { from, to, previousFrom } = filter.window;
  const page = (() => {
    switch (filter.sort) {
      case "last_seen":
        return patterns.orderBy("e.last_seen", "desc").orderBy("e.pattern_hash");
      case "first_seen":
        return patterns.orderBy("e.first_seen", "desc").orderBy("e.pattern_hash");
      case "occurrences":
        return patterns.orderBy(occurrences, "desc").orderBy("e.last_seen", "desc").orderBy("e.pattern_hash");
      case "trend": {
        // Only this order needs every pattern's window sums; the others read the page's alone.
        // Summed under the pattern each row shows under (merges).
        const sums = db.kysely
          .selectFrom("pattern_daily_counts as d")
          .innerJoin("error_patterns as p", "p.pattern_hash", "d.pattern_hash")
          .select((eb) => {
            const current = sql<string>`COALESCE(sum(${eb.ref("d.occurrences")}) FILTER (WHERE ${eb.ref("d.day")} >= ${from}::date), 0)`;
            return [
              sql<string>`COALESCE(${eb.ref("p.merged_into")}, ${eb.ref("d.pattern_hash")})`.as("pattern_hash"),
              sql<string>`${current} - COALESCE(sum(${eb.ref("d.occurrences")}) FILTER (WHERE ${eb.ref("d.day")} < ${from}::date), 0)`.as("change"),
              current.as("current"),
            ];
          })
          .where("d.day", ">=", sql<Date>`${previousFrom}::date`)
          .where("d.day", "<=", sql<Date>`${to}::date`)
          .$if(namespace !== null, (query) => query.where("d.namespace", "=", namespace ?? ""))
          .groupBy(sql`COALESCE(p.merged_into, d.pattern_hash)`);
        const t = trendTable;
        return patterns
          .leftJoin(sums.as("t"), "t.pattern_hash", "e.pattern_hash")
          .orderBy(sql`COALESCE(${t.ref("t.change")}, 0)`, "desc")
          .orderBy(sql`COALESCE(${t.ref("t.current")}, 0)`, "desc")
          .orderBy("e.last_seen", "desc")
          .orderBy("e.pattern_hash");
      }
    }
  })()
    .limit(filter.limit)
    .offset(filter.offset);

  // The count drives the join, so that a page past the end still carries the total (its row
  // then has no pattern).
  const rows = await db.kysely
    .selectFrom(
      db.kysely
        .selectFrom(effectivePatterns(db).as("e"))
        .select(sql<number>`count(*)::int`.as("total"))
        .$if(conditions.length > 0, (query) => query.where(e.and(conditions)))
        .as("c"),
    )
    .leftJoinLateral(page.as("page"), (join) => join.onTrue())
    .select(["c.total", "page.pattern_hash", "page.template", "page.error_type", "page.first_seen", "page.last_seen", "page.namespaces", "page.occurrences"])
    .execute();
  return {
    total: rows[0]?.total ?? 0,
    patterns: rows.flatMap((row) =>
      row.pattern_hash === null ||
      row.template === null ||
      row.first_seen === null ||
      row.last_seen === null ||
      row.namespaces === null ||
      row.occurrences === null
        ? []
        : [
            {
              hash: row.pattern_hash,
              template: row.template,
              errorType: row.error_type,
              firstSeen: row.first_seen,
              lastSeen: row.last_seen,
              namespaces: row.namespaces,
              occurrences: row.occurrences,
            },
          ],
    ),
  };
}

/**
 * Daily occurrences of the patterns from `from` to `to` (UTC days, YYYY-MM-DD, included), in one
 * namespace or all: pattern → day → count. `mergedMembers`: the patterns merged into each of
 * `hashes` (root → members), when the caller has read them already; read here otherwise.
 */
export async function findDailyCounts(
  db: Db,
  hashes: readonly string[],
  from: string,
  to: string,
  namespace: string | null,
  mergedMembers?: ReadonlyMap<string, readonly string[]>,
): Promise<Map<string, Map<string, number>>> {
  const byPattern = new Map<string, Map<string, number>>();
  if (hashes.length === 0) return byPattern;
  // A pattern's counts include those of the patterns merged into it.
  const rootOf = new Map(hashes.map((hash) => [hash, hash]));
  for (const [root, members] of mergedMembers ?? (await findMergedMembers(db, hashes))) for (const member of members) rootOf.set(member, root);
  const rows = await db.kysely
    .selectFrom("pattern_daily_counts as d")
    .select((eb) => [
      "d.pattern_hash",
      sql<string>`to_char(${eb.ref("d.day")}, 'YYYY-MM-DD')`.as("day"),
      sql<number>`sum(${eb.ref("d.occurrences")})::float8`.as("occurrences"),
    ])
    .where((eb) => sql<SqlBool>`${eb.ref("d.pattern_hash")} = ANY(${[...rootOf.keys()]}::text[])`)
    .where("d.day", ">=", sql<Date>`${from}::date`)
    .where("d.day", "<=", sql<Date>`${to}::date`)
    .$if(namespace !== null, (query) => query.where("d.namespace", "=", namespace ?? ""))
    .groupBy(["d.pattern_hash", "d.day"])
    .execute();
  for (const row of rows) {
    const root = rootOf.get(row.pattern_hash) ?? row.pattern_hash;
    let days = byPattern.get(root);
    if (!days) byPattern.set(root, (days = new Map()));
    days.set(row.day, (days.get(row.day) ?? 0) + row.occurrences);
  }
  return byPattern;
}

/** Every namespace and error type of the stored patterns, sorted. */
export async function findPatternFilterValues(db: Db): Promise<{ namespaces: string[]; errorTypes: string[] }> {
  const rows = await db.kysely
    .selectFrom("error_patterns")
    .distinct()
    .select((eb) => [sql<string>`'namespace'`.as("kind"), sql<string>`unnest(${eb.ref("namespaces")})`.as("value")])
    .union(
      db.kysely
        .selectFrom("error_patterns")
        .distinct()
        .select([sql<string>`'errorType'`.as("kind"), "error_type as value"])
        .where("error_type", "is not", null)
        .$narrowType<{ value: string }>(),
    )
    .orderBy("kind")
    .orderBy("value")
    .execute();
  return {
    namespaces: rows.filter((row) => row.kind === "namespace").map((row) => row.value),
    errorTypes: rows.filter((row) => row.kind === "errorType").map((row) => row.value),
  };
}

/** How many peaks list each pattern among their top patterns or root causes, in one query. */
export async function countPeaksOfPatterns(db: Db, hashes: readonly string[]): Promise<Map<string, number>> {
  if (hashes.length === 0) return new Map();
  // Each pattern with the patterns merged into it: (shown, stored) pairs; a peak counts once per shown pattern.
  const pairs: [string, string][] = hashes.map((hash) => [hash, hash]);
  for (const [root, members] of await findMergedMembers(db, hashes)) for (const member of members) pairs.push([root, member]);
  const rows = await db.kysely
    .selectFrom(
      sql<{ hash: string; stored: string }>`unnest(${pairs.map(([hash]) => hash)}::text[], ${pairs.map(([, stored]) => stored)}::text[])`.as<"h">(
        sql`h(hash, stored)`,
      ),
    )
    .innerJoin("peak_investigation as p", (join) => join.on((eb) => sql<SqlBool>`${peakPatternIds(eb.ref("p.top_patterns"))} @> ARRAY[${eb.ref("h.stored")}]`))
    .select((eb) => ["h.hash", sql<number>`count(DISTINCT ${eb.ref("p.id")})::int`.as("count")])
    .groupBy("h.hash")
    .execute();
  return new Map(rows.map((row) => [row.hash, row.count]));
}

export async function patternExists(db: Db, hash: string): Promise<boolean> {
  return (
    (await db.kysely
      .selectFrom("error_patterns")
      .select(sql<number>`1`.as("one"))
      .where("pattern_hash", "=", hash)
      .executeTakeFirst()) !== undefined
  );
}

/** One stored pattern; undefined when there is none. */
export async function findPattern(db: Db, hash: string) {
  // As shown: with the counts of the patterns merged into it; a merged-away one with its own and where it went.
  const row = await db.kysely
    .selectFrom(effectivePatterns(db).as("e"))
    .select((eb) => [
      "e.pattern_hash as hash",
      "e.template",
      "e.error_type as errorType",
      sql<number>`${eb.ref("e.occurrences")}::float8`.as("occurrences"),
      "e.first_seen as firstSeen",
      "e.last_seen as lastSeen",
      "e.namespaces",
      "e.namespace_occurrences",
      "e.example_messages as examples",
      "e.merged_into as mergedInto",
    ])
    .where("e.pattern_hash", "=", hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const { namespace_occurrences: byNamespace, ...pattern } = row;
  return { ...pattern, namespaceOccurrences: namespaceOccurrencesSchema.parse(byNamespace ?? {}) };
}

/** The known issues recognised by one of the pattern ids (a pattern and those merged into it), active first, then newest. */
export function findKnownIssuesOfPattern(db: Db, hashes: readonly string[]) {
  return db.kysely
    .selectFrom("known_issues")
    .select(["id", "title", "status"])
    .where("pattern_ids", "&&", sql<string[]>`${[...hashes]}::text[]`)
    .orderBy("status")
    .orderBy("id", "desc")
    .execute();
}

/** The known peaks recognised by one of the pattern ids (a pattern and those merged into it), most recently resolved first. */
export function findKnownPeaksOfPattern(db: Db, hashes: readonly string[]) {
  return db.kysely
    .selectFrom("known_peaks")
    .select(["id", "title", "resolved_at as resolvedAt"])
    .where("pattern_ids", "&&", sql<string[]>`${[...hashes]}::text[]`)
    .orderBy("resolved_at", "desc")
    .execute();
}

/** The peaks listing one of the pattern ids (a pattern and those merged into it), newest first, at most `limit`, each with its known issue and the count of them all. */
export function findPeaksOfPattern(db: Db, hashes: readonly string[], limit: number) {
  return (
    db.kysely
      // Materialised: otherwise the planner walks the timestamp index newest first and reads
      // every peak's top_patterns until it has found enough.
      .with(
        (cte) => cte("matched").materialized(),
        (query) =>
          query
            .selectFrom("peak_investigation as p")
            .select("p.id")
            .where((eb) => sql<SqlBool>`${peakPatternIds(eb.ref("p.top_patterns"))} && ${[...hashes]}::text[]`),
      )
      .selectFrom("matched as m")
      .innerJoin("peak_investigation as p", "p.id", "m.id")
      .leftJoin("known_issues as k", "k.id", "p.known_issue_id")
      .select([
        "p.id",
        "p.timestamp",
        "p.namespace",
        "p.severity",
        "p.status",
        "p.error_count as errorCount",
        "p.known_issue_id as knownIssueId",
        "k.title as knownIssueTitle",
        sql<number>`count(*) OVER ()::int`.as("total"),
      ])
      .orderBy("p.timestamp", "desc")
      .orderBy("p.id", "desc")
      .limit(limit)
      .execute()
  );
}

/** The earliest window whose patterns were counted (pattern_windows), or null before any was: one index lookup. */
export async function findPatternTrackingStart(db: Db): Promise<Date | null> {
  const row = await db.kysely.selectFrom("pattern_windows").select("window_start").orderBy("window_start").limit(1).executeTakeFirst();
  return row?.window_start ?? null;
}

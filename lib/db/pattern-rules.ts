import { sql, type SqlBool } from "kysely";
import type { Db, Prisma, PrismaClient } from "./client";

// Analysts' merges and splits of patterns (pattern_rules) and the reads that show merged patterns
// under the one they went into. error_patterns.merged_into mirrors the active merges (and the
// reverted splits) so that reads need no rule logic: every row keeps the counts it was counted
// under, and a pattern's shown counts are its own plus those of the rows merged into it.

type Reader = PrismaClient | Prisma.TransactionClient;

export type PatternRuleRow = {
  id: number;
  kind: "merge" | "split";
  targetHash: string;
  memberHashes: string[];
  childHash: string | null;
  childTemplate: string | null;
  parentTemplate: string | null;
  wildcardIndex: number | null;
  wildcardValue: string | null;
  regex: string | null;
  createdBy: string;
  createdAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
};

/** Serialises rule changes: each checks the rules and rows it changes in the same transaction. */
export async function lockPatternRules(transaction: Prisma.TransactionClient): Promise<void> {
  // Any constant shared by the writers; 0x70617474 spells "patt".
  await transaction.$executeRawUnsafe("SELECT pg_advisory_xact_lock(1885434996)");
}

/** The active rules, oldest first. */
export async function findActivePatternRules(db: Reader): Promise<PatternRuleRow[]> {
  return db.patternRule.findMany({ where: { revokedAt: null }, orderBy: { id: "asc" } });
}

/** Rules, newest first: all, or those naming one pattern (as target, member or new pattern). */
export async function findPatternRules(db: Reader, filter: { hash?: string; isActiveOnly?: boolean }): Promise<PatternRuleRow[]> {
  const { hash } = filter;
  return db.patternRule.findMany({
    where: {
      ...(filter.isActiveOnly ? { revokedAt: null } : {}),
      ...(hash === undefined ? {} : { OR: [{ targetHash: hash }, { memberHashes: { has: hash } }, { childHash: hash }] }),
    },
    orderBy: { id: "desc" },
  });
}

/**
 * A pattern's page: the rules naming it (as target, member or new pattern), newest first, the
 * patterns shown under it and the one it shows under, read through Kysely (Prisma compiles each
 * query on the JavaScript thread, and a page asks these on every view).
 */
export async function findRulesAndMergesOfPattern(
  db: Db,
  hash: string,
  mergedInto: string | null,
): Promise<{ rules: PatternRuleRow[]; mergedFrom: string[]; target: { hash: string; template: string } | null }> {
  const [rules, members, target] = await Promise.all([
    db.kysely
      .selectFrom("pattern_rules")
      .select([
        "id",
        "kind",
        "target_hash as targetHash",
        "member_hashes as memberHashes",
        "child_hash as childHash",
        "child_template as childTemplate",
        "parent_template as parentTemplate",
        "wildcard_index as wildcardIndex",
        "wildcard_value as wildcardValue",
        "regex",
        "created_by as createdBy",
        "created_at as createdAt",
        "revoked_by as revokedBy",
        "revoked_at as revokedAt",
      ])
      .where((eb) => eb.or([eb("target_hash", "=", hash), sql<SqlBool>`${hash}::text = ANY(${eb.ref("member_hashes")})`, eb("child_hash", "=", hash)]))
      .orderBy("id", "desc")
      .execute(),
    db.kysely.selectFrom("error_patterns").select("pattern_hash").where("merged_into", "=", hash).orderBy("pattern_hash").execute(),
    mergedInto === null
      ? Promise.resolve(undefined)
      : db.kysely.selectFrom("error_patterns").select(["pattern_hash as hash", "template"]).where("pattern_hash", "=", mergedInto).executeTakeFirst(),
  ]);
  return { rules, mergedFrom: members.map((member) => member.pattern_hash), target: target ?? null };
}

export async function findPatternRule(db: Reader, id: number): Promise<PatternRuleRow | null> {
  return db.patternRule.findUnique({ where: { id } });
}

export async function insertPatternRule(
  transaction: Prisma.TransactionClient,
  rule: Omit<PatternRuleRow, "id" | "createdAt" | "revokedAt" | "revokedBy">,
): Promise<PatternRuleRow> {
  return transaction.patternRule.create({ data: rule });
}

/** Marks an active rule revoked; false when it was not active. */
export async function markPatternRuleRevoked(transaction: Prisma.TransactionClient, id: number, revokedBy: string): Promise<boolean> {
  const { count } = await transaction.patternRule.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(), revokedBy } });
  return count === 1;
}

/** Stored patterns among `hashes` with where they show (merged_into). */
export async function findPatternRows(db: Reader, hashes: readonly string[]): Promise<{ hash: string; template: string; mergedInto: string | null }[]> {
  const rows = await db.errorPattern.findMany({ where: { patternHash: { in: [...hashes] } }, select: { patternHash: true, template: true, mergedInto: true } });
  return rows.map((row) => ({ hash: row.patternHash, template: row.template, mergedInto: row.mergedInto }));
}

/** Patterns shown under one of `hashes`, with the one each shows under. */
export async function findRowsMergedInto(db: Reader, hashes: readonly string[]): Promise<{ hash: string; mergedInto: string }[]> {
  if (hashes.length === 0) return [];
  const rows = await db.errorPattern.findMany({
    where: { mergedInto: { in: [...hashes] } },
    select: { patternHash: true, mergedInto: true },
    orderBy: { patternHash: "asc" },
  });
  return rows.flatMap((row) => (row.mergedInto === null ? [] : [{ hash: row.patternHash, mergedInto: row.mergedInto }]));
}

/** Shows `hashes` under `into` (null: under themselves again). */
export async function setMergedInto(transaction: Prisma.TransactionClient, hashes: readonly string[], into: string | null): Promise<void> {
  if (hashes.length === 0) return;
  await transaction.errorPattern.updateMany({ where: { patternHash: { in: [...hashes] } }, data: { mergedInto: into } });
}

/** The new patterns of every split, active or not: the miner must not continue from them, since only a split gives messages to them. */
export async function findSplitChildHashes(db: Reader): Promise<string[]> {
  const rows = await db.patternRule.findMany({ where: { kind: "split", childHash: { not: null } }, select: { childHash: true }, distinct: ["childHash"] });
  return rows.flatMap((row) => (row.childHash === null ? [] : [row.childHash]));
}

/**
 * error_patterns as shown: a pattern that others were merged into carries their occurrences (in
 * total and per namespace), namespaces, first and last seen, and the earliest first window per
 * namespace; a merged-away pattern keeps its own (merged_into says where it shows). Members are
 * few, so the aggregate is a lookup per pattern that has any.
 */
export function effectivePatterns(db: Db) {
  const members = db.kysely
    .selectFrom("error_patterns as m")
    .where("m.merged_into", "is not", null)
    .select((eb) => [
      "m.merged_into as root",
      sql<string>`sum(${eb.ref("m.occurrences")})`.as("occurrences"),
      eb.fn.min("m.first_seen").as("first_seen"),
      eb.fn.max("m.last_seen").as("last_seen"),
    ])
    .groupBy("m.merged_into");
  // Over the pattern and the rows merged into it (x).
  const group = (hash: unknown) => sql`(x.pattern_hash = ${hash} OR x.merged_into = ${hash})`;
  // t: where a pattern shows. A pattern merged into one that retention has since deleted stands
  // for itself again. A join, not a subquery per row: the planner costs a subquery per row of
  // 20,000 patterns high enough to compile the query (JIT, some 20 ms) on every read.
  return db.kysely
    .selectFrom("error_patterns as r")
    .leftJoin(members.as("g"), "g.root", "r.pattern_hash")
    .leftJoin("error_patterns as t", "t.pattern_hash", "r.merged_into")
    .select((eb) => {
      const hash = eb.ref("r.pattern_hash");
      const hasMembers = sql<SqlBool>`${eb.ref("g.root")} IS NOT NULL`;
      return [
        "r.pattern_hash",
        "r.template",
        "r.error_type",
        "r.example_messages",
        "t.pattern_hash as merged_into",
        // LEAST and GREATEST skip nulls: a pattern without members keeps its own.
        sql<Date>`LEAST(${eb.ref("r.first_seen")}, ${eb.ref("g.first_seen")})`.as("first_seen"),
        sql<Date>`GREATEST(${eb.ref("r.last_seen")}, ${eb.ref("g.last_seen")})`.as("last_seen"),
        sql<string>`${eb.ref("r.occurrences")} + COALESCE(${eb.ref("g.occurrences")}, 0)`.as("occurrences"),
        sql<string[]>`CASE WHEN ${hasMembers}
          THEN ARRAY(SELECT DISTINCT n FROM error_patterns x CROSS JOIN unnest(x.namespaces) AS n WHERE ${group(hash)} ORDER BY n)
          ELSE ${eb.ref("r.namespaces")} END`.as("namespaces"),
        sql<unknown>`CASE WHEN ${hasMembers}
          THEN (SELECT COALESCE(jsonb_object_agg(k, v), '{}'::jsonb) FROM (SELECT o.key AS k, sum(o.value::numeric) AS v
                FROM error_patterns x CROSS JOIN jsonb_each_text(x.namespace_occurrences) AS o WHERE ${group(hash)} GROUP BY o.key) AS t)
          ELSE ${eb.ref("r.namespace_occurrences")} END`.as("namespace_occurrences"),
        sql<unknown>`CASE WHEN ${hasMembers}
          THEN (SELECT COALESCE(jsonb_object_agg(k, v), '{}'::jsonb) FROM (SELECT o.key AS k, min(o.value::numeric) AS v
                FROM error_patterns x CROSS JOIN jsonb_each_text(x.namespace_first_windows) AS o WHERE ${group(hash)} GROUP BY o.key) AS t)
          ELSE ${eb.ref("r.namespace_first_windows")} END`.as("namespace_first_windows"),
      ];
    });
}

/** For each of `hashes` that others were merged into, those others: root → members. */
export async function findMergedMembers(db: Db, hashes: readonly string[]): Promise<Map<string, string[]>> {
  const byRoot = new Map<string, string[]>();
  if (hashes.length === 0) return byRoot;
  const rows = await db.kysely
    .selectFrom("error_patterns")
    .select(["pattern_hash", "merged_into"])
    .where((eb) => sql<SqlBool>`${eb.ref("merged_into")} = ANY(${[...hashes]}::text[])`)
    .orderBy("pattern_hash")
    .execute();
  for (const row of rows) {
    if (row.merged_into === null) continue;
    const list = byRoot.get(row.merged_into);
    if (list) list.push(row.pattern_hash);
    else byRoot.set(row.merged_into, [row.pattern_hash]);
  }
  return byRoot;
}

/**
 * The earliest counted window (UTC ms) in `namespace` of each of `hashes` as shown: the earliest
 * of the pattern it shows under and every pattern merged into that one; for a pattern a split
 * made, the split pattern's too (its messages were counted there before the split, so they are
 * not new). Absent when never counted there. Three index reads.
 */
export async function findShownFirstWindows(db: Db, hashes: readonly string[], namespace: string): Promise<Map<string, number>> {
  const firstWindows = new Map<string, number>();
  if (hashes.length === 0) return firstWindows;
  const splits = await db.kysely
    .selectFrom("pattern_rules")
    .select(["child_hash", "target_hash"])
    .where("kind", "=", "split")
    .where((eb) => sql<SqlBool>`${eb.ref("child_hash")} = ANY(${[...hashes]}::text[])`)
    .execute();
  const parentsOf = new Map<string, string[]>();
  for (const split of splits) if (split.child_hash !== null) parentsOf.set(split.child_hash, [...(parentsOf.get(split.child_hash) ?? []), split.target_hash]);
  const related = [...new Set([...hashes, ...splits.map((split) => split.target_hash)])];
  const own = await db.kysely
    .selectFrom("error_patterns")
    .select(["pattern_hash", "merged_into"])
    .where((eb) => sql<SqlBool>`${eb.ref("pattern_hash")} = ANY(${related}::text[])`)
    .execute();
  const rootOf = new Map(own.map((row) => [row.pattern_hash, row.merged_into ?? row.pattern_hash]));
  const roots = [...new Set(rootOf.values())];
  if (roots.length === 0) return firstWindows;
  const rows = await db.kysely
    .selectFrom("error_patterns")
    // Only the namespace's entry: a pattern seen in a thousand namespaces holds a thousand.
    .select(["pattern_hash", "merged_into", sql<number | null>`(namespace_first_windows ->> ${namespace})::float8`.as("first")])
    .where((eb) => eb.or([sql<SqlBool>`${eb.ref("pattern_hash")} = ANY(${roots}::text[])`, sql<SqlBool>`${eb.ref("merged_into")} = ANY(${roots}::text[])`]))
    .execute();
  const earliestOfRoot = new Map<string, number>();
  for (const row of rows) {
    const first = row.first;
    if (first === null) continue;
    const root = row.merged_into ?? row.pattern_hash;
    earliestOfRoot.set(root, Math.min(earliestOfRoot.get(root) ?? first, first));
  }
  for (const hash of hashes) {
    const candidates = [hash, ...(parentsOf.get(hash) ?? [])].flatMap((related) => {
      const root = rootOf.get(related);
      const first = root === undefined ? undefined : earliestOfRoot.get(root);
      return first === undefined ? [] : [first];
    });
    if (candidates.length > 0) firstWindows.set(hash, Math.min(...candidates));
  }
  return firstWindows;
}

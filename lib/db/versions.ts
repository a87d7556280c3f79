import { sql, type SqlBool } from "kysely";
import type { Db, Prisma } from "./client";
import { epochMilliseconds } from "./sql";

// Application versions: each namespace's version timeline (namespace_versions) and the peak
// windows' errors by version (peak_investigation.errors_by_version). Reads and writes only; the
// counting and the findings are lib/pipeline/versions.ts's.

/** One namespace's sightings of one version: what one upsert adds; errors null when none were counted (an ingestion's). */
export type NamespaceVersionAddition = { namespace: string; version: string; firstSeenMs: number; lastSeenMs: number; errors: number | null };

/** A namespace's version as stored; errors null until a counted window added to them. */
export type StoredNamespaceVersion = { version: string; firstSeenMs: number; lastSeenMs: number; errors: number | null };

/**
 * Adds to the namespaces' version timelines in one statement: a version new to its namespace is
 * created, a known one keeps the earliest first seen and the latest last seen and adds the
 * errors. The caller adds each window once (the transaction that counts it into pattern_windows).
 */
export async function addNamespaceVersions(transaction: Prisma.TransactionClient, additions: readonly NamespaceVersionAddition[]): Promise<void> {
  if (additions.length === 0) return;
  await transaction.$executeRawUnsafe(
    `INSERT INTO namespace_versions AS v (namespace, version, first_seen, last_seen, errors)
       SELECT a.namespace, a.version, a.first_seen, a.last_seen, a.errors
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bigint[]) AS a(namespace, version, first_seen, last_seen, errors)
     ON CONFLICT (namespace, version) DO UPDATE
        SET first_seen = least(v.first_seen, excluded.first_seen), last_seen = greatest(v.last_seen, excluded.last_seen), errors = CASE WHEN excluded.errors IS NULL THEN v.errors ELSE COALESCE(v.errors, 0) + excluded.errors END`,
    additions.map((addition) => addition.namespace),
    additions.map((addition) => addition.version),
    additions.map((addition) => new Date(addition.firstSeenMs)),
    additions.map((addition) => new Date(addition.lastSeenMs)),
    additions.map((addition) => (addition.errors === null ? null : Math.round(addition.errors))),
  );
}

/** A bigint column read as text: a number, or null (not counted). */
function storedErrors(errors: string | null): number | null {
  return errors === null ? null : Number(errors);
}

/** A namespace's versions, first seen first; times UTC ms. */
export async function findNamespaceVersions(db: Db, namespace: string): Promise<StoredNamespaceVersion[]> {
  const rows = await db.kysely
    .selectFrom("namespace_versions")
    .select((eb) => [
      "version",
      epochMilliseconds(eb.ref("first_seen")).as("firstSeenMs"),
      epochMilliseconds(eb.ref("last_seen")).as("lastSeenMs"),
      sql<string | null>`${eb.ref("errors")}::text`.as("errors"),
    ])
    .where("namespace", "=", namespace)
    .orderBy("first_seen")
    .orderBy("version")
    .execute();
  return rows.map((row) => ({ ...row, errors: storedErrors(row.errors) }));
}

/** The versions of each of the namespaces, first seen first; times UTC ms. A namespace without any is absent. */
export async function findVersionsOfNamespaces(db: Db, namespaces: readonly string[]): Promise<Map<string, StoredNamespaceVersion[]>> {
  const byNamespace = new Map<string, StoredNamespaceVersion[]>();
  if (namespaces.length === 0) return byNamespace;
  const rows = await db.kysely
    .selectFrom("namespace_versions")
    .select((eb) => [
      "namespace",
      "version",
      epochMilliseconds(eb.ref("first_seen")).as("firstSeenMs"),
      epochMilliseconds(eb.ref("last_seen")).as("lastSeenMs"),
      sql<string | null>`${eb.ref("errors")}::text`.as("errors"),
    ])
    .where((eb) => sql<SqlBool>`${eb.ref("namespace")} = ANY(${[...namespaces]}::text[])`)
    .orderBy("namespace")
    .orderBy("first_seen")
    .orderBy("version")
    .execute();
  for (const { namespace, ...row } of rows) {
    const versions = byNamespace.get(namespace) ?? [];
    versions.push({ ...row, errors: storedErrors(row.errors) });
    byNamespace.set(namespace, versions);
  }
  return byNamespace;
}

/**
 * A chart's deploy markers: the namespace's versions first seen in [fromMs, toMs), oldest first,
 * at most `limit` of them (the newest kept), and how many there are.
 */
export async function findVersionsFirstSeen(
  db: Db,
  namespace: string,
  range: { fromMs: number; toMs: number },
  limit: number,
): Promise<{ markers: { version: string; firstSeenMs: number }[]; total: number }> {
  const inRange = db.kysely
    .selectFrom("namespace_versions")
    .where("namespace", "=", namespace)
    .where("first_seen", ">=", new Date(range.fromMs))
    .where("first_seen", "<", new Date(range.toMs));
  const [rows, count] = await Promise.all([
    inRange
      .select((eb) => ["version", epochMilliseconds(eb.ref("first_seen")).as("firstSeenMs")])
      .orderBy("first_seen", "desc")
      .orderBy("version", "desc")
      .limit(limit)
      .execute(),
    inRange.select((eb) => eb.fn.countAll<string>().as("total")).executeTakeFirst(),
  ]);
  return { markers: rows.reverse(), total: Number(count?.total ?? 0) };
}

/** The stored errors by version of an incident's windows (JSON for the caller to parse), windows enriched without them left out. */
export function findIncidentErrorsByVersion(db: Db, incidentId: number) {
  return db.kysely
    .selectFrom("peak_investigation")
    .select(["id", "errors_by_version"])
    .where("incident_id", "=", incidentId)
    .where("errors_by_version", "is not", null)
    .orderBy("timestamp")
    .orderBy("id")
    .execute();
}

/** Versions first seen in any namespace in [from, to), oldest first, at most `limit`, and how many there are; times UTC ms. */
export async function findVersionsFirstSeenDuring(
  db: Db,
  range: { from: Date; to: Date },
  limit: number,
): Promise<{ versions: { namespace: string; version: string; firstSeenMs: number; errors: number | null }[]; total: number }> {
  const inRange = db.kysely.selectFrom("namespace_versions").where("first_seen", ">=", range.from).where("first_seen", "<", range.to);
  const [rows, count] = await Promise.all([
    inRange
      .select((eb) => [
        "namespace",
        "version",
        epochMilliseconds(eb.ref("first_seen")).as("firstSeenMs"),
        sql<string | null>`${eb.ref("errors")}::text`.as("errors"),
      ])
      .orderBy("first_seen")
      .orderBy("namespace")
      .orderBy("version")
      .limit(limit)
      .execute(),
    inRange.select((eb) => eb.fn.countAll<string>().as("total")).executeTakeFirst(),
  ]);
  return { versions: rows.map((row) => ({ ...row, errors: storedErrors(row.errors) })), total: Number(count?.total ?? 0) };
}

/**
 * The stored errors by version of a problem's windows in [from, to) (JSON for the caller to
 * parse), false positives and windows enriched without them left out: the windows of its root-cause
 * patterns (a pattern and those merged into it) whose error type, `unclassified` standing in for none, is its.
 */
export function findProblemErrorsByVersion(db: Db, problem: { patternIds: readonly string[]; errorType: string; unclassified: string; from: Date; to: Date }) {
  return db.kysely
    .selectFrom("peak_investigation as p")
    .select(["p.namespace", "p.errors_by_version"])
    .where((eb) => sql<SqlBool>`${eb.ref("p.root_cause_pattern_id")} = ANY(${[...problem.patternIds]}::text[])`)
    .where((eb) => sql<SqlBool>`COALESCE(${eb.ref("p.error_type")}, ${problem.unclassified}::text) = ${problem.errorType}`)
    .where("p.status", "!=", "false_positive")
    .where("p.errors_by_version", "is not", null)
    .where("p.timestamp", ">=", problem.from)
    .where("p.timestamp", "<", problem.to)
    .orderBy("p.timestamp")
    .orderBy("p.id")
    .execute();
}

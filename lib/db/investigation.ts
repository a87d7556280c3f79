import { sql } from "kysely";
import type { Db, Prisma, PrismaClient } from "./client";
import { findShownFirstWindows, findSplitChildHashes } from "./pattern-rules";
import type { NamespaceFirstWindows, NamespaceOccurrences } from "./patterns";

type Reader = PrismaClient | Prisma.TransactionClient;

/** A peak as enrichment needs it. */
export type PeakToEnrich = { id: number; start: number; namespace: string; plateauStart: number | null; enrichedAt: Date | null };

/** Peaks to enrich: the given ids, or every peak not enriched yet (oldest first). */
export async function findPeaksToEnrich(db: Reader, selection: { peakIds: readonly number[] } | { missingOnly: true }): Promise<PeakToEnrich[]> {
  const rows = await db.peakInvestigation.findMany({
    where: "peakIds" in selection ? { id: { in: [...selection.peakIds] } } : { enrichedAt: null },
    orderBy: [{ timestamp: "asc" }, { namespace: "asc" }],
    select: { id: true, timestamp: true, namespace: true, enrichedAt: true, continuesPeak: { select: { timestamp: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    start: row.timestamp.getTime(),
    namespace: row.namespace,
    plateauStart: row.continuesPeak ? row.continuesPeak.timestamp.getTime() : null,
    enrichedAt: row.enrichedAt,
  }));
}

/** Every stored pattern's id and template, for the miner to continue from; not the patterns splits made, which only a split gives messages to. */
export async function loadKnownPatterns(db: Reader): Promise<{ id: string; template: string }[]> {
  const splitMade = await findSplitChildHashes(db);
  // One JSON text of [hash, template] pairs: tens of thousands of patterns cost seconds as rows.
  const rows = await db.$queryRawUnsafe<{ patterns: string }[]>(
    `SELECT coalesce(json_agg(json_build_array(pattern_hash, template) ORDER BY first_seen, id)::text, '[]') AS patterns
       FROM error_patterns WHERE NOT (pattern_hash = ANY($1::text[]))`,
    splitMade,
  );
  return (JSON.parse(rows[0]?.patterns ?? "[]") as [string, string][]).map(([id, template]) => ({ id, template }));
}

/** What an issue matches by (lib/pipeline's IssueMatcher): pattern ids, RE2 regexes, scope. */
type StoredMatcher = { id: number; patternIds: string[]; regexes: string[]; namespace: string | null; appName: string | null };

export type IssueCandidates = {
  knownIssues: (StoredMatcher & { title: string })[];
  knownPeaks: (StoredMatcher & { title: string; solution: string })[];
};

/** Active known issues and resolved known peaks, to match peaks against. */
export async function loadIssueCandidates(db: Reader): Promise<IssueCandidates> {
  const [issues, peaks] = await Promise.all([
    db.knownIssue.findMany({ where: { status: "active" }, select: { id: true, title: true, patternIds: true, regexes: true, namespace: true, appName: true } }),
    db.knownPeak.findMany({ select: { id: true, title: true, solution: true, patternIds: true, regexes: true, namespace: true, appName: true } }),
  ]);
  return { knownIssues: issues, knownPeaks: peaks };
}

/** A pattern seen in one investigated window. */
export type WindowPattern = {
  patternId: string;
  template: string;
  errorType: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  examples: readonly string[];
};

export type PeakEnrichment = {
  traceId: string | null;
  appName: string | null;
  errorType: string | null;
  affectedServices: string[];
  rootCause: string | null;
  /** The first root cause's pattern id (the window's most frequent pattern when it had no trace): what problems group by. */
  rootCausePatternId: string | null;
  topPatterns: Prisma.InputJsonValue;
  knownIssueId: number | null;
  knownPeakId: number | null;
  /** The window's errors by version (lib/peaks/contract.ts storedVersionCountsSchema). */
  errorsByVersion: Prisma.InputJsonValue;
};

type WindowOfPatterns = { start: number; namespace: string; documents: number; patterns: readonly WindowPattern[] };

/** How a (window, namespace) counted now is named in `countedWindows`. */
export function countedWindowKey(start: number, namespace: string): string {
  return `${start} ${namespace}`;
}

/** More to write in the transaction that counts windows, told which of them it counted now (by countedWindowKey). */
export type AfterCounting = (transaction: Prisma.TransactionClient, countedWindows: ReadonlySet<string>) => Promise<void>;

/** One pattern's changes from several windows, written in one statement. */
type PatternChange = {
  template: string;
  errorType: string;
  firstSeen: number;
  lastSeen: number;
  /** Occurrences added, per namespace, from the windows counted now. */
  added: Map<string, number>;
  namespaces: Set<string>;
  /** The earliest window start (UTC ms) holding it, per namespace, of the windows written now. */
  firstWindows: Map<string, number>;
  examples: string[];
};

/** One pattern's additions from the windows written now, as the upsert reads them (json_to_recordset). */
type PatternAddition = {
  pattern_hash: string;
  template: string;
  error_type: string;
  first_seen: string;
  last_seen: string;
  added: number;
  namespaces: string[];
  namespace_occurrences: NamespaceOccurrences;
  namespace_first_windows: NamespaceFirstWindows;
  example_messages: string[];
};

/**
 * Creates or adds to stored patterns in one statement. The per-namespace maps are merged in the
 * database, visiting only the namespaces added to: a pattern seen in a thousand namespaces
 * carries a thousand entries, and reading, parsing and writing them back for every run's few new
 * counts cost seconds a day. Stored examples are kept; new ones fill up to `maxExamples`.
 */
async function upsertPatterns(transaction: Prisma.TransactionClient, additions: readonly PatternAddition[], maxExamples: number): Promise<void> {
  if (additions.length === 0) return;
  await transaction.$executeRawUnsafe(
    `INSERT INTO error_patterns AS e (pattern_hash, template, error_type, first_seen, last_seen, occurrences, namespaces,
            namespace_occurrences, namespace_first_windows, example_messages)
     SELECT c.pattern_hash, c.template, c.error_type, c.first_seen, c.last_seen, c.added, c.namespaces,
            c.namespace_occurrences, c.namespace_first_windows, c.example_messages
       FROM json_to_recordset($1::json) AS c(pattern_hash text, template text, error_type text, first_seen timestamptz, last_seen timestamptz,
            added bigint, namespaces text[], namespace_occurrences jsonb, namespace_first_windows jsonb, example_messages text[])
     ON CONFLICT (pattern_hash) DO UPDATE
        SET template = excluded.template, error_type = excluded.error_type,
            first_seen = least(e.first_seen, excluded.first_seen), last_seen = greatest(e.last_seen, excluded.last_seen),
            occurrences = e.occurrences + excluded.occurrences,
            namespaces = ARRAY(SELECT DISTINCT n FROM unnest(e.namespaces || excluded.namespaces) AS n ORDER BY n),
            namespace_occurrences = e.namespace_occurrences || (
              SELECT coalesce(jsonb_object_agg(key, coalesce((e.namespace_occurrences ->> key)::numeric, 0) + value::numeric), '{}'::jsonb)
                FROM jsonb_each_text(excluded.namespace_occurrences)),
            namespace_first_windows = e.namespace_first_windows || (
              SELECT coalesce(jsonb_object_agg(key, least((e.namespace_first_windows ->> key)::numeric, value::numeric)), '{}'::jsonb)
                FROM jsonb_each_text(excluded.namespace_first_windows)),
            example_messages = CASE WHEN cardinality(e.example_messages) >= $2 THEN e.example_messages
              ELSE e.example_messages || ARRAY(
                SELECT example FROM unnest(excluded.example_messages) WITH ORDINALITY AS added(example, position)
                 WHERE NOT (example = ANY(e.example_messages)) ORDER BY position LIMIT $2 - cardinality(e.example_messages)) END`,
    JSON.stringify(additions),
    maxExamples,
  );
}

/**
 * Adds windows' patterns to error_patterns, counting each (window, namespace) at most once ever
 * (pattern_windows); templates, types, first and last seen and examples are refreshed from every
 * window. Windows are claimed in one statement and each pattern is written once, however many
 * windows hold it; the counted occurrences go to pattern_daily_counts too (UTC day of the window
 * start), in one statement. Returns how many windows were counted now and how many were counted before.
 */
export async function addWindowsPatterns(
  transaction: Prisma.TransactionClient,
  windows: readonly WindowOfPatterns[],
  maxExamples: number,
): Promise<{ counted: number; alreadyCounted: number; countedWindows: ReadonlySet<string> }> {
  if (windows.length === 0) return { counted: 0, alreadyCounted: 0, countedWindows: new Set() };
  const claimedRows = await transaction.$queryRawUnsafe<{ window_start: Date; namespace: string }[]>(
    `INSERT INTO pattern_windows (window_start, namespace, documents)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::int[])
     ON CONFLICT (window_start, namespace) DO NOTHING
     RETURNING window_start, namespace`,
    windows.map((window) => new Date(window.start)),
    windows.map((window) => window.namespace),
    windows.map((window) => window.documents),
  );
  const claimed = new Set(claimedRows.map((row) => countedWindowKey(row.window_start.getTime(), row.namespace)));

  const changes = new Map<string, PatternChange>();
  // Keyed by pattern, day and namespace: one statement may not update a row twice.
  const daily = new Map<string, { patternId: string; day: string; namespace: string; occurrences: number }>();
  for (const window of windows) {
    const isCounted = claimed.has(countedWindowKey(window.start, window.namespace));
    const day = new Date(window.start).toISOString().slice(0, 10);
    for (const pattern of window.patterns) {
      let change = changes.get(pattern.patternId);
      if (!change) {
        change = {
          template: pattern.template,
          errorType: pattern.errorType,
          firstSeen: pattern.firstSeen,
          lastSeen: pattern.lastSeen,
          added: new Map(),
          namespaces: new Set(),
          firstWindows: new Map(),
          examples: [],
        };
        changes.set(pattern.patternId, change);
      }
      // The template may have been refined since; the newest window's wins, the id stays.
      change.template = pattern.template;
      change.errorType = pattern.errorType;
      change.firstSeen = Math.min(change.firstSeen, pattern.firstSeen);
      change.lastSeen = Math.max(change.lastSeen, pattern.lastSeen);
      change.namespaces.add(window.namespace);
      change.firstWindows.set(window.namespace, Math.min(change.firstWindows.get(window.namespace) ?? window.start, window.start));
      if (isCounted) {
        change.added.set(window.namespace, (change.added.get(window.namespace) ?? 0) + pattern.count);
        const key = JSON.stringify([pattern.patternId, day, window.namespace]);
        const entry = daily.get(key);
        if (entry) entry.occurrences += pattern.count;
        else daily.set(key, { patternId: pattern.patternId, day, namespace: window.namespace, occurrences: pattern.count });
      }
      for (const example of pattern.examples) if (change.examples.length < maxExamples && !change.examples.includes(example)) change.examples.push(example);
    }
  }

  await upsertPatterns(
    transaction,
    [...changes].map(([patternId, change]) => ({
      pattern_hash: patternId,
      template: change.template,
      error_type: change.errorType,
      first_seen: new Date(change.firstSeen).toISOString(),
      last_seen: new Date(change.lastSeen).toISOString(),
      added: [...change.added.values()].reduce((sum, count) => sum + count, 0),
      namespaces: [...change.namespaces].sort(),
      namespace_occurrences: Object.fromEntries(change.added),
      namespace_first_windows: Object.fromEntries(change.firstWindows),
      example_messages: change.examples,
    })),
    maxExamples,
  );
  if (daily.size > 0) {
    const entries = [...daily.values()];
    await transaction.$executeRawUnsafe(
      `INSERT INTO pattern_daily_counts (pattern_hash, day, namespace, occurrences)
         SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::int[])
       ON CONFLICT (pattern_hash, day, namespace) DO UPDATE SET occurrences = pattern_daily_counts.occurrences + excluded.occurrences`,
      entries.map((entry) => entry.patternId),
      entries.map((entry) => entry.day),
      entries.map((entry) => entry.namespace),
      entries.map((entry) => entry.occurrences),
    );
  }
  return { counted: claimed.size, alreadyCounted: windows.length - claimed.size, countedWindows: claimed };
}

/**
 * Stores one peak's investigation in one transaction: the peak's fields, and the window's
 * patterns added to error_patterns unless this window was counted before (pattern_windows), so
 * that enriching again changes nothing, and what `options.afterCounting` writes.
 */
export async function savePeakEnrichment(
  prisma: PrismaClient,
  peak: { id: number; start: number; namespace: string },
  enrichment: PeakEnrichment,
  patterns: readonly WindowPattern[],
  options: { documents: number; maxExamples: number; now: Date; afterCounting?: AfterCounting },
): Promise<{ patternsCounted: boolean }> {
  return prisma.$transaction(async (transaction) => {
    const { counted, countedWindows } = await addWindowsPatterns(
      transaction,
      [{ start: peak.start, namespace: peak.namespace, documents: options.documents, patterns }],
      options.maxExamples,
    );
    await options.afterCounting?.(transaction, countedWindows);
    await transaction.peakInvestigation.update({ where: { id: peak.id }, data: { ...enrichment, enrichedAt: options.now } });
    return { patternsCounted: counted === 1 };
  });
}

/** Adds the patterns of several (window, namespace) pairs, each counted at most once, and what `afterCounting` writes, in one transaction. */
export async function saveTrackedWindows(
  prisma: PrismaClient,
  windows: readonly WindowOfPatterns[],
  maxExamples: number,
  afterCounting?: AfterCounting,
): Promise<{ counted: number; alreadyCounted: number }> {
  return prisma.$transaction(
    async (transaction) => {
      const { counted, alreadyCounted, countedWindows } = await addWindowsPatterns(transaction, windows, maxExamples);
      await afterCounting?.(transaction, countedWindows);
      return { counted, alreadyCounted };
    },
    { timeout: 5 * 60_000, maxWait: 60_000 },
  );
}

/** How many of the (window, namespace) pairs were not yet added to error_patterns (for dry runs). */
export async function countUntrackedWindows(
  db: Reader,
  windows: readonly { start: number; namespace: string }[],
): Promise<{ counted: number; alreadyCounted: number }> {
  if (windows.length === 0) return { counted: 0, alreadyCounted: 0 };
  const rows = await db.$queryRawUnsafe<{ count: bigint }[]>(
    `SELECT count(*) AS count FROM pattern_windows w
       JOIN unnest($1::timestamptz[], $2::text[]) AS c(window_start, namespace) ON w.window_start = c.window_start AND w.namespace = c.namespace`,
    windows.map((window) => new Date(window.start)),
    windows.map((window) => window.namespace),
  );
  const alreadyCounted = Number(rows[0]?.count ?? 0);
  return { counted: windows.length - alreadyCounted, alreadyCounted };
}

/** The database's clock: pattern_windows.tracked_at is written by it, so what was stored "before" is judged by it too. */
export async function readDatabaseNow(db: Db): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`SELECT now() AS now`.execute(db.kysely);
  const now = rows[0]?.now;
  if (!now) throw new Error("The database did not tell its time");
  return new Date(now);
}

/** What the stored pattern history says of one window's patterns (lib/pipeline/first-seen.ts decides with it). */
export type StoredPatternHistory = {
  /** Whether the namespace has counted windows before this one that were stored before `storedBefore` and before this window itself was. */
  hasHistory: boolean;
  /** The earliest counted window start (UTC ms) of each of the patterns in this namespace; absent when never counted there. */
  firstWindowOf: Map<string, number>;
};

/**
 * The stored history of a window's patterns in its namespace: whether older windows of the
 * namespace were counted, by an earlier run (stored before `storedBefore` and before the window
 * itself), and where each pattern was first counted in the namespace. Two index reads.
 */
export async function findStoredPatternHistory(
  db: Db,
  window: { start: number; namespace: string },
  patternIds: readonly string[],
  storedBefore: Date,
): Promise<StoredPatternHistory> {
  const start = new Date(window.start);
  const own = await db.kysely
    .selectFrom("pattern_windows")
    .select("tracked_at")
    .where("namespace", "=", window.namespace)
    .where("window_start", "=", start)
    .executeTakeFirst();
  const cutoff = own && own.tracked_at < storedBefore ? own.tracked_at : storedBefore;
  const [history, firstWindowOf] = await Promise.all([
    db.kysely
      .selectFrom("pattern_windows")
      .select(sql<number>`1`.as("one"))
      .where("namespace", "=", window.namespace)
      .where("window_start", "<", start)
      .where("tracked_at", "<", cutoff)
      .limit(1)
      .executeTakeFirst(),
    // As shown: a pattern merged with others was first seen where the earliest of them was.
    findShownFirstWindows(db, patternIds, window.namespace),
  ]);
  return { hasHistory: history !== undefined, firstWindowOf };
}

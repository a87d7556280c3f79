import { z } from "zod";
import { optionalText } from "@/lib/text-schema";
import { assertRole, type Actor } from "@/lib/roles";
import { NotFoundError, parseInput } from "@/lib/errors";
import { DEFAULT_DETAIL_DAYS, DEFAULT_TREND_DAYS, MAX_TREND_DAYS, patternSorts } from "@/lib/patterns/schema";
import { readRows, type PrismaClient } from "./client";
import { escapeLike, peakHeadline, type PeakHeadline, type PeakHeadlineRow } from "./sql";

// ---------------------------------------------------------------------------------------------
// Input schemas, shared with the route handlers.

export { DEFAULT_DETAIL_DAYS, DEFAULT_TREND_DAYS, MAX_TREND_DAYS, patternSorts, type PatternSort } from "@/lib/patterns/schema";
export const DEFAULT_PATTERN_PAGE_SIZE = 50;
export const MAX_PATTERN_PAGE_SIZE = 200;
/** Peaks listed on a pattern's page; peakCount has them all. */
export const MAX_PATTERN_PEAKS = 100;

export const listPatternsSchema = z.object({
  /** Case-insensitive part of the template or error type, or the start of the pattern id. */
  q: optionalText(200),
  namespace: optionalText(200),
  errorType: optionalText(200),
  sort: z.enum(patternSorts).default("last_seen"),
  /** UTC days of the trend window, today included; the trend compares them with as many before. */
  days: z.coerce.number().int().min(1).max(MAX_TREND_DAYS).default(DEFAULT_TREND_DAYS),
  limit: z.coerce.number().int().min(1).max(MAX_PATTERN_PAGE_SIZE).default(DEFAULT_PATTERN_PAGE_SIZE),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListPatternsInput = z.input<typeof listPatternsSchema>;

export const patternHashSchema = z.string().trim().min(1).max(200);

export const getPatternSchema = z.object({
  days: z.coerce.number().int().min(1).max(MAX_TREND_DAYS).default(DEFAULT_DETAIL_DAYS),
});
export type GetPatternInput = z.input<typeof getPatternSchema>;
/** GET /api/patterns/[hash]: the path's hash with the query. */
export const patternRequestSchema = getPatternSchema.extend({ hash: patternHashSchema });

// ---------------------------------------------------------------------------------------------
// Answers. JSON-safe: times are ISO strings, days YYYY-MM-DD (UTC).

export const trendDirections = ["rising", "falling", "new", "steady"] as const;
export type TrendDirection = (typeof trendDirections)[number];

/** Occurrences in the trend window against the equal window before it. */
export type PatternTrend = {
  direction: TrendDirection;
  current: number;
  previous: number;
  /** current / previous; null when previous is 0. */
  ratio: number | null;
};

/** The days a series covers: `days` UTC days from `from` to `to`, both included. */
export type TrendWindow = { days: number; from: string; to: string; previousFrom: string };

export type PatternListItem = {
  hash: string;
  template: string;
  errorType: string | null;
  /** All time (as long as the pattern is kept); the namespace's only when the list is filtered by one. */
  occurrences: number;
  /** In the trend window. */
  windowOccurrences: number;
  firstSeen: string;
  lastSeen: string;
  namespaces: string[];
  /** Occurrences per day of the window, oldest first, one number per day (zeros included). */
  series: number[];
  trend: PatternTrend;
  /** Peaks whose investigation lists this pattern among its top patterns or root causes. */
  peaks: number;
};

export type PatternPage = {
  patterns: PatternListItem[];
  /** Patterns matching the filters. */
  total: number;
  offset: number;
  limit: number;
  nextOffset: number | null;
  window: TrendWindow;
  /** The namespace that counts, series and trends are limited to; null for all. */
  namespace: string | null;
};

/** Values for the list's filters: every namespace and error type of the stored patterns. */
export type PatternFilters = { namespaces: string[]; errorTypes: string[] };

export type PatternPeak = PeakHeadline & { knownIssue: { id: number; title: string } | null };

export type PatternDetail = {
  hash: string;
  template: string;
  errorType: string | null;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  namespaces: string[];
  /** Most occurrences first. */
  namespaceOccurrences: { namespace: string; occurrences: number }[];
  examples: string[];
  window: TrendWindow;
  series: { day: string; occurrences: number }[];
  trend: PatternTrend;
  /** Known issues and resolved known peaks recognised by this pattern id. */
  knownIssues: { id: number; title: string; status: string }[];
  knownPeaks: { id: number; title: string; resolvedAt: string }[];
  /** Newest first, at most MAX_PATTERN_PEAKS. */
  peaks: PatternPeak[];
  peakCount: number;
};

// ---------------------------------------------------------------------------------------------
// Pure helpers.

const DAY_MS = 86_400_000;

/** The UTC day (YYYY-MM-DD) of an instant. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** `day` moved by `days` (negative: earlier). */
export function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** The trend window of `days` UTC days ending with the day of `now`, and the start of the one before. */
export function trendWindow(now: Date, days: number): TrendWindow {
  const to = utcDay(now);
  const from = addDays(to, -(days - 1));
  return { days, from, to, previousFrom: addDays(from, -days) };
}

/** One count per day from `from`, `days` long, oldest first; days without a count are 0. */
export function fillDailySeries(from: string, days: number, counts: ReadonlyMap<string, number>): number[] {
  return Array.from({ length: days }, (_, index) => counts.get(addDays(from, index)) ?? 0);
}

/** A change must be at least this factor, up or down, to be a trend. */
export const TREND_FACTOR = 1.5;
/** …and at least this many occurrences, so that 1 → 3 is not called rising. */
export const TREND_MIN_CHANGE = 10;

/**
 * Classifies the window against the one before: new when the pattern was first seen within the
 * window; rising or falling when the count moved by TREND_FACTOR and TREND_MIN_CHANGE; else steady.
 */
export function classifyTrend(current: number, previous: number, isFirstSeenInWindow: boolean): PatternTrend {
  const ratio = previous > 0 ? current / previous : null;
  const change = current - previous;
  let direction: TrendDirection = "steady";
  if (isFirstSeenInWindow) direction = "new";
  else if (change >= TREND_MIN_CHANGE && current >= previous * TREND_FACTOR) direction = "rising";
  else if (-change >= TREND_MIN_CHANGE && current * TREND_FACTOR <= previous) direction = "falling";
  return { direction, current, previous, ratio };
}

/** The text for a LIKE pattern that matches `text` literally (backslash is the escape). */
// ---------------------------------------------------------------------------------------------
// Queries.

// peak_pattern_ids(top_patterns): the ids of a peak's top patterns and root causes, as text[],
// indexed with GIN (migration 0006). Queries must use this very expression to use the index.
const PEAK_PATTERN_IDS = "peak_pattern_ids(p.top_patterns)";

type PatternRow = {
  pattern_hash: string;
  template: string;
  error_type: string | null;
  first_seen: Date;
  last_seen: Date;
  occurrences: number;
  namespaces: string[];
  total: number;
};

type DailyRow = { pattern_hash: string; day: string; occurrences: number };

/** Daily occurrences of the patterns from `from` to `to` (UTC days, included), in one namespace or all. */
async function readDailyCounts(
  prisma: PrismaClient,
  hashes: readonly string[],
  from: string,
  to: string,
  namespace: string | null,
): Promise<Map<string, Map<string, number>>> {
  const byPattern = new Map<string, Map<string, number>>();
  if (hashes.length === 0) return byPattern;
  const rows = await readRows<DailyRow>(
    prisma,
    `SELECT pattern_hash, to_char(day, 'YYYY-MM-DD') AS day, sum(occurrences)::float8 AS occurrences
       FROM pattern_daily_counts
      WHERE pattern_hash = ANY($1::text[]) AND day >= $2::date AND day <= $3::date AND ($4::text IS NULL OR namespace = $4::text)
      GROUP BY pattern_hash, day`,
    [hashes, from, to, namespace],
  );
  for (const row of rows) {
    let days = byPattern.get(row.pattern_hash);
    if (!days) byPattern.set(row.pattern_hash, (days = new Map()));
    days.set(row.day, row.occurrences);
  }
  return byPattern;
}

/** Series and trend of one pattern from its daily counts over the window and the one before. */
function seriesAndTrend(window: TrendWindow, days: ReadonlyMap<string, number> | undefined, firstSeen: Date) {
  const counts = days ?? new Map<string, number>();
  const series = fillDailySeries(window.from, window.days, counts);
  const previous = fillDailySeries(window.previousFrom, window.days, counts).reduce((sum, count) => sum + count, 0);
  const current = series.reduce((sum, count) => sum + count, 0);
  return { series, trend: classifyTrend(current, previous, utcDay(firstSeen) >= window.from) };
}

/**
 * A page of error patterns with counts, trend and peaks (viewers and above). Three queries
 * whatever the page size: the page with its total, the daily counts of its patterns, and their
 * peaks. Sorting by trend ranks by the change against the window before (largest rise first).
 */
export async function listPatterns(prisma: PrismaClient, actor: Actor | null, input: ListPatternsInput = {}, now: Date = new Date()): Promise<PatternPage> {
  assertRole(actor, "viewer");
  const parsed = parseInput(listPatternsSchema, input);
  const window = trendWindow(now, parsed.days);
  const namespace = parsed.namespace ?? null;

  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const parameter = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  if (parsed.q) {
    const contains = parameter(`%${escapeLike(parsed.q)}%`);
    const prefix = parameter(`${escapeLike(parsed.q)}%`);
    conditions.push(`(e.template ILIKE ${contains} OR e.error_type ILIKE ${contains} OR e.pattern_hash ILIKE ${prefix})`);
  }
  const namespaceParameter = parameter(namespace);
  if (namespace) conditions.push(`${namespaceParameter}::text = ANY(e.namespaces)`);
  if (parsed.errorType) conditions.push(`e.error_type = ${parameter(parsed.errorType)}`);
  // With a namespace, its own count from namespace_occurrences ranks and shows.
  const occurrences = `CASE WHEN ${namespaceParameter}::text IS NULL THEN e.occurrences ELSE COALESCE((e.namespace_occurrences ->> ${namespaceParameter}::text)::bigint, 0) END`;

  let trendJoin = "";
  let order: string;
  switch (parsed.sort) {
    case "last_seen":
      order = "e.last_seen DESC, e.pattern_hash";
      break;
    case "first_seen":
      order = "e.first_seen DESC, e.pattern_hash";
      break;
    case "occurrences":
      order = `${occurrences} DESC, e.last_seen DESC, e.pattern_hash`;
      break;
    case "trend": {
      // Only this order needs every pattern's window sums; the others read the page's alone.
      const previousFrom = parameter(window.previousFrom);
      const from = parameter(window.from);
      const to = parameter(window.to);
      trendJoin = `LEFT JOIN (
          SELECT pattern_hash,
                 COALESCE(sum(occurrences) FILTER (WHERE day >= ${from}::date), 0) - COALESCE(sum(occurrences) FILTER (WHERE day < ${from}::date), 0) AS change,
                 COALESCE(sum(occurrences) FILTER (WHERE day >= ${from}::date), 0) AS current
            FROM pattern_daily_counts
           WHERE day >= ${previousFrom}::date AND day <= ${to}::date AND (${namespaceParameter}::text IS NULL OR namespace = ${namespaceParameter}::text)
           GROUP BY pattern_hash
        ) t ON t.pattern_hash = e.pattern_hash`;
      order = "COALESCE(t.change, 0) DESC, COALESCE(t.current, 0) DESC, e.last_seen DESC, e.pattern_hash";
      break;
    }
  }
  const limit = parameter(parsed.limit);
  const offset = parameter(parsed.offset);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";

  // The count drives the join, so that a page past the end still carries the total (its row
  // then has no pattern).
  const pageRows = await readRows<PatternRow | (Record<keyof PatternRow, null> & { total: number })>(
    prisma,
    `SELECT c.total, page.*
       FROM (SELECT count(*)::int AS total FROM error_patterns e ${where}) c
       LEFT JOIN LATERAL (
         SELECT e.pattern_hash, e.template, e.error_type, e.first_seen, e.last_seen, e.namespaces, (${occurrences})::float8 AS occurrences
           FROM error_patterns e ${trendJoin}
           ${where}
          ORDER BY ${order}
          LIMIT ${limit} OFFSET ${offset}
       ) page ON TRUE`,
    parameters,
  );
  const total = pageRows[0]?.total ?? 0;
  const rows = pageRows.filter((row): row is PatternRow => row.pattern_hash !== null);
  const hashes = rows.map((row) => row.pattern_hash);
  const [daily, peakCounts] = await Promise.all([
    readDailyCounts(prisma, hashes, window.previousFrom, window.to, namespace),
    countPeaksOfPatterns(prisma, hashes),
  ]);

  return {
    patterns: rows.map((row) => {
      const { series, trend } = seriesAndTrend(window, daily.get(row.pattern_hash), row.first_seen);
      return {
        hash: row.pattern_hash,
        template: row.template,
        errorType: row.error_type,
        occurrences: row.occurrences,
        windowOccurrences: trend.current,
        firstSeen: row.first_seen.toISOString(),
        lastSeen: row.last_seen.toISOString(),
        namespaces: row.namespaces,
        series,
        trend,
        peaks: peakCounts.get(row.pattern_hash) ?? 0,
      };
    }),
    total,
    offset: parsed.offset,
    limit: parsed.limit,
    nextOffset: parsed.offset + rows.length < total ? parsed.offset + rows.length : null,
    window,
    namespace,
  };
}

/** Every namespace and error type of the stored patterns, sorted, for the list's filters (viewers and above). */
export async function listPatternFilters(prisma: PrismaClient, actor: Actor | null): Promise<PatternFilters> {
  assertRole(actor, "viewer");
  const rows = await readRows<{ kind: string; value: string }>(
    prisma,
    `SELECT DISTINCT 'namespace' AS kind, unnest(namespaces) AS value FROM error_patterns
     UNION
     SELECT DISTINCT 'errorType', error_type FROM error_patterns WHERE error_type IS NOT NULL
     ORDER BY kind, value`,
  );
  return {
    namespaces: rows.filter((row) => row.kind === "namespace").map((row) => row.value),
    errorTypes: rows.filter((row) => row.kind === "errorType").map((row) => row.value),
  };
}

/** How many peaks list each pattern, in one query. */
async function countPeaksOfPatterns(prisma: PrismaClient, hashes: readonly string[]): Promise<Map<string, number>> {
  if (hashes.length === 0) return new Map();
  const rows = await readRows<{ hash: string; count: number }>(
    prisma,
    `SELECT h.hash, count(p.id)::int AS count
       FROM unnest($1::text[]) AS h(hash)
       JOIN peak_investigation p ON ${PEAK_PATTERN_IDS} @> ARRAY[h.hash]
      GROUP BY h.hash`,
    [hashes],
  );
  return new Map(rows.map((row) => [row.hash, row.count]));
}

type PeakRow = PeakHeadlineRow & {
  known_issue_id: number | null;
  known_issue_title: string | null;
  total: number;
};

type PatternDetailRow = {
  pattern_hash: string;
  template: string;
  error_type: string | null;
  occurrences: number;
  first_seen: Date;
  last_seen: Date;
  namespaces: string[];
  namespace_occurrences: Record<string, number> | null;
  example_messages: string[];
};

/** Whether a pattern with this hash is stored (viewers and above): one indexed lookup, for a page to answer 404 before it streams. */
export async function hasPattern(prisma: PrismaClient, actor: Actor | null, hash: string): Promise<boolean> {
  assertRole(actor, "viewer");
  const patternHash = parseInput(patternHashSchema, hash);
  return (await readRows(prisma, "SELECT 1 FROM error_patterns WHERE pattern_hash = $1", [patternHash])).length > 0;
}

/**
 * One pattern with its examples, counts per namespace, daily series over `days`, the known
 * issues and known peaks recognised by it, and its peaks, newest first (viewers and above).
 */
export async function getPattern(
  prisma: PrismaClient,
  actor: Actor | null,
  hash: string,
  input: GetPatternInput = {},
  now: Date = new Date(),
): Promise<PatternDetail> {
  assertRole(actor, "viewer");
  const patternHash = parseInput(patternHashSchema, hash);
  const { days } = parseInput(getPatternSchema, input);
  const [row] = await readRows<PatternDetailRow>(
    prisma,
    `SELECT pattern_hash, template, error_type, occurrences::float8 AS occurrences, first_seen, last_seen, namespaces, namespace_occurrences, example_messages
       FROM error_patterns WHERE pattern_hash = $1`,
    [patternHash],
  );
  if (!row) throw new NotFoundError(`Pattern ${patternHash} does not exist`);
  const window = trendWindow(now, days);
  const [daily, knownIssues, knownPeaks, peaks] = await Promise.all([
    readDailyCounts(prisma, [patternHash], window.previousFrom, window.to, null),
    readRows<{ id: number; title: string; status: string }>(
      prisma,
      `SELECT id, title, status::text AS status FROM known_issues WHERE pattern_ids @> ARRAY[$1::text] ORDER BY known_issues.status, id DESC`,
      [patternHash],
    ),
    readRows<{ id: number; title: string; resolved_at: Date }>(
      prisma,
      `SELECT id, title, resolved_at FROM known_peaks WHERE pattern_ids @> ARRAY[$1::text] ORDER BY resolved_at DESC`,
      [patternHash],
    ),
    readRows<PeakRow>(
      prisma,
      // Materialised: otherwise the planner walks the timestamp index newest first and reads
      // every peak's top_patterns until it has found enough.
      `WITH matched AS MATERIALIZED (SELECT p.id FROM peak_investigation p WHERE ${PEAK_PATTERN_IDS} @> ARRAY[$1::text])
       SELECT p.id, p.timestamp, p.namespace, p.severity::text AS severity, p.status::text AS status, p.error_count,
              p.known_issue_id, k.title AS known_issue_title, count(*) OVER ()::int AS total
         FROM matched m JOIN peak_investigation p ON p.id = m.id LEFT JOIN known_issues k ON k.id = p.known_issue_id
        ORDER BY p.timestamp DESC, p.id DESC
        LIMIT $2`,
      [patternHash, MAX_PATTERN_PEAKS],
    ),
  ]);
  const counts = daily.get(patternHash);
  const { series, trend } = seriesAndTrend(window, counts, row.first_seen);
  const byNamespace = Object.entries(row.namespace_occurrences ?? {});
  return {
    hash: row.pattern_hash,
    template: row.template,
    errorType: row.error_type,
    occurrences: row.occurrences,
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    namespaces: row.namespaces,
    namespaceOccurrences: byNamespace
      .map(([namespace, occurrences]) => ({ namespace, occurrences: Number(occurrences) }))
      .sort((left, right) => right.occurrences - left.occurrences || left.namespace.localeCompare(right.namespace)),
    examples: row.example_messages,
    window,
    series: series.map((occurrences, index) => ({ day: addDays(window.from, index), occurrences })),
    trend,
    knownIssues,
    knownPeaks: knownPeaks.map((peak) => ({ id: peak.id, title: peak.title, resolvedAt: peak.resolved_at.toISOString() })),
    peaks: peaks.map((peak) => ({
      ...peakHeadline(peak),
      knownIssue: peak.known_issue_id !== null && peak.known_issue_title !== null ? { id: peak.known_issue_id, title: peak.known_issue_title } : null,
    })),
    peakCount: peaks[0]?.total ?? 0,
  };
}

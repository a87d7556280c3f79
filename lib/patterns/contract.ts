import { z } from "zod";
import type { PatternRulesOfPattern } from "./rules-contract";
import { optionalText } from "@/lib/text-schema";
import type { WildcardSample } from "@/lib/wildcard-sample";

// The patterns API as the browser, the route handlers and the command line see it: inputs,
// answers and the pure helpers of their days and trends, no server code.

export const patternSorts = ["last_seen", "occurrences", "first_seen", "trend"] as const;
export type PatternSort = (typeof patternSorts)[number];

export const DEFAULT_TREND_DAYS = 14;
export const DEFAULT_DETAIL_DAYS = 30;
export const MAX_TREND_DAYS = 90;
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
  /** Whether patterns were counted before the window; without, `previous` compares with nothing. */
  hasHistory: boolean;
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

export type PatternPeak = {
  id: number;
  timestamp: string;
  namespace: string;
  severity: string;
  status: string;
  errorCount: number;
  knownIssue: { id: number; title: string } | null;
};

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
  /** The values seen at each wildcard of the template; null before any was sampled for this template. */
  whyGrouped: WildcardSample | null;
} & PatternRulesOfPattern;

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
 * Without `hasHistoryBeforeWindow` (patterns were first tracked within the window, as right after
 * the first investigation) there is nothing to compare with: every pattern is steady, none new.
 */
export function classifyTrend(current: number, previous: number, isFirstSeenInWindow: boolean, hasHistoryBeforeWindow = true): PatternTrend {
  const ratio = previous > 0 ? current / previous : null;
  const change = current - previous;
  let direction: TrendDirection = "steady";
  if (!hasHistoryBeforeWindow) direction = "steady";
  else if (isFirstSeenInWindow) direction = "new";
  else if (change >= TREND_MIN_CHANGE && current >= previous * TREND_FACTOR) direction = "rising";
  else if (-change >= TREND_MIN_CHANGE && current * TREND_FACTOR <= previous) direction = "falling";
  return { direction, current, previous, ratio, hasHistory: hasHistoryBeforeWindow };
}

// Why grouped: the values seen at each wildcard (a leaf module, since the queries read it too).
export { wildcardSampleSchema, type WildcardSample } from "@/lib/wildcard-sample";

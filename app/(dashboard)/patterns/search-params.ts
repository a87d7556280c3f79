import { z } from "zod";
import { DEFAULT_DETAIL_DAYS, DEFAULT_TREND_DAYS, MAX_TREND_DAYS, patternSorts, type GetPatternInput, type ListPatternsInput } from "@/lib/patterns/contract";
import { firstSearchParams, type RawSearchParams } from "@/lib/search-params";

// The patterns list's state lives in the URL: ?q=&namespace=&type=&sort=&days=&page=. A value
// that does not parse falls back to its default, so that an edited or stale link still opens.

/** Rows per page of the list. */
export const PATTERNS_PAGE_SIZE = 50;
/** Choices offered for the trend window; any 1 to 90 in the URL works. */
export const TREND_DAY_CHOICES = [7, 14, 30, 60, 90] as const;

const text = z.string().trim().max(200).catch("");
const days = (fallback: number) => z.coerce.number().int().min(1).max(MAX_TREND_DAYS).catch(fallback);

const listSearchSchema = z.object({
  q: text,
  namespace: text,
  type: text,
  sort: z.enum(patternSorts).catch("last_seen"),
  days: days(DEFAULT_TREND_DAYS),
  page: z.coerce.number().int().min(1).max(20_000).catch(1),
});
export type PatternListSearch = z.output<typeof listSearchSchema>;

const detailSearchSchema = z.object({ days: days(DEFAULT_DETAIL_DAYS) });
export type PatternDetailSearch = z.output<typeof detailSearchSchema>;

const defaults: PatternListSearch = listSearchSchema.parse({});

/** The first value of each parameter, as a plain object. */
export function parsePatternListSearch(params: RawSearchParams): PatternListSearch {
  return listSearchSchema.parse(firstSearchParams(params));
}

export function parsePatternDetailSearch(params: RawSearchParams): PatternDetailSearch {
  return detailSearchSchema.parse({ days: firstSearchParams(params).days });
}

/** The URL query of a list state, without the values that are defaults ("" for none). */
export function patternListQuery(search: PatternListSearch): string {
  const query = new URLSearchParams();
  for (const key of ["q", "namespace", "type", "sort", "days", "page"] as const) {
    if (search[key] !== defaults[key]) query.set(key, String(search[key]));
  }
  return query.toString();
}

/** What the list state asks of listPatterns (and of GET /api/patterns). */
export function toListPatternsInput(search: PatternListSearch): ListPatternsInput {
  return {
    q: search.q || undefined,
    namespace: search.namespace || undefined,
    errorType: search.type || undefined,
    sort: search.sort,
    days: search.days,
    limit: PATTERNS_PAGE_SIZE,
    offset: (search.page - 1) * PATTERNS_PAGE_SIZE,
  };
}

/** The query string of GET /api/patterns for a list state. */
export function patternsApiQuery(search: PatternListSearch): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(toListPatternsInput(search))) if (value !== undefined) query.set(key, String(value));
  return query.toString();
}

/** What the detail state asks of getPattern (and of GET /api/patterns/[hash]). */
export function toGetPatternInput(search: PatternDetailSearch): GetPatternInput {
  return { days: search.days };
}

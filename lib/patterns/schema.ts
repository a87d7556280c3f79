// The patterns' query values, shared by the data layer and the pages (which may not import
// lib/db's values: those bring the database driver into the browser bundle).

export const patternSorts = ["last_seen", "occurrences", "first_seen", "trend"] as const;
export type PatternSort = (typeof patternSorts)[number];

export const DEFAULT_TREND_DAYS = 14;
export const DEFAULT_DETAIL_DAYS = 30;
export const MAX_TREND_DAYS = 90;

import type { estypes } from "@elastic/elasticsearch";
import { VERSIONS_SEEN_BUCKET_MS, type TimeRange } from "@/lib/pipeline/log-document";
import type { QueryFields } from "./mapping";

/** Documents whose timestamp lies in [fromMs, toMs). */
export function rangeFilter(fields: QueryFields, range: TimeRange): estypes.QueryDslQueryContainer {
  return { range: { [fields.timestamp]: { gte: range.fromMs, lt: range.toMs, format: "epoch_millis" } } };
}

/** Documents at one of the error levels, compared case-insensitively as the file source does. */
export function levelFilter(fields: QueryFields, levels: readonly string[]): estypes.QueryDslQueryContainer {
  return {
    bool: {
      should: levels.map((level) => ({ term: { [fields.level]: { value: level, case_insensitive: true } } })),
      minimum_should_match: 1,
    },
  };
}

/** The error documents of a range: what the counts and the versions seen are made of. */
export function errorsInRange(fields: QueryFields, levels: readonly string[], range: TimeRange): estypes.QueryDslQueryContainer {
  return { bool: { filter: [rangeFilter(fields, range), levelFilter(fields, levels)] } };
}

/** The summary of a range: all documents, the error ones, and the error ones without a namespace. */
export function summaryAggregations(fields: QueryFields, levels: readonly string[]): Record<string, estypes.AggregationsAggregationContainer> {
  return {
    errors: {
      filter: levelFilter(fields, levels),
      aggs: { without_namespace: { missing: { field: fields.namespace } } },
    },
  };
}

/**
 * The oldest and newest document of any level up to an instant: what the index has read. The
 * newest one is the source's high-water mark; documents dated later (clocks ahead, stray test
 * data) cannot make a stale index look fresh.
 */
export function extentAggregations(fields: QueryFields, untilMs: number): Record<string, estypes.AggregationsAggregationContainer> {
  return {
    extent: {
      filter: { range: { [fields.timestamp]: { lte: untilMs, format: "epoch_millis" } } },
      aggs: { oldest: { min: { field: fields.timestamp } }, newest: { max: { field: fields.timestamp } } },
    },
  };
}

/**
 * Error counts per (window, namespace) as one composite aggregation, paged by `after`. The
 * date histogram uses the grid's window length and timezone, so its buckets are the grid's windows.
 */
export function windowCountAggregations(
  fields: QueryFields,
  grid: { windowMinutes: number; timeZone: string },
  pageSize: number,
  after: Record<string, estypes.FieldValue> | undefined,
): Record<string, estypes.AggregationsAggregationContainer> {
  return {
    windows: {
      composite: {
        size: pageSize,
        sources: [
          { window: { date_histogram: { field: fields.timestamp, fixed_interval: `${grid.windowMinutes}m`, time_zone: grid.timeZone } } },
          { namespace: { terms: { field: fields.namespace } } },
        ],
        ...(after ? { after } : {}),
      },
    },
  };
}

/**
 * The first and last error document per (UTC day, namespace, version) as one composite
 * aggregation, paged by `after`: what dates the versions (VersionsSeen). The days are fixed
 * intervals in UTC, so their keys are VersionsSeen's bucket starts. Documents without a version
 * form no bucket (no `missing_bucket`), as the file source notes none for them.
 */
export function versionsSeenAggregations(
  fields: QueryFields,
  versionField: string,
  pageSize: number,
  after: Record<string, estypes.FieldValue> | undefined,
): Record<string, estypes.AggregationsAggregationContainer> {
  return {
    versions: {
      composite: {
        size: pageSize,
        sources: [
          { day: { date_histogram: { field: fields.timestamp, fixed_interval: `${VERSIONS_SEEN_BUCKET_MS / 60_000}m`, time_zone: "UTC" } } },
          { namespace: { terms: { field: fields.namespace } } },
          { version: { terms: { field: versionField } } },
        ],
        ...(after ? { after } : {}),
      },
      aggs: { first: { min: { field: fields.timestamp } }, last: { max: { field: fields.timestamp } } },
    },
  };
}

/** Time order with the point-in-time tiebreaker, so that search_after never skips or repeats a document. */
export function documentSort(fields: QueryFields): estypes.Sort {
  return [{ [fields.timestamp]: { order: "asc" } }, { _shard_doc: "asc" }];
}

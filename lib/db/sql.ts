import { sql, type Expression, type RawBuilder } from "kysely";

// SQL shared by the reads of several domains.

/** A timestamp as milliseconds since the epoch (float8, so node-postgres returns a number). */
export function epochMilliseconds(timestamp: Expression<Date>): RawBuilder<number> {
  return sql<number>`(extract(epoch FROM ${timestamp}) * 1000)::float8`;
}

/**
 * Numbers as the text of a `$n::text[]::float8[]` parameter of a raw Prisma query. Prisma sends
 * a number parameter with 15 significant digits (0.1 + 0.2 arrives as 0.3); a number's shortest
 * round-trip text keeps every bit (null stays NULL), so a baseline slot reads back exactly as it was computed and a
 * run continuing from it computes what one long run would have.
 */
export function exactFloats(values: readonly (number | null)[]): (string | null)[] {
  return values.map((value) => (value === null ? null : String(value)));
}

/** Text for a LIKE / ILIKE pattern that matches it literally: `%`, `_` and `\` escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * A query of the distinct namespaces of a table with an index led by `namespace`, one row each,
 * sorted: it skips from one namespace to the next through the index, a handful of index probes
 * per namespace rather than a read of every row (Prisma's `distinct` reads them all).
 */
export function distinctNamespacesQuery(table: "peak_raw_data" | "aggregation_data"): string {
  return `WITH RECURSIVE names AS (
       (SELECT namespace FROM ${table} ORDER BY namespace LIMIT 1)
       UNION ALL
       SELECT (SELECT t.namespace FROM ${table} t WHERE t.namespace > names.namespace ORDER BY t.namespace LIMIT 1)
         FROM names WHERE names.namespace IS NOT NULL
     )
     SELECT namespace FROM names WHERE namespace IS NOT NULL`;
}

/** The columns of a peak that every list of peaks shows, as plain SQL reads them. */
export type PeakHeadlineRow = { id: number; timestamp: Date; namespace: string; severity: string; status: string; error_count: number };

/** A listed peak's headline in the answers' shape (camelCase, ISO time). */
export type PeakHeadline = { id: number; timestamp: string; namespace: string; severity: string; status: string; errorCount: number };

export function peakHeadline(row: PeakHeadlineRow): PeakHeadline {
  return {
    id: row.id,
    timestamp: row.timestamp.toISOString(),
    namespace: row.namespace,
    severity: row.severity,
    status: row.status,
    errorCount: row.error_count,
  };
}

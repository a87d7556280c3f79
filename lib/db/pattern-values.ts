import type { Db, Prisma } from "./client";
import { wildcardPositionsSchema, type WildcardSample } from "@/lib/wildcard-sample";

// The values seen at each pattern's wildcards (pattern_wildcard_values, "why grouped"). The
// summaries are built and merged by lib/pipeline/value-sample.ts; these are reads and writes only.

/** A pattern's template now, and its stored sample (null when none), as a transaction sees them. */
export type StoredWildcardSample = { template: string; sample: WildcardSample | null };

/** The current template and stored sample of each of the patterns that exist, in the transaction. */
export async function findWildcardSamples(transaction: Prisma.TransactionClient, hashes: readonly string[]): Promise<Map<string, StoredWildcardSample>> {
  if (hashes.length === 0) return new Map();
  const rows = await transaction.errorPattern.findMany({
    where: { patternHash: { in: [...hashes] } },
    select: { patternHash: true, template: true, wildcardValues: { select: { template: true, total: true, positions: true } } },
  });
  return new Map(
    rows.map((row) => {
      const stored = row.wildcardValues;
      const positions = stored === null ? null : wildcardPositionsSchema.safeParse(stored.positions);
      // A damaged value is dropped by the next write rather than failing the run.
      const sample = stored !== null && positions?.success ? { template: stored.template, total: stored.total, positions: positions.data } : null;
      return [row.patternHash, { template: row.template, sample }];
    }),
  );
}

/** Writes the samples (one statement) and deletes those of `dropped` (stale ones that could not be re-keyed). */
export async function saveWildcardSamples(
  transaction: Prisma.TransactionClient,
  samples: readonly { patternHash: string; sample: WildcardSample }[],
  dropped: readonly string[],
): Promise<void> {
  if (samples.length > 0) {
    await transaction.$executeRawUnsafe(
      `INSERT INTO pattern_wildcard_values (pattern_hash, template, total, positions, updated_at)
         SELECT hash, template, total, positions::jsonb, now() FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[]) AS s(hash, template, total, positions)
       ON CONFLICT (pattern_hash) DO UPDATE
         SET template = excluded.template, total = excluded.total, positions = excluded.positions, updated_at = excluded.updated_at`,
      samples.map((entry) => entry.patternHash),
      samples.map((entry) => entry.sample.template),
      samples.map((entry) => entry.sample.total),
      samples.map((entry) => JSON.stringify(entry.sample.positions)),
    );
  }
  if (dropped.length > 0) await transaction.patternWildcardValues.deleteMany({ where: { patternHash: { in: [...dropped] } } });
}

/** A pattern's stored sample with its current template; undefined when it has none. */
export async function findWildcardSampleOfPattern(db: Db, hash: string): Promise<StoredWildcardSample | undefined> {
  const row = await db.kysely
    .selectFrom("pattern_wildcard_values as v")
    .innerJoin("error_patterns as e", "e.pattern_hash", "v.pattern_hash")
    .select(["e.template as current", "v.template", "v.total", "v.positions"])
    .where("v.pattern_hash", "=", hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const positions = wildcardPositionsSchema.safeParse(row.positions);
  return { template: row.current, sample: positions.success ? { template: row.template, total: row.total, positions: positions.data } : null };
}

import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "@/test/support/test-database";
import { migrationsBefore, runSql as run } from "@/test/support/migrations-before";
import { migrate } from "./migrate";

const PROBLEMS_MIGRATION = "0020_problems";

describe.each(databaseKinds)("the problems migration on %s", (kind) => {
  let database: TestDatabase;
  let folder: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    folder = await migrationsBefore(PROBLEMS_MIGRATION);
  });
  afterAll(async () => {
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("fills each investigated window's root-cause pattern from its stored investigation, and leaves the others empty", async () => {
    await migrate(database.connection, folder);
    const investigations: [string, unknown, boolean][] = [
      // Traced: the first root cause, not the window's most frequent pattern.
      ["traced", { rootCauses: [{ patternId: "root-1" }, { patternId: "root-2" }], patterns: [{ patternId: "frequent" }] }, true],
      // No trace at all: the most frequent pattern stands in, as known issues match.
      ["untraced", { rootCauses: [], patterns: [{ patternId: "frequent" }] }, true],
      ["empty", { rootCauses: [], patterns: [] }, true],
      ["not an object", [1, 2], true],
      ["odd parts", { rootCauses: { patternId: "no-array" }, patterns: "text" }, true],
      // Not enriched (yet): whatever the column holds is not an investigation.
      ["not enriched", { rootCauses: [{ patternId: "stale" }] }, false],
    ];
    for (const [index, [namespace, topPatterns, isEnriched]] of investigations.entries()) {
      await run(
        database.connection,
        `INSERT INTO peak_investigation (timestamp, namespace, day_of_week, hour_of_day, quarter_hour, severity, error_count, baseline_mean,
                                         baseline_stddev, baseline_samples, ratio, required_ratio, average_24h, reference_counts, top_patterns, enriched_at)
         VALUES ($1, $2, 0, 9, 0, 'high', 400, 40, 6, 4, 10, 3, 40, '{}', $3::jsonb, $4)`,
        [new Date(Date.UTC(2026, 10, 23, 9, index * 15)), namespace, JSON.stringify(topPatterns), isEnriched ? new Date() : null],
      );
    }
    await run(
      database.connection,
      `INSERT INTO peak_investigation (timestamp, namespace, day_of_week, hour_of_day, quarter_hour, severity, error_count, baseline_mean,
                                       baseline_stddev, baseline_samples, ratio, required_ratio, average_24h, reference_counts)
       VALUES ($1, 'detected only', 0, 12, 0, 'high', 400, 40, 6, 4, 10, 3, 40, '{}')`,
      [new Date(Date.UTC(2026, 10, 23, 12))],
    );

    await migrate(database.connection);
    const rows = await run<{ namespace: string; root_cause_pattern_id: string | null }>(
      database.connection,
      "SELECT namespace, root_cause_pattern_id FROM peak_investigation ORDER BY timestamp",
    );
    expect(rows).toEqual([
      { namespace: "traced", root_cause_pattern_id: "root-1" },
      { namespace: "untraced", root_cause_pattern_id: "frequent" },
      { namespace: "empty", root_cause_pattern_id: null },
      { namespace: "not an object", root_cause_pattern_id: null },
      { namespace: "odd parts", root_cause_pattern_id: null },
      { namespace: "not enriched", root_cause_pattern_id: null },
      { namespace: "detected only", root_cause_pattern_id: null },
    ]);
  });
});

import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { ProblemPage } from "@/lib/problems/contract";
import { runCli } from "@/test/support/run-cli";
import { PLANNED_PATTERNS, seedPlannedProblems } from "@/test/support/problem-rows";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";

// peaks problems as a child process, over the planned problems of the day before it runs.

/** A few commands, each a child process that opens the database. */
const SEVERAL_COMMANDS_MS = 180_000;

const config = loadConfig(path.resolve("values.yaml"));
const QUARTER = 15 * 60_000;
const { pool, nullPointer, deadlock, redis, signingKey, reports } = PLANNED_PATTERNS;

describe.each(databaseKinds)("peaks problems on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  const peaks = (...args: string[]) => runCli(db().target, args);

  beforeAll(async () => {
    // The command's period ends when it runs: the planned windows end at the last quarter hour.
    await seedPlannedProblems(db(), config, new Date(Math.floor(Date.now() / QUARTER) * QUARTER));
  });

  it(
    "prints the day's problems most actionable first as JSON, CSV and a table",
    async () => {
      const json = await peaks("problems", "--format", "json");
      expect([json.code, json.stderr]).toEqual([0, ""]);
      const page = JSON.parse(json.stdout) as ProblemPage;
      expect(page.period.since).toBe("24h");
      expect(page.total).toBe(7);
      // The known problem is last; which of its windows falls in the period depends on the minute the command ran.
      expect(page.problems.map((problem) => problem.id)).toEqual([
        `${pool}-timeout`,
        `${deadlock}-database`,
        `${reports}-unknown`,
        `${nullPointer}-null_pointer`,
        `${pool}-connection`,
        `${redis}-connection`,
        `${signingKey}-auth`,
      ]);
      expect(page.problems[0]).toMatchObject({ scope: { kind: "systemic", mostAtOnce: 3 }, trend: { direction: "up" }, errors: 2000 });
      expect(page.windowsWithoutRootCause).toBe(1);

      const csv = await peaks("problems", "--format", "csv", "--since", "24h");
      expect(csv.code).toBe(0);
      const lines = csv.stdout.trimEnd().split("\n");
      expect(lines[0]).toBe(
        "id,pattern_id,error_type,template,occurrences,incidents,errors,trend,previous_occurrences,previous_errors,previous_missing_windows,previous_stored_from,scope,most_namespaces_at_once,namespaces,apps,first_seen,last_seen,known_issue_id,known_issue_title",
      );
      expect(lines).toHaveLength(8);
      expect(lines[1]).toMatch(
        new RegExp(
          `^${pool}-timeout,${pool},timeout,"HikariPool-1 - Connection is not available, request timed out after <\\*>ms",5,3,2000,up,1,400,0,[^,]+,systemic,3,ledger orders payments,ledger-api orders-api payments-api,`,
        ),
      );

      const table = await peaks("problems", "--limit", "2");
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^Problems of the last 24h \(.+ to .+\), most actionable first: 2 of 7\n/);
      expect(table.stdout).toContain("PROBLEM");
      expect(table.stdout).toContain(`${pool}-timeout`);
      // The planned problems come without the counted windows of their time: nothing says the day before was read.
      expect(table.stdout).toContain("up 400 → 2000 (×5.0), period before incomplete");
      expect(table.stdout).toContain("systemic: 3 namespaces, 3 at once");
      expect(table.stdout).not.toContain(`${redis}-connection`);
      expect(table.stdout).toContain("1 peak windows of the period are not investigated yet");
    },
    SEVERAL_COMMANDS_MS,
  );

  it(
    "reads a longer period when asked",
    async () => {
      const week = await peaks("problems", "--since", "7d", "--format", "json");
      expect(week.code).toBe(0);
      const page = JSON.parse(week.stdout) as ProblemPage;
      expect(page.period.since).toBe("7d");
      expect(page.problems.find((problem) => problem.id === `${pool}-timeout`)).toMatchObject({ occurrences: 7 });
    },
    SEVERAL_COMMANDS_MS,
  );
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { PatternRuleView } from "@/lib/patterns/rules-contract";
import { createPatternMiner } from "@/lib/pipeline/patterns";
import { runCli } from "@/test/support/run-cli";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";

// peaks patterns merge | split | rules [revoke], and `patterns --input --rules`, as child processes.

/** Each test runs a dozen commands, each a child process that opens the database. */
const SEVERAL_COMMANDS_MS = 240_000;

const workDir = mkdtempSync(path.join(os.tmpdir(), "peaks-cli-pattern-rules-"));
const messagesFile = path.join(workDir, "messages.txt");
const lines = [
  "Connection to db-1.example.internal:5432 refused after 30 ms",
  "Connection to db-2.example.internal:5432 refused after 45 ms",
  "Cache stampede detected for shard 17",
  "Connection to db-1.example.internal:5432 refused after 12 ms",
];
writeFileSync(messagesFile, `${lines.join("\n")}\n`);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

// The ids the miner gives these lines, computed the same way the command does.
const reference = createPatternMiner();
const handles = lines.map((line) => reference.add(line));
const CONNECTION = reference.patternOf(handles[0]!);
const CACHE = reference.patternOf(handles[2]!);

describe.each(databaseKinds)("peaks patterns merge, split and rules on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  const peaks = (...args: string[]) => runCli(db().target, args);

  it(
    "merges, lists in every format, and reverts",
    async () => {
      await db().prisma.errorPattern.createMany({
        data: [CONNECTION, CACHE].map((pattern, index) => ({
          patternHash: pattern.id,
          template: pattern.template,
          firstSeen: new Date("2026-11-16T10:00:00Z"),
          lastSeen: new Date("2026-11-16T11:00:00Z"),
          occurrences: 10 + index,
          namespaces: ["payments"],
          namespaceOccurrences: { payments: 10 + index },
          exampleMessages: [],
        })),
      });
      const merged = await peaks("patterns", "merge", CACHE.id, "--into", CONNECTION.id);
      expect(merged.stderr).toBe("");
      expect(merged.code).toBe(0);
      expect(merged.stdout).toMatch(
        new RegExp(`^Rule (\\d+) made: merge ${CACHE.id} into ${CONNECTION.id}\\.\\nRevert it with: peaks patterns rules revoke \\d+\\n$`),
      );

      const again = await peaks("patterns", "merge", CACHE.id, "--into", CONNECTION.id);
      expect(again.code).toBe(5);
      expect(again.stderr).toBe(`Error: Pattern ${CACHE.id} is already merged into ${CONNECTION.id}\n`);
      const unknown = await peaks("patterns", "merge", "00000000000000", "--into", CONNECTION.id);
      expect([unknown.code, unknown.stderr]).toEqual([4, "Error: Pattern 00000000000000 does not exist\n"]);

      const json = await peaks("patterns", "rules", "--format", "json");
      const rules = JSON.parse(json.stdout) as PatternRuleView[];
      expect(rules.map((rule) => [rule.kind, rule.target, rule.members, rule.isActive, rule.createdBy])).toEqual([
        ["merge", CONNECTION.id, [CACHE.id], true, "cli"],
      ]);
      const csv = await peaks("patterns", "rules", "--format", "csv");
      expect(csv.stdout.split("\n")[0]).toBe("id,kind,target,members,child,wildcard,value,regex,created_by,created_at,revoked_by,revoked_at");
      expect(csv.stdout.split("\n")[1]).toMatch(new RegExp(`^${rules[0]!.id},merge,${CONNECTION.id},${CACHE.id},,,,,cli,`));
      const table = await peaks("patterns", "rules");
      expect(table.stdout).toContain(`merge ${CACHE.id} into ${CONNECTION.id}`);

      // The file grouped with the stored rules: the cache line is printed under the pattern it went into.
      const grouped = await peaks("patterns", "--input", messagesFile, "--rules");
      expect(grouped.code).toBe(0);
      expect(grouped.stdout.split("\n")[3]).toBe(`3,${CONNECTION.id},${CACHE.template}`);
      expect(grouped.stderr).toContain("stored merges and splits applied");
      const plain = await peaks("patterns", "--input", messagesFile);
      expect(plain.stdout.split("\n")[3]).toBe(`3,${CACHE.id},${CACHE.template}`);
      expect(plain.stderr).toContain("stored merges and splits not applied; add --rules");

      const revoked = await peaks("patterns", "rules", "revoke", String(rules[0]!.id));
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain(`Rule ${rules[0]!.id} reverted`);
      const twice = await peaks("patterns", "rules", "revoke", String(rules[0]!.id));
      expect([twice.code, twice.stderr]).toEqual([5, `Error: Pattern rule ${rules[0]!.id} was already reverted\n`]);
      const active = await peaks("patterns", "rules", "--active", "--format", "json");
      expect(JSON.parse(active.stdout)).toEqual([]);
    },
    SEVERAL_COMMANDS_MS,
  );

  it(
    "splits by a wildcard's value, says it applies from now on, and refuses bad flags clearly",
    async () => {
      const split = await peaks("patterns", "split", CONNECTION.id, "--wildcard", "1", "--value", "db-1.example.internal:5432");
      expect(split.stderr).toBe("");
      expect(split.code).toBe(0);
      expect(split.stdout).toContain("New pattern ");
      expect(split.stdout).toContain("It applies from now on");

      const grouped = await peaks("patterns", "--input", messagesFile, "--rules", "--format", "json");
      const rows = JSON.parse(grouped.stdout) as { lineId: number; patternId: string; template: string }[];
      expect(rows.map((row) => row.template)).toEqual([
        "Connection to db-1.example.internal:5432 refused after <*>",
        CONNECTION.template,
        CACHE.template,
        "Connection to db-1.example.internal:5432 refused after <*>",
      ]);

      const outOfRange = await peaks("patterns", "split", CONNECTION.id, "--wildcard", "7", "--value", "x");
      expect([outOfRange.code, outOfRange.stderr]).toEqual([2, "Error: wildcard: wildcard must be from 1 to 2: the template has 2 wildcards\n"]);
      const zero = await peaks("patterns", "split", CONNECTION.id, "--wildcard", "0", "--value", "x");
      expect(zero.code).toBe(2);
      expect(zero.stderr).toContain("--wildcard must be a whole number from 1");
      const notANumber = await peaks("patterns", "split", CONNECTION.id, "--wildcard", "first", "--value", "x");
      expect(notANumber.code).toBe(2);
      expect(notANumber.stderr).toContain("--wildcard must be a whole number");
      const both = await peaks("patterns", "split", CONNECTION.id, "--wildcard", "1", "--value", "x", "--regex", "y");
      expect([both.code, both.stderr]).toEqual([2, "Error: Give --wildcard with --value, or --regex, not both\n"]);
      const regex = await peaks("patterns", "split", CONNECTION.id, "--regex", "(a)\\1");
      expect(regex.code).toBe(2);
      expect(regex.stderr).toMatch(/^Error: regex: .*backreferences cannot run in linear time\n$/);
      const noInput = await peaks("patterns");
      expect([noInput.code, noInput.stderr]).toEqual([2, "Error: --input <file> is required to group messages (or use merge, split or rules)\n"]);
      const help = await peaks("patterns", "split", "--help");
      expect(help.stdout).toContain("--wildcard <n>");
      expect(help.stdout).toContain("It applies from now on");
    },
    SEVERAL_COMMANDS_MS,
  );
});

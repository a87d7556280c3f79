import { describe, expect, it } from "vitest";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { addWindowsPatterns, type WindowPattern } from "./investigation";

const DAY = Date.UTC(2026, 10, 2);
const QUARTER = 15 * 60_000;

function pattern(patternId: string, count: number, start: number, examples: string[], template = `template of ${patternId}`): WindowPattern {
  return { patternId, template, errorType: "timeout", count, firstSeen: start + 1_000, lastSeen: start + 2_000, examples };
}

describe.each(databaseKinds)("adding windows' patterns to the stored ones on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  it("merges counts, first windows, namespaces, seen times and examples with what is stored", async () => {
    const prisma = db().prisma;
    const first = await prisma.$transaction((transaction) =>
      addWindowsPatterns(
        transaction,
        [
          { start: DAY + 4 * QUARTER, namespace: "orders", documents: 5, patterns: [pattern("p1", 5, DAY + 4 * QUARTER, ["a", "b"])] },
          { start: DAY + 2 * QUARTER, namespace: "payments", documents: 3, patterns: [pattern("p1", 3, DAY + 2 * QUARTER, ["b", "c"])] },
        ],
        3,
      ),
    );
    expect(first).toMatchObject({ counted: 2, alreadyCounted: 0 });
    const created = await prisma.errorPattern.findUniqueOrThrow({ where: { patternHash: "p1" } });
    expect(created).toMatchObject({
      occurrences: 8n,
      namespaces: ["orders", "payments"],
      namespaceOccurrences: { orders: 5, payments: 3 },
      namespaceFirstWindows: { orders: DAY + 4 * QUARTER, payments: DAY + 2 * QUARTER },
      exampleMessages: ["a", "b", "c"],
    });
    expect(created.firstSeen.getTime()).toBe(DAY + 2 * QUARTER + 1_000);

    // Later and earlier windows, a new namespace, a refined template, and examples beyond the cap.
    const second = await prisma.$transaction((transaction) =>
      addWindowsPatterns(
        transaction,
        [
          { start: DAY + 9 * QUARTER, namespace: "payments", documents: 7, patterns: [pattern("p1", 7, DAY + 9 * QUARTER, ["d"], "refined <*>")] },
          { start: DAY, namespace: "orders", documents: 2, patterns: [pattern("p1", 2, DAY, ["e"], "refined <*>"), pattern("p2", 2, DAY, ["x"])] },
          { start: DAY + QUARTER, namespace: "accounts", documents: 1, patterns: [pattern("p1", 1, DAY + QUARTER, [], "refined <*>")] },
          // Counted before: refreshes the template and seen times, adds no occurrence.
          { start: DAY + 4 * QUARTER, namespace: "orders", documents: 5, patterns: [pattern("p1", 5, DAY + 4 * QUARTER, ["a"], "refined <*>")] },
        ],
        3,
      ),
    );
    expect(second).toMatchObject({ counted: 3, alreadyCounted: 1 });
    const merged = await prisma.errorPattern.findUniqueOrThrow({ where: { patternHash: "p1" } });
    expect(merged).toMatchObject({
      template: "refined <*>",
      occurrences: 18n,
      namespaces: ["accounts", "orders", "payments"],
      namespaceOccurrences: { accounts: 1, orders: 7, payments: 10 },
      namespaceFirstWindows: { accounts: DAY + QUARTER, orders: DAY, payments: DAY + 2 * QUARTER },
      exampleMessages: ["a", "b", "c"],
    });
    expect(merged.firstSeen.getTime()).toBe(DAY + 1_000);
    expect(merged.lastSeen.getTime()).toBe(DAY + 9 * QUARTER + 2_000);
    expect(await prisma.errorPattern.findUniqueOrThrow({ where: { patternHash: "p2" } })).toMatchObject({
      occurrences: 2n,
      namespaceOccurrences: { orders: 2 },
      exampleMessages: ["x"],
    });
    const daily = await prisma.patternDailyCount.findMany({ where: { patternHash: "p1" }, orderBy: { namespace: "asc" } });
    expect(daily.map((row) => [row.namespace, row.occurrences])).toEqual([
      ["accounts", 1],
      ["orders", 7],
      ["payments", 10],
    ]);
  });

  it("fills examples up to the cap, stored ones first, without repeating one", async () => {
    const prisma = db().prisma;
    const start = DAY + 20 * QUARTER;
    await prisma.$transaction((transaction) =>
      addWindowsPatterns(transaction, [{ start, namespace: "orders", documents: 1, patterns: [pattern("p3", 1, start, ["one"])] }], 3),
    );
    await prisma.$transaction((transaction) =>
      addWindowsPatterns(
        transaction,
        [{ start: start + QUARTER, namespace: "orders", documents: 4, patterns: [pattern("p3", 4, start + QUARTER, ["one", "two", "three", "four"])] }],
        3,
      ),
    );
    expect((await prisma.errorPattern.findUniqueOrThrow({ where: { patternHash: "p3" } })).exampleMessages).toEqual(["one", "two", "three"]);
  });
});

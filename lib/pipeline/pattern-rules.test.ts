import { describe, expect, it } from "vitest";
import {
  applySplits,
  compilePatternRules,
  effectivePatternId,
  expandMergedIds,
  mergeProblem,
  NO_PATTERN_RULES,
  resolveMerge,
  splitChildId,
  splitChildTemplate,
  splitProblem,
  withPatternSplits,
  type SplitCriterion,
  type SplitRule,
} from "./pattern-rules";
import { createPatternMiner } from "./patterns";

const CONNECTION = "Connection to <*> refused after <*> retries";

function split(id: number, parent: string, parentTemplate: string, criterion: SplitCriterion): SplitRule {
  return {
    id,
    kind: "split",
    parent,
    parentTemplate,
    child: splitChildId(parent, criterion),
    childTemplate: splitChildTemplate(parentTemplate, criterion),
    criterion,
  };
}

describe("split templates and ids", () => {
  it("puts the value in place of its wildcard only", () => {
    expect(splitChildTemplate(CONNECTION, { wildcard: 0, value: "db1" })).toBe("Connection to db1 refused after <*> retries");
    expect(splitChildTemplate(CONNECTION, { wildcard: 1, value: "3" })).toBe("Connection to <*> refused after 3 retries");
    expect(splitChildTemplate("<*> failed", { wildcard: 0, value: "sync" })).toBe("sync failed");
  });

  it("names a regex split by the template and the regex", () => {
    expect(splitChildTemplate(CONNECTION, { regex: "db1" })).toBe(`${CONNECTION} [matching /db1/]`);
  });

  it("gives the same split the same id and different splits different ids", () => {
    expect(splitChildId("p", { wildcard: 0, value: "db1" })).toBe(splitChildId("p", { wildcard: 0, value: "db1" }));
    expect(splitChildId("p", { wildcard: 0, value: "db1" })).not.toBe(splitChildId("p", { wildcard: 0, value: "db2" }));
    expect(splitChildId("p", { wildcard: 0, value: "db1" })).not.toBe(splitChildId("q", { wildcard: 0, value: "db1" }));
    expect(splitChildId("p", { regex: "db1" })).not.toBe(splitChildId("p", { wildcard: 0, value: "db1" }));
  });
});

describe("applySplits", () => {
  const byValue = split(1, "p", CONNECTION, { wildcard: 0, value: "db1" });
  const byRegex = split(2, "p", CONNECTION, { regex: "after [0-9]+ retries$" });
  const mined = { id: "p", template: CONNECTION };

  it("sends a message whose value at the wildcard equals the rule's to the new pattern", () => {
    const rules = compilePatternRules([byValue]);
    expect(applySplits(rules, mined, "Connection to db1 refused after 3 retries")).toEqual({ id: byValue.child, template: byValue.childTemplate });
    expect(applySplits(rules, mined, "Connection to db2 refused after 3 retries")).toEqual(mined);
  });

  it("compares the value whole, not as a prefix", () => {
    const rules = compilePatternRules([byValue]);
    expect(applySplits(rules, mined, "Connection to db10 refused after 3 retries")).toEqual(mined);
  });

  it("leaves a message that no longer fits the rule's template with the mined pattern", () => {
    const rules = compilePatternRules([byValue]);
    expect(applySplits(rules, mined, "Connection to db1 dropped")).toEqual(mined);
  });

  it("matches a regex on the headline only, case-insensitively", () => {
    const rules = compilePatternRules([split(3, "p", CONNECTION, { regex: "DB1 refused" })]);
    expect(applySplits(rules, mined, "Connection to db1 refused after 3 retries\n at x").id).not.toBe("p");
    expect(applySplits(rules, mined, "Connection to db2 refused after 3 retries\ndb1 refused").id).toBe("p");
  });

  it("applies the oldest matching rule first", () => {
    const rules = compilePatternRules([byRegex, byValue]);
    expect(applySplits(rules, mined, "Connection to db1 refused after 3 retries").id).toBe(byValue.child);
    expect(applySplits(rules, mined, "Connection to db2 refused after 3 retries").id).toBe(byRegex.child);
  });

  it("only splits the pattern the rule names", () => {
    const rules = compilePatternRules([byValue]);
    expect(applySplits(rules, { id: "other", template: CONNECTION }, "Connection to db1 refused after 3 retries").id).toBe("other");
  });

  it("skips a stored regex RE2 refuses rather than failing every message", () => {
    const rules = compilePatternRules([split(4, "p", CONNECTION, { regex: "(?<=x)y" })]);
    expect(rules.hasSplits).toBe(false);
    expect(applySplits(rules, mined, "Connection to db1 refused after 3 retries")).toEqual(mined);
  });
});

describe("merges", () => {
  const rules = compilePatternRules([{ id: 1, kind: "merge", into: "s", members: ["a", "b"] }]);

  it("shows the members under the pattern they were merged into", () => {
    expect(resolveMerge(rules, "a")).toBe("s");
    expect(resolveMerge(rules, "b")).toBe("s");
    expect(resolveMerge(rules, "s")).toBe("s");
    expect(resolveMerge(rules, "c")).toBe("c");
    expect(resolveMerge(NO_PATTERN_RULES, "a")).toBe("a");
  });

  it("widens a known issue's ids to every pattern merged with one of them, both ways", () => {
    expect(expandMergedIds(rules, ["s"]).sort()).toEqual(["a", "b", "s"]);
    expect(expandMergedIds(rules, ["a"]).sort()).toEqual(["a", "b", "s"]);
    expect(expandMergedIds(rules, ["c"])).toEqual(["c"]);
    expect(expandMergedIds(NO_PATTERN_RULES, ["a"])).toEqual(["a"]);
  });

  it("applies splits before merges", () => {
    const splitRule = split(2, "p", CONNECTION, { wildcard: 0, value: "db1" });
    const both = compilePatternRules([splitRule, { id: 3, kind: "merge", into: "s", members: [splitRule.child] }]);
    expect(effectivePatternId(both, { id: "p", template: CONNECTION }, "Connection to db1 refused after 3 retries")).toBe("s");
    expect(effectivePatternId(both, { id: "p", template: CONNECTION }, "Connection to db2 refused after 3 retries")).toBe("p");
  });

  it("refuses a merge into itself, a named twice, an empty merge", () => {
    expect(mergeProblem(NO_PATTERN_RULES, ["a", "s"], "s")).toBe("Pattern s cannot be merged into itself");
    expect(mergeProblem(NO_PATTERN_RULES, ["a", "a"], "s")).toMatch(/named twice/);
    expect(mergeProblem(NO_PATTERN_RULES, [], "s")).toMatch(/at least one/);
    expect(mergeProblem(NO_PATTERN_RULES, ["a"], "s")).toBeNull();
  });

  it("refuses a pattern already merged elsewhere, or into the same one", () => {
    expect(mergeProblem(rules, ["a"], "t")).toBe("Pattern a is already merged into s: revert that merge first");
    expect(mergeProblem(rules, ["a"], "s")).toBe("Pattern a is already merged into s");
  });

  it("refuses a cycle and merges of more than one level", () => {
    expect(mergeProblem(rules, ["s"], "a")).toBe("Pattern a is itself merged into s: merge into s instead");
    expect(mergeProblem(rules, ["s"], "t")).toMatch(/^Patterns are merged into s \(a, b\): merge into s instead/);
    expect(mergeProblem(compilePatternRules([{ id: 1, kind: "merge", into: "s", members: ["a"] }]), ["s"], "x")).toMatch(/merged into s/);
  });
});

describe("splitProblem", () => {
  const parent = { id: "p", template: CONNECTION };

  it("refuses a wildcard out of range, naming the field and the range", () => {
    expect(splitProblem(NO_PATTERN_RULES, parent, { wildcard: 2, value: "x" })).toEqual({
      field: "wildcard",
      problem: "wildcard must be from 1 to 2: the template has 2 wildcards",
      conflict: false,
    });
    expect(splitProblem(NO_PATTERN_RULES, parent, { wildcard: -1, value: "x" })?.field).toBe("wildcard");
    expect(splitProblem(NO_PATTERN_RULES, { id: "q", template: "Disk full" }, { wildcard: 0, value: "x" })?.problem).toMatch(/no wildcard/);
  });

  it("refuses an empty value and a regex RE2 refuses, with RE2's reason", () => {
    expect(splitProblem(NO_PATTERN_RULES, parent, { wildcard: 0, value: " " })?.field).toBe("value");
    const refused = splitProblem(NO_PATTERN_RULES, parent, { regex: "(a)\\1" });
    expect(refused?.field).toBe("regex");
    expect(refused?.problem).toMatch(/backreferences cannot run in linear time/);
  });

  it("refuses the same split twice and splitting a merged-away pattern, as conflicts", () => {
    const rules = compilePatternRules([split(1, "p", CONNECTION, { wildcard: 0, value: "db1" }), { id: 2, kind: "merge", into: "s", members: ["m"] }]);
    expect(splitProblem(rules, parent, { wildcard: 0, value: "db1" })).toMatchObject({ conflict: true, problem: "Pattern p is already split this way" });
    expect(splitProblem(rules, parent, { wildcard: 0, value: "db2" })).toBeNull();
    expect(splitProblem(rules, { id: "m", template: CONNECTION }, { wildcard: 0, value: "x" })).toMatchObject({ conflict: true, field: "pattern" });
  });
});

describe("withPatternSplits", () => {
  const messages = [
    "Connection to db1 refused after 3 retries",
    "Connection to db2 refused after 5 retries",
    "Connection to db1 refused after 7 retries",
    "Timeout reading row 5 from orders",
  ];

  it("is the miner itself without splits", () => {
    const miner = createPatternMiner();
    expect(withPatternSplits(miner, NO_PATTERN_RULES)).toBe(miner);
  });

  it("answers the new pattern for the messages a split takes, with their count and examples", () => {
    const reference = createPatternMiner();
    const parentId = reference.patternOf(messages.map((message) => reference.add(message))[0]!).id;
    const rule = split(1, parentId, CONNECTION, { wildcard: 0, value: "db1" });
    const miner = withPatternSplits(createPatternMiner(), compilePatternRules([rule]));
    const handles = messages.map((message) => miner.add(message));
    const ids = handles.map((handle) => miner.patternOf(handle).id);
    expect(ids[0]).toBe(rule.child);
    expect(ids[2]).toBe(rule.child);
    expect(ids[1]).toBe(parentId);
    expect(miner.patternOf(handles[0]!)).toMatchObject({ template: "Connection to db1 refused after <*> retries", count: 2 });
    expect(miner.patternOf(handles[1]!)).toMatchObject({ template: CONNECTION, count: 1, examples: [messages[1]] });
    expect(miner.match("Connection to db1 refused after 9 retries")?.id).toBe(rule.child);
    expect(miner.match("Connection to db3 refused after 9 retries")?.id).toBe(parentId);
    expect(miner.patterns().map((pattern) => [pattern.id, pattern.count])).toEqual(
      [
        [rule.child, 2],
        [parentId, 1],
        [ids[3], 1],
      ].sort((left, right) => Number(right[1]) - Number(left[1]) || String(left[0]).localeCompare(String(right[0]))),
    );
    expect(miner.size()).toBe(3);
  });
});

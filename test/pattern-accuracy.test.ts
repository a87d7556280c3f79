import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scoreGrouping, type GroupingScore } from "@/lib/synthetic/grouping-accuracy";
import { createPatternMiner, type PatternMinerOptions } from "@/lib/pipeline/patterns";

// Grouping accuracy on the labelled fixtures (test/fixtures/patterns): 531 messages of 11
// stacks in 128 groups, with traps. The figures are reported in docs/benchmarks.md.

type Labelled = { group: string; message: string };
const labelled: Labelled[] = readFileSync(path.resolve("test/fixtures/patterns/labelled-messages.ndjson"), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as Labelled);

function score(options: Partial<PatternMinerOptions>): GroupingScore {
  const miner = createPatternMiner(options);
  const handles = labelled.map((entry) => miner.add(entry.message));
  return scoreGrouping(
    labelled.map((entry) => entry.group),
    handles.map((handle) => miner.patternOf(handle).id),
  );
}

describe("pattern grouping on the labelled fixtures", () => {
  const ours = score({});

  it("has the fixture it measures", () => {
    expect(labelled.length).toBeGreaterThanOrEqual(300);
    expect(new Set(labelled.map((entry) => entry.group)).size).toBeGreaterThanOrEqual(70);
  });

  it("groups at least 93 % of the messages exactly right, with pairwise F1 of at least 0.97", () => {
    expect(ours.groupingAccuracy).toBeGreaterThanOrEqual(0.93);
    expect(ours.pairF1).toBeGreaterThanOrEqual(0.97);
    expect(ours.pairPrecision).toBeGreaterThanOrEqual(0.98);
  });

  it("groups better than masking alone and than classic Drain", () => {
    const maskingOnly = score({ similarityThreshold: 2 });
    const classicDrain = score({ joinAnyDifference: true });
    expect(ours.groupingAccuracy).toBeGreaterThan(maskingOnly.groupingAccuracy);
    expect(ours.groupingAccuracy).toBeGreaterThan(classicDrain.groupingAccuracy);
    expect(ours.pairF1).toBeGreaterThan(classicDrain.pairF1);
  });
});

describe("scoreGrouping", () => {
  it("scores a perfect, a merged and a split grouping", () => {
    expect(scoreGrouping(["a", "a", "b"], ["x", "x", "y"])).toMatchObject({ groupingAccuracy: 1, pairPrecision: 1, pairRecall: 1, pairF1: 1 });
    expect(scoreGrouping(["a", "a", "b"], ["x", "x", "x"])).toMatchObject({ groupingAccuracy: 0, pairPrecision: 1 / 3, pairRecall: 1 });
    expect(scoreGrouping(["a", "a", "b"], ["x", "y", "z"])).toMatchObject({ groupingAccuracy: 1 / 3, pairPrecision: 1, pairRecall: 0 });
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scoreGrouping, type GroupingScore } from "@/lib/synthetic/grouping-accuracy";
import { createPatternMiner, type PatternMinerOptions } from "@/lib/pipeline/patterns";

// Grouping accuracy on the labelled fixtures (test/fixtures/patterns): 531 error messages of 11
// stacks in 128 groups, and system-logs.ndjson, the message part of system logs of 16 kinds (one
// miner per system, as a benchmark scores each log file alone). The figures are reported in
// docs/benchmarks.md.

type Labelled = { group: string; message: string };

/** The bars the system-log fixture is held to (grouping accuracy, average over systems and lowest system). */
const SYSTEM_AVERAGE_BAR = 0.95;
const SYSTEM_MINIMUM_BAR = 0.8;
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

type SystemLabelled = Labelled & { system: string };
const systemLogs: SystemLabelled[] = readFileSync(path.resolve("test/fixtures/patterns/system-logs.ndjson"), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as SystemLabelled);

/** Grouping accuracy per system, each system mined by a fresh miner with the default options. */
function scoreSystems(): Map<string, number> {
  const bySystem = new Map<string, SystemLabelled[]>();
  for (const entry of systemLogs) {
    const list = bySystem.get(entry.system);
    if (list) list.push(entry);
    else bySystem.set(entry.system, [entry]);
  }
  const scores = new Map<string, number>();
  for (const [system, entries] of bySystem) {
    const miner = createPatternMiner();
    const handles = entries.map((entry) => miner.add(entry.message));
    const predicted = handles.map((handle) => miner.patternOf(handle).id);
    scores.set(
      system,
      scoreGrouping(
        entries.map((entry) => entry.group),
        predicted,
      ).groupingAccuracy,
    );
  }
  return scores;
}

describe("pattern grouping on system logs", () => {
  const scores = scoreSystems();

  it("has the fixture it measures: 16 systems of at least 35 messages in several groups each", () => {
    expect(scores.size).toBe(16);
    for (const system of scores.keys()) {
      const entries = systemLogs.filter((entry) => entry.system === system);
      expect(entries.length, system).toBeGreaterThanOrEqual(35);
      expect(new Set(entries.map((entry) => entry.group)).size, system).toBeGreaterThanOrEqual(8);
    }
  });

  it(`groups at least ${SYSTEM_AVERAGE_BAR} of the messages right on average, and at least ${SYSTEM_MINIMUM_BAR} on every system`, () => {
    const values = [...scores.values()];
    const average = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(average).toBeGreaterThanOrEqual(SYSTEM_AVERAGE_BAR);
    for (const [system, accuracy] of scores) expect(accuracy, system).toBeGreaterThanOrEqual(SYSTEM_MINIMUM_BAR);
  });
});

describe("scoreGrouping", () => {
  it("scores a perfect, a merged and a split grouping", () => {
    expect(scoreGrouping(["a", "a", "b"], ["x", "x", "y"])).toMatchObject({ groupingAccuracy: 1, pairPrecision: 1, pairRecall: 1, pairF1: 1 });
    expect(scoreGrouping(["a", "a", "b"], ["x", "x", "x"])).toMatchObject({ groupingAccuracy: 0, pairPrecision: 1 / 3, pairRecall: 1 });
    expect(scoreGrouping(["a", "a", "b"], ["x", "y", "z"])).toMatchObject({ groupingAccuracy: 1 / 3, pairPrecision: 1, pairRecall: 0 });
  });
});

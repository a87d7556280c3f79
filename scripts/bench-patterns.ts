// Pattern mining benchmark:  npm run bench:patterns   (or: node --expose-gc --import tsx scripts/bench-patterns.ts)
//
// 1,000,000 mixed error messages from the project's generator (Java, .NET, Node, Python, Go,
// nginx, PostgreSQL, Kafka, Kubernetes … templates with their variables filled in, stack traces
// included) are mined into patterns by lib/pipeline/patterns.ts on one core (one thread):
//   1. speed: a fresh miner over all messages, --rounds times (default 5), alternating with a
//      baseline that only splits each message on spaces; medians, and the ratio; target
//      ≥ 600,000 messages/s;
//   2. memory: the heap the miner retains (after a forced collection) after 250k, 500k and 1M
//      messages, with its number of patterns: it must follow the patterns, not the messages;
//   3. grouping accuracy on the labelled fixtures (test/fixtures/patterns) of the miner and of
//      the alternatives it was chosen against, and per system on the system-log fixture.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatTable } from "../cli/output";
import { generateDayWindows, planDataSet } from "@/lib/synthetic/generate";
import { scoreGrouping } from "@/lib/synthetic/grouping-accuracy";
import { createPatternMiner, type PatternMinerOptions } from "@/lib/pipeline/patterns";
import { median, optionValue, printRunHeader, seconds, thousands } from "./bench-support";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MESSAGES = 1_000_000;
const MEMORY_SIZES = [250_000, 500_000, 1_000_000];
const SPEED_TARGET = 600_000;

const collect = (globalThis as { gc?: () => void }).gc;

function generateMessages(): string[] {
  const plan = planDataSet({ seed: 4, from: "2025-10-06", days: 90, timeZone: "Europe/Prague", windowMinutes: 15, namespaces: 12, rate: 1.2 });
  const messages: string[] = [];
  for (const date of plan.days) {
    for (const batch of generateDayWindows(plan, date)) {
      for (const document of batch) {
        if (document.level !== "ERROR") continue;
        // As the sources hand them over: parsed from JSON (flat strings, not the generator's concatenations).
        messages.push(JSON.parse(JSON.stringify(document.message)) as string);
        if (messages.length === MESSAGES) return messages;
      }
    }
  }
  throw new Error(`The plan produced only ${messages.length} messages`);
}

function heapUsed(): number {
  collect?.();
  return process.memoryUsage().heapUsed;
}

function accuracy(options: Partial<PatternMinerOptions>) {
  const labelled = readFileSync(path.join(ROOT, "test/fixtures/patterns/labelled-messages.ndjson"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { group: string; message: string });
  const miner = createPatternMiner(options);
  const handles = labelled.map((entry) => miner.add(entry.message));
  return scoreGrouping(
    labelled.map((entry) => entry.group),
    handles.map((handle) => miner.patternOf(handle).id),
  );
}

/** Grouping accuracy per system of the system-log fixture, a fresh miner per system (as the test scores it). */
function systemAccuracy(): string[][] {
  const labelled = readFileSync(path.join(ROOT, "test/fixtures/patterns/system-logs.ndjson"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { system: string; group: string; message: string });
  const systems = [...new Set(labelled.map((entry) => entry.system))];
  const rows = systems.map((system) => {
    const entries = labelled.filter((entry) => entry.system === system);
    const miner = createPatternMiner();
    const handles = entries.map((entry) => miner.add(entry.message));
    const score = scoreGrouping(
      entries.map((entry) => entry.group),
      handles.map((handle) => miner.patternOf(handle).id),
    );
    return [system, String(entries.length), `${score.predictedGroups} / ${score.expectedGroups}`, score.groupingAccuracy.toFixed(3)];
  });
  const average = rows.reduce((sum, row) => sum + Number(row[3]), 0) / rows.length;
  return [...rows, ["average", String(labelled.length), "", average.toFixed(3)]];
}

async function main(): Promise<void> {
  const rounds = Number(optionValue("--rounds") ?? 5);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds must be a whole number of at least 1");
  if (!collect) throw new Error("Run with node --expose-gc (npm run bench:patterns does)");
  printRunHeader(ROOT);
  const started = performance.now();
  const messages = generateMessages();
  const characters = messages.reduce((sum, message) => sum + message.length, 0);
  const multiLine = messages.filter((message) => message.includes("\n")).length;
  console.log(
    `Generated ${thousands(messages.length)} messages (${thousands(characters / messages.length)} characters on average, ${thousands(multiLine)} with a stack trace) in ${seconds(performance.now() - started)}`,
  );

  const baselineMs: number[] = [];
  const minerMs: number[] = [];
  let patterns = 0;
  for (let round = 1; round <= rounds; round += 1) {
    const passes = [
      () => {
        const begin = performance.now();
        let tokens = 0;
        for (const message of messages) tokens += message.split(" ").length;
        baselineMs.push(performance.now() - begin);
        if (tokens === 0) throw new Error("no tokens");
      },
      () => {
        const miner = createPatternMiner();
        const begin = performance.now();
        for (const message of messages) miner.add(message);
        minerMs.push(performance.now() - begin);
        patterns = miner.size();
      },
    ];
    if (round % 2 === 0) passes.reverse();
    for (const pass of passes) pass();
    console.log(`round ${round}/${rounds}: split ${seconds(baselineMs.at(-1)!)}, miner ${seconds(minerMs.at(-1)!)} (${patterns} patterns)`);
  }
  const rate = (ms: number) => (messages.length / ms) * 1000;
  const minerRate = rate(median(minerMs));

  const memory: string[][] = [];
  for (const size of MEMORY_SIZES) {
    const before = heapUsed();
    const miner = createPatternMiner();
    for (let index = 0; index < size; index += 1) miner.add(messages[index]!);
    const retained = heapUsed() - before;
    memory.push([thousands(size), String(miner.size()), `${(retained / 1024).toFixed(0)} KiB`, `${thousands(retained / miner.size())} B`]);
    if (miner.size() === 0) throw new Error("no patterns");
  }

  console.log("\nSpeed (one thread), medians:");
  console.log(
    formatTable(
      ["PASS", "MEDIAN", "MESSAGES/S", "ALL ROUNDS (s)"],
      [
        [
          "baseline: split on spaces",
          seconds(median(baselineMs)),
          thousands(rate(median(baselineMs))),
          baselineMs.map((ms) => (ms / 1000).toFixed(2)).join(" "),
        ],
        ["pattern miner", seconds(median(minerMs)), thousands(minerRate), minerMs.map((ms) => (ms / 1000).toFixed(2)).join(" ")],
      ],
    ),
  );
  console.log(
    `Miner / baseline time: ${(median(minerMs) / median(baselineMs)).toFixed(1)}×. Target ≥ ${thousands(SPEED_TARGET)} messages/s: ${minerRate >= SPEED_TARGET ? "met" : "NOT met"} (${thousands(minerRate)}).`,
  );
  console.log("\nHeap retained by the miner:");
  console.log(formatTable(["MESSAGES", "PATTERNS", "RETAINED HEAP", "PER PATTERN"], memory));

  console.log("\nGrouping accuracy on the labelled fixtures:");
  const alternatives: [string, Partial<PatternMinerOptions>][] = [
    ["masking only (identical masked templates)", { similarityThreshold: 2 }],
    ["classic Drain (every difference becomes a wildcard)", { joinAnyDifference: true }],
    ["this miner, words variable after 2 values", { distinctWordsForVariable: 2 }],
    ["this miner (default: after 3 values)", {}],
    ["this miner, words variable after 4 values", { distinctWordsForVariable: 4 }],
  ];
  console.log(
    formatTable(
      ["APPROACH", "GROUPS", "GROUPING ACCURACY", "PAIR PRECISION", "PAIR RECALL", "PAIR F1"],
      alternatives.map(([label, options]) => {
        const score = accuracy(options);
        return [
          label,
          `${score.predictedGroups} / ${score.expectedGroups}`,
          score.groupingAccuracy.toFixed(3),
          score.pairPrecision.toFixed(3),
          score.pairRecall.toFixed(3),
          score.pairF1.toFixed(3),
        ];
      }),
    ),
  );

  console.log("\nGrouping accuracy on the system-log fixture, per system:");
  console.log(formatTable(["SYSTEM", "MESSAGES", "GROUPS", "GROUPING ACCURACY"], systemAccuracy()));
}

await main();

import { describe, expect, it } from "vitest";
import { createClassifier } from "./classify";
import { investigateWindow } from "./investigate";
import type { LogDocument } from "./log-document";
import { createPatternMiner } from "./patterns";
import {
  keepTopValues,
  MAX_SAMPLED_HEADLINES,
  mergeSketches,
  mergeWildcardSamples,
  pickSample,
  reduceCounts,
  rekeyWildcardSample,
  sampleWildcardValues,
  type ValueSketch,
} from "./value-sample";

const total = (sketch: ValueSketch) => sketch.values.reduce((sum, entry) => sum + entry.count, 0) + sketch.others;

describe("pickSample", () => {
  it("keeps everything up to the limit", () => {
    expect(pickSample([1, 2, 3], 3)).toEqual([1, 2, 3]);
    expect(pickSample([], 3)).toEqual([]);
    expect(pickSample([1, 2], 0)).toEqual([]);
  });

  it("picks distinct items in their order, the same ones every time", () => {
    const items = Array.from({ length: 1000 }, (_, index) => index);
    const kept = pickSample(items, 10);
    expect(kept).toHaveLength(10);
    expect(new Set(kept).size).toBe(10);
    expect(kept).toEqual([...kept].sort((left, right) => left - right));
    expect(pickSample(items, 10)).toEqual(kept);
  });

  it("does not fall in step with messages that repeat every few lines", () => {
    const items = Array.from({ length: 1000 }, (_, index) => (index % 10 === 0 ? "rare" : "common"));
    const rare = pickSample(items, 200).filter((item) => item === "rare").length;
    expect(rare).toBeGreaterThan(8);
    expect(rare).toBeLessThan(40);
  });
});

describe("reduceCounts", () => {
  it("keeps exact counts while they fit", () => {
    expect(
      reduceCounts(
        new Map([
          ["b", 2],
          ["a", 2],
          ["c", 5],
        ]),
        0,
        3,
      ),
    ).toEqual({
      values: [
        { value: "c", count: 5 },
        { value: "a", count: 2 },
        { value: "b", count: 2 },
      ],
      others: 0,
    });
  });

  it("is bounded, keeps the total in others and the heavy value on top of skewed input", () => {
    const counts = new Map<string, number>([["10.0.3.12", 9_700]]);
    for (let index = 0; index < 300; index += 1) counts.set(`10.0.9.${index}`, 1);
    const sketch = reduceCounts(counts, 0, 16);
    expect(sketch.values.length).toBeLessThanOrEqual(16);
    expect(sketch.values[0]).toEqual({ value: "10.0.3.12", count: 9_699 });
    expect(total(sketch)).toBe(10_000);
    expect(sketch.others).toBe(301);
  });

  it("undercounts a value by at most others ÷ (capacity + 1)", () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 40; index += 1) counts.set(`v${index}`, 40 - index);
    const sketch = reduceCounts(counts, 0, 5);
    expect(sketch.values.length).toBeLessThanOrEqual(5);
    for (const { value, count } of sketch.values) {
      const exact = counts.get(value)!;
      expect(count).toBeLessThanOrEqual(exact);
      expect(exact - count).toBeLessThanOrEqual(sketch.others / 6);
    }
  });
});

describe("mergeSketches", () => {
  it("adds counts and stays bounded, many windows folded into one", () => {
    let sketch: ValueSketch = { values: [], others: 0 };
    for (let window = 0; window < 200; window += 1) {
      const counts = new Map<string, number>([
        ["customer-42", 50],
        [`customer-${1000 + window}`, 3],
        [`customer-${5000 + window}`, 2],
      ]);
      sketch = mergeSketches([sketch, reduceCounts(counts, 0, 16)], 16);
      expect(sketch.values.length).toBeLessThanOrEqual(16);
    }
    expect(sketch.values[0]!.value).toBe("customer-42");
    expect(total(sketch)).toBe(200 * 55);
    expect(sketch.values[0]!.count / total(sketch)).toBeGreaterThan(0.8);
  });
});

describe("sampleWildcardValues", () => {
  it("counts the values at each wildcard, each headline standing for its weight", () => {
    const sample = sampleWildcardValues("Connection to <*> refused after <*>", [
      { headlines: ["Connection to 10.0.3.12 refused after 30 ms", "Connection to 10.0.3.12 refused after 45 ms"], weight: 10 },
      { headlines: ["Connection to db-2 refused after 30 ms", "Connection to db-2 reset"], weight: 1 },
    ]);
    expect(sample).toEqual({
      template: "Connection to <*> refused after <*>",
      total: 21,
      positions: [
        {
          values: [
            { value: "10.0.3.12", count: 20 },
            { value: "db-2", count: 1 },
          ],
          others: 0,
        },
        {
          values: [
            { value: "30 ms", count: 11 },
            { value: "45 ms", count: 10 },
          ],
          others: 0,
        },
      ],
    });
  });

  it("has no positions for a template without wildcards", () => {
    expect(sampleWildcardValues("Disk full", [{ headlines: ["Disk full"], weight: 2 }])).toEqual({ template: "Disk full", total: 2, positions: [] });
  });
});

describe("rekeyWildcardSample", () => {
  const old = {
    template: "User 42 failed at <*>",
    total: 10,
    positions: [{ values: [{ value: "login", count: 10 }], others: 0 }],
  };

  it("gives a wildcard made of old literal text that text in every error, and keeps the old wildcard's values in their new place", () => {
    expect(rekeyWildcardSample(old, "User <*> failed at <*>")).toEqual({
      template: "User <*> failed at <*>",
      total: 10,
      positions: [{ values: [{ value: "42", count: 10 }], others: 0 }, old.positions[0]],
    });
  });

  it("drops a sample whose positions no longer align", () => {
    // The last wildcard now also covers literal text: its old values would be shown as something else.
    expect(rekeyWildcardSample(old, "User 42 <*>")).toBeNull();
    // The template gained a trailing detail the old errors lack.
    expect(rekeyWildcardSample(old, "User 42 failed at <*> after retry")).toBeNull();
    expect(rekeyWildcardSample({ ...old, positions: [] }, "User <*> failed at <*>")).toBeNull();
  });

  it("leaves a sample of the same template as it is", () => {
    expect(rekeyWildcardSample(old, old.template)).toBe(old);
  });
});

describe("keepTopValues", () => {
  it("keeps the first values of each wildcard and adds the rest to its others", () => {
    const sample = {
      template: "<*>",
      total: 10,
      positions: [
        {
          values: [
            { value: "a", count: 5 },
            { value: "b", count: 3 },
            { value: "c", count: 1 },
          ],
          others: 1,
        },
      ],
    };
    expect(keepTopValues(sample, 1)).toEqual({ template: "<*>", total: 10, positions: [{ values: [{ value: "a", count: 5 }], others: 5 }] });
  });
});

describe("mergeWildcardSamples", () => {
  const added = sampleWildcardValues("Timeout on <*>", [{ headlines: ["Timeout on db-1"], weight: 3 }]);

  it("adds a window's sample to the stored one", () => {
    const stored = sampleWildcardValues("Timeout on <*>", [{ headlines: ["Timeout on db-1", "Timeout on db-2"], weight: 1 }]);
    expect(mergeWildcardSamples(stored, added)).toEqual({
      template: "Timeout on <*>",
      total: 5,
      positions: [
        {
          values: [
            { value: "db-1", count: 4 },
            { value: "db-2", count: 1 },
          ],
          others: 0,
        },
      ],
    });
  });

  it("starts over when the stored sample cannot be re-keyed to the new template", () => {
    const stored = { template: "Timeout <*>", total: 9, positions: [{ values: [{ value: "on db-9", count: 9 }], others: 0 }] };
    expect(mergeWildcardSamples(stored, added)).toEqual(added);
    expect(mergeWildcardSamples(null, added)).toEqual(added);
  });
});

describe("investigateWindow's headline samples", () => {
  const document = (index: number, host: string): LogDocument => ({
    level: "error",
    timestamp: 1_000 + index,
    namespace: "shop",
    app: "api",
    traceId: null,
    version: null,
    message: `Connection to ${host} refused\n\tat Db.connect(Db.java:1)`,
  });

  it("keeps at most MAX_SAMPLED_HEADLINES headlines per pattern, spread over the window, from which the values are read", () => {
    const documents = Array.from({ length: 1_000 }, (_, index) => document(index, index % 10 === 0 ? "db-2" : "10.0.3.12"));
    const investigation = investigateWindow(documents, createPatternMiner(), createClassifier([]));
    const [pattern] = investigation.patterns;
    const headlines = investigation.headlineSamples.get(pattern!.patternId)!;
    expect(headlines).toHaveLength(MAX_SAMPLED_HEADLINES);
    expect(headlines.every((headline) => /^Connection to (db-2|10\.0\.3\.12) refused$/.test(headline))).toBe(true);
    const sample = sampleWildcardValues(pattern!.template, [{ headlines, weight: pattern!.count / headlines.length }]);
    expect(sample.total).toBeCloseTo(1_000);
    // One error in ten was db-2: the sample says so within a few points.
    expect(sample.positions[0]!.values.map(({ value }) => value)).toEqual(["10.0.3.12", "db-2"]);
    expect(sample.positions[0]!.values[1]!.count).toBeGreaterThan(50);
    expect(sample.positions[0]!.values[1]!.count).toBeLessThan(160);
  });
});

import { describe, expect, it } from "vitest";
import { createPatternMiner, headlineOf, tokenize } from "./patterns";

const template = (message: string) => tokenize(message).join(" ");

describe("tokenize", () => {
  it.each([
    ["Request 12 failed: connection refused to 10.0.0.12:5432", "Request <*> failed: connection refused to <*>"],
    ["Timeout after 3000ms calling https://pay.internal/api/v1/orders/123?x=1", "Timeout after <*> calling <*>"],
    ["User john.doe@example.com not found (id 550e8400-e29b-41d4-a716-446655440000)", "User <*> not found (id <*>)"],
    ["java.lang.NullPointerException at com.foo.Bar@1a2b3c4d", "java.lang.NullPointerException at com.foo.Bar@<*>"],
    ["Order 'A-1234 x' rejected at 2026-01-15T10:12:33.123Z, took 1.5s", "Order '<*>' rejected at <*>, took <*>"],
    ["pod payments-api-7f9c8d6b5-x2k4j OOMKilled", "pod <*> OOMKilled"],
    ["deadlock detected; trace 4bf92f3577b34da6a3ce929d0e0e4736", "deadlock detected; trace <*>"],
    ["retries=5 timeout=30s on S3Exception with OAuth2", "retries=<*> timeout=<*> on S3Exception with OAuth2"],
    ["failed ids 1, 2, 3, 4 in batch", "failed ids <*> in batch"],
    ["  spaced\tout   message  ", "spaced out message"],
    ["", "<empty>"],
  ])("masks %j", (message, expected) => {
    expect(template(message)).toBe(expected);
  });

  it("keeps numbers that name the error: HTTP statuses and error codes", () => {
    expect(template("Request failed with status code 503")).toBe("Request failed with status code 503");
    expect(template("Request failed with status code 503")).not.toBe(template("Request failed with status code 404"));
    expect(template("ORA-00001: unique constraint violated")).not.toBe(template("ORA-12541: unique constraint violated"));
  });

  it("does not take an apostrophe inside a word for a quote", () => {
    expect(template("can't reach user's cart 'c-17'")).toBe("can't reach user's cart '<*>'");
  });
});

describe("headlineOf", () => {
  it("keeps the first line, so stack traces do not split a pattern", () => {
    expect(headlineOf("Failure 1\n  at a.b(C.java:12)")).toBe("Failure 1");
  });

  it("uses the exception line of a Python traceback", () => {
    expect(headlineOf("Traceback (most recent call last):\n  File \"app.py\", line 12, in handle\n    run()\nKeyError: 'user_id'\n")).toBe(
      "KeyError: 'user_id'",
    );
  });
});

describe("createPatternMiner", () => {
  it("groups messages that differ in variable values and gives them one id", () => {
    const miner = createPatternMiner();
    const handles = ["Payment 17 failed for order 9912", "Payment 18 failed for order 1", "Payment a1b2c3 failed for order 77"].map(miner.add);
    expect(new Set(handles.map((handle) => miner.patternOf(handle).id)).size).toBe(1);
    expect(miner.patternOf(handles[0]!)).toMatchObject({ template: "Payment <*> failed for order <*>", count: 3 });
    expect(miner.patternOf(handles[0]!).examples).toEqual([
      "Payment 17 failed for order 9912",
      "Payment 18 failed for order 1",
      "Payment a1b2c3 failed for order 77",
    ]);
  });

  it("keeps different errors from the same place apart", () => {
    const miner = createPatternMiner();
    const refused = miner.add("Could not connect to orders-db: Connection refused");
    const reset = miner.add("Could not connect to orders-db: Connection reset");
    miner.add("Could not connect to orders-db: Connection refused");
    expect(miner.patternOf(refused).id).not.toBe(miner.patternOf(reset).id);
    expect(miner.patterns().map((pattern) => [pattern.template, pattern.count])).toEqual([
      ["Could not connect to orders-db: Connection refused", 2],
      ["Could not connect to orders-db: Connection reset", 1],
    ]);
  });

  it("takes a position for a variable once it has shown several different words, and merges those patterns", () => {
    const miner = createPatternMiner({ distinctWordsForVariable: 3 });
    const first = miner.add("Failed password for invalid user admin from 10.0.0.1 port 22");
    const second = miner.add("Failed password for invalid user oracle from 10.0.0.2 port 22");
    expect(miner.size()).toBe(2);
    const third = miner.add("Failed password for invalid user postgres from 10.0.0.3 port 22");
    expect(miner.size()).toBe(1);
    const ids = new Set([first, second, third].map((handle) => miner.patternOf(handle).id));
    expect(ids.size).toBe(1);
    expect(miner.patternOf(first)).toMatchObject({ template: "Failed password for invalid user <*> from <*> port <*>", count: 3 });
  });

  it("keeps a pattern's first id when its template is refined", () => {
    const miner = createPatternMiner();
    const handle = miner.add("Cache miss for key orders");
    const id = miner.patternOf(handle).id;
    for (const key of ["payments", "users", "carts"]) miner.add(`Cache miss for key ${key}`);
    expect(miner.patternOf(handle)).toMatchObject({ id, template: "Cache miss for key <*>" });
  });

  it("gives the same ids on every run, and continues from stored patterns", () => {
    const messages = ["Timeout after 30s calling payments", "Timeout after 12s calling payments", "Disk full on node-7"];
    const ids = (miner: ReturnType<typeof createPatternMiner>) => messages.map((message) => miner.patternOf(miner.add(message)).id);
    const first = ids(createPatternMiner());
    expect(ids(createPatternMiner())).toEqual(first);
    const stored = createPatternMiner().patterns();
    const resumed = createPatternMiner(
      {},
      stored.map(({ id, template: text }) => ({ id, template: text })),
    );
    expect(resumed.patternOf(resumed.add("Timeout after 99s calling payments")).id).toBe(first[0]);
  });

  it("holds one pattern per logical error however many messages arrive", () => {
    const miner = createPatternMiner();
    for (let index = 0; index < 20_000; index += 1) {
      miner.add(`Order ${index} failed: timeout after ${index % 97}ms on shard ${index % 7}`);
      miner.add(`User ${index}@example.com locked after ${index % 5} attempts`);
    }
    expect(miner.size()).toBe(2);
    expect(miner.patterns().map((pattern) => pattern.count)).toEqual([20_000, 20_000]);
  });
});

describe("PatternMiner.match", () => {
  it("finds a message's pattern without adding it", () => {
    const miner = createPatternMiner();
    miner.add("Timeout after 30s calling payments");
    const before = miner.patterns()[0]!;
    expect(miner.match("Timeout after 99s calling payments")).toEqual(before);
    expect(miner.patterns()[0]!.count).toBe(1);
    expect(miner.match("Disk full on node-7")).toBeNull();
  });
});

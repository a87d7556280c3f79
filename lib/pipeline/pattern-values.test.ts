import { describe, expect, it } from "vitest";
import { MAX_WILDCARD_VALUE_LENGTH, wildcardValues } from "./pattern-values";
import { createPatternMiner } from "./patterns";

describe("wildcardValues", () => {
  it("gives the text behind each wildcard of the template the miner made", () => {
    const miner = createPatternMiner();
    const messages = [
      "Connection to db-1.example.internal:5432 refused after 30 ms",
      "Connection to db-2.example.internal:5432 refused after 1.2 s",
      "Connection to 10.0.3.12:5432 refused after 45 ms",
    ];
    const handles = messages.map((message) => miner.add(message));
    const { template } = miner.patternOf(handles[0]!);
    expect(template).toBe("Connection to <*> refused after <*>");
    expect(messages.map((message) => wildcardValues(template, message))).toEqual([
      ["db-1.example.internal:5432", "30 ms"],
      ["db-2.example.internal:5432", "1.2 s"],
      ["10.0.3.12:5432", "45 ms"],
    ]);
  });

  it("reads values inside punctuation, quotes and key=value, at the start and the end", () => {
    expect(wildcardValues("<*> failed for order '<*>' (attempt=<*>)", "sync-7 failed for order 'A 17' (attempt=3)")).toEqual(["sync-7", "A 17", "3"]);
    expect(wildcardValues("Timeout after <*>", "Timeout after   30\tms")).toEqual(["30 ms"]);
  });

  it("reads the headline of a multi-line message", () => {
    expect(wildcardValues("Order <*> not found", "Order 17 not found\n\tat com.acme.Orders.find(Orders.java:12)")).toEqual(["17"]);
  });

  it("is null when the message does not fit the template's text", () => {
    expect(wildcardValues("Connection to <*> refused", "Connection to db reset")).toBeNull();
    expect(wildcardValues("Connection to <*> refused", "Connection to refused")).toBeNull();
    expect(wildcardValues("a <*> b <*> c", "a x b c")).toBeNull();
    expect(wildcardValues("no wildcard here", "no wildcard there")).toBeNull();
    expect(wildcardValues("no wildcard here", "no  wildcard here")).toEqual([]);
  });

  it("cuts a long value", () => {
    const [value] = wildcardValues("payload <*>", `payload ${"x".repeat(5_000)}`) ?? [];
    expect(value).toHaveLength(MAX_WILDCARD_VALUE_LENGTH);
    expect(value!.endsWith("…")).toBe(true);
  });
});

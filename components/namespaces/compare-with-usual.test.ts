import { describe, expect, it } from "vitest";
import { compareWithUsual } from "./compare-with-usual";

describe("compareWithUsual", () => {
  it("calls a total within a quarter of the expectation usual", () => {
    expect(compareWithUsual({ errors: 300, windows: 96, expected: 300 })).toEqual({ tone: "usual", symbol: "≈", text: "about usual" });
    expect(compareWithUsual({ errors: 370, windows: 96, expected: 300 })).toMatchObject({ tone: "usual" });
    expect(compareWithUsual({ errors: 250, windows: 96, expected: 300 })).toMatchObject({ tone: "usual" });
  });

  it("gives the share above or below, with a sign that does not need colour", () => {
    expect(compareWithUsual({ errors: 412, windows: 96, expected: 300 })).toEqual({ tone: "above", symbol: "▲", text: "37% above usual" });
    expect(compareWithUsual({ errors: 120, windows: 96, expected: 300 })).toEqual({ tone: "below", symbol: "▼", text: "60% below usual" });
  });

  it("gives a multiple from twice the expectation on", () => {
    expect(compareWithUsual({ errors: 600, windows: 96, expected: 300 })).toEqual({ tone: "above", symbol: "▲", text: "2.0 × usual" });
    expect(compareWithUsual({ errors: 10_240, windows: 96, expected: 300 })).toMatchObject({ text: "34.1 × usual" });
  });

  it("says so when no window is stored, whatever the baseline", () => {
    expect(compareWithUsual({ errors: 0, windows: 0, expected: null })).toEqual({ tone: "unknown", symbol: "–", text: "no data stored" });
  });

  it("handles a namespace with no history or nothing expected", () => {
    expect(compareWithUsual({ errors: 5, windows: 96, expected: null })).toEqual({ tone: "unknown", symbol: "–", text: "no baseline yet" });
    expect(compareWithUsual({ errors: 0, windows: 96, expected: 0 })).toMatchObject({ tone: "usual" });
    expect(compareWithUsual({ errors: 3, windows: 96, expected: 0 })).toMatchObject({ tone: "above", text: "above usual (none expected)" });
  });
});

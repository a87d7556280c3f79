import { describe, expect, it } from "vitest";
import { formatShare, leadingValueSentence, shownWildcards, templateParts } from "./why-grouped";

const sample = {
  template: "Connection to <*> refused after <*>",
  total: 1234,
  positions: [
    {
      values: [
        { value: "10.0.3.12", count: 1197 },
        { value: "db-2", count: 20 },
      ],
      others: 17,
    },
    {
      values: Array.from({ length: 8 }, (_, index) => ({ value: `${index + 10} ms`, count: 150 - index })),
      others: 30,
    },
  ],
};

describe("why grouped in words", () => {
  it("numbers the wildcards of a template", () => {
    expect(templateParts("<*> failed for <*>")).toEqual([
      { kind: "wildcard", number: 1 },
      { kind: "text", text: " failed for " },
      { kind: "wildcard", number: 2 },
    ]);
    expect(templateParts("Disk full")).toEqual([{ kind: "text", text: "Disk full" }]);
  });

  it("shows the first values with their share, sums the rest as others, and names a value behind most errors", () => {
    const [hosts, delays] = shownWildcards(sample);
    expect(hosts!.values.map((entry) => entry.value)).toEqual(["10.0.3.12", "db-2"]);
    expect(hosts!.others).toBe(17);
    expect(hosts!.dominant?.value).toBe("10.0.3.12");
    expect(delays!.values).toHaveLength(5);
    expect(delays!.others).toBe(1234 - (150 + 149 + 148 + 147 + 146));
    expect(delays!.dominant).toBeNull();
  });

  it("says which value a wildcard had in one sentence", () => {
    expect(leadingValueSentence(sample)).toBe("<*> #1 was 10.0.3.12 in 97 % of 1,234 errors");
    expect(leadingValueSentence({ ...sample, positions: [sample.positions[1]!] })).toBe(
      "No value stands out: the most frequent, 10 ms at <*> #1, in 12 % of 1,234 errors",
    );
    expect(leadingValueSentence({ ...sample, positions: [{ values: [{ value: "42", count: 432 }], others: 802 }] })).toBe(
      "<*> #1 was most often 42 (35 % of 1,234 errors)",
    );
    expect(leadingValueSentence({ ...sample, positions: [{ values: [], others: 1234 }] })).toBe(
      "No value stands out: a different one almost every time in 1,234 errors",
    );
    expect(leadingValueSentence({ template: "Disk full", total: 3, positions: [] })).toBeNull();
    expect(leadingValueSentence({ ...sample, total: 0 })).toBeNull();
  });

  it("formats a share", () => {
    expect(formatShare(0.974)).toBe("97 %");
    expect(formatShare(0.001)).toBe("< 1 %");
    expect(formatShare(0)).toBe("0 %");
  });
});

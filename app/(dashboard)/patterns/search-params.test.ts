import { describe, expect, it } from "vitest";
import { parsePatternDetailSearch, parsePatternListSearch, patternListQuery, patternsApiQuery, toListPatternsInput } from "./search-params";

describe("patterns list search params", () => {
  it("gives the defaults for an empty query", () => {
    expect(parsePatternListSearch(new URLSearchParams())).toEqual({ q: "", namespace: "", type: "", sort: "last_seen", days: 14, page: 1 });
  });

  it("falls back per value on anything it cannot read, keeping the rest", () => {
    expect(parsePatternListSearch({ q: " timeout ", sort: "name", days: "365", page: "-2", namespace: ["orders", "payments"] })).toEqual({
      q: "timeout",
      namespace: "orders",
      type: "",
      sort: "last_seen",
      days: 14,
      page: 1,
    });
  });

  it("writes only what differs from the defaults, and reads it back the same", () => {
    const search = parsePatternListSearch({ q: "refused to", type: "database", sort: "trend", days: "30", page: "3" });
    const query = patternListQuery(search);
    expect(query).toBe("q=refused+to&type=database&sort=trend&days=30&page=3");
    expect(parsePatternListSearch(new URLSearchParams(query))).toEqual(search);
    expect(patternListQuery(parsePatternListSearch({}))).toBe("");
  });

  it("asks the API for the page's offset, leaving out empty filters", () => {
    const search = parsePatternListSearch({ q: "", namespace: "orders", page: "3" });
    expect(toListPatternsInput(search)).toEqual({
      q: undefined,
      namespace: "orders",
      errorType: undefined,
      sort: "last_seen",
      days: 14,
      limit: 50,
      offset: 100,
    });
    expect(patternsApiQuery(search)).toBe("namespace=orders&sort=last_seen&days=14&limit=50&offset=100");
  });
});

describe("pattern page search params", () => {
  it("reads the days of the chart, 30 by default and when out of range", () => {
    expect(parsePatternDetailSearch({ days: "7" })).toEqual({ days: 7 });
    expect(parsePatternDetailSearch({})).toEqual({ days: 30 });
    expect(parsePatternDetailSearch({ days: "0" })).toEqual({ days: 30 });
  });
});

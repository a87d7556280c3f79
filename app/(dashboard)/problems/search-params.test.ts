import { describe, expect, it } from "vitest";
import {
  hasProblemFilters,
  parseProblemDetailSearch,
  parseProblemListSearch,
  problemHref,
  problemListQuery,
  problemsApiQuery,
  toListProblemsInput,
} from "./search-params";

describe("problems list search params", () => {
  it("gives the defaults for an empty query: the last 24 hours, no filter, the first page", () => {
    expect(parseProblemListSearch(new URLSearchParams())).toEqual({ since: "24h", q: "", scope: "", known: "", page: 1 });
    expect(hasProblemFilters(parseProblemListSearch({}))).toBe(false);
  });

  it("falls back per value on anything it cannot read, keeping the rest", () => {
    expect(parseProblemListSearch({ since: "1w", q: " pool ", scope: "wide", known: "maybe", page: "0" })).toEqual({
      since: "24h",
      q: "pool",
      scope: "",
      known: "",
      page: 1,
    });
    // A period the API takes but the page does not offer falls back too.
    expect(parseProblemListSearch({ since: "48h" }).since).toBe("24h");
    expect(parseProblemListSearch({ since: ["7d", "30d"], scope: "systemic" })).toMatchObject({ since: "7d", scope: "systemic" });
  });

  it("writes only what differs from the defaults, and reads it back the same", () => {
    const search = parseProblemListSearch({ since: "30d", q: "connection reset", scope: "several", known: "unknown", page: "2" });
    const query = problemListQuery(search);
    expect(query).toBe("since=30d&q=connection+reset&scope=several&known=unknown&page=2");
    expect(parseProblemListSearch(new URLSearchParams(query))).toEqual(search);
    expect(problemListQuery(parseProblemListSearch({}))).toBe("");
    expect(hasProblemFilters(search)).toBe(true);
  });

  it("asks the API for the period, the filters it has and the page's offset", () => {
    expect(toListProblemsInput(parseProblemListSearch({ since: "7d", known: "known", page: "3" }))).toEqual({
      since: "7d",
      q: undefined,
      scope: undefined,
      known: "true",
      limit: 50,
      offset: 100,
    });
    expect(toListProblemsInput(parseProblemListSearch({ known: "unknown" })).known).toBe("false");
    expect(problemsApiQuery(parseProblemListSearch({ q: "npe", scope: "single" }))).toBe("since=24h&q=npe&scope=single&limit=50&offset=0");
  });

  it("keeps a problem page's period, and links to it with the list's period", () => {
    expect(parseProblemDetailSearch({ since: "90d" })).toEqual({ since: "90d" });
    expect(parseProblemDetailSearch({ since: "nope" })).toEqual({ since: "24h" });
    expect(problemHref("9f1c2a7be0d44e-timeout", "24h")).toBe("/problems/9f1c2a7be0d44e-timeout");
    expect(problemHref("abc-a.002fb", "7d")).toBe("/problems/abc-a.002fb?since=7d");
  });
});

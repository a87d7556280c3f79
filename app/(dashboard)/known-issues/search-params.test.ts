import { describe, expect, it } from "vitest";
import { KNOWN_ISSUES_PAGE_SIZE, knownIssuesApiQuery, knownIssuesSearchString, listInputFromSearch, parseKnownIssuesSearch } from "./search-params";

describe("parseKnownIssuesSearch", () => {
  it("defaults to every issue, unfiltered, first page", () => {
    expect(parseKnownIssuesSearch({})).toEqual({ status: "all", q: "", page: 1 });
  });

  it("reads a page's searchParams, taking the first of repeated values", () => {
    expect(parseKnownIssuesSearch({ status: ["resolved", "active"], q: "  db  ", page: ["3", "1"] })).toEqual({ status: "resolved", q: "db", page: 3 });
  });

  it("reads the browser's URLSearchParams", () => {
    expect(parseKnownIssuesSearch(new URLSearchParams("status=active&q=timeout"))).toEqual({ status: "active", q: "timeout", page: 1 });
  });

  it("falls back to the defaults for values it does not know", () => {
    expect(parseKnownIssuesSearch({ status: "open", q: "x".repeat(201), page: "0" })).toEqual({ status: "all", q: "", page: 1 });
    expect(parseKnownIssuesSearch({ page: "2.5" }).page).toBe(1);
  });
});

describe("knownIssuesSearchString", () => {
  it("is empty for the defaults", () => {
    expect(knownIssuesSearchString({ status: "all", q: "  ", page: 1 })).toBe("");
  });

  it("round-trips through the parser", () => {
    const search = { status: "resolved", q: "pool & queue", page: 2 } as const;
    const text = knownIssuesSearchString(search);
    expect(text).toBe("?status=resolved&q=pool+%26+queue&page=2");
    expect(parseKnownIssuesSearch(new URLSearchParams(text))).toEqual(search);
  });
});

describe("listInputFromSearch", () => {
  it("asks the API for every status when the filter is all, a page of whole pages", () => {
    expect(listInputFromSearch({ status: "all", q: "", page: 1 })).toEqual({ offset: 0, limit: KNOWN_ISSUES_PAGE_SIZE });
    expect(listInputFromSearch({ status: "active", q: "db", page: 3 })).toEqual({
      status: "active",
      q: "db",
      offset: 2 * KNOWN_ISSUES_PAGE_SIZE,
      limit: KNOWN_ISSUES_PAGE_SIZE,
    });
    expect(knownIssuesApiQuery({ status: "active", q: "db", page: 2 })).toBe(
      `status=active&q=db&offset=${KNOWN_ISSUES_PAGE_SIZE}&limit=${KNOWN_ISSUES_PAGE_SIZE}`,
    );
  });
});

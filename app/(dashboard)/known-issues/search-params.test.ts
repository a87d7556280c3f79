import { describe, expect, it } from "vitest";
import { knownIssuesSearchString, listInputFromSearch, parseKnownIssuesSearch } from "./search-params";

describe("parseKnownIssuesSearch", () => {
  it("defaults to every issue, unfiltered", () => {
    expect(parseKnownIssuesSearch({})).toEqual({ status: "all", q: "" });
  });

  it("reads a page's searchParams, taking the first of repeated values", () => {
    expect(parseKnownIssuesSearch({ status: ["resolved", "active"], q: "  db  " })).toEqual({ status: "resolved", q: "db" });
  });

  it("reads the browser's URLSearchParams", () => {
    expect(parseKnownIssuesSearch(new URLSearchParams("status=active&q=timeout"))).toEqual({ status: "active", q: "timeout" });
  });

  it("falls back to the defaults for values it does not know", () => {
    expect(parseKnownIssuesSearch({ status: "open", q: "x".repeat(201) })).toEqual({ status: "all", q: "" });
  });
});

describe("knownIssuesSearchString", () => {
  it("is empty for the defaults", () => {
    expect(knownIssuesSearchString({ status: "all", q: "  " })).toBe("");
  });

  it("round-trips through the parser", () => {
    const search = { status: "resolved", q: "pool & queue" } as const;
    const text = knownIssuesSearchString(search);
    expect(text).toBe("?status=resolved&q=pool+%26+queue");
    expect(parseKnownIssuesSearch(new URLSearchParams(text))).toEqual(search);
  });
});

describe("listInputFromSearch", () => {
  it("asks the API for every status when the filter is all", () => {
    expect(listInputFromSearch({ status: "all", q: "" })).toEqual({});
    expect(listInputFromSearch({ status: "active", q: "db" })).toEqual({ status: "active", q: "db" });
  });
});

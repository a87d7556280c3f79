import { describe, expect, it } from "vitest";
import { namespaceListQuery, namespacesApiQuery, parseNamespaceListSearch, toNamespaceListInput } from "./namespace-list-search";

describe("namespace list search in the URL", () => {
  it("reads the search, the sort and the page, and writes only what differs from the defaults", () => {
    const search = parseNamespaceListSearch(new URLSearchParams("q=%20pay%20&sort=deviation&page=3"));
    expect(search).toEqual({ q: "pay", sort: "deviation", page: 3 });
    expect(namespaceListQuery(search)).toBe("q=pay&sort=deviation&page=3");
    expect(namespaceListQuery(parseNamespaceListSearch({}))).toBe("");
  });

  it("falls back to the defaults for values that do not parse, so an edited link still opens", () => {
    expect(parseNamespaceListSearch({ sort: "loudest", page: ["0", "4"], q: "x".repeat(201) })).toEqual({ q: "", sort: "attention", page: 1 });
    expect(parseNamespaceListSearch(new URLSearchParams("page=2.5"))).toEqual({ q: "", sort: "attention", page: 1 });
  });

  it("turns a page into an offset of whole pages", () => {
    const search = parseNamespaceListSearch({ q: "orders", sort: "name", page: "4" });
    expect(toNamespaceListInput(search, 25)).toEqual({ q: "orders", sort: "name", offset: 75, limit: 25 });
    expect(namespacesApiQuery(search, 25)).toBe("q=orders&sort=name&offset=75&limit=25");
  });
});

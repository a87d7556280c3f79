import { describe, expect, it } from "vitest";
import { firstSearchParam, firstSearchParams } from "./search-params";

describe("search params", () => {
  it("takes the first value of a repeated parameter from the browser's and from a server page's form alike", () => {
    const browser = new URLSearchParams("q=pay&q=orders&sort=name");
    const server = { q: ["pay", "orders"], sort: "name", page: undefined };
    expect(firstSearchParam(browser, "q")).toBe("pay");
    expect(firstSearchParam(server, "q")).toBe("pay");
    expect(firstSearchParam(browser, "page")).toBeUndefined();
    expect(firstSearchParams(browser)).toEqual({ q: "pay", sort: "name" });
    expect(firstSearchParams(server)).toEqual({ q: "pay", sort: "name", page: undefined });
  });
});

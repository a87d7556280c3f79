import { describe, expect, it } from "vitest";
import { defaultIncidentsSearch, incidentsSearchString, isFiltered, listInputFromSearch, listQueryString, parseIncidentsSearch } from "./search-params";

describe("parseIncidentsSearch", () => {
  it("shows what needs triage by default: open and acknowledged, every namespace, ongoing or not", () => {
    expect(parseIncidentsSearch(new URLSearchParams())).toEqual({ status: ["open", "acknowledged"], namespace: "", ongoing: "" });
    expect(isFiltered(parseIncidentsSearch(new URLSearchParams()))).toBe(false);
  });

  it("reads every filter, and 'all' as every status", () => {
    expect(parseIncidentsSearch(new URLSearchParams("status=resolved,known_issue&namespace=payments&ongoing=ended"))).toEqual({
      status: ["known_issue", "resolved"],
      namespace: "payments",
      ongoing: "ended",
    });
    expect(parseIncidentsSearch(new URLSearchParams("status=all")).status).toEqual([]);
    expect(parseIncidentsSearch({ status: ["false_positive", "open"], ongoing: undefined })).toMatchObject({ status: ["false_positive"], ongoing: "" });
  });

  it("falls back to the defaults for unknown values instead of failing", () => {
    expect(parseIncidentsSearch(new URLSearchParams("status=closed,burning&ongoing=maybe"))).toEqual(defaultIncidentsSearch);
  });
});

describe("incidentsSearchString and the API's input", () => {
  it("writes nothing for the default view and round-trips the others", () => {
    expect(incidentsSearchString(defaultIncidentsSearch)).toBe("");
    for (const search of [
      { status: [], namespace: "", ongoing: "" as const },
      { status: ["resolved" as const], namespace: "orders", ongoing: "ongoing" as const },
      { status: ["open" as const], namespace: "", ongoing: "" as const },
    ]) {
      const text = incidentsSearchString(search);
      expect(parseIncidentsSearch(new URLSearchParams(text.slice(1)))).toEqual(search);
    }
    expect(incidentsSearchString({ status: [], namespace: "", ongoing: "ongoing" })).toBe("?status=all&ongoing=ongoing");
  });

  it("gives every status as no status filter, and ongoing as true or false", () => {
    expect(listInputFromSearch(defaultIncidentsSearch)).toEqual({ status: "open,acknowledged" });
    expect(listInputFromSearch({ status: [], namespace: "payments", ongoing: "ended" })).toEqual({ namespace: "payments", ongoing: "false" });
    expect(listQueryString({ ...defaultIncidentsSearch, ongoing: "ongoing" }, { limit: 50, cursor: "MTc5:Mw" })).toBe(
      "?status=open%2Cacknowledged&ongoing=true&limit=50&cursor=MTc5%3AMw",
    );
  });
});

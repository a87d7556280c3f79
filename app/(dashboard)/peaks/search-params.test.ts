import { describe, expect, it } from "vitest";
import { emptyPeaksSearch, isFiltered, listInputFromSearch, listQueryString, parsePeaksSearch, peaksSearchString } from "./search-params";

describe("parsePeaksSearch", () => {
  it("reads every filter from the URL", () => {
    const search = parsePeaksSearch(
      new URLSearchParams("status=open,acknowledged&severity=critical&namespace=payments&label=known&from=2026-11-20&to=2026-11-24"),
    );
    expect(search).toEqual({
      status: ["open", "acknowledged"],
      severity: ["critical"],
      namespace: "payments",
      label: "known",
      from: "2026-11-20",
      to: "2026-11-24",
    });
    expect(isFiltered(search)).toBe(true);
  });

  it("gives the unfiltered timeline for no parameters, and for page props with arrays", () => {
    expect(parsePeaksSearch(new URLSearchParams())).toEqual(emptyPeaksSearch);
    expect(isFiltered(emptyPeaksSearch)).toBe(false);
    expect(parsePeaksSearch({ status: ["resolved", "open"], namespace: undefined })).toMatchObject({ status: ["resolved"], namespace: "" });
  });

  it("drops unknown statuses, duplicates and bad values instead of failing", () => {
    expect(parsePeaksSearch(new URLSearchParams("status=closed,open,open&severity=huge&label=maybe&from=yesterday&to=2026-13-01"))).toEqual({
      ...emptyPeaksSearch,
      status: ["open"],
    });
  });

  it("keeps lists in their canonical order and swaps days given the wrong way round", () => {
    expect(parsePeaksSearch(new URLSearchParams("severity=low,critical,high")).severity).toEqual(["low", "high", "critical"]);
    expect(parsePeaksSearch(new URLSearchParams("from=2026-11-24&to=2026-11-20"))).toMatchObject({ from: "2026-11-20", to: "2026-11-24" });
  });
});

describe("peaksSearchString and listInputFromSearch", () => {
  const search = { ...emptyPeaksSearch, status: ["open" as const, "acknowledged" as const], label: "unknown" as const, from: "2026-11-24", to: "2026-11-24" };

  it("writes only the filters that are set, lists with plain commas, and round-trips", () => {
    expect(peaksSearchString(emptyPeaksSearch)).toBe("");
    expect(peaksSearchString(search)).toBe("?status=open,acknowledged&label=unknown&from=2026-11-24&to=2026-11-24");
    expect(parsePeaksSearch(new URLSearchParams(peaksSearchString(search).slice(1)))).toEqual(search);
  });

  it("gives the API comma-separated lists and the local days as instants", () => {
    expect(listInputFromSearch(search, "Europe/Prague")).toEqual({
      status: "open,acknowledged",
      label: "unknown",
      from: "2026-11-23T23:00:00.000Z",
      to: "2026-11-24T23:00:00.000Z",
    });
    expect(listInputFromSearch(emptyPeaksSearch, "Europe/Prague")).toEqual({});
    expect(listQueryString({ ...emptyPeaksSearch, namespace: "payments" }, "UTC", { limit: 50, cursor: "MTc5:Mw" })).toBe(
      "?namespace=payments&limit=50&cursor=MTc5%3AMw",
    );
  });
});

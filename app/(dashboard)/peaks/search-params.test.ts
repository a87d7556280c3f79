import { describe, expect, it } from "vitest";
import { defaultPeaksSearch, isFiltered, listInputFromSearch, listQueryString, parsePeaksSearch, peaksSearchString } from "./search-params";

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

  it("opens on what needs triage (open and acknowledged) for no parameters, and reads page props with arrays", () => {
    expect(parsePeaksSearch(new URLSearchParams())).toEqual(defaultPeaksSearch);
    expect(defaultPeaksSearch.status).toEqual(["open", "acknowledged"]);
    expect(isFiltered(defaultPeaksSearch)).toBe(false);
    expect(parsePeaksSearch(new URLSearchParams("status=all")).status).toEqual([]);
    expect(isFiltered(parsePeaksSearch(new URLSearchParams("status=all")))).toBe(true);
    expect(parsePeaksSearch({ status: ["resolved", "open"], namespace: undefined })).toMatchObject({ status: ["resolved"], namespace: "" });
  });

  it("drops unknown statuses, duplicates and bad values instead of failing", () => {
    expect(parsePeaksSearch(new URLSearchParams("status=closed,open,open&severity=huge&label=maybe&from=yesterday&to=2026-13-01"))).toEqual({
      ...defaultPeaksSearch,
      status: ["open"],
    });
  });

  it("keeps lists in their canonical order and swaps days given the wrong way round", () => {
    expect(parsePeaksSearch(new URLSearchParams("severity=low,critical,high")).severity).toEqual(["low", "high", "critical"]);
    expect(parsePeaksSearch(new URLSearchParams("from=2026-11-24&to=2026-11-20"))).toMatchObject({ from: "2026-11-20", to: "2026-11-24" });
  });
});

describe("peaksSearchString and listInputFromSearch", () => {
  const search = { ...defaultPeaksSearch, status: ["open" as const, "known_issue" as const], label: "unknown" as const, from: "2026-11-24", to: "2026-11-24" };

  it("writes only the filters that are set, lists with plain commas, and round-trips", () => {
    expect(peaksSearchString(defaultPeaksSearch)).toBe("");
    expect(peaksSearchString(search)).toBe("?status=open,known_issue&label=unknown&from=2026-11-24&to=2026-11-24");
    expect(parsePeaksSearch(new URLSearchParams(peaksSearchString(search).slice(1)))).toEqual(search);
    const everyStatus = { ...defaultPeaksSearch, status: [], namespace: "payments" };
    expect(peaksSearchString(everyStatus)).toBe("?status=all&namespace=payments");
    expect(parsePeaksSearch(new URLSearchParams(peaksSearchString(everyStatus).slice(1)))).toEqual(everyStatus);
  });

  it("gives the API comma-separated lists and the local days as instants", () => {
    expect(listInputFromSearch(search, "Europe/Prague")).toEqual({
      status: "open,known_issue",
      label: "unknown",
      from: "2026-11-23T23:00:00.000Z",
      to: "2026-11-24T23:00:00.000Z",
    });
    expect(listInputFromSearch(defaultPeaksSearch, "Europe/Prague")).toEqual({ status: "open,acknowledged" });
    expect(listInputFromSearch({ ...defaultPeaksSearch, status: [] }, "Europe/Prague")).toEqual({});
    expect(listQueryString({ ...defaultPeaksSearch, status: [], namespace: "payments" }, "UTC", { limit: 50, cursor: "MTc5:Mw" })).toBe(
      "?namespace=payments&limit=50&cursor=MTc5%3AMw",
    );
  });
});

import { describe, expect, it } from "vitest";
import { peakStatuses, type PeakStatus } from "./contract";
import { isEveryStatus, isTriageStatuses, parseStatusParam, statusInput, statusParam, toggleStatus, TRIAGE_STATUSES } from "./status-filter";

describe("the status filter of the lists' URLs", () => {
  it("reads no parameter as what needs triage, 'all' as every status, and a list in canonical order", () => {
    expect(parseStatusParam(undefined)).toEqual(["open", "acknowledged"]);
    expect(parseStatusParam(" ")).toEqual([...TRIAGE_STATUSES]);
    expect(parseStatusParam("all")).toEqual([]);
    expect(parseStatusParam("resolved, open,resolved")).toEqual(["open", "resolved"]);
    expect(parseStatusParam("closed,burning")).toEqual([...TRIAGE_STATUSES]);
  });

  it("writes the default as no parameter, every status as 'all', and gives the API no filter for every status", () => {
    expect(statusParam(["acknowledged", "open"])).toBeUndefined();
    expect(statusParam([])).toBe("all");
    expect(statusParam([...peakStatuses])).toBe("all");
    expect(statusParam(["resolved", "open"])).toBe("open,resolved");
    expect(statusInput([])).toBeUndefined();
    expect(statusInput([...peakStatuses])).toBeUndefined();
    expect(statusInput(["acknowledged", "open"])).toBe("open,acknowledged");
    const samples: PeakStatus[][] = [[], ["open"], ["resolved", "false_positive"], [...TRIAGE_STATUSES]];
    for (const statuses of samples) {
      const text = statusParam(statuses);
      expect(isEveryStatus(parseStatusParam(text)) ? [] : parseStatusParam(text)).toEqual(
        isEveryStatus(statuses) ? [] : peakStatuses.filter((status) => statuses.includes(status)),
      );
    }
    expect(isTriageStatuses(["acknowledged", "open"])).toBe(true);
    expect(isTriageStatuses(["open"])).toBe(false);
  });

  it("toggles one box: from every status, unchecking one keeps the others; unchecking the last shows every status", () => {
    expect(toggleStatus([], "resolved", false)).toEqual(peakStatuses.filter((status) => status !== "resolved"));
    expect(toggleStatus(["open", "acknowledged"], "resolved", true)).toEqual(["open", "acknowledged", "resolved"]);
    expect(toggleStatus(["open"], "open", false)).toEqual([]);
    expect(isEveryStatus(toggleStatus(["open"], "open", false))).toBe(true);
  });
});

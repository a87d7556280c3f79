import { describe, expect, it } from "vitest";
import {
  describeCoverage,
  describeFindings,
  describeSourceCoverage,
  readRunFindings,
  runBadge,
  summarizeFindings,
  type RunCoverageFacts,
} from "./run-findings";

const now = Date.parse("2027-02-01T11:05:00Z");
const base: RunCoverageFacts = {
  status: "succeeded",
  rangeFrom: "2027-02-01T09:00:00.000Z",
  rangeTo: "2027-02-01T11:00:00.000Z",
  coveredTo: "2027-02-01T11:00:00.000Z",
  findings: { coverage: [{ from: "2027-02-01T08:00:00.000Z", to: "2027-02-01T11:03:00.000Z" }], dataUntil: "2027-02-01T11:03:00.000Z" },
};
const waiting: RunCoverageFacts = {
  ...base,
  coveredTo: "2027-02-01T09:45:00.000Z",
  findings: {
    coverage: [{ from: "2027-02-01T08:00:00.000Z", to: "2027-02-01T09:47:00.000Z" }],
    dataUntil: "2027-02-01T09:47:00.000Z",
    waiting: "waiting for data: the source ends at 09:47, 78 min behind; windows after it wait for the next run",
    stale: { dataUntil: "2027-02-01T09:47:00.000Z", minutesBehind: 78, threshold: 45 },
  },
};

describe("readRunFindings", () => {
  it("reads what a run stored and drops what it cannot read, never throwing", () => {
    expect(readRunFindings({ gapWindows: 3, waiting: 7, stale: "yes", corrected: 2 })).toEqual({ gapWindows: 3, corrected: 2 });
    expect(readRunFindings(null)).toEqual({});
    expect(readRunFindings([])).toEqual({});
    expect(readRunFindings({})).toEqual({});
  });
});

describe("runBadge", () => {
  it("shows a success that read all it should as a plain success", () => {
    expect(runBadge(base)).toEqual({ tone: "succeeded", label: "succeeded" });
    // A run recorded before coverage existed.
    expect(runBadge({ ...base, coveredTo: null, findings: {} })).toEqual({ tone: "succeeded", label: "succeeded" });
  });

  it("never shows a success that waited, read nothing, was stale or left gaps as a plain one", () => {
    expect(runBadge({ ...base, findings: { waiting: "waiting for data" } })).toEqual({ tone: "warning", label: "succeeded · waiting for data" });
    expect(runBadge(waiting)).toEqual({ tone: "warning", label: "succeeded · source behind" });
    expect(runBadge({ ...waiting, findings: { ...(waiting.findings as object), readNothing: true } })).toEqual({
      tone: "warning",
      label: "succeeded · read nothing",
    });
    expect(runBadge({ ...base, findings: { gapWindows: 4 } })).toEqual({ tone: "warning", label: "succeeded · with gaps" });
    expect(runBadge({ ...base, findings: { silent: [{ namespace: "payments", since: "2027-02-01T10:00:00Z", expected: 23 }] } })).toMatchObject({
      tone: "warning",
    });
  });

  it("keeps a failed or running run's own status", () => {
    expect(runBadge({ ...waiting, status: "failed" })).toEqual({ tone: "failed", label: "failed" });
    expect(runBadge({ ...base, status: "running", coveredTo: null })).toEqual({ tone: "running", label: "running" });
  });

  it("does not call a run that corrected windows anything but a success", () => {
    expect(runBadge({ ...base, findings: { corrected: 3 } })).toEqual({ tone: "succeeded", label: "succeeded" });
  });
});

describe("describeCoverage", () => {
  it("says a run covered its whole range, part of it, or nothing", () => {
    expect(describeCoverage(base, now, "UTC")).toBe("the whole range");
    expect(describeCoverage(waiting, now, "UTC")).toBe("up to 09:45; 09:45–11:00 waits for the next run");
    expect(describeCoverage({ ...base, coveredTo: base.rangeFrom }, now, "UTC")).toBe("nothing: the source had no data for the range yet");
  });

  it("uses the configured timezone", () => {
    expect(describeCoverage(waiting, now, "Europe/Prague")).toBe("up to 10:45; 10:45–12:00 waits for the next run");
  });

  it("says nothing for a running run, and tells an older run's missing coverage apart", () => {
    expect(describeCoverage({ ...base, status: "running", coveredTo: null }, now, "UTC")).toBeNull();
    expect(describeCoverage({ ...base, status: "failed", coveredTo: null }, now, "UTC")).toBeNull();
    expect(describeCoverage({ ...base, coveredTo: null, findings: {} }, now, "UTC")).toBe("the whole range (the run did not record its coverage)");
  });
});

describe("summarizeFindings", () => {
  it("is null for a run that read all of its range", () => {
    expect(summarizeFindings(base, now, "UTC")).toBeNull();
  });

  it("puts how far a run got and what it found in one line", () => {
    expect(summarizeFindings(waiting, now, "UTC")).toBe("processed to 09:45 · source 78 min behind");
    expect(summarizeFindings({ ...base, findings: { waiting: "waiting for data", gapWindows: 1, corrected: 2 } }, now, "UTC")).toBe(
      "waiting for data · 1 window without data · 2 windows corrected",
    );
    expect(summarizeFindings({ ...base, coveredTo: base.rangeFrom, findings: { readNothing: true } }, now, "UTC")).toBe("read nothing");
    expect(summarizeFindings({ ...base, findings: { stale: { dataUntil: null, minutesBehind: null, threshold: 45 } } }, now, "UTC")).toBe(
      "source has no recent data",
    );
  });
});

describe("describeFindings", () => {
  it("has no sentence for a run that read everything", () => {
    expect(describeFindings(base, now, "UTC")).toEqual([]);
  });

  it("says why a run waited for data when its source is not stale", () => {
    expect(
      describeFindings(
        { ...base, coveredTo: "2027-02-01T10:45:00.000Z", findings: { waiting: "waiting for data: the source ends at 10:47, 18 min behind" } },
        now,
        "UTC",
      ),
    ).toEqual([{ isWarning: true, text: "Waiting for data: the source ends at 10:47, 18 min behind." }]);
  });

  it("writes each finding as a sentence, warnings first, a stale source's instead of its waiting one", () => {
    const lines = describeFindings(
      {
        ...waiting,
        findings: {
          ...(waiting.findings as object),
          gapWindows: 3,
          corrected: 1,
          readNothing: true,
          silent: [{ namespace: "payments", since: "2027-02-01T10:00:00Z", expected: 23 }],
        },
      },
      now,
      "UTC",
    );
    expect(lines).toEqual([
      { isWarning: true, text: "The source answered but held no document of any level in the range: nothing was read, nothing stored." },
      { isWarning: true, text: "The log source is stale: 78 min behind, no data since 09:47 (allowed: 45 min)." },
      { isWarning: true, text: "3 windows were not covered by any source and left unstored (shown as gaps, not as zero)." },
      { isWarning: true, text: "No errors from payments since 10:00, where its baselines expect about 23: is it still logging?" },
      { isWarning: false, text: "1 stored window was corrected by late documents." },
    ]);
  });
});

describe("describeSourceCoverage", () => {
  it("lists what the source covered, at most a few spans", () => {
    expect(describeSourceCoverage(waiting, now, "UTC")).toBe("08:00–09:47");
    const spans = [0, 1, 2, 3, 4].map((hour) => ({ from: `2027-02-01T0${hour}:00:00.000Z`, to: `2027-02-01T0${hour}:30:00.000Z` }));
    expect(describeSourceCoverage({ ...base, findings: { coverage: spans } }, now, "UTC")).toBe("00:00–00:30, 01:00–01:30, 02:00–02:30 and 2 more");
  });

  it("tells a source that covered nothing from a run that did not record it", () => {
    expect(describeSourceCoverage({ ...base, findings: { coverage: [] } }, now, "UTC")).toBe("nothing");
    expect(describeSourceCoverage({ ...base, findings: {} }, now, "UTC")).toBeNull();
  });
});

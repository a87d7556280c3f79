import { describe, expect, it } from "vitest";
import { describeDataGap, type OpenDataGap } from "./data-gaps";

const now = Date.parse("2027-02-01T10:34:00Z");
const stale: OpenDataGap = {
  id: 1,
  kind: "stale",
  subject: "",
  dataUntil: "2027-02-01T09:42:00.000Z",
  detail: "waiting for data: the source ends at 10:42, 52 min behind",
  openedAt: "2027-02-01T10:32:00.000Z",
  lastSeenAt: "2027-02-01T10:32:00.000Z",
};

describe("describeDataGap", () => {
  it("says how far behind a stale source is and since when it has no data, in the configured timezone", () => {
    expect(describeDataGap(stale, now, "UTC")).toBe("Log source is 52 min behind: no data since 09:42");
    expect(describeDataGap(stale, now, "Europe/Prague")).toBe("Log source is 52 min behind: no data since 10:42");
  });

  it("says when a stale source was noticed when it could not tell where its data ends", () => {
    expect(describeDataGap({ ...stale, dataUntil: null }, now, "UTC")).toBe("Log source holds no recent data (noticed at 10:32)");
  });

  it("says how long a silent namespace has logged no errors", () => {
    const silent: OpenDataGap = { ...stale, id: 2, kind: "silent", subject: "payments", dataUntil: "2027-02-01T09:30:00.000Z" };
    expect(describeDataGap(silent, now, "UTC")).toBe("payments has logged no errors for 1 h 4 min, where it usually does");
    expect(describeDataGap({ ...silent, dataUntil: null }, now, "UTC")).toBe("payments has logged no errors for 2 min, where it usually does");
  });
});

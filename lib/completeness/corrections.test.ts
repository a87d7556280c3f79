import { describe, expect, it } from "vitest";
import { describeCorrection, type WindowCorrectionEntry } from "./corrections";

const late: WindowCorrectionEntry = { previousCount: 180, count: 212, wasPeak: true, isPeak: true, reason: "recount", correctedAt: "2026-11-28T09:20:00.000Z" };

describe("describeCorrection", () => {
  it("gives the old and new count, why and when, in the configured timezone", () => {
    expect(describeCorrection(late, "UTC")).toBe("Count corrected 180 → 212 by late documents at 28 Nov 2026, 09:20.");
    expect(describeCorrection(late, "Europe/Prague")).toBe("Count corrected 180 → 212 by late documents at 28 Nov 2026, 10:20.");
  });

  it("names each reason, and an unknown one as it is stored", () => {
    expect(describeCorrection({ ...late, reason: "reread" }, "UTC")).toContain("when the window was read again");
    expect(describeCorrection({ ...late, reason: "force" }, "UTC")).toContain("by a forced re-ingestion (batch --force)");
    expect(describeCorrection({ ...late, reason: "manual" }, "UTC")).toContain("180 → 212 (manual) at");
  });

  it("says when the correction made the window a peak, or took its peak status away", () => {
    expect(describeCorrection({ ...late, wasPeak: false }, "UTC")).toMatch(/; the window became a peak\.$/);
    expect(describeCorrection({ ...late, count: 90, isPeak: false }, "UTC")).toMatch(
      /180 → 90 .*; the window is no longer a peak \(the peak is kept because it was triaged\)\.$/,
    );
  });

  it("writes large counts with thousands separators", () => {
    expect(describeCorrection({ ...late, previousCount: 1800, count: 21200 }, "UTC")).toContain("1,800 → 21,200");
  });
});

import { describe, expect, it } from "vitest";
import { csvCell, formatTime } from "./output";

describe("formatTime", () => {
  it("shows an instant in the given time zone with its offset, summer and winter", () => {
    expect(formatTime(new Date("2026-01-15T08:30:05.250Z"), "Europe/Prague")).toBe("2026-01-15 09:30:05 +01:00");
    expect(formatTime(new Date("2026-07-15T08:30:05Z"), "Europe/Prague")).toBe("2026-07-15 10:30:05 +02:00");
    expect(formatTime(new Date("2026-07-15T23:30:00Z"), "America/New_York")).toBe("2026-07-15 19:30:00 -04:00");
  });

  it("writes UTC as +00:00, midnight as 00, and nothing as a dash", () => {
    expect(formatTime(new Date("2026-01-15T00:00:00Z"), "UTC")).toBe("2026-01-15 00:00:00 +00:00");
    expect(formatTime(null, "UTC")).toBe("-");
    expect(formatTime(undefined, "Europe/Prague")).toBe("-");
  });
});

describe("csvCell", () => {
  it("keeps ISO-8601 UTC for machines", () => {
    expect(csvCell(new Date("2026-01-15T08:30:05.250Z"))).toBe("2026-01-15T08:30:05.250Z");
  });
});

import { describe, expect, it } from "vitest";
import { accountLockedUntil, addressLockedUntil, MAX_LOCKOUT_MINUTES, secondsUntil } from "./throttle";

const policy = { maxFailedLogins: 5, windowMinutes: 15, maxFailedLoginsPerAddress: 20 };
const latest = new Date("2026-12-01T10:00:00Z");
const minutesAfterLatest = (until: Date | null) => (until ? (until.getTime() - latest.getTime()) / 60_000 : null);

describe("accountLockedUntil", () => {
  it("locks at the limit for the window after the last failure, doubling with each further failure up to a day", () => {
    expect(accountLockedUntil({ count: 4, latest }, policy)).toBeNull();
    expect(minutesAfterLatest(accountLockedUntil({ count: 5, latest }, policy))).toBe(15);
    expect(minutesAfterLatest(accountLockedUntil({ count: 6, latest }, policy))).toBe(30);
    expect(minutesAfterLatest(accountLockedUntil({ count: 8, latest }, policy))).toBe(120);
    expect(minutesAfterLatest(accountLockedUntil({ count: 500, latest }, policy))).toBe(MAX_LOCKOUT_MINUTES);
  });
});

describe("addressLockedUntil", () => {
  it("refuses an address at its limit until the oldest failure of the window leaves it", () => {
    expect(addressLockedUntil({ count: 19, oldest: latest }, policy)).toBeNull();
    expect(minutesAfterLatest(addressLockedUntil({ count: 20, oldest: latest }, policy))).toBe(15);
  });
});

describe("secondsUntil", () => {
  it("rounds up and is at least one second", () => {
    expect(secondsUntil(new Date(latest.getTime() + 1500), latest)).toBe(2);
    expect(secondsUntil(new Date(latest.getTime() - 5000), latest)).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { isBearerAuthorized } from "./cron";

describe("isBearerAuthorized", () => {
  const secret = "a-long-enough-cron-secret";

  it("accepts exactly Bearer and the secret", () => {
    expect(isBearerAuthorized(`Bearer ${secret}`, secret)).toBe(true);
  });

  it("refuses a missing, shortened, lengthened or differently prefixed header", () => {
    for (const header of [null, "", secret, `Bearer ${secret.slice(1)}`, `Bearer ${secret}x`, `bearer ${secret}`, `Basic ${secret}`, "Bearer "]) {
      expect(isBearerAuthorized(header, secret), String(header)).toBe(false);
    }
  });

  it("refuses everything while no secret is configured", () => {
    expect(isBearerAuthorized("Bearer ", undefined)).toBe(false);
    expect(isBearerAuthorized("Bearer undefined", undefined)).toBe(false);
  });
});

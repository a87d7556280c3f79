import { describe, expect, it } from "vitest";
import { stableHash } from "./hash";

describe("stableHash", () => {
  it("is 14 hex digits, deterministic and different for different texts", () => {
    expect(stableHash("abc")).toMatch(/^[0-9a-f]{14}$/);
    expect(stableHash("abc")).toBe(stableHash("abc"));
    expect(stableHash("abc")).not.toBe(stableHash("abd"));
    // Pinned: ids must not change between versions or machines.
    expect(stableHash("Request <NUM> failed: connection refused to <IP>")).toBe("1e66ea3e525897");
  });
});

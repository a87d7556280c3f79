import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback-url";

describe("safeCallbackPath", () => {
  it("keeps a local path with a query", () => {
    expect(safeCallbackPath("/users?x=1")).toBe("/users?x=1");
  });

  it("keeps the root path", () => {
    expect(safeCallbackPath("/")).toBe("/");
  });

  it("returns / for null", () => {
    expect(safeCallbackPath(null)).toBe("/");
  });

  it("returns / for undefined", () => {
    expect(safeCallbackPath(undefined)).toBe("/");
  });

  it("returns / for an empty string", () => {
    expect(safeCallbackPath("")).toBe("/");
  });

  it("returns / for an absolute URL to another site", () => {
    expect(safeCallbackPath("https://evil.example")).toBe("/");
  });

  it("returns / for a protocol-relative URL", () => {
    expect(safeCallbackPath("//evil.example")).toBe("/");
  });

  it("returns / for a backslash URL that browsers treat as protocol-relative", () => {
    expect(safeCallbackPath("/\\evil.example")).toBe("/");
  });

  it("returns / for a relative path without a leading slash", () => {
    expect(safeCallbackPath("users")).toBe("/");
  });
});

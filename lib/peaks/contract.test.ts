import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./contract";

describe("the timeline's cursor", () => {
  it("round-trips a page's last row", () => {
    const cursor = { timestampMs: 1_767_225_600_000, id: 4_217 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it("is base64url text, readable by any base64url decoder (cursors handed out before stay valid)", () => {
    const cursor = { timestampMs: 1_767_225_600_123, id: 7 };
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(encoded, "base64url").toString()).toBe("1767225600123:7");
    expect(decodeCursor(Buffer.from("1767225600123:7").toString("base64url"))).toEqual(cursor);
  });

  it.each([
    ["not base64 at all", "not a cursor!"],
    ["base64 of something else", Buffer.from("hello").toString("base64url")],
    ["an id beyond any record", Buffer.from("1767225600000:9999999999").toString("base64url")],
    ["an instant of more digits than any page holds", Buffer.from("8640000000000001:1").toString("base64url")],
    ["empty", ""],
  ])("refuses %s", (_case, value) => {
    expect(decodeCursor(value)).toBeNull();
  });
});

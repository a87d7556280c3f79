import { describe, expect, it } from "vitest";
import { MAX_RECORD_ID, recordIdSchema } from "./record-id";

describe("recordIdSchema", () => {
  it("takes whole numbers from 1 to the largest integer key, as numbers or decimal digits", () => {
    expect(recordIdSchema.parse(7)).toBe(7);
    expect(recordIdSchema.parse("42")).toBe(42);
    expect(recordIdSchema.parse(String(MAX_RECORD_ID))).toBe(MAX_RECORD_ID);
  });

  it("refuses, with one message, what names no record", () => {
    for (const value of [
      0,
      -1,
      1.5,
      MAX_RECORD_ID + 1,
      "2147483648",
      "9223372036854775808",
      "0",
      "1e3",
      "0x10",
      " 7",
      "7 ",
      "",
      "abc",
      null,
      undefined,
      true,
      {},
    ]) {
      const result = recordIdSchema.safeParse(value);
      expect(result.success, JSON.stringify(value)).toBe(false);
      expect(result.error?.issues.map((issue) => issue.message)).toEqual([`must be a whole number from 1 to ${MAX_RECORD_ID}`]);
    }
  });
});

import { describe, expect, it } from "vitest";
import { draftOf, fieldErrorsOf, parseDraft, sameValues } from "./form";

const values = {
  min_ratio_multiplier: 3,
  max_ratio_multiplier: 5,
  dynamic_min_multiplier: 2.5,
  min_absolute_value: 100,
  same_day_window_count: 3,
  same_day_min_ratio: 0,
  tail_probability: 1e-5,
};

describe("threshold form", () => {
  it("round-trips values through the draft", () => {
    expect(parseDraft(draftOf(values))).toEqual({ values, errors: null });
  });

  it("names each field that is not a number", () => {
    const result = parseDraft({ ...draftOf(values), min_absolute_value: "", dynamic_min_multiplier: "2,5" });
    expect(result.errors).toEqual({ min_absolute_value: "Enter a number", dynamic_min_multiplier: "Enter a number" });
  });

  it("applies the API's rules: whole numbers, ranges and min ≤ max", () => {
    expect(parseDraft({ ...draftOf(values), min_absolute_value: "10.5" }).errors).toHaveProperty("min_absolute_value");
    expect(parseDraft({ ...draftOf(values), same_day_window_count: "97" }).errors).toHaveProperty("same_day_window_count");
    expect(parseDraft({ ...draftOf(values), max_ratio_multiplier: "2" }).errors).toEqual({ max_ratio_multiplier: "Must be at least min_ratio_multiplier" });
  });

  it("says a bound in words", () => {
    expect(parseDraft({ ...draftOf(values), same_day_window_count: "97", tail_probability: "0", same_day_min_ratio: "-1" }).errors).toEqual({
      same_day_window_count: "Must be at most 96",
      tail_probability: "Must be more than 0",
      same_day_min_ratio: "Must be at least 0",
    });
    expect(parseDraft({ ...draftOf(values), tail_probability: "0.02" }).errors).toEqual({ tail_probability: "Must be at most 0.01" });
  });

  it("maps the API's error details onto the fields", () => {
    expect(
      fieldErrorsOf([
        { path: "values.min_absolute_value", message: "too small" },
        { path: "comment", message: "too long" },
      ]),
    ).toEqual({ min_absolute_value: "Too small" });
    expect(fieldErrorsOf("nonsense")).toEqual({});
  });

  it("compares values field by field", () => {
    expect(sameValues(values, { ...values })).toBe(true);
    expect(sameValues(values, { ...values, min_absolute_value: 99 })).toBe(false);
  });
});

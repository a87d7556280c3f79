import { describe, expect, it } from "vitest";
import { ApiError, apiErrorFromAnswer, describeError } from "./fetch-json";

describe("apiErrorFromAnswer", () => {
  it("keeps the API's code, message and field issues", () => {
    const error = apiErrorFromAnswer(400, "Bad Request", {
      error: "invalid_input",
      message: "The request is not valid",
      details: [{ path: "regexes.0", message: "bad regex" }],
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "invalid_input",
      message: "The request is not valid",
      issues: [{ path: "regexes.0", message: "bad regex" }],
    });
  });

  it("ignores details that are not field issues", () => {
    const error = apiErrorFromAnswer(400, "Bad Request", { error: "invalid_input", message: "No", details: { line: 3 } });
    expect(error.issues).toEqual([]);
    expect(error.message).toBe("No");
  });

  it("falls back on the HTTP status for a body that is not the API's", () => {
    const error = apiErrorFromAnswer(502, "Bad Gateway", null);
    expect(error).toMatchObject({ status: 502, code: null, message: "502 Bad Gateway", issues: [] });
  });
});

describe("describeError", () => {
  it("lists the field issues instead of the generic message, list entries without their index", () => {
    const error = new ApiError(400, "invalid_input", "The request is not valid", [
      { path: "regexes.1", message: '"(" is not a valid regular expression' },
      { path: "days", message: "Too big" },
    ]);
    expect(describeError(error)).toBe('"(" is not a valid regular expression; days: Too big');
  });

  it("is the message of an error without issues", () => {
    expect(describeError(new ApiError(409, "conflict", "Known issue 4 is resolved"))).toBe("Known issue 4 is resolved");
    expect(describeError(new Error("offline"))).toBe("offline");
  });
});

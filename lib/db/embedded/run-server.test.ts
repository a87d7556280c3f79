import { describe, expect, it } from "vitest";
import { describeOpenFailure } from "./run-server";

describe("describeOpenFailure", () => {
  it("keeps the first line of an Error's message", () => {
    expect(describeOpenFailure(new Error("Aborted(). Build with -sASSERTIONS for more info.\n    at abort"))).toBe(
      "Aborted(). Build with -sASSERTIONS for more info.",
    );
  });

  it("names the errno of PGlite's file system errors, which are not Errors", () => {
    expect(describeOpenFailure({ name: "ErrnoError", errno: 54 })).toBe("file system error ENOTDIR (not a directory)");
    expect(describeOpenFailure({ name: "ErrnoError", errno: 999 })).toBe("file system error errno 999");
  });

  it("falls back to the error's name for an empty message, and to the text of anything else", () => {
    expect(describeOpenFailure(new TypeError(""))).toBe("TypeError");
    expect(describeOpenFailure("broken")).toBe("broken");
  });
});

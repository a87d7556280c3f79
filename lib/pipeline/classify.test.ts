import { describe, expect, it } from "vitest";
import { createClassifier, UNKNOWN_ERROR_TYPE } from "./classify";

describe("createClassifier", () => {
  it("uses the rules it is given, in their order, case-insensitively", () => {
    const custom = createClassifier([
      { type: "payment_declined", patterns: ["declined by PSP"] },
      { type: "timeout", patterns: ["timeout"] },
    ]);
    expect(custom("Payment DECLINED BY psp: insufficient_funds (timeout=30s)")).toBe("payment_declined");
    expect(custom("socket timeout")).toBe("timeout");
    expect(custom("java.lang.OutOfMemoryError")).toBe(UNKNOWN_ERROR_TYPE);
    expect(createClassifier([])("anything")).toBe(UNKNOWN_ERROR_TYPE);
  });
});

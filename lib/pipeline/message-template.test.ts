import { describe, expect, it } from "vitest";
import { stableHash, templateOf } from "./message-template";

describe("templateOf", () => {
  it.each([
    ["Request 12 failed: connection refused to 10.0.0.12:5432", "Request <NUM> failed: connection refused to <IP>"],
    ["Timeout after 3000ms calling https://pay.internal/api/v1/orders/123?x=1", "Timeout after <DURATION> calling <URL>"],
    ["User john.doe@example.com not found (id 550e8400-e29b-41d4-a716-446655440000)", "User <EMAIL> not found (id <UUID>)"],
    ["java.lang.NullPointerException at com.foo.Bar@1a2b3c4d", "java.lang.NullPointerException at com.foo.Bar@<HEX>"],
    ["Order 'A-1234' rejected at 2026-01-15T10:12:33.123Z, took 1.5s", "Order '<*>' rejected at <TIME>, took <DURATION>"],
    ["deadlock detected; trace 4bf92f3577b34da6a3ce929d0e0e4736", "deadlock detected; trace <HEX>"],
    ["  spaced\tout   message  ", "spaced out message"],
    ["", "<empty>"],
  ])("masks %j", (message, template) => {
    expect(templateOf(message)).toBe(template);
  });

  it("keeps the first line only, so stack traces do not split a pattern", () => {
    expect(templateOf("Failure 1\n  at a.b(C.java:12)")).toBe(templateOf("Failure 2\n  at x.y(Z.java:99)\n  at more"));
  });

  it("uses the exception line of a Python traceback", () => {
    const traceback = (error: string) => `Traceback (most recent call last):\n  File "app.py", line 12, in handle\n    run()\n${error}\n`;
    expect(templateOf(traceback("KeyError: 'user_id'"))).toBe("KeyError: '<*>'");
    expect(templateOf(traceback("ValueError: bad value 12"))).not.toBe(templateOf(traceback("KeyError: 'x'")));
  });

  it("keeps different errors apart", () => {
    expect(templateOf("connection refused to 10.0.0.1:5432")).not.toBe(templateOf("connection reset by 10.0.0.1:5432"));
  });
});

describe("stableHash", () => {
  it("is 14 hex digits, deterministic and different for different texts", () => {
    expect(stableHash("abc")).toMatch(/^[0-9a-f]{14}$/);
    expect(stableHash("abc")).toBe(stableHash("abc"));
    expect(stableHash("abc")).not.toBe(stableHash("abd"));
    // Pinned: ids must not change between versions or machines.
    expect(stableHash("Request <NUM> failed: connection refused to <IP>")).toBe("1e66ea3e525897");
  });
});

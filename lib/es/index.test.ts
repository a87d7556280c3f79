import { describe, expect, it } from "vitest";
import { InvalidInputError } from "@/lib/errors";
import { resolveSourceKind } from "./index";

describe("resolveSourceKind", () => {
  it("defaults to files with --input and to Elasticsearch when it is configured", () => {
    expect(resolveSourceKind({ inputs: ["a.ndjson"] }, true)).toBe("file");
    expect(resolveSourceKind({}, true)).toBe("es");
    expect(resolveSourceKind({ kind: "file", inputs: ["a"] }, true)).toBe("file");
    expect(resolveSourceKind({ kind: "es" }, true)).toBe("es");
  });

  it.each([
    [{}, false, "No log source: give --input"],
    [{ kind: "file" as const }, true, "--source file needs --input"],
    [{ kind: "es" as const, inputs: ["a"] }, true, "--input is for --source file"],
    [{ kind: "es" as const }, false, "--source es needs ES_URL"],
  ])("refuses %j (Elasticsearch configured: %s)", (choice, configured, message) => {
    expect(() => resolveSourceKind(choice, configured)).toThrow(InvalidInputError);
    expect(() => resolveSourceKind(choice, configured)).toThrow(message);
  });
});

import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./log";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString("utf8")
          .split("\n")
          .filter((line) => line !== ""),
      );
      done();
    },
  });
  return { lines, destination };
}

describe("createLogger", () => {
  it("writes JSON lines in production, with the fields given and credentials redacted", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ isDevelopment: false, level: "info", destination });
    logger.child({ runId: 12 }).warn({ peakId: 4, password: "hunter22", headers: { cookie: "s=1", host: "x" }, connection: { apiKey: "k" } }, "step failed");
    logger.debug("not written below info");
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 40, msg: "step failed", runId: 12, peakId: 4, service: "peak-investigation" });
    expect(entry.password).toBe("[redacted]");
    expect(entry.headers).toEqual({ cookie: "[redacted]", host: "x" });
    expect(entry.connection).toEqual({ apiKey: "[redacted]" });
    expect(lines[0]).not.toContain("hunter22");
  });

  it("writes readable lines in development", () => {
    const { lines, destination } = capture();
    createLogger({ isDevelopment: true, level: "info", destination }).info({ runId: 3 }, "run finished");
    const text = lines.join("\n").replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");
    expect(text).toMatch(/INFO: run finished/);
    expect(text).toMatch(/runId: 3/);
    expect(() => JSON.parse(lines[0]!)).toThrow();
  });
});

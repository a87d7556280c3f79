import { describe, expect, it } from "vitest";
import { sharedReadiness, type Readiness } from "./readiness";

const ready = (now: Date): Readiness => ({
  status: "ready",
  checks: { database: "ok", migrations: "ok", elasticsearch: "not configured" },
  checkedAt: now.toISOString(),
});

describe("sharedReadiness", () => {
  it("runs one check for concurrent callers and reuses its answer for the given time, then checks again", async () => {
    let nowMs = Date.UTC(2026, 11, 3, 8, 0);
    const checks: Date[] = [];
    let finish: () => void = () => {};
    const probe = sharedReadiness(
      (now) => {
        checks.push(now);
        return new Promise<Readiness>((resolve) => (finish = () => resolve(ready(now))));
      },
      1_000,
      () => new Date(nowMs),
    );
    const flood = Array.from({ length: 50 }, () => probe());
    expect(checks).toHaveLength(1);
    finish();
    const answers = await Promise.all(flood);
    expect(new Set(answers.map((answer) => answer.checkedAt))).toEqual(new Set(["2026-12-03T08:00:00.000Z"]));

    nowMs += 999;
    await probe();
    expect(checks).toHaveLength(1);
    nowMs += 1;
    const again = probe();
    expect(checks).toHaveLength(2);
    finish();
    expect((await again).checkedAt).toBe("2026-12-03T08:00:01.000Z");
  });

  it("checks again after a check that failed, once the reuse time is over", async () => {
    let nowMs = 0;
    let calls = 0;
    const probe = sharedReadiness(
      () => {
        calls += 1;
        return Promise.reject(new Error("boom"));
      },
      1_000,
      () => new Date(nowMs),
    );
    await expect(probe()).rejects.toThrow("boom");
    await expect(probe()).rejects.toThrow("boom");
    expect(calls).toBe(1);
    nowMs = 1_000;
    await expect(probe()).rejects.toThrow("boom");
    expect(calls).toBe(2);
  });
});

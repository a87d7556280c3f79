import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { fileSourceOf } from "@/lib/es";
import { analyzePeriod } from "./analyze-period";

const config = loadConfig(path.resolve("values.yaml"));
const at = (iso: string) => Date.parse(iso);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "peaks-analyze-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function document(iso: string, namespace: string, message: string, level = "ERROR"): string {
  return JSON.stringify({ "@timestamp": iso, level, message, kubernetes: { namespace, labels: { app: `${namespace}-api` } } });
}

describe("analyzePeriod", () => {
  it("totals namespaces, ranks windows and estimates pattern counts from a per-window sample", async () => {
    const lines: string[] = [];
    // 10:00 window: 8 payments errors of two kinds; 10:15: 2 orders errors; one WARN; one outside.
    for (let index = 0; index < 6; index += 1) lines.push(document(`2026-01-15T10:0${index}:00Z`, "payments", `Timeout after ${100 + index}ms calling db`));
    for (let index = 0; index < 2; index += 1) lines.push(document(`2026-01-15T10:1${index}:00Z`, "payments", `Connection refused to 10.0.0.${index}:5432`));
    lines.push(document("2026-01-15T10:16:00Z", "orders", "Order 1 not found"), document("2026-01-15T10:17:00Z", "orders", "Order 2 not found"));
    lines.push(document("2026-01-15T10:18:00Z", "orders", "slow", "WARN"), document("2026-01-15T12:00:00Z", "orders", "late"));
    const file = path.join(tmp, "period.ndjson");
    writeFileSync(file, `${lines.join("\n")}\n`);

    const analysis = await analyzePeriod(fileSourceOf(config, [file]), config, {
      range: { fromMs: at("2026-01-15T10:00:00Z"), toMs: at("2026-01-15T11:00:00Z") },
      top: 5,
      samplePerWindow: 4,
    });

    expect(analysis).toMatchObject({ errors: 10, ignoredLevels: 1, skipped: 0, windows: 4, timezone: "Europe/Prague", sample: { read: 6, total: 10 } });
    expect(analysis.namespaces).toEqual([
      { namespace: "payments", errors: 8, share: 0.8, windowsWithErrors: 1, busiestWindow: { start: at("2026-01-15T10:00:00Z"), count: 8 } },
      { namespace: "orders", errors: 2, share: 0.2, windowsWithErrors: 1, busiestWindow: { start: at("2026-01-15T10:15:00Z"), count: 2 } },
    ]);
    expect(analysis.busiestWindows).toEqual([
      { start: at("2026-01-15T10:00:00Z"), namespace: "payments", count: 8 },
      { start: at("2026-01-15T10:15:00Z"), namespace: "orders", count: 2 },
    ]);
    // The 10:00 window holds 8 documents; the earliest 4 (all timeouts) are read, each standing for 2.
    expect(analysis.patterns.map(({ template, sampled, estimated }) => ({ template, sampled, estimated }))).toEqual([
      { template: "Timeout after <*> calling db", sampled: 4, estimated: 8 },
      { template: "Order <*> not found", sampled: 2, estimated: 2 },
    ]);
    expect(analysis.patterns[0]).toMatchObject({ namespaces: [{ namespace: "payments", sampled: 4 }], example: "Timeout after 100ms calling db" });
    expect(analysis.patterns[0]!.patternId).toMatch(/^[0-9a-f]{14}$/);
    // The file's lines run from 10:00 to 12:00: the whole hour is covered.
    expect(analysis.covered).toEqual([{ fromMs: at("2026-01-15T10:00:00Z"), toMs: at("2026-01-15T11:00:00Z") }]);
    expect(analysis.uncoveredWindows).toBe(0);
  });

  it("says which part of the period the source did not cover: unknown, not zero", async () => {
    const file = path.join(tmp, "morning.ndjson");
    writeFileSync(
      file,
      `${[document("2026-01-15T09:50:00Z", "orders", "alive", "INFO"), document("2026-01-15T10:20:00Z", "orders", "Order 3 not found")].join("\n")}\n`,
    );
    const analysis = await analyzePeriod(fileSourceOf(config, [file]), config, {
      range: { fromMs: at("2026-01-15T10:00:00Z"), toMs: at("2026-01-15T11:00:00Z") },
      top: 5,
      samplePerWindow: 4,
    });
    expect(analysis.covered).toEqual([{ fromMs: at("2026-01-15T10:00:00Z"), toMs: at("2026-01-15T10:20:00Z") }]);
    // 10:00–10:15 is covered; 10:15 onwards is not (the data ends at 10:20).
    expect(analysis.uncoveredWindows).toBe(3);
  });
});

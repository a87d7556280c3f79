import { describe, expect, it } from "vitest";
import { chooseExamplePeak, type TriageCandidate } from "./first-start";

const windowMs = 15 * 60_000;
const settings = { windowMs, gapMinutes: 30 };
const t0 = Date.parse("2026-02-02T08:00:00Z");

let nextId = 1;
function peak(namespace: string, window: number, excess: number, overrides: Partial<TriageCandidate> = {}): TriageCandidate {
  return {
    id: nextId++,
    namespace,
    startMs: t0 + window * windowMs,
    excess,
    isOpen: true,
    hasKnownIssue: false,
    patternIds: [`${namespace}-root`],
    ...overrides,
  };
}

describe("chooseExamplePeak", () => {
  it("takes the first window of the incident with the most errors above the baseline, not the biggest single window", () => {
    const spike = peak("payments", 0, 900);
    const plateau = [peak("orders", 10, 400), peak("orders", 11, 400), peak("orders", 13, 400)];
    expect(chooseExamplePeak([spike, ...plateau], settings)?.id).toBe(plateau[0]!.id);
  });

  it("splits a namespace's windows into two incidents when more than incident_gap_minutes lie between them", () => {
    // Window 11 ends at 12; window 15 starts 45 minutes later: another incident.
    const first = [peak("orders", 10, 300), peak("orders", 11, 300)];
    const second = [peak("orders", 15, 500), peak("orders", 16, 200)];
    expect(chooseExamplePeak([...first, ...second], settings)?.id).toBe(second[0]!.id);
  });

  it("skips windows that are not open, already known or not investigated, and then whole incidents without a usable window", () => {
    const big = [peak("orders", 0, 800, { isOpen: false }), peak("orders", 1, 800, { hasKnownIssue: true }), peak("orders", 2, 800, { patternIds: [] })];
    const usable = [peak("billing", 0, 100, { isOpen: false }), peak("billing", 1, 100)];
    expect(chooseExamplePeak([...big, ...usable], settings)?.id).toBe(usable[1]!.id);
    expect(chooseExamplePeak(big, settings)).toBeNull();
  });

  it("keeps only the windows the caller accepts", () => {
    const known = peak("orders", 0, 900);
    const other = peak("billing", 0, 100, { patternIds: ["billing-root"] });
    expect(chooseExamplePeak([known, other], settings, (candidate) => !candidate.patternIds.includes("orders-root"))?.id).toBe(other.id);
  });

  it("breaks ties by the earlier start, then by the namespace, whatever the input order", () => {
    const later = peak("alpha", 5, 300);
    const earlierZ = peak("zulu", 1, 300);
    const earlierA = peak("alpha", 1, 300);
    expect(chooseExamplePeak([later, earlierZ], settings)?.id).toBe(earlierZ.id);
    expect(chooseExamplePeak([earlierZ, earlierA], settings)?.id).toBe(earlierA.id);
    expect(chooseExamplePeak([earlierA, earlierZ], settings)?.id).toBe(earlierA.id);
  });
});

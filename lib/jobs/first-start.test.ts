import { describe, expect, it } from "vitest";
import { chooseExamplePeak, type TriageCandidate } from "./first-start";

const windowMs = 15 * 60_000;
const t0 = Date.parse("2026-02-02T08:00:00Z");

let nextId = 1;
/** A window of incident `incident` (its stored id); windows of one incident share it. */
function peak(namespace: string, window: number, excess: number, overrides: Partial<TriageCandidate> & { incident?: number } = {}): TriageCandidate {
  const { incident, ...rest } = overrides;
  return {
    id: nextId++,
    incidentId: incident ?? null,
    namespace,
    startMs: t0 + window * windowMs,
    excess,
    isOpen: true,
    hasKnownIssue: false,
    patternIds: [`${namespace}-root`],
    ...rest,
  };
}

describe("chooseExamplePeak", () => {
  it("takes the first window of the incident with the most errors above the baseline, not the biggest single window", () => {
    const spike = peak("payments", 0, 900, { incident: 1 });
    const plateau = [peak("orders", 10, 400, { incident: 2 }), peak("orders", 11, 400, { incident: 2 }), peak("orders", 13, 400, { incident: 2 })];
    expect(chooseExamplePeak([spike, ...plateau])?.id).toBe(plateau[0]!.id);
  });

  it("groups windows by their stored incident, not by their distance", () => {
    // Far apart but one incident (reopened, say), against a bigger single window.
    const reopened = [peak("orders", 10, 300, { incident: 7 }), peak("orders", 40, 300, { incident: 7 })];
    const single = peak("orders", 15, 500, { incident: 8 });
    expect(chooseExamplePeak([...reopened, single])?.id).toBe(reopened[0]!.id);
    // A window in no incident yet stands alone.
    expect(chooseExamplePeak([peak("orders", 50, 900), ...reopened])?.excess).toBe(900);
  });

  it("skips windows that are not open, already known or not investigated, and then whole incidents without a usable window", () => {
    const big = [
      peak("orders", 0, 800, { isOpen: false, incident: 1 }),
      peak("orders", 1, 800, { hasKnownIssue: true, incident: 1 }),
      peak("orders", 2, 800, { patternIds: [], incident: 1 }),
    ];
    const usable = [peak("billing", 0, 100, { isOpen: false, incident: 2 }), peak("billing", 1, 100, { incident: 2 })];
    expect(chooseExamplePeak([...big, ...usable])?.id).toBe(usable[1]!.id);
    expect(chooseExamplePeak(big)).toBeNull();
  });

  it("keeps only the windows the caller accepts", () => {
    const known = peak("orders", 0, 900);
    const other = peak("billing", 0, 100, { patternIds: ["billing-root"] });
    expect(chooseExamplePeak([known, other], (candidate) => !candidate.patternIds.includes("orders-root"))?.id).toBe(other.id);
  });

  it("breaks ties by the earlier start, then by the namespace, whatever the input order", () => {
    const later = peak("alpha", 5, 300);
    const earlierZ = peak("zulu", 1, 300);
    const earlierA = peak("alpha", 1, 300);
    expect(chooseExamplePeak([later, earlierZ])?.id).toBe(earlierZ.id);
    expect(chooseExamplePeak([earlierZ, earlierA])?.id).toBe(earlierA.id);
    expect(chooseExamplePeak([earlierA, earlierZ])?.id).toBe(earlierA.id);
  });
});

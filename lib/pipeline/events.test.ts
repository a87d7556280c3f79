import { describe, expect, it } from "vitest";
import { compareEvents, incidentEventSpanOf, INCIDENT_EVENT_SPAN_MAX_MS, linkCrossNamespaceEvents, type EventFact } from "./events";
import { problemIdOf } from "./problems";

const WINDOW = 15 * 60_000;
const T0 = Date.UTC(2026, 11, 1, 10);
const at = (windows: number) => T0 + windows * WINDOW;

function fact(namespace: string, incidentId: number | null, firstWindow: number, lastWindow: number, overrides: Partial<EventFact> = {}): EventFact {
  return {
    patternId: "a1b2",
    errorType: "db_timeout",
    incidentId,
    namespace,
    firstWindowMs: at(firstWindow),
    lastWindowMs: at(lastWindow),
    windows: lastWindow - firstWindow + 1,
    errors: 100 * (lastWindow - firstWindow + 1),
    latestWindowId: 1000 + (incidentId ?? 0) * 10 + lastWindow,
    ...overrides,
  };
}

describe("cross-namespace events", () => {
  it("links incidents of one problem in several namespaces at the same time into one event", () => {
    const events = linkCrossNamespaceEvents([fact("payments", 1, 0, 3), fact("orders", 2, 1, 2), fact("billing", 3, 2, 5)], WINDOW);
    expect(events).toEqual([
      {
        problemId: problemIdOf({ patternId: "a1b2", errorType: "db_timeout" }),
        patternId: "a1b2",
        errorType: "db_timeout",
        fromMs: at(0),
        toMs: at(6),
        namespaces: ["billing", "orders", "payments"],
        mostAtOnce: 3,
        incidentIds: [1, 2, 3],
        windows: 4 + 2 + 4,
        errors: 1000,
        latestWindowId: 1035,
      },
    ]);
  });

  it("links a namespace hit one window later (errors reaching a downstream service), not one after a quiet window", () => {
    const next = linkCrossNamespaceEvents([fact("payments", 1, 0, 0), fact("orders", 2, 1, 1)], WINDOW);
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ namespaces: ["orders", "payments"], mostAtOnce: 1, fromMs: at(0), toMs: at(2) });
    expect(linkCrossNamespaceEvents([fact("payments", 1, 0, 0), fact("orders", 2, 2, 2)], WINDOW)).toEqual([]);
  });

  it("links transitively: a chain of overlaps is one event even when its ends never meet", () => {
    const events = linkCrossNamespaceEvents([fact("a", 1, 0, 1), fact("b", 2, 1, 3), fact("c", 3, 3, 6)], WINDOW);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ namespaces: ["a", "b", "c"], fromMs: at(0), toMs: at(7), mostAtOnce: 2 });
  });

  it("keeps problems apart: another pattern or another error type at the same time is not the same event", () => {
    const events = linkCrossNamespaceEvents(
      [fact("payments", 1, 0, 2), fact("orders", 2, 0, 2, { patternId: "ffff" }), fact("billing", 3, 0, 2, { errorType: "http_5xx" })],
      WINDOW,
    );
    expect(events).toEqual([]);
  });

  it("is no event when only one namespace is hit, however many incidents it has", () => {
    expect(linkCrossNamespaceEvents([fact("payments", 1, 0, 2), fact("payments", 2, 2, 4)], WINDOW)).toEqual([]);
  });

  it("gives two events for two outbreaks of one problem apart in time, and counts windows outside incidents in the figures only", () => {
    const events = linkCrossNamespaceEvents(
      [fact("payments", 1, 0, 1), fact("orders", null, 1, 1), fact("payments", 4, 20, 21), fact("orders", 5, 20, 20), fact("billing", 6, 21, 22)],
      WINDOW,
    );
    expect(events.map((event) => [event.fromMs, event.toMs, event.namespaces, event.incidentIds, event.windows])).toEqual([
      [at(0), at(2), ["orders", "payments"], [1], 3],
      [at(20), at(23), ["billing", "orders", "payments"], [4, 5, 6], 5],
    ]);
  });

  it("orders ongoing events first, then the widest, then the most recent", () => {
    const events = linkCrossNamespaceEvents(
      [
        fact("a", 1, 0, 1),
        fact("b", 2, 0, 1),
        fact("c", 3, 0, 1),
        fact("a", 4, 10, 10, { patternId: "c3" }),
        fact("b", 5, 10, 10, { patternId: "c3" }),
        fact("a", 6, 30, 30, { patternId: "d4" }),
        fact("b", 7, 30, 30, { patternId: "d4" }),
      ],
      WINDOW,
    );
    const ongoing = new Set([4]);
    const sorted = [...events].sort(compareEvents((event) => event.incidentIds.some((id) => ongoing.has(id))));
    expect(sorted.map((event) => event.patternId)).toEqual(["c3", "a1b2", "d4"]);
    const noneOngoing = [...events].sort(compareEvents(() => false));
    expect(noneOngoing.map((event) => event.patternId)).toEqual(["a1b2", "d4", "c3"]);
  });
});

describe("the span an incident's events are looked for in", () => {
  it("is the incident's windows and one window on each side: the stretches that touch it are linked to it", () => {
    const span = incidentEventSpanOf({ firstWindowMs: at(4), lastWindowMs: at(7) }, WINDOW);
    expect(span).toEqual({ fromMs: at(3), toMs: at(9) });
    // The windows on both edges of the span link to the incident; one further out does not.
    const incident = fact("payments", 1, 4, 7);
    expect(linkCrossNamespaceEvents([incident, fact("orders", 2, 3, 3)], WINDOW)).toHaveLength(1);
    expect(linkCrossNamespaceEvents([incident, fact("orders", 2, 8, 8)], WINDOW)).toHaveLength(1);
    expect(linkCrossNamespaceEvents([incident, fact("orders", 2, 2, 2)], WINDOW)).toEqual([]);
    expect(linkCrossNamespaceEvents([incident, fact("orders", 2, 9, 9)], WINDOW)).toEqual([]);
  });

  it("is one window and its neighbours for an incident of one window", () => {
    expect(incidentEventSpanOf({ firstWindowMs: at(4), lastWindowMs: at(4) }, WINDOW)).toEqual({ fromMs: at(3), toMs: at(6) });
  });

  it("keeps a long incident's last week only, so that its read stays bounded", () => {
    const lastWindowMs = at(4 * 96 * 30);
    const span = incidentEventSpanOf({ firstWindowMs: at(0), lastWindowMs }, WINDOW);
    expect(span).toEqual({ fromMs: lastWindowMs + WINDOW - INCIDENT_EVENT_SPAN_MAX_MS - WINDOW, toMs: lastWindowMs + 2 * WINDOW });
    expect(span.toMs - span.fromMs).toBe(INCIDENT_EVENT_SPAN_MAX_MS + 2 * WINDOW);
    // A week to the window is kept whole.
    const week = incidentEventSpanOf({ firstWindowMs: at(0), lastWindowMs: at(7 * 96 - 1) }, WINDOW);
    expect(week).toEqual({ fromMs: at(-1), toMs: at(7 * 96 + 1) });
  });
});

// Cross-namespace events: one problem breaking out in several namespaces at the same time. The
// incidents of one problem (root-cause pattern and error type) whose stretches of it overlap or
// follow one another without a gap are linked, transitively, into one event; an event spans at
// least two namespaces (one namespace alone is an incident, not an event). Pure: the facts and the
// window length come in as arguments.

import { mostNamespacesAtOnce, problemIdOf, type ProblemIncidentFact } from "./problems";

/** What events are linked from: one incident's windows of one problem (lib/pipeline/problems.ts), of the period only. */
export type EventFact = Pick<
  ProblemIncidentFact,
  "patternId" | "errorType" | "incidentId" | "namespace" | "firstWindowMs" | "lastWindowMs" | "windows" | "errors" | "latestWindowId"
>;

export type CrossNamespaceEvent = {
  problemId: string;
  patternId: string;
  errorType: string;
  /** Start of its first window and end of its last one, UTC ms. */
  fromMs: number;
  toMs: number;
  /** Sorted; at least two. */
  namespaces: string[];
  /** The most namespaces it held at the same time. */
  mostAtOnce: number;
  /** Its incidents, by id (windows not placed in an incident yet count in the figures only). */
  incidentIds: number[];
  windows: number;
  errors: number;
  /** The window of it detected last (the highest id): where its template is read when its pattern is no longer kept. */
  latestWindowId: number;
};

type Stretch = { fact: EventFact; fromMs: number; toMs: number };

/**
 * The events among `facts`, in no particular order. Two stretches of a problem are linked when
 * the later one starts before or right at the end of the earlier (ends exclusive): errors that
 * reach a downstream namespace one window later still belong to the same outbreak, while a
 * window without it in any namespace ends the event.
 */
export function linkCrossNamespaceEvents(facts: readonly EventFact[], windowMs: number): CrossNamespaceEvent[] {
  const byProblem = new Map<string, Stretch[]>();
  for (const fact of facts) {
    const key = problemIdOf(fact);
    const stretches = byProblem.get(key) ?? [];
    stretches.push({ fact, fromMs: fact.firstWindowMs, toMs: fact.lastWindowMs + windowMs });
    byProblem.set(key, stretches);
  }
  const events: CrossNamespaceEvent[] = [];
  for (const [problemId, stretches] of byProblem) {
    stretches.sort((left, right) => left.fromMs - right.fromMs || left.toMs - right.toMs);
    let linked: Stretch[] = [];
    let linkedToMs = Number.NEGATIVE_INFINITY;
    const close = () => {
      const event = eventOf(problemId, linked);
      if (event) events.push(event);
    };
    for (const stretch of stretches) {
      if (linked.length > 0 && stretch.fromMs > linkedToMs) {
        close();
        linked = [];
      }
      linked.push(stretch);
      linkedToMs = linked.length === 1 ? stretch.toMs : Math.max(linkedToMs, stretch.toMs);
    }
    if (linked.length > 0) close();
  }
  return events;
}

function eventOf(problemId: string, stretches: readonly Stretch[]): CrossNamespaceEvent | null {
  const namespaces = [...new Set(stretches.map((stretch) => stretch.fact.namespace))].sort();
  if (namespaces.length < 2) return null;
  const first = stretches[0]!.fact;
  return {
    problemId,
    patternId: first.patternId,
    errorType: first.errorType,
    // Stretches come sorted by start.
    fromMs: stretches[0]!.fromMs,
    toMs: stretches.reduce((latest, stretch) => Math.max(latest, stretch.toMs), Number.NEGATIVE_INFINITY),
    namespaces,
    mostAtOnce: mostNamespacesAtOnce(stretches.map((stretch) => ({ namespace: stretch.fact.namespace, fromMs: stretch.fromMs, toMs: stretch.toMs }))).most,
    incidentIds: [...new Set(stretches.flatMap((stretch) => (stretch.fact.incidentId === null ? [] : [stretch.fact.incidentId])))].sort((a, b) => a - b),
    windows: stretches.reduce((sum, stretch) => sum + stretch.fact.windows, 0),
    errors: stretches.reduce((sum, stretch) => sum + stretch.fact.errors, 0),
    latestWindowId: stretches.reduce((latest, stretch) => Math.max(latest, stretch.fact.latestWindowId), 0),
  };
}

/** The longest part of one incident its events are looked for in: its last week, so that a chronic incident's read stays bounded. */
export const INCIDENT_EVENT_SPAN_MAX_MS = 7 * 86_400_000;

/**
 * The windows to link to find the events an incident is part of, start inclusive and end
 * exclusive, UTC ms: from its first window (`firstWindowMs`, a start) to the end of its last
 * (`lastWindowMs` + one window), widened by one window on each side, since a stretch that ends
 * right where the incident starts or starts right where it ends is linked to it. An incident
 * longer than `maxMs` is looked at over its last `maxMs`.
 */
export function incidentEventSpanOf(
  incident: { firstWindowMs: number; lastWindowMs: number },
  windowMs: number,
  maxMs: number = INCIDENT_EVENT_SPAN_MAX_MS,
): { fromMs: number; toMs: number } {
  const endMs = incident.lastWindowMs + windowMs;
  const startMs = Math.max(incident.firstWindowMs, endMs - maxMs);
  return { fromMs: startMs - windowMs, toMs: endMs + windowMs };
}

/** Events still going (`isOngoing`) first, then the widest, then the most recent, then by problem id and start, so that the order is total. */
export function compareEvents(isOngoing: (event: CrossNamespaceEvent) => boolean): (left: CrossNamespaceEvent, right: CrossNamespaceEvent) => number {
  return (left, right) =>
    Number(isOngoing(right)) - Number(isOngoing(left)) ||
    right.namespaces.length - left.namespaces.length ||
    right.toMs - left.toMs ||
    (left.problemId < right.problemId ? -1 : left.problemId > right.problemId ? 1 : 0) ||
    left.fromMs - right.fromMs;
}

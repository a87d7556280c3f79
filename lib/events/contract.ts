// A cross-namespace event as the overview and an incident's page show it; no server code.

/** The most namespaces and incidents an event's answer names (the problem's page has them all). */
export const MAX_EVENT_NAMESPACES = 12;
export const MAX_EVENT_INCIDENTS = 12;

/**
 * One problem breaking out in several namespaces at once (lib/pipeline/events.ts): its incidents
 * in those namespaces, linked because their stretches of the same root cause overlap or follow
 * one another without a gap.
 */
export type CrossNamespaceEventSummary = {
  /** The problem it is an outbreak of (GET /api/problems/:id). */
  problemId: string;
  /** The root cause's template; null when neither its pattern nor its investigation kept one. */
  template: string | null;
  /** A root-cause message of its newest window. */
  example: string | null;
  errorType: string;
  /** Start of its first window and end of its last one, ISO. */
  from: string;
  to: string;
  /** One of its incidents is ongoing and not resolved or a false positive. */
  ongoing: boolean;
  /** Sorted by name; at most MAX_EVENT_NAMESPACES of namespaceTotal. */
  namespaces: string[];
  namespaceTotal: number;
  /** The most namespaces it held at the same time. */
  mostAtOnce: number;
  /** Ongoing ones first, then by id; at most MAX_EVENT_INCIDENTS of incidentTotal. */
  incidents: { id: number; namespace: string; ongoing: boolean }[];
  incidentTotal: number;
  windows: number;
  errors: number;
};

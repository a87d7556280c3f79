import type { Db } from "@/lib/db/client";
import { findIncidentsOfProblem, findProblemIncidentFacts, findWindowRootCauses } from "@/lib/db/problems";
import { UNKNOWN_ERROR_TYPE } from "@/lib/pipeline/classify";
import { compareEvents, linkCrossNamespaceEvents, type CrossNamespaceEvent } from "@/lib/pipeline/events";
import { problemPeriodOf } from "@/lib/pipeline/problems";
import { templatesOf } from "@/lib/problems/summaries";
import { MAX_EVENT_INCIDENTS, MAX_EVENT_NAMESPACES, MAX_OVERVIEW_EVENTS, type OverviewEvent } from "./contract";

const DAY_MS = 86_400_000;
/** Statuses of an incident that no longer burns, ongoing or not. */
const SETTLED_STATUSES: ReadonlySet<string> = new Set(["resolved", "false_positive"]);

/**
 * The cross-namespace events of the 24 hours ending with the window of `now` (whole windows, as
 * the problems' periods): the investigated windows of that day linked per problem
 * (lib/pipeline/events.ts), ongoing ones first.
 */
export async function readCrossNamespaceEvents(db: Db, windowMinutes: number, now: Date): Promise<{ events: OverviewEvent[]; total: number }> {
  const windowMs = windowMinutes * 60_000;
  const period = problemPeriodOf(now.getTime(), DAY_MS, windowMs);
  const from = new Date(period.fromMs);
  // The day only: an event's figures need no period before it.
  const facts = await findProblemIncidentFacts(db, { previousFrom: from, from, to: new Date(period.toMs), unclassified: UNKNOWN_ERROR_TYPE });
  const linked = linkCrossNamespaceEvents(facts, windowMs);
  if (linked.length === 0) return { events: [], total: 0 };
  const incidents = await findIncidentsOfProblem(db, [...new Set(linked.flatMap((event) => event.incidentIds))]);
  const burning = new Set(incidents.filter((incident) => incident.ended_at === null && !SETTLED_STATUSES.has(incident.status)).map((incident) => incident.id));
  const namespaceOf = new Map(incidents.map((incident) => [incident.id, incident.namespace]));
  const isOngoing = (event: CrossNamespaceEvent) => event.incidentIds.some((id) => burning.has(id));
  const shown = [...linked].sort(compareEvents(isOngoing)).slice(0, MAX_OVERVIEW_EVENTS);
  const [templates, rootCauses] = await Promise.all([
    templatesOf(
      db,
      shown.map((event) => ({ id: event.problemId, patternId: event.patternId, latestWindowId: event.latestWindowId })),
    ),
    findWindowRootCauses(
      db,
      shown.map((event) => event.latestWindowId),
    ),
  ]);
  return {
    total: linked.length,
    events: shown.map((event) => {
      const eventIncidents = event.incidentIds
        .filter((id) => namespaceOf.has(id))
        .map((id) => ({ id, namespace: namespaceOf.get(id)!, ongoing: burning.has(id) }))
        .sort((left, right) => Number(right.ongoing) - Number(left.ongoing) || left.id - right.id);
      return {
        problemId: event.problemId,
        template: templates.get(event.problemId) ?? null,
        example: rootCauses.get(event.latestWindowId)?.example ?? null,
        errorType: event.errorType,
        from: new Date(event.fromMs).toISOString(),
        to: new Date(event.toMs).toISOString(),
        ongoing: isOngoing(event),
        namespaces: event.namespaces.slice(0, MAX_EVENT_NAMESPACES),
        namespaceTotal: event.namespaces.length,
        mostAtOnce: event.mostAtOnce,
        incidents: eventIncidents.slice(0, MAX_EVENT_INCIDENTS),
        incidentTotal: eventIncidents.length,
        windows: event.windows,
        errors: event.errors,
      };
    }),
  };
}

import type { Db } from "@/lib/db/client";
import { findIncidentsOfProblem, findProblemTemplates, findWindowRootCauses } from "@/lib/db/problems";
import { compareEvents, type CrossNamespaceEvent } from "@/lib/pipeline/events";
import { MAX_EVENT_INCIDENTS, MAX_EVENT_NAMESPACES, type CrossNamespaceEventSummary } from "./contract";

/** Statuses of an incident that no longer burns, ongoing or not. */
const SETTLED_STATUSES: ReadonlySet<string> = new Set(["resolved", "false_positive"]);

/**
 * The first `limit` of the linked events as answers, ongoing ones first, then the widest
 * (compareEvents), and how many there are: their incidents, template and example are read for
 * those only. An event is ongoing when one of its incidents burns (no end yet, not resolved or a
 * false positive). `exceptIncidentId` leaves one incident out of each event's incidents: the
 * incident whose page names the event.
 */
export async function summarizeEvents(
  db: Db,
  linked: readonly CrossNamespaceEvent[],
  options: { limit: number; exceptIncidentId?: number },
): Promise<{ events: CrossNamespaceEventSummary[]; total: number }> {
  if (linked.length === 0) return { events: [], total: 0 };
  const incidents = await findIncidentsOfProblem(db, [...new Set(linked.flatMap((event) => event.incidentIds))]);
  const burning = new Set(incidents.filter((incident) => incident.ended_at === null && !SETTLED_STATUSES.has(incident.status)).map((incident) => incident.id));
  const namespaceOf = new Map(incidents.map((incident) => [incident.id, incident.namespace]));
  const isOngoing = (event: CrossNamespaceEvent) => event.incidentIds.some((id) => burning.has(id));
  const shown = [...linked].sort(compareEvents(isOngoing)).slice(0, options.limit);
  const [templates, rootCauses] = await Promise.all([
    findProblemTemplates(
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
        .filter((id) => id !== options.exceptIncidentId && namespaceOf.has(id))
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

import type { Db } from "@/lib/db/client";
import { findProblemIncidentFacts } from "@/lib/db/problems";
import { summarizeEvents } from "@/lib/events/summaries";
import { UNKNOWN_ERROR_TYPE } from "@/lib/pipeline/classify";
import { incidentEventSpanOf, linkCrossNamespaceEvents } from "@/lib/pipeline/events";
import { MAX_INCIDENT_EVENTS, type IncidentDetail } from "./contract";

/**
 * The cross-namespace events an incident is part of: every namespace's investigated windows of
 * the incident's span (its last week at most, widened by a window on each side:
 * incidentEventSpanOf) linked per problem as the overview links them, those that hold the
 * incident kept. Only that span is read, however old or long the incident.
 */
export async function readIncidentEvents(
  db: Db,
  incident: { id: number; startedAt: Date; lastWindowAt: Date },
  windowMinutes: number,
): Promise<Pick<IncidentDetail, "events" | "eventsTotal">> {
  const windowMs = windowMinutes * 60_000;
  const span = incidentEventSpanOf({ firstWindowMs: incident.startedAt.getTime(), lastWindowMs: incident.lastWindowAt.getTime() }, windowMs);
  const from = new Date(span.fromMs);
  // The span only: an event's figures need no period before it.
  const facts = await findProblemIncidentFacts(db, { previousFrom: from, from, to: new Date(span.toMs), unclassified: UNKNOWN_ERROR_TYPE });
  const linked = linkCrossNamespaceEvents(facts, windowMs).filter((event) => event.incidentIds.includes(incident.id));
  const { events, total } = await summarizeEvents(db, linked, { limit: MAX_INCIDENT_EVENTS, exceptIncidentId: incident.id });
  return { events, eventsTotal: total };
}

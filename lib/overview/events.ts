import type { Db } from "@/lib/db/client";
import { findProblemIncidentFacts } from "@/lib/db/problems";
import { summarizeEvents } from "@/lib/events/summaries";
import { UNKNOWN_ERROR_TYPE } from "@/lib/pipeline/classify";
import { linkCrossNamespaceEvents } from "@/lib/pipeline/events";
import { problemPeriodOf } from "@/lib/pipeline/problems";
import { MAX_OVERVIEW_EVENTS, type OverviewEvent } from "./contract";

const DAY_MS = 86_400_000;

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
  return summarizeEvents(db, linkCrossNamespaceEvents(facts, windowMs), { limit: MAX_OVERVIEW_EVENTS });
}

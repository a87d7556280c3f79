import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { applyIncidentAction } from "@/lib/incidents/actions";
import { incidentActionRequestSchema } from "@/lib/incidents/contract";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * One triage action on an incident and all its windows, chosen by `action`: acknowledge, assign,
 * reopen, false_positive, attach_known_issue, create_known_issue, resolve, snooze, unsnooze.
 */
export const POST = route({ role: "analyst", input: incidentActionRequestSchema }, async ({ actor, input: { id, ...action } }) =>
  applyIncidentAction(await getDatabase(), actor, id, action, { windowMinutes: getConfig().window_minutes }),
);

import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { incidentRequestSchema } from "@/lib/incidents/contract";
import { getIncident } from "@/lib/incidents/list";
import { logsLinkSettingsOf } from "@/lib/logs-link";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** An incident with its windows, audit trail and links to the logs. */
export const GET = route({ role: "viewer", input: incidentRequestSchema }, async ({ actor, input }) =>
  getIncident(await getDatabase(), actor, input.id, { links: logsLinkSettingsOf(getConfig()), now: new Date() }),
);

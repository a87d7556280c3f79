import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { listIncidentsSchema } from "@/lib/incidents/contract";
import { listIncidents } from "@/lib/incidents/list";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Incidents, newest first: ?status=open,acknowledged&namespace=&ongoing=true&from=&to=&limit=&cursor=. */
export const GET = route({ role: "viewer", input: listIncidentsSchema }, async ({ actor, input }) =>
  listIncidents(await getDatabase(), actor, input, { windowMinutes: getConfig().window_minutes, now: new Date() }),
);

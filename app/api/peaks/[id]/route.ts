import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { logsLinkSettingsOf } from "@/lib/logs-link";
import { peakRequestSchema } from "@/lib/peaks/contract";
import { getPeak } from "@/lib/peaks/detail";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A peak with its decision inputs, investigation, plateau, deliveries, notes and audit trail. */
export const GET = route({ role: "viewer", input: peakRequestSchema }, async ({ actor, input }) =>
  getPeak(await getDatabase(), actor, input.id, logsLinkSettingsOf(getConfig())),
);

import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { cronRoute } from "@/lib/http/cron";
import { runScheduledEnrichment } from "@/lib/jobs/scheduled";

export const dynamic = "force-dynamic";
/** Seconds the enrichment may take on platforms that limit functions (Vercel). */
export const maxDuration = 800;

/** Hourly: investigates every peak not enriched yet, then AI analysis when it is on. */
export const GET = cronRoute(async () => runScheduledEnrichment(await getDatabase(), getConfig()));

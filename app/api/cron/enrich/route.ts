import { cronRoute } from "@/lib/http/cron";
import { cronServices } from "@/lib/services/web";
import { runScheduledEnrichment } from "@/lib/jobs/scheduled";

export const dynamic = "force-dynamic";
/** Seconds the enrichment may take on platforms that limit functions (Vercel). */
export const maxDuration = 800;

/** Hourly: investigates every peak not enriched yet, then AI analysis when it is on. */
export const GET = cronRoute(async () => runScheduledEnrichment(await cronServices()));

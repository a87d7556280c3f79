import { cronRoute } from "@/lib/http/cron";
import { cronServices } from "@/lib/services/web";
import { runScheduledPipeline } from "@/lib/jobs/scheduled";

export const dynamic = "force-dynamic";
/** Seconds a run may take on platforms that limit functions (Vercel). */
export const maxDuration = 800;

/** Every 15 minutes: the pipeline over every completed window since the last successful run. */
export const GET = cronRoute(async () => runScheduledPipeline(await cronServices()));

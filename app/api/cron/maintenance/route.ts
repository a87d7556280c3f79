import { cronRoute } from "@/lib/http/cron";
import { cronServices } from "@/lib/services/web";
import { runScheduledMaintenance } from "@/lib/jobs/scheduled";

export const dynamic = "force-dynamic";
/** Seconds maintenance may take on platforms that limit functions (Vercel). */
export const maxDuration = 800;

/** Daily: deletes rows older than their retention in values.yaml. */
export const GET = cronRoute(async () => runScheduledMaintenance(await cronServices()));

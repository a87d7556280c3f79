import { cronRoute } from "@/lib/http/cron";
import { cronServices } from "@/lib/services/web";
import { runScheduledDigest } from "@/lib/jobs/scheduled";

export const dynamic = "force-dynamic";
/** Seconds a call may take on platforms that limit functions (Vercel): a card and an e-mail, with their retries. */
export const maxDuration = 300;

/** Hourly: the digest of the newest date whose digest.local_time has passed, to the channels that do not have it yet. */
export const GET = cronRoute(async () => runScheduledDigest(await cronServices()));

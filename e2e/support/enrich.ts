import { expect, type APIRequestContext } from "@playwright/test";
import { E2E_CRON_SECRET } from "./users";

/**
 * Investigates every peak not investigated yet (the enrichment cron): the server's first start
 * investigated the sample, but a spec's pipeline run may have found more. Waits while a pipeline
 * run of another spec holds the windows lock (409).
 */
export async function enrichSamplePeaks(request: APIRequestContext): Promise<void> {
  await expect
    .poll(async () => (await request.get("/api/cron/enrich", { headers: { Authorization: `Bearer ${E2E_CRON_SECRET}` }, timeout: 170_000 })).status(), {
      timeout: 240_000,
      intervals: [2_000],
    })
    .toBe(200);
}

import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { env } from "@/lib/env.js";
import { errorResponse } from "@/lib/http/route";
import { scrapeMetrics } from "@/lib/metrics/scrape";

export const dynamic = "force-dynamic";

/** Prometheus metrics (text exposition format) behind `Authorization: Bearer $METRICS_TOKEN`; 404 while METRICS_TOKEN is unset. */
export async function GET(request: Request) {
  try {
    const { text, contentType } = await scrapeMetrics({
      authorization: request.headers.get("authorization"),
      token: env.METRICS_TOKEN,
      database: getDatabase,
      config: getConfig(),
      now: new Date(),
    });
    return new Response(text, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, request);
  }
}

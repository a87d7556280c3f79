import { getConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import { getDatabase } from "@/lib/db/client";
import { digestReportRequestSchema } from "@/lib/digest/contract";
import { exportDigest } from "@/lib/digest/export";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The daily report of a date as JSON, or one of its tables as a CSV download (?format=csv&table=problems). */
export const GET = route({ role: "viewer", input: digestReportRequestSchema }, async ({ actor, input }) => {
  const config = getConfig();
  const answer = await exportDigest(await getDatabase(), actor, input, { config, grid: gridOf(config), now: new Date() });
  if (answer.format === "json") return answer.content;
  return new Response(answer.text, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${answer.fileName}"`, "cache-control": "no-store" },
  });
});

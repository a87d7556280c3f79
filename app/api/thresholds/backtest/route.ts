import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { backtestThresholds } from "@/lib/thresholds/backtest";
import { backtestSchema } from "@/lib/thresholds/contract";
import { route } from "@/lib/http/route";
import { seriesContext } from "@/lib/http/series-context";

export const dynamic = "force-dynamic";

/** What {values} would have flagged over the last {days} days next to the thresholds in force; {namespace} narrows it to one (admins). */
export const POST = route({ role: "admin", input: backtestSchema }, async ({ actor, input }) =>
  backtestThresholds(await getDatabase(), actor, seriesContext(getConfig()), input),
);

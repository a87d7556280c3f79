import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { seriesContext } from "@/lib/http/series-context";
import { namespaceSeriesSchema } from "@/lib/namespaces/contract";
import { readNamespaceSeries } from "@/lib/namespaces/series";

export const dynamic = "force-dynamic";

/** A namespace's baseline-vs-actual chart: ?from=&to= (ISO, default the last 7 days) &points= (at most 2000). */
export const GET = route({ role: "viewer", input: namespaceSeriesSchema }, async ({ actor, input }) =>
  readNamespaceSeries(await getDatabase(), actor, input, seriesContext(getConfig())),
);

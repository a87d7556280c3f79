import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { namespaceSeriesSchema, readNamespaceSeries } from "@/lib/db/namespaces";
import { route } from "@/lib/http/route";
import { seriesContext } from "@/lib/http/series-context";

export const dynamic = "force-dynamic";

/** A namespace's baseline-vs-actual chart: ?from=&to= (ISO, default the last 7 days) &points= (at most 2000). */
export const GET = route({ role: "viewer", input: namespaceSeriesSchema }, async ({ actor, input }) =>
  readNamespaceSeries(await getPrisma(), actor, input, seriesContext(getConfig())),
);

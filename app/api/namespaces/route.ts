import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { overviewContext } from "@/lib/http/series-context";
import { namespaceListSchema } from "@/lib/namespaces/contract";
import { listNamespaces } from "@/lib/namespaces/list";

export const dynamic = "force-dynamic";

/** One page of the namespaces, each judged now and with its last 24 hours: ?q=&sort=attention|deviation|name&offset=&limit= (viewers and above). */
export const GET = route({ role: "viewer", input: namespaceListSchema }, async ({ actor, input }) =>
  listNamespaces(await getDatabase(), actor, overviewContext(getConfig()), input),
);

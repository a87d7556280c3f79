import { getDatabase } from "@/lib/db/client";
import { listPeaksSchema } from "@/lib/peaks/contract";
import { listPeaks } from "@/lib/peaks/list";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The timeline, newest first: ?status=open,acknowledged&severity=&namespace=&label=&from=&to=&limit=&cursor=. */
export const GET = route({ role: "viewer", input: listPeaksSchema }, async ({ actor, input }) => listPeaks(await getDatabase(), actor, input));

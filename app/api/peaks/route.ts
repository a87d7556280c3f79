import { getPrisma } from "@/lib/db/client";
import { listPeaks, listPeaksSchema } from "@/lib/db/peak-triage";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The timeline, newest first: ?status=open,acknowledged&severity=&namespace=&label=&from=&to=&limit=&cursor=. */
export const GET = route({ role: "viewer", input: listPeaksSchema }, async ({ actor, input }) => listPeaks(await getPrisma(), actor, input));

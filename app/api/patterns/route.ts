import { getPrisma } from "@/lib/db/client";
import { listPatterns, listPatternsSchema } from "@/lib/db/patterns";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Error patterns with counts and trend: ?q=&namespace=&errorType=&sort=last_seen|occurrences|first_seen|trend&days=&limit=&offset=. */
export const GET = route({ role: "viewer", input: listPatternsSchema }, async ({ actor, input }) => listPatterns(await getPrisma(), actor, input));

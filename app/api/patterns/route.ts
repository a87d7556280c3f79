import { getDatabase } from "@/lib/db/client";
import { listPatterns } from "@/lib/patterns/catalog";
import { listPatternsSchema } from "@/lib/patterns/contract";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Error patterns with counts and trend: ?q=&namespace=&errorType=&sort=last_seen|occurrences|first_seen|trend&days=&limit=&offset=. */
export const GET = route({ role: "viewer", input: listPatternsSchema }, async ({ actor, input }) => listPatterns(await getDatabase(), actor, input));

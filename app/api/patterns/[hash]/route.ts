import { getDatabase } from "@/lib/db/client";
import { getPattern } from "@/lib/patterns/catalog";
import { patternRequestSchema } from "@/lib/patterns/contract";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** One pattern with examples, counts per namespace, a daily series (?days=), known issues and its peaks. */
export const GET = route({ role: "viewer", input: patternRequestSchema }, async ({ actor, input }) =>
  getPattern(await getDatabase(), actor, input.hash, { days: input.days }),
);

import { getPrisma } from "@/lib/db/client";
import { getPattern, patternRequestSchema } from "@/lib/db/patterns";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** One pattern with examples, counts per namespace, a daily series (?days=), known issues and its peaks. */
export const GET = route({ role: "viewer", input: patternRequestSchema }, async ({ actor, input }) =>
  getPattern(await getPrisma(), actor, input.hash, { days: input.days }),
);

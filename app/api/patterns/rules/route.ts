import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { listPatternRulesRequestSchema } from "@/lib/patterns/rules-contract";
import { listPatternRules } from "@/lib/patterns/rules";

export const dynamic = "force-dynamic";

/** Merges and splits, newest first (?hash= those naming a pattern, ?active=true those in force). */
export const GET = route({ role: "viewer", input: listPatternRulesRequestSchema }, async ({ actor, input }) =>
  listPatternRules(await getDatabase(), actor, { hash: input.hash, isActiveOnly: input.active === "true" }),
);

import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { revokePatternRuleRequestSchema } from "@/lib/patterns/rules-contract";
import { revokePatternRule } from "@/lib/patterns/rules";

export const dynamic = "force-dynamic";

/** Reverts a merge or a split (analysts and above); answers the rule, marked reverted. */
export const POST = route({ role: "analyst", input: revokePatternRuleRequestSchema }, async ({ actor, input }) =>
  revokePatternRule(await getDatabase(), actor, input.id),
);

import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { mergePatternsSchema } from "@/lib/patterns/rules-contract";
import { mergePatterns } from "@/lib/patterns/rules";

export const dynamic = "force-dynamic";

/** Merges patterns into another (analysts and above); answers the rule made. */
export const POST = route({ role: "analyst", input: mergePatternsSchema, status: 201 }, async ({ actor, input }) =>
  mergePatterns(await getDatabase(), actor, input),
);

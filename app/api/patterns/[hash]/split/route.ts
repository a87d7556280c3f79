import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { splitPatternRequestSchema } from "@/lib/patterns/rules-contract";
import { splitPattern } from "@/lib/patterns/rules";

export const dynamic = "force-dynamic";

/** Splits the pattern from now on, by a wildcard's value or a regex (analysts and above); answers the rule made. */
export const POST = route({ role: "analyst", input: splitPatternRequestSchema, status: 201 }, async ({ actor, input: { hash, ...split } }) =>
  splitPattern(await getDatabase(), actor, hash, split),
);

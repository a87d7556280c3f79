import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { problemRequestSchema } from "@/lib/problems/contract";
import { getProblem } from "@/lib/problems/detail";
import { problemSettingsOf } from "@/lib/problems/summaries";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** One problem over the period (?since=24h): its figures, pattern, history and incidents for a timeline. */
export const GET = route({ role: "viewer", input: problemRequestSchema }, async ({ actor, input }) =>
  getProblem(await getDatabase(), actor, input, { ...problemSettingsOf(getConfig()), now: new Date() }),
);

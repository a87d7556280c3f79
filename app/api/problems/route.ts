import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { listProblemsSchema } from "@/lib/problems/contract";
import { listProblems } from "@/lib/problems/list";
import { problemSettingsOf } from "@/lib/problems/summaries";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Problems of the period, most actionable first: ?since=24h&q=&scope=single,several,systemic&known=true|false&offset=&limit=. */
export const GET = route({ role: "viewer", input: listProblemsSchema }, async ({ actor, input }) =>
  listProblems(await getDatabase(), actor, input, { ...problemSettingsOf(getConfig()), now: new Date() }),
);

import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { createKnownIssueFromProblemSchema } from "@/lib/problems/contract";
import { createKnownIssueFromProblem } from "@/lib/problems/known-issue";
import { problemSettingsOf } from "@/lib/problems/summaries";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Creates a known issue from the problem (its root-cause patterns) and marks its incidents of the period (body `since`, default 24h) known with it. */
export const POST = route({ role: "analyst", input: createKnownIssueFromProblemSchema, status: 201 }, async ({ actor, input }) =>
  createKnownIssueFromProblem(await getDatabase(), actor, input, { ...problemSettingsOf(getConfig()), now: new Date() }),
);

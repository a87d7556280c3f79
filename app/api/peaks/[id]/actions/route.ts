import { getDatabase } from "@/lib/db/client";
import { peakActionRequestSchema } from "@/lib/peaks/contract";
import { applyPeakAction } from "@/lib/peaks/triage";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** One triage action, chosen by `action`: acknowledge, reopen, false_positive, attach_known_issue, create_known_issue, resolve. */
export const POST = route({ role: "analyst", input: peakActionRequestSchema }, async ({ actor, input: { id, ...action } }) =>
  applyPeakAction(await getDatabase(), actor, id, action),
);

import { getPrisma } from "@/lib/db/client";
import { getKnownIssue, knownIssueRequestSchema, updateKnownIssue, updateKnownIssueRequestSchema } from "@/lib/db/known-issues";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A known issue with the peaks it labelled. */
export const GET = route({ role: "viewer", input: knownIssueRequestSchema }, async ({ actor, input }) => getKnownIssue(await getPrisma(), actor, input.id));

export const PATCH = route({ role: "analyst", input: updateKnownIssueRequestSchema }, async ({ actor, input: { id, ...changes } }) =>
  updateKnownIssue(await getPrisma(), actor, id, changes),
);

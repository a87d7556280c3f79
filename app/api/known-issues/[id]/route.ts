import { getDatabase } from "@/lib/db/client";
import { getKnownIssue } from "@/lib/known-issues/catalog";
import { knownIssueRequestSchema, updateKnownIssueRequestSchema } from "@/lib/known-issues/contract";
import { updateKnownIssue } from "@/lib/known-issues/curation";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A known issue with the peaks it labelled. */
export const GET = route({ role: "viewer", input: knownIssueRequestSchema }, async ({ actor, input }) => getKnownIssue(await getDatabase(), actor, input.id));

export const PATCH = route({ role: "analyst", input: updateKnownIssueRequestSchema }, async ({ actor, input: { id, ...changes } }) =>
  updateKnownIssue(await getDatabase(), actor, id, changes),
);

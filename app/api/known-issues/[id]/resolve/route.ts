import { getDatabase } from "@/lib/db/client";
import { resolveKnownIssueRequestSchema } from "@/lib/known-issues/contract";
import { resolveKnownIssue } from "@/lib/known-issues/curation";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Resolves the issue with its solution; a later matching peak is then a regression. */
export const POST = route({ role: "analyst", input: resolveKnownIssueRequestSchema }, async ({ actor, input: { id, ...resolution } }) =>
  resolveKnownIssue(await getDatabase(), actor, id, resolution),
);

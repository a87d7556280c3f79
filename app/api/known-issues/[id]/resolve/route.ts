import { getPrisma } from "@/lib/db/client";
import { resolveKnownIssue, resolveKnownIssueRequestSchema } from "@/lib/db/known-issues";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Resolves the issue with its solution; a later matching peak is then a regression. */
export const POST = route({ role: "analyst", input: resolveKnownIssueRequestSchema }, async ({ actor, input: { id, ...resolution } }) =>
  resolveKnownIssue(await getPrisma(), actor, id, resolution),
);

import { getPrisma } from "@/lib/db/client";
import { createKnownIssue, createKnownIssueSchema, listKnownIssues, listKnownIssuesSchema } from "@/lib/db/known-issues";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Known issues, filtered by ?status=active|resolved and ?q=. */
export const GET = route({ role: "viewer", input: listKnownIssuesSchema }, async ({ actor, input }) => ({
  knownIssues: await listKnownIssues(await getPrisma(), actor, input),
}));

export const POST = route({ role: "analyst", input: createKnownIssueSchema, status: 201 }, async ({ actor, input }) =>
  createKnownIssue(await getPrisma(), actor, input),
);

import { getDatabase } from "@/lib/db/client";
import { listKnownIssues } from "@/lib/known-issues/catalog";
import { createKnownIssueSchema, listKnownIssuesSchema } from "@/lib/known-issues/contract";
import { createKnownIssue } from "@/lib/known-issues/curation";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** One page of known issues, filtered by ?status=active|resolved and ?q=, paged by ?offset=&limit=. */
export const GET = route({ role: "viewer", input: listKnownIssuesSchema }, async ({ actor, input }) => listKnownIssues(await getDatabase(), actor, input));

export const POST = route({ role: "analyst", input: createKnownIssueSchema, status: 201 }, async ({ actor, input }) =>
  createKnownIssue(await getDatabase(), actor, input),
);

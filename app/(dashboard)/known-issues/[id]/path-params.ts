import { notFound } from "next/navigation";
import { knownIssueIdSchema } from "@/lib/known-issues/contract";

/** What Next.js passes the layout and the page of /known-issues/[id]. */
export type KnownIssuePathParams = Promise<{ id: string }>;

/** The known issue id of the path; one no issue can have ("abc", beyond PostgreSQL's integer) is not found, as a missing issue is. */
export async function parseKnownIssueId(params: KnownIssuePathParams): Promise<number> {
  const id = knownIssueIdSchema.safeParse((await params).id);
  if (!id.success) notFound();
  return id.data;
}

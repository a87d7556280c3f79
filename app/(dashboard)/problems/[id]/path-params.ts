import { notFound } from "next/navigation";
import { problemIdSchema } from "@/lib/problems/contract";

/** What Next.js passes the layout and the page of /problems/[id]. */
export type ProblemPathParams = Promise<{ id: string }>;

/** The problem id of the path; a text no problem can have is not found, as an unknown one is (the API answers it 400). */
export async function parseProblemPathId(params: ProblemPathParams): Promise<string> {
  const id = problemIdSchema.safeParse((await params).id);
  if (!id.success) notFound();
  return id.data;
}

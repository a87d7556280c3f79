import { notFound } from "next/navigation";
import { patternHashSchema } from "@/lib/patterns/contract";

/** What Next.js passes the layout and the page of /patterns/[hash]. */
export type PatternPathParams = Promise<{ hash: string }>;

/** The pattern hash of the path; one no pattern can have (blank, over 200 characters) is not found, as an unknown one is. */
export async function parsePatternHash(params: PatternPathParams): Promise<string> {
  const hash = patternHashSchema.safeParse((await params).hash);
  if (!hash.success) notFound();
  return hash.data;
}

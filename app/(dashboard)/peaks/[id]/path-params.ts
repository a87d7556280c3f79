import { notFound } from "next/navigation";
import { peakIdSchema } from "@/lib/peaks/contract";

/** What Next.js passes the layout and the page of /peaks/[id]. */
export type PeakPathParams = Promise<{ id: string }>;

/** The peak id of the path; one no peak can have ("abc", beyond PostgreSQL's integer) is not found, as a missing peak is. */
export async function parsePeakId(params: PeakPathParams): Promise<number> {
  const id = peakIdSchema.safeParse((await params).id);
  if (!id.success) notFound();
  return id.data;
}

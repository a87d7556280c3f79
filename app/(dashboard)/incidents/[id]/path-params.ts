import { notFound } from "next/navigation";
import { incidentIdSchema } from "@/lib/incidents/contract";

/** What Next.js passes the layout and the page of /incidents/[id]. */
export type IncidentPathParams = Promise<{ id: string }>;

/** The incident id of the path; one no incident can have ("abc", beyond PostgreSQL's integer) is not found, as a missing incident is. */
export async function parseIncidentId(params: IncidentPathParams): Promise<number> {
  const id = incidentIdSchema.safeParse((await params).id);
  if (!id.success) notFound();
  return id.data;
}

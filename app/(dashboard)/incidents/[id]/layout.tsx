import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { currentActor } from "@/app/current-actor";
import { getDatabase } from "@/lib/db/client";
import { hasIncident } from "@/lib/incidents/list";
import { parseIncidentId, type IncidentPathParams } from "./path-params";

/**
 * Decides "no such incident" before anything streams (loading.tsx wraps only the page, and a
 * notFound() after its skeleton was sent leaves the status at 200). The not-found page is
 * incidents/not-found.tsx.
 */
export default async function IncidentLayout({ children, params }: { children: ReactNode; params: IncidentPathParams }) {
  const id = await parseIncidentId(params);
  if (!(await hasIncident(await getDatabase(), await currentActor(), id))) notFound();
  return children;
}

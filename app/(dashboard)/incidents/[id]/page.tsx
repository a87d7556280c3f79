import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import { getIncident, listOwnerCandidates } from "@/lib/incidents/list";
import { logsLinkSettingsOf } from "@/lib/logs-link";
import { hasRole } from "@/lib/roles";
import { IncidentClient } from "./client";
import { parseIncidentId, type IncidentPathParams } from "./path-params";
import "../../peaks/peaks.css";
import "../incidents.css";

export const dynamic = "force-dynamic";

type Params = { params: IncidentPathParams };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Incident #${(await params).id}` };
}

export default async function IncidentPage({ params }: Params) {
  const id = await parseIncidentId(params);
  const actor = await currentActor();
  const config = getConfig();
  const database = await getDatabase();
  const incident = await getIncident(database, actor, id, { links: logsLinkSettingsOf(config), now: new Date() }).catch((error: unknown) => {
    // Gone since layout.tsx looked (retention, a correction): too late for a 404 status, but the page says so.
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const canEdit = actor !== null && hasRole(actor.role, "analyst");
  const owners = canEdit ? await listOwnerCandidates(database, actor) : [];
  return (
    <IncidentClient
      initialIncident={incident}
      owners={owners}
      currentUserId={actor?.kind === "user" ? actor.id : null}
      timeZone={config.timezone}
      canEdit={canEdit}
    />
  );
}

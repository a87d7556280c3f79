import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { findKnownNamespaces } from "@/lib/db/detection-store";
import { listIncidents } from "@/lib/incidents/list";
import { IncidentsClient } from "../client";
import { listInputFromSearch, parseIncidentsSearch } from "../search-params";
import "../../peaks/peaks.css";
import "../incidents.css";

export const metadata: Metadata = { title: "Incidents" };
export const dynamic = "force-dynamic";

/** Incidents per page; "Load older incidents" adds as many again. */
const PAGE_SIZE = 50;

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await currentActor();
  const config = getConfig();
  const search = parseIncidentsSearch(await searchParams);
  const database = await getDatabase();
  const [page, namespaces] = await Promise.all([
    listIncidents(database, actor, { ...listInputFromSearch(search), limit: PAGE_SIZE }, { windowMinutes: config.window_minutes, now: new Date() }),
    findKnownNamespaces(database.prisma),
  ]);
  return <IncidentsClient initialSearch={search} initialPage={page} namespaces={namespaces} timeZone={config.timezone} pageSize={PAGE_SIZE} />;
}

import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { parseNamespaceListSearch } from "@/components/namespaces/namespace-list-search";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { overviewContext } from "@/lib/http/series-context";
import { readOverview } from "@/lib/overview/overview";
import { OverviewClient } from "./client";
import "../namespaces/namespaces.css";
import "../completeness.css";
import "./overview.css";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

/**
 * What needs a look first (events, what is on fire, counts) comes with the page; the namespace
 * list below it is read by the browser (GET /api/namespaces) once the page is shown: its rows and
 * sparklines were a third of the page's cost, on the page every analyst keeps open.
 */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = parseNamespaceListSearch(await searchParams);
  const config = getConfig();
  const now = new Date();
  const overview = await readOverview(await getDatabase(), await currentActor(), overviewContext(config), now);
  return <OverviewClient initialOverview={overview} initialSearch={search} timeZone={config.timezone} renderedAt={now.getTime()} />;
}

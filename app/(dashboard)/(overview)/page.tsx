import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { OVERVIEW_NAMESPACE_PAGE_SIZE, parseNamespaceListSearch, toNamespaceListInput } from "@/components/namespaces/namespace-list-search";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { overviewContext } from "@/lib/http/series-context";
import { listNamespaces } from "@/lib/namespaces/list";
import { readOverview } from "@/lib/overview/overview";
import { OverviewClient } from "./client";
import "../namespaces/namespaces.css";
import "../completeness.css";
import "./overview.css";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = parseNamespaceListSearch(await searchParams);
  const db = await getDatabase();
  const actor = await currentActor();
  const config = getConfig();
  const context = overviewContext(config);
  const now = new Date();
  const [overview, namespaces] = await Promise.all([
    readOverview(db, actor, context, now),
    listNamespaces(db, actor, context, toNamespaceListInput(search, OVERVIEW_NAMESPACE_PAGE_SIZE), now),
  ]);
  return (
    <OverviewClient initialOverview={overview} initialNamespaces={namespaces} initialSearch={search} timeZone={config.timezone} renderedAt={now.getTime()} />
  );
}

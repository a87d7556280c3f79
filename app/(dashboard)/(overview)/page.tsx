import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { OVERVIEW_NAMESPACE_PAGE_SIZE, parseNamespaceListSearch, toNamespaceListInput } from "@/components/namespaces/namespace-list-search";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { overviewContext } from "@/lib/http/series-context";
import { readOverviewPage } from "@/lib/overview/overview";
import { OverviewClient } from "./client";
import "../namespaces/namespaces.css";
import "../completeness.css";
import "./overview.css";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = parseNamespaceListSearch(await searchParams);
  const config = getConfig();
  const now = new Date();
  const { overview, namespaces } = await readOverviewPage(
    await getDatabase(),
    await currentActor(),
    overviewContext(config),
    toNamespaceListInput(search, OVERVIEW_NAMESPACE_PAGE_SIZE),
    now,
  );
  return (
    <OverviewClient initialOverview={overview} initialNamespaces={namespaces} initialSearch={search} timeZone={config.timezone} renderedAt={now.getTime()} />
  );
}

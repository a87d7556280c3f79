import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { NAMESPACES_PAGE_SIZE, parseNamespaceListSearch, toNamespaceListInput } from "@/components/namespaces/namespace-list-search";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { overviewContext } from "@/lib/http/series-context";
import { listNamespaces } from "@/lib/namespaces/list";
import { NamespacesClient } from "../client";
import "../namespaces.css";
import "../../completeness.css";

export const metadata: Metadata = { title: "Namespaces" };
export const dynamic = "force-dynamic";

export default async function NamespacesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = parseNamespaceListSearch(await searchParams);
  const config = getConfig();
  const now = new Date();
  const list = await listNamespaces(
    await getDatabase(),
    await currentActor(),
    overviewContext(config),
    toNamespaceListInput(search, NAMESPACES_PAGE_SIZE),
    now,
  );
  return <NamespacesClient initialList={list} initialSearch={search} timeZone={config.timezone} renderedAt={now.getTime()} />;
}

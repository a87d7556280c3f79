import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { listPatternFilters, listPatterns } from "@/lib/patterns/catalog";
import { PatternsClient } from "../client";
import { parsePatternListSearch, toListPatternsInput } from "../search-params";
import "../patterns.css";

export const metadata: Metadata = { title: "Patterns" };
export const dynamic = "force-dynamic";

export default async function PatternsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = parsePatternListSearch(await searchParams);
  const db = await getDatabase();
  const actor = await currentActor();
  const [initialPage, filters] = await Promise.all([listPatterns(db, actor, toListPatternsInput(search)), listPatternFilters(db, actor)]);
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request: this is when its data was read
  return <PatternsClient initialSearch={search} initialPage={initialPage} filters={filters} timeZone={getConfig().timezone} renderedAt={Date.now()} />;
}

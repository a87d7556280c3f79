import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { findKnownNamespaces } from "@/lib/db/detection-store";
import { listPeaks } from "@/lib/peaks/list";
import { PeaksClient } from "../client";
import { listInputFromSearch, parsePeaksSearch } from "../search-params";
import "../peaks.css";

export const metadata: Metadata = { title: "Peaks" };
export const dynamic = "force-dynamic";

/** Peaks per page; "Load older peaks" adds as many again. */
const PAGE_SIZE = 50;

export default async function PeaksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await currentActor();
  const { timezone } = getConfig();
  const search = parsePeaksSearch(await searchParams);
  const database = await getDatabase();
  const [page, namespaces] = await Promise.all([
    listPeaks(database, actor, { ...listInputFromSearch(search, timezone), limit: PAGE_SIZE }),
    findKnownNamespaces(database.prisma),
  ]);
  return <PeaksClient initialSearch={search} initialPage={page} namespaces={namespaces} timeZone={timezone} pageSize={PAGE_SIZE} />;
}

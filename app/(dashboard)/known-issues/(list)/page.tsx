import type { Metadata } from "next";
import { hasRole } from "@/lib/roles";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { listKnownIssues } from "@/lib/known-issues/catalog";
import { KnownIssuesClient } from "../client";
import { listInputFromSearch, parseKnownIssuesSearch } from "../search-params";
import "../known-issues.css";

export const metadata: Metadata = { title: "Known issues" };
export const dynamic = "force-dynamic";

export default async function KnownIssuesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await currentActor();
  const search = parseKnownIssuesSearch(await searchParams);
  const page = await listKnownIssues(await getDatabase(), actor, listInputFromSearch(search));
  return (
    <KnownIssuesClient initialSearch={search} initialPage={page} timeZone={getConfig().timezone} canEdit={actor !== null && hasRole(actor.role, "analyst")} />
  );
}

import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { overviewContext, seriesContext } from "@/lib/http/series-context";
import { readNamespaceSparklines } from "@/lib/namespaces/sparklines";
import { readOverview } from "@/lib/overview/overview";
import { OverviewClient } from "./client";
import "../namespaces/namespaces.css";
import "../completeness.css";
import "./overview.css";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const db = await getDatabase();
  const actor = await currentActor();
  const config = getConfig();
  const now = new Date();
  const [overview, sparklines] = await Promise.all([
    readOverview(db, actor, overviewContext(config), now),
    readNamespaceSparklines(db, actor, seriesContext(config), now),
  ]);
  return <OverviewClient initialOverview={overview} initialSparklines={sparklines} timeZone={config.timezone} renderedAt={now.getTime()} />;
}

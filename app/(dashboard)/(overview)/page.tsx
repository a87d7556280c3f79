import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
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

export default async function OverviewPage() {
  const db = await getDatabase();
  const actor = await currentActor();
  const config = getConfig();
  const now = new Date();
  // The namespaces' sparklines (about 170 KiB for 50 namespaces) are not read here: the browser
  // loads them after the first paint, so the page's HTML carries the overview alone.
  const overview = await readOverview(db, actor, overviewContext(config), now);
  return <OverviewClient initialOverview={overview} timeZone={config.timezone} renderedAt={now.getTime()} />;
}

import type { Metadata } from "next";
import { getActor } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { readOverview } from "@/lib/db/overview";
import { OverviewClient } from "./client";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const overview = await readOverview(await getPrisma(), await getActor());
  return <OverviewClient initialOverview={overview} timeZone={getConfig().timezone} />;
}

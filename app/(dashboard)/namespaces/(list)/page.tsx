import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { readNamespaceSparklines } from "@/lib/namespaces/sparklines";
import { seriesContext } from "@/lib/http/series-context";
import { NamespacesClient } from "../client";
import "../namespaces.css";

export const metadata: Metadata = { title: "Namespaces" };
export const dynamic = "force-dynamic";

export default async function NamespacesPage() {
  const config = getConfig();
  const sparklines = await readNamespaceSparklines(await getDatabase(), await currentActor(), seriesContext(config));
  return <NamespacesClient initialSparklines={sparklines} timeZone={config.timezone} />;
}

import type { Metadata } from "next";
import { hasRole } from "@/lib/roles";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { getThresholds } from "@/lib/thresholds/settings";
import { ThresholdsClient } from "./client";
import { parseBacktestDays } from "./search-params";
import "./thresholds.css";

export const metadata: Metadata = { title: "Thresholds" };
export const dynamic = "force-dynamic";

export default async function ThresholdsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await currentActor();
  const config = getConfig();
  const state = await getThresholds(await getDatabase(), actor, config.peak_detection);
  return (
    <ThresholdsClient
      initialState={state}
      canEdit={actor !== null && hasRole(actor.role, "admin")}
      timeZone={config.timezone}
      initialDays={parseBacktestDays((await searchParams).days)}
    />
  );
}

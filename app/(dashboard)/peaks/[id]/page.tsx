import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { hasRole } from "@/lib/roles";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { findDecisionThresholds, getPeak } from "@/lib/peaks/detail";
import { logsLinkSettingsOf } from "@/lib/logs-link";
import { NotFoundError } from "@/lib/errors";
import { PeakClient } from "./client";
import { parsePeakId, type PeakPathParams } from "./path-params";
import "../peaks.css";
import "../../completeness.css";

export const dynamic = "force-dynamic";

type Params = { params: PeakPathParams };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Peak #${(await params).id}` };
}

export default async function PeakPage({ params }: Params) {
  const id = await parsePeakId(params);
  const actor = await currentActor();
  const config = getConfig();
  const database = await getDatabase();
  const peak = await getPeak(database, actor, id, logsLinkSettingsOf(config)).catch((error: unknown) => {
    // Gone since layout.tsx looked (retention, a correction): too late for a 404 status, but the page says so.
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const thresholds = await findDecisionThresholds(database, actor, peak.decision.thresholdsVersion, config.peak_detection);
  return (
    <PeakClient
      initialPeak={peak}
      thresholds={thresholds}
      timeZone={config.timezone}
      windowMinutes={config.window_minutes}
      canEdit={actor !== null && hasRole(actor.role, "analyst")}
    />
  );
}

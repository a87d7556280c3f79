import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { hasRole } from "@/lib/auth/roles";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { findDecisionThresholds, getPeak, peakIdSchema } from "@/lib/db/peak-triage";
import { NotFoundError } from "@/lib/errors";
import { PeakClient } from "./client";
import "../peaks.css";
import "../../completeness.css";

export const dynamic = "force-dynamic";

/** Ids are PostgreSQL integers: a larger number names no peak rather than failing the query. */
const MAX_ID = 2_147_483_647;

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Peak #${(await params).id}` };
}

export default async function PeakPage({ params }: Params) {
  const id = peakIdSchema.safeParse((await params).id);
  if (!id.success || id.data > MAX_ID) notFound();
  const actor = await currentActor();
  const config = getConfig();
  const prisma = await getPrisma();
  const peak = await getPeak(prisma, actor, id.data).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const thresholds = await findDecisionThresholds(prisma, actor, peak.decision.thresholdsVersion, config.peak_detection);
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
